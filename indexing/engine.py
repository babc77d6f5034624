"""The assembled engine: store, embedder, warmed pipelines, answerer. Built once per process (service lifespan,
CLI, benchmarks) and shared."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from haystack.core.errors import PipelineRuntimeError

from indexing.briefing import Briefing, BriefingRequest, briefing_id, build_briefing, summarize_document
from indexing.briefing.commitments import LeadPoint, asks_for_commitments, event_entries, lead_heading, lead_points
from indexing.briefing.edit import edit_briefing
from indexing.briefing.select import SELECTION_VERSION, summary_id
from indexing.commitments.compare import Comparison
from indexing.components.sparse_encoder import Bm25SparseEncoder
from indexing.embedders import EmbeddingBackend, make_backend
from indexing.errors import CompromisosError, Forbidden, NotFound, domain_cause
from indexing.ingest import BulkItem, CommitmentExtractor, Indexer, IngestResult, safe_filename
from indexing.ingest_worker import WORKER
from indexing.keys import Access, AuditEntry, Caller, Principal, Scope, StoredKey, check_name
from indexing.ocr import INSTALL_HINT, ocr_config, unavailable_reason
from indexing.originals import Originals
from indexing.pipelines import build_search_pipeline
from indexing.query.answer import REGISTER_CONFIDENCE, Answer, Answerer
from indexing.query.evidence import SentenceContext, check_sentence
from indexing.query.interpretation import Interpretation, interpret
from indexing.register import CommitmentFilters, Register
from indexing.settings import Settings
from indexing.store import Store, open_store
from indexing.store.snapshot import SnapshotSummary, write_snapshot
from indexing.term_stats import TermStats
from indexing.types import Chunk, DocumentRecord, Progress, SearchFilters

logger = logging.getLogger(__name__)


class AbstractiveNotConfigured(CompromisosError):
    code = "abstractive_not_configured"
    status = 422


@dataclass(frozen=True)
class SearchOutcome:
    chunks: list[Chunk]
    query_embedding: list[float]
    elapsed_ms: float


class Engine:
    """Everything a request needs, built once.

    :param settings: the configuration.
    :param store: an open store (collections checked).
    :param backend: a warmed embedding backend.
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        backend: EmbeddingBackend,
        *,
        commitment_extractor: CommitmentExtractor | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.backend = backend
        self.register = Register(store)
        self.access = Access(store, admin_key=settings.admin_api_key)
        self.originals = Originals(settings.data_dir / "originals")
        sparse = Bm25SparseEncoder()
        sparse.warm_up()
        self.term_stats: TermStats = store.term_stats()
        self.indexer = Indexer(
            store,
            backend,
            max_bytes=settings.max_upload_bytes,
            min_words=settings.chunk_min_words,
            max_words=settings.chunk_max_words,
            sparse=sparse,
            commitment_extractor=commitment_extractor,
            max_pages=settings.max_record_pages,
            max_chars=settings.max_record_chars,
            max_chunks=settings.max_record_chunks,
            ocr=ocr_config(settings),
            max_xml_bytes=settings.max_document_xml_bytes,
            max_tags=settings.max_tags,
            max_tag_chars=settings.max_tag_chars,
            originals=self.originals,
            worker=WORKER if settings.ingest_worker == "process" else None,
        )
        self.indexer.warm_up()
        missing = unavailable_reason(settings.ocr_command, settings.ocr_language)
        if missing is not None:
            logger.warning("OCR off: %s; scanned pages are refused (install: %s)", missing, INSTALL_HINT)
        self.search_pipeline = build_search_pipeline(
            backend, store, candidates=settings.retrieval_candidates, sparse=sparse
        )
        self.search_pipeline.warm_up()
        self.actor_finder: Callable[[str], list[str]] | None = None
        self.answerer = Answerer(
            backend,
            min_dense=settings.abstain_min_dense,
            min_coverage=settings.abstain_min_coverage,
            min_key_coverage=settings.abstain_min_key_coverage,
            term_stats=self.term_stats,
        )

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        commitment_extractor: CommitmentExtractor | None = None,
        backend: EmbeddingBackend | None = None,
    ) -> Engine:
        """Open the store, warm the model, check the collection matches the embedder, clean crash leftovers.

        :param backend: an already warmed backend to share (tests reopening data directories); default: the one
            the settings name, built and warmed here.
        :raises StoreLocked, StoreUnavailable, EmbedderMismatch: see `indexing.errors`.
        """
        backend = backend or make_backend(settings)
        backend.warm_up()
        store = open_store(settings)
        try:
            store.open_collections(backend.name, backend.dim)
            store.recover()
            # Embedded, this process is the only writer; on a server another process may be committing right now.
            Originals(settings.data_dir / "originals").sweep(
                (r.id for r in store.all_documents()), min_age=0.0 if settings.qdrant_url is None else 3600.0
            )
        except Exception:
            store.close()
            raise
        from indexing.register import extract_for_record

        return cls(settings, store, backend, commitment_extractor=commitment_extractor or extract_for_record)

    def close(self) -> None:
        self.store.close()

    def search(
        self,
        query: str,
        *,
        top_k: int = 10,
        filters: SearchFilters | None = None,
        interpretation: Interpretation | None = None,
    ) -> SearchOutcome:
        """Hybrid search: the store's dense + BM25 candidates re-ranked by `indexing.query.retrieval` (actor aliases
        expand the query, the event named boosts its records).

        :param interpretation: the query's reading (computed when None).
        :returns: chunks best first, the query embedding and the time taken.
        """
        t0 = time.perf_counter()
        it = interpretation or interpret(query)
        try:
            out = self.search_pipeline.run(
                {
                    "dense_query": {"text": query},
                    "sparse_query": {"text": query},
                    "retriever": {"filters": filters, "top_k": top_k, "text": query, "interpretation": it},
                },
                include_outputs_from={"dense_query"},
            )
        except PipelineRuntimeError as exc:
            domain = domain_cause(exc)  # e.g. StoreUnavailable from the retriever
            if domain is not None:
                raise domain from None
            raise
        return SearchOutcome(
            out["retriever"]["chunks"], out["dense_query"]["embedding"], (time.perf_counter() - t0) * 1000
        )

    def ask(self, question: str, *, top_k: int = 5, filters: SearchFilters | None = None) -> Answer:
        """Extractive answer with citations, or an abstention."""
        it = interpret(question)
        logger.info("ask interpretation: %s", it.to_dict())
        found = self.search(question, top_k=max(top_k, 8), filters=filters, interpretation=it)
        # The register answers only money questions whose actor and conference both match its entries.
        if it.kind == "amount" and it.actors and it.event is not None and it.event.slugs:
            passages = [(c.document_id, c.page) for c in found.chunks]
            reg = self.register.amount_answer(question, filters, passages)
            if reg is not None and self._sources_fit(it, reg, found.chunks):
                return replace(reg, confidence=REGISTER_CONFIDENCE, interpretation=it)
        return self.answerer.answer(
            question, found.query_embedding, found.chunks, max_sentences=min(3, top_k), interpretation=it
        )

    def _sources_fit(self, it: Interpretation, answer: Answer, chunks: list[Chunk]) -> bool:
        """Whether the first source sentence of a register answer, the one it leads with (its record is the one the
        question is most about), passes the evidence check, read in its passage (the retrieved chunk that holds
        it, else the sentence alone) and its record's title, date and conference: the register is derived from the
        records, so its answer must satisfy the same constraints, and a fitting entry quoted further down does not
        vouch for a first one that gives the money to the region.

        :param it: the question's interpretation.
        :param answer: the register's answer.
        :param chunks: the chunks retrieved for the question.
        :returns: True when the answer has a first source and it satisfies every constraint.
        """
        for c in answer.citations[:1]:
            chunk = next(
                (
                    ch
                    for ch in chunks
                    if ch.document_id == c.document_id
                    and ch.page == c.page
                    and ch.char_start <= c.char_start < ch.char_end
                ),
                None,
            )
            if chunk is None:  # not retrieved for the question: its passage is still where the sentence is read
                chunk = next(
                    (
                        ch
                        for ch in self.store.document_chunks(c.document_id)
                        if ch.page == c.page and ch.char_start <= c.char_start < ch.char_end
                    ),
                    None,
                )
            doc = self.store.get_document(c.document_id)
            ctx = SentenceContext(
                chunk.text if chunk else c.quote,
                "",
                doc.title if doc else c.title,
                doc.date if doc else None,
                doc.conference if doc else None,
            )
            if not check_sentence(it, c.quote, ctx).ok:
                return False
        return bool(answer.citations)

    def upload(
        self,
        data: bytes,
        filename: str | None,
        metadata: dict[str, Any] | None,
        caller: Caller,
        *,
        owner: str | None = None,
        ticket: int | None = None,
        progress: Progress | None = None,
    ) -> IngestResult:
        """Index an upload for `caller` and write it to the audit trail (rejections too).

        :param owner: upload on behalf of this owner (replacing that owner's record of the same filename); only an
            admin may name another owner. Default: the caller.
        :param ticket: the upload's arrival ticket (`Indexer.ticket`, taken when the request was accepted).
        :param progress: told (stage, done, total) as indexing advances (see `Indexer.ingest`).
        :raises Forbidden: another owner named by a caller that is not admin.
        :raises CompromisosError: see `Indexer.ingest`.
        """
        try:
            name = safe_filename(filename)
        except CompromisosError as exc:  # a name over the length cap: audited by its first 255 characters
            self.access.log.record(caller, "document.rejected", filename=(filename or "")[:255], error=exc.code)
            raise
        try:
            owner = self._owner_for(caller, owner)
            result = self.indexer.ingest(data, filename, metadata, owner=owner, ticket=ticket, progress=progress)
        except CompromisosError as exc:
            self.access.log.record(caller, "document.rejected", filename=name, error=exc.code)
            raise
        self._audit(caller, result)
        return result

    def upload_many(
        self,
        items: Iterable[BulkItem],
        caller: Caller,
        *,
        owner: str | None = None,
        progress: Progress | None = None,
    ) -> Iterator[tuple[BulkItem, IngestResult | CompromisosError]]:
        """Index many files for `caller` (bulk loads: conversion of the next files overlaps with embedding, passages
        embedded across files), each written to the audit trail like an upload.

        :param items: the files (read when their turn comes).
        :param owner: as in `upload`.
        :param progress: told ("embedding", done, total) within each embedding run.
        :returns: (as an iterator) each item with its result or its rejection, in order.
        :raises Forbidden: another owner named by a caller that is not admin.
        """
        owner = self._owner_for(caller, owner)
        for item, outcome in self.indexer.ingest_many(items, owner=owner, progress=progress):
            if isinstance(outcome, CompromisosError):
                self.access.log.record(caller, "document.rejected", filename=item.filename[:255], error=outcome.code)
            else:
                self._audit(caller, outcome)
            yield item, outcome

    @staticmethod
    def _owner_for(caller: Caller, owner: str | None) -> str:
        owner = check_name(owner) if owner else caller.principal.name
        if owner != caller.principal.name and caller.principal.scope is not Scope.ADMIN:
            raise Forbidden(f"Solo una clave «admin» puede subir registros en nombre de otro propietario («{owner}»).")
        return owner

    def _audit(self, caller: Caller, result: IngestResult) -> None:
        if result.status in ("duplicate", "superseded"):
            action = f"document.{result.status}"
        else:
            action = "document.replaced" if result.replaced else "document.indexed"
        self.access.log.record(
            caller, action, document_id=result.id, filename=result.filename, replaced=tuple(result.replaced)
        )

    def delete_document(self, document_id: str, caller: Caller | None = None) -> bool:
        """Remove a record everywhere (chunks, commitments, term statistics). With a `caller`, it must own the
        record or be admin, and the delete is audited. :returns: False if unknown.

        :raises Forbidden: the record belongs to another owner and the caller is not admin.
        """
        with self.indexer.lock:
            record = self.store.get_document(document_id)
            if caller is not None and record is not None and not caller.principal.can_touch(record.owner):
                raise Forbidden(
                    f"El registro «{document_id}» pertenece a «{record.owner}»: solo su propietario o una clave "
                    "«admin» puede borrarlo."
                )
            existed = self.store.delete_document(document_id)
            self.originals.remove(document_id)
        if caller is not None and existed and record is not None:
            self.access.log.record(caller, "document.deleted", document_id=document_id, filename=record.filename)
        return existed

    def max_upload_bytes(self) -> int:
        """:returns: the upload size limit in bytes (a larger upload is refused)."""
        return self.indexer.max_bytes

    def upload_ticket(self) -> int:
        """:returns: a new arrival ticket for an upload accepted now (see `Indexer.ticket`)."""
        return self.indexer.ticket()

    # ----------------------------------------------------------------- records

    def documents(self) -> list[DocumentRecord]:
        """:returns: every indexed record, by date then filename."""
        return self.store.all_documents()

    def find_document(self, document_id: str) -> DocumentRecord | None:
        """:returns: the indexed record with this id, or None when there is none."""
        return self.store.get_document(document_id)

    def document(self, document_id: str) -> DocumentRecord:
        """:returns: the indexed record with this id.

        :raises NotFound: no record has that id.
        """
        record = self.store.get_document(document_id)
        if record is None:
            raise NotFound(f"No hay ningún documento indexado con id «{document_id}».")
        return record

    def page_chunks(self, document_id: str, page: int) -> list[Chunk]:
        """The indexed passages of one page of a record, in page order.

        :param document_id: the record.
        :param page: 1-based page (or Word section) number.
        :returns: the passages (each the slice `char_start:char_end` of the page's cleaned text); [] when the
            record is unknown or has no passage on that page.
        """
        on_page = [c for c in self.store.document_chunks(document_id) if c.page == page]
        return sorted(on_page, key=lambda c: (c.char_start, c.char_end, c.chunk_index))

    def original_path(self, document_id: str) -> Path | None:
        """:returns: the stored uploaded file of a record, or None when none is kept."""
        return self.originals.path(document_id)

    def page_image_path(self, document_id: str, name: str) -> Path:
        """:returns: where a rendered image `name` of one of a record's pages is cached (its folder created)."""
        return self.originals.page_cache(document_id, name)

    def embedder_name(self) -> str:
        """:returns: the name of the embedding model the index is built with."""
        return self.backend.name

    # ----------------------------------------------------------------- commitments register

    def commitments(self, filters: CommitmentFilters | None = None) -> list[dict[str, Any]]:
        """:returns: the register's public entries matching `filters`, by date then record and position."""
        return self.register.entries(filters)

    def commitments_summary(
        self, group_by: str, filters: CommitmentFilters | None = None, *, rollup: bool = False
    ) -> dict[str, Any]:
        """:returns: totals per group and currency of the entries matching `filters` (see `Register.summary`)."""
        return self.register.summary(group_by, filters, rollup=rollup)

    def commitments_csv(self, filters: CommitmentFilters | None = None) -> bytes:
        """:returns: the entries matching `filters` as CSV bytes (see `Register.csv`)."""
        return self.register.csv(filters)

    def compare_commitments(self, actors: list[str]) -> list[Comparison]:
        """:returns: one per-conference comparison per actor, in the order given (see `Register.compare`)."""
        return self.register.compare(actors)

    def commitment_timeline(self, commitment_id: str) -> dict[str, Any] | None:
        """:returns: the stages of a commitment oldest first (see `Register.timeline`), or None if unknown."""
        return self.register.timeline(commitment_id)

    # ----------------------------------------------------------------- keys and audit

    def auth_enabled(self) -> bool:
        """:returns: True when callers need an API key (ADMIN_API_KEY set, or a key stored)."""
        return self.access.keys.enabled()

    def authenticate(self, key: str) -> Principal | None:
        """:returns: who holds this API key, or None when it is not valid."""
        return self.access.keys.authenticate(key)

    def key_exists(self, name: str) -> bool:
        """:returns: True when an API key of this name is stored (not revoked)."""
        return self.store.get_key(name) is not None

    def create_key(self, name: str, scope: Scope | str, caller: Caller) -> tuple[StoredKey, str]:
        """Create an API key (audited). :returns: the stored entry and the key, shown only now.

        :raises InvalidKeyName, KeyExists: see `KeyRing.create`.
        """
        return self.access.create_key(name, scope, caller)

    def list_keys(self) -> list[StoredKey]:
        """Stored API keys, by name, without secrets."""
        return self.access.keys.list()

    def revoke_key(self, name: str, caller: Caller) -> None:
        """Revoke an API key (audited); it stops working at once. :raises NotFound: no such key."""
        self.access.revoke_key(name, caller)

    def audit(
        self, *, limit: int = 50, offset: int = 0, actor: str | None = None, action: str | None = None
    ) -> tuple[list[AuditEntry], int]:
        """:returns: one page of the audit trail, newest first, and how many entries match."""
        return self.access.log.entries(limit=limit, offset=offset, actor=actor, action=action)

    def snapshot(self, out: IO[bytes], caller: Caller) -> SnapshotSummary:
        """Write a backup of the archive to `out` while the service runs (audited as `store.snapshot`): each record
        whole or not at all (see `indexing.store.snapshot`). :returns: what it holds."""
        summary = write_snapshot(self.store, out)
        self.access.log.record(caller, "store.snapshot")
        return summary

    # ----------------------------------------------------------------- briefings

    def briefing(self, request: BriefingRequest, filters: SearchFilters | None = None) -> Briefing:
        """Draft (or return the stored) briefing for `request` on the current index state.

        Same index state + same request → same id → the stored briefing, byte for byte.

        :raises AbstractiveNotConfigured: abstractive mode without LLM_BASE_URL/LLM_MODEL.
        """
        if request.mode == "abstractive" and not self.settings.llm_base_url:
            raise AbstractiveNotConfigured(
                "El modo abstractivo necesita un servidor de modelo de lenguaje compatible con OpenAI "
                "(LLM_BASE_URL y LLM_MODEL). Sin él, use el modo «extractive»."
            )
        state = self._briefing_state()
        bid = briefing_id(state, request.to_dict())
        stored = self.store.get_briefing(bid)
        if stored is not None:
            return Briefing.from_dict(stored)
        found = self.search(request.topic, top_k=self.settings.briefing_candidates, filters=filters)
        evidence = self.answerer.passage_evidence(request.topic, found.query_embedding, found.chunks)
        # The same raw evidence as answers decides whether any record is about the topic at all; then the
        # briefing draws on every passage that shares the topic's names and years and part of its terms.
        relevant: list[Chunk] = []
        if any(self.answerer.passes(ev) for ev in evidence):
            relevant = [
                c
                for c, ev in zip(found.chunks, evidence, strict=True)
                if ev.key_coverage >= self.answerer.min_key_coverage
                and ev.coverage >= self.answerer.min_coverage / 2
                and ev.dense >= self.answerer.min_dense
            ]
        it = interpret(request.topic)
        lead = self._event_commitments(it, filters)
        briefing = build_briefing(
            request.topic,
            relevant,
            found.query_embedding,
            max_points=request.max_points,
            group_by=request.group_by,
            actor_finder=self.actor_finder,
            min_relevance=self.settings.briefing_min_relevance,
            index_state=state,
            filters=request.filters,
            mode=request.mode,
            lead=lead,
            lead_heading=lead_heading(it),
        )
        if request.mode == "abstractive" and briefing.found:
            from indexing.briefing.abstractive import rewrite_abstractive

            briefing = rewrite_abstractive(
                briefing,
                base_url=self.settings.llm_base_url or "",
                model=self.settings.llm_model or "",
                api_key=self.settings.llm_api_key,
                timeout=self.settings.llm_timeout,
            )
        self.store.put_briefing(briefing.id, briefing.to_dict())
        return briefing

    def _event_commitments(self, it: Interpretation, filters: SearchFilters | None) -> list[LeadPoint]:
        """The register's commitments of the event a briefing topic names, as its first points (see
        `indexing.briefing.commitments`): [] unless the topic asks about commitments and names an event.

        :param it: the topic's interpretation.
        :param filters: the request's search filters.
        :returns: the points, in the register's order.
        """
        if it.event is None or not asks_for_commitments(it.question):
            return []
        records = {r.id: r for r in self.store.all_documents()}
        entries = event_entries(
            it,
            self.register.entries(),
            records,
            filters=filters,
            actor_entries=lambda actor: self.register.entries(CommitmentFilters(actor=actor)),
        )
        logger.info("briefing: %d register commitments of %s", len(entries), it.event.describe())
        return lead_points(entries, records)

    def document_summary(self, document_id: str, *, max_points: int = 8) -> Briefing:
        """Summary of one record from all of its chunks, stored like a briefing (a stored one is served as is)."""
        self.document(document_id)
        state = self._briefing_state()
        cached = self.store.get_briefing(summary_id(state, document_id, max_points))
        if cached is not None:
            return Briefing.from_dict(cached)
        briefing = summarize_document(
            self.store.document_chunks(document_id),
            max_points=max_points,
            actor_finder=self.actor_finder,
            index_state=state,
        )
        stored = self.store.get_briefing(briefing.id)
        if stored is not None:
            return Briefing.from_dict(stored)
        self.store.put_briefing(briefing.id, briefing.to_dict())
        return briefing

    def _briefing_state(self) -> str:
        # The index state, plus the selection code's version: a new version must not serve drafts of the old one.
        return f"{self.store.index_state()}/{SELECTION_VERSION}"

    def get_briefing(self, briefing_id_: str) -> Briefing:
        stored = self.store.get_briefing(briefing_id_)
        if stored is None:
            raise NotFound(f"No hay ninguna ayuda memoria con id «{briefing_id_}».")
        return Briefing.from_dict(stored)

    def edit_briefing(self, briefing_id_: str, title: str, point_ids: list[str]) -> Briefing:
        """A stored briefing as staff edited it: new title, a subset of its points in a new order (not stored).

        :param briefing_id_: id of the stored briefing.
        :param title: the new title.
        :param point_ids: ids of the points kept, in order.
        :returns: the edited briefing (see `indexing.briefing.edit.edit_briefing`).
        :raises NotFound: no briefing has that id.
        :raises InvalidBriefingEdition: an id is unknown or repeated.
        """
        return edit_briefing(self.get_briefing(briefing_id_), title, point_ids)

    def status(self) -> dict[str, Any]:
        return {"documents": len(self.store.all_documents()), "chunks": self.store.count_chunks()}
