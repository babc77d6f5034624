"""Ingestion: validate, convert, chunk (`prepare`), embed (`embed`), then commit to the store in one step (`commit`);
`ingest` does the three for one upload, `ingest_many` overlaps preparation of the next files with embedding."""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import queue
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from haystack import Document, Pipeline
from haystack.core.errors import PipelineRuntimeError
from haystack.dataclasses import ByteStream

from indexing import constants as K
from indexing.components.decoding import strip_undecodable
from indexing.components.dense_embedders import DenseDocumentEmbedder
from indexing.components.ocr_pages import ocr_progress
from indexing.components.sniffer import sniff_content_type
from indexing.components.sparse_encoder import Bm25SparseEncoder
from indexing.embedders import EmbeddingBackend
from indexing.errors import (
    CompromisosError,
    FilenameTooLong,
    FileTooLarge,
    InvalidMetadata,
    NoText,
    TagTooLong,
    TooManyTags,
    UnreadableFile,
    domain_cause,
)
from indexing.ids import document_id
from indexing.ingest_worker import PipelineWorker, WorkerCrashed
from indexing.ocr import OcrConfig
from indexing.originals import Originals
from indexing.pipelines import build_ingestion_pipeline
from indexing.store import Store
from indexing.term_stats import chunk_term_counts
from indexing.types import DocumentRecord, Progress

logger = logging.getLogger(__name__)

CommitmentExtractor = Callable[[list[Document], DocumentRecord], list[dict[str, Any]]]
"""Turns the cleaned pages of a record into JSON-able commitment entries (each with an "id")."""

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_FILENAME_CHARS = 255
# Pipeline components that read the upload (as opposed to embedding it): an unexpected failure there is a defect
# of the file (or of a parser meeting it), reported as "could not be read", not as an internal error.
_READING_COMPONENTS = frozenset(
    {
        "router",
        "pdf_converter",
        "ocr",
        "text_converter",
        "docx_converter",
        "joiner",
        "raw_limits",
        "cleaner",
        "limits",
        "metadata",
        "chunker",
    }
)


@dataclass(frozen=True)
class IngestResult:
    """What happened to one upload."""

    id: str
    filename: str
    title: str
    pages: int
    chunks: int
    status: str  # "indexed" | "duplicate" | "superseded"
    replaced: list[str] = field(default_factory=list)
    owner: str = K.LOCAL_OWNER
    superseded_by: str | None = None
    """With status "superseded": the record of the same file that arrived later and stays."""


def safe_filename(name: str | None) -> str:
    """The upload's name as data: last path component, no control characters (nor lone surrogates).

    :param name: the name the client sent (may contain directories, "..", NUL...).
    :returns: a display name, never a path; "sin_nombre" when nothing is left.
    :raises FilenameTooLong: the name is longer than 255 characters.
    """
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C").strip()
    base = base.lstrip(".") or "sin_nombre"
    if len(base) > MAX_FILENAME_CHARS:
        raise FilenameTooLong(
            f"El nombre del archivo tiene {len(base)} caracteres y el límite es {MAX_FILENAME_CHARS}: acórtelo."
        )
    return base


def validate_metadata(raw: dict[str, Any] | None, *, max_tags: int = 50, max_tag_chars: int = 100) -> dict[str, Any]:
    """Check the optional upload metadata (title, date, conference, doc_type, tags).

    :param raw: the metadata object of the upload.
    :param max_tags: most tags (`MAX_TAGS`).
    :param max_tag_chars: longest tag (`MAX_TAG_CHARS`).
    :returns: the checked metadata, texts stripped.
    :raises InvalidMetadata: unknown keys, wrong types or a date that is not YYYY-MM-DD.
    :raises TooManyTags, TagTooLong: a tag cap is exceeded.
    """
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InvalidMetadata('«metadata» debe ser un objeto JSON, por ejemplo {"title": "..."}.')
    unknown = sorted(set(raw) - set(K.UPLOAD_METADATA_KEYS))
    if unknown:
        raise InvalidMetadata(
            f"Campos de metadata desconocidos: {', '.join(unknown)}. Admitidos: {', '.join(K.UPLOAD_METADATA_KEYS)}."
        )
    out: dict[str, Any] = {}
    for key in (K.TITLE, K.CONFERENCE, K.DOC_TYPE):
        value = raw.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            value = strip_undecodable(value)  # JSON may carry lone surrogates ("\ud800"); they cannot be stored
        if not isinstance(value, str) or not value.strip() or len(value) > 500:
            raise InvalidMetadata(f"«{key}» debe ser un texto no vacío de hasta 500 caracteres.")
        out[key] = value.strip()
    date = raw.get(K.DATE)
    if date is not None:
        if not isinstance(date, str) or not _DATE_RE.match(date):
            raise InvalidMetadata("«date» debe tener el formato AAAA-MM-DD, por ejemplo 2023-07-17.")
        try:
            dt.date.fromisoformat(date)
        except ValueError as exc:
            raise InvalidMetadata(f"«date» no es una fecha válida: {date}.") from exc
        out[K.DATE] = date
    tags = raw.get(K.TAGS)
    if tags is not None:
        if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
            raise InvalidMetadata("«tags» debe ser una lista de textos.")
        if len(tags) > max_tags:
            raise TooManyTags(f"«tags» tiene {len(tags)} etiquetas y el límite es {max_tags} (MAX_TAGS).")
        longest = max((len(t.strip()) for t in tags), default=0)
        if longest > max_tag_chars:
            raise TagTooLong(
                f"Una etiqueta de «tags» tiene {longest} caracteres y el límite es {max_tag_chars} (MAX_TAG_CHARS)."
            )
        out[K.TAGS] = [t for t in (strip_undecodable(t).strip() for t in tags) if t]
    return out


class Indexer:
    """Indexes records one at a time (the embedder saturates the CPU anyway; one at a time keeps
    duplicate/replace decisions race-free).

    Versions of one file: the last upload to *arrive* wins, whatever order they finish in. Each upload takes an
    arrival ticket when it is accepted (`ticket()`; the service takes it before reading the body); the ticket is
    stored in the registry entry, and a write whose ticket is older than that of a listed version of the same file
    is dropped and answered as "superseded" (nothing of it is stored). Versions of a file are the records
    `store.documents_by_filename` returns, so scoping them by owner scopes this rule too.

    :param store: the chunk store (collections open).
    :param backend: the dense embedding backend.
    :param max_bytes: upload size limit.
    :param max_pages: most pages of a record; None = no cap.
    :param max_chars: most characters of a cleaned record; None = no cap.
    :param max_chunks: most passages of a record; None = no cap.
    :param ocr: how scanned PDF pages are OCR'd; None = `OcrConfig()` (Tesseract `spa` on PATH).
    :param max_xml_bytes: most uncompressed XML read from a Word or OpenDocument record.
    :param max_tags: most tags in the metadata.
    :param max_tag_chars: longest tag.
    :param commitment_extractor: optional; extracts the record's commitments at indexing time.
    :param originals: where the uploaded files are kept (written before the registry commit point); None = not kept.
    :param worker: where conversion, cleaning, chunking and commitment extraction run: a `PipelineWorker` (another
        process: the caller's interpreter stays free for requests), or None = in the calling thread. A commitment
        extractor that cannot be pickled runs in the calling thread either way.
    """

    def __init__(
        self,
        store: Store,
        backend: EmbeddingBackend,
        *,
        max_bytes: int,
        min_words: int = 120,
        max_words: int = 250,
        sparse: Bm25SparseEncoder | None = None,
        commitment_extractor: CommitmentExtractor | None = None,
        max_pages: int | None = None,
        max_chars: int | None = None,
        max_chunks: int | None = None,
        ocr: OcrConfig | None = None,
        max_xml_bytes: int = 64 * 1024 * 1024,
        max_tags: int = 50,
        max_tag_chars: int = 100,
        originals: Originals | None = None,
        worker: PipelineWorker | None = None,
    ) -> None:
        self.store = store
        self.originals = originals
        self.max_bytes = max_bytes
        self.max_tags = max_tags
        self.max_tag_chars = max_tag_chars
        self.pipeline = build_ingestion_pipeline(
            min_words=min_words,
            max_words=max_words,
            sparse=sparse,
            max_pages=max_pages,
            max_chars=max_chars,
            max_chunks=max_chunks,
            ocr=ocr,
            max_xml_bytes=max_xml_bytes,
        )
        self.dense = DenseDocumentEmbedder(backend, meta_fields_to_embed=["title"])
        self.commitment_extractor = commitment_extractor
        self._worker = worker
        self._pipeline_dict: dict[str, Any] = self.pipeline.to_dict() if worker is not None else {}
        self._worker_extractor = commitment_extractor if _picklable(commitment_extractor) else None
        self.lock = threading.Lock()
        self._prepare_lock = threading.Lock()
        self._ticket_lock = threading.Lock()
        self._last_ticket = 0

    def ticket(self) -> int:
        """An arrival ticket: strictly increasing in this process, and wall-clock nanoseconds so that tickets of
        several API processes on one Qdrant server compare by arrival too (to their clocks' precision)."""
        with self._ticket_lock:
            self._last_ticket = max(self._last_ticket + 1, time.time_ns())
            return self._last_ticket

    def warm_up(self) -> None:
        """Warm the pipeline and the embedder here, and start the worker (without waiting for it)."""
        self.pipeline.warm_up()
        self.dense.warm_up()
        if self._worker is not None:
            self._worker.warm(self._pipeline_dict)

    def wait_warm(self) -> None:
        """Wait until the ingestion worker started by `warm_up` is ready (a benchmark's clock starts after it)."""
        if self._worker is not None:
            self._worker.wait_warm()

    def _newer_version(
        self, name: str, owner: str, ticket: int, versions: list[DocumentRecord] | None = None
    ) -> DocumentRecord | None:
        found = versions if versions is not None else self.store.documents_by_filename(name, owner)
        return max((r for r in found if r.arrival > ticket), key=lambda r: r.arrival, default=None)

    def _superseded(self, doc_id: str, name: str, owner: str, newer: DocumentRecord) -> IngestResult:
        logger.info("Dropped %s (%s): a later upload of the same file (%s) is indexed", name, doc_id, newer.id)
        return IngestResult(doc_id, name, name, 0, 0, "superseded", owner=owner, superseded_by=newer.id)

    def _stored_vectors(self, name: str, owner: str) -> dict[str, list[float]]:
        """Embedding key → vector of the stored passages of the versions of this file (what an upload replaces)."""
        out: dict[str, list[float]] = {}
        for record in self.store.documents_by_filename(name, owner):
            for chunk in self.store.document_chunks(record.id):
                if chunk.embedding_key and chunk.embedding is not None:
                    out[chunk.embedding_key] = chunk.embedding
        return out

    def ingest(
        self,
        data: bytes,
        filename: str | None,
        metadata: dict[str, Any] | None = None,
        *,
        owner: str = K.LOCAL_OWNER,
        ticket: int | None = None,
        progress: Progress | None = None,
    ) -> IngestResult:
        """Index one file.

        Passages whose embedded text is unchanged from the stored version this upload replaces (same file, same
        owner, same embedder) keep their stored vectors: re-uploading an edited record embeds only what changed.

        :param data: the file's bytes.
        :param filename: the name it was uploaded under (data only, never a path on disk).
        :param metadata: optional title, date, conference, doc_type, tags.
        :param owner: who uploads it (an API key name). It replaces only this owner's records of the same filename.
        :param ticket: the upload's arrival ticket (`ticket()`); default: taken now.
        :param progress: told (stage, done, total) as the work advances: ("converting", 0, 1), ("ocr", pages read,
            pages to read) while scanned pages are read (from the ingestion worker, if any), then ("embedding",
            passages embedded, passages to embed) per batch, then ("committing", 0, 1) and ("committing", 1, 1).
        :returns: the result; `status` "duplicate" when the same content is already indexed (by any owner: the id
            is the content hash, so the existing record, with its owner, is returned); "superseded" when a version
            of the same file (same owner) that arrived later is already indexed (this one is dropped).
        :raises CompromisosError: bad input (type, size, caps, damaged or empty file, bad metadata).
        :raises UnreadableFile: reading the file failed in a way no specific error describes.
        """
        with self.lock:
            if progress is not None:
                progress("converting", 0, 1)
            prepared = self.prepare(data, filename, metadata, owner=owner, ticket=ticket, progress=progress)
            if isinstance(prepared, IngestResult):
                return prepared
            self.embed([prepared], progress)
            return self._commit(prepared, progress)

    def prepare(
        self,
        data: bytes,
        filename: str | None,
        metadata: dict[str, Any] | None = None,
        *,
        owner: str = K.LOCAL_OWNER,
        ticket: int | None = None,
        progress: Progress | None = None,
    ) -> PreparedRecord | IngestResult:
        """Everything before embedding: checks, conversion, cleaning, chunking, sparse vectors, commitments. Reads the
        store but writes nothing, so it may run beside another record's embedding (see `ingest_many`).

        :param progress: told ("ocr", pages read, pages to read) while scanned pages are OCR'd.

        :returns: the prepared record, or the final result when it is a duplicate or superseded already.
        :raises CompromisosError, UnreadableFile: as `ingest`.
        """
        ticket = ticket if ticket is not None else self.ticket()
        name = safe_filename(filename)
        if len(data) > self.max_bytes:
            raise FileTooLarge(
                f"El archivo pesa {len(data) / 1048576:.1f} MB y el límite es {self.max_bytes / 1048576:.0f} MB."
            )
        meta = validate_metadata(metadata, max_tags=self.max_tags, max_tag_chars=self.max_tag_chars)
        mime = sniff_content_type(data, name)
        doc_id = document_id(data)
        duplicate = self._duplicate(doc_id)
        if duplicate is not None:
            if self.originals is not None and self.originals.path(doc_id) is None:
                # A record indexed before originals were kept gets its original back (same id, same bytes).
                self.originals.put(doc_id, data)
            return duplicate
        newer = self._newer_version(name, owner, ticket)
        if newer is not None:
            return self._superseded(doc_id, name, owner, newer)
        stream = ByteStream(data=data, mime_type=mime, meta={K.FILENAME: name, K.DOCUMENT_ID: doc_id})
        base = DocumentRecord(
            id=doc_id, filename=name, title=name, pages=0, chunks=0, size_bytes=len(data), owner=owner, arrival=ticket
        )
        if self._worker is None:
            with self._prepare_lock, ocr_progress(progress):  # one pipeline run at a time (bulk beside an upload)
                prepared = convert_record(self.pipeline, stream, meta, base, self.commitment_extractor)
            prepared.pages = []
            prepared.original = data
            return prepared
        remote = self._worker_extractor
        try:
            prepared = self._worker.run(
                self._pipeline_dict, convert_record, stream, meta, base, remote, progress=progress
            )
        except WorkerCrashed as exc:
            logger.error("The ingestion worker died while reading %s (%s)", name, doc_id)
            raise _unreadable(name) from exc
        if remote is None and self.commitment_extractor is not None:
            pages = prepared.pages
            prepared.commitments = self.commitment_extractor(pages, prepared.record)
        prepared.pages = []
        prepared.original = data
        return prepared

    def embed(self, records: list[PreparedRecord], progress: Progress | None = None) -> None:
        """Add dense vectors to the chunks of prepared records, in one run across them (large batches), reusing the
        stored vectors of unchanged passages of the versions they replace.

        :param records: prepared records; their `chunks` are replaced by the embedded ones.
        :param progress: told ("embedding", passages embedded, passages to embed).
        """
        reuse: dict[str, list[float]] = {}
        for prepared in records:
            reuse.update(self._stored_vectors(prepared.record.filename, prepared.record.owner))
        chunks = [c for prepared in records for c in prepared.chunks]
        embedded = self.dense.run(documents=chunks, reuse=reuse, progress=progress)["documents"]
        start = 0
        for prepared in records:
            prepared.chunks = embedded[start : start + len(prepared.chunks)]
            start += len(prepared.chunks)

    def commit(self, prepared: PreparedRecord, progress: Progress | None = None) -> IngestResult:
        """Write an embedded record (duplicate and last-arrival checks made again, under the indexer's lock).

        :returns: the result ("indexed", or "duplicate"/"superseded" if another upload got there meanwhile).
        """
        with self.lock:
            return self._commit(prepared, progress)

    def _commit(self, prepared: PreparedRecord, progress: Progress | None) -> IngestResult:
        record, chunks = prepared.record, prepared.chunks
        doc_id, name, owner = record.id, record.filename, record.owner
        duplicate = self._duplicate(doc_id)
        if duplicate is not None:
            return duplicate
        versions = self.store.documents_by_filename(name, owner)
        # Checked again: another upload (or API process on the same server) may have committed a later arrival.
        newer = self._newer_version(name, owner, record.arrival, versions)
        if newer is not None:
            return self._superseded(doc_id, name, owner, newer)
        record = replace(record, indexed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
        replaces = [r.id for r in versions if r.id != doc_id]
        terms = chunk_term_counts(c.content or "" for c in chunks)
        if progress is not None:
            progress("committing", 0, 1)
        if self.originals is not None and prepared.original:
            # Before the registry entry: a listed record always has its original; a crash leaves only an unlisted
            # file, which `Originals.sweep` removes at start-up.
            self.originals.put(doc_id, prepared.original)
        self.store.commit_document(record, chunks, replaces=replaces, commitments=prepared.commitments, terms=terms)
        if self.originals is not None:
            for old in replaces:
                self.originals.remove(old)
        if progress is not None:
            progress("committing", 1, 1)
        logger.info(
            "Indexed %s (%s): %d pages, %d chunks, replaced %d", name, doc_id, record.pages, len(chunks), len(replaces)
        )
        return IngestResult(doc_id, name, record.title, record.pages, len(chunks), "indexed", replaces, owner)

    def _duplicate(self, doc_id: str) -> IngestResult | None:
        existing = self.store.get_document(doc_id)
        if existing is None:
            return None
        return IngestResult(
            existing.id,
            existing.filename,
            existing.title,
            existing.pages,
            existing.chunks,
            "duplicate",
            owner=existing.owner,
        )

    def ingest_many(
        self,
        items: Iterable[BulkItem],
        *,
        owner: str = K.LOCAL_OWNER,
        batch_passages: int = 64,
        queued_records: int = 4,
        progress: Progress | None = None,
    ) -> Iterator[tuple[BulkItem, IngestResult | CompromisosError]]:
        """Index many files: a producer thread prepares the next files (conversion, cleaning, chunking) into a bounded
        queue while this thread embeds, in runs of at least `batch_passages` passages across files when the producer
        is ahead, and a committer thread writes each embedded run's records, in order, while the next run embeds.

        :param items: the files, read by the producer when their turn comes.
        :param owner: owner of all of them.
        :param batch_passages: passages gathered (from the records already prepared) before an embedding run.
        :param queued_records: most prepared records waiting for embedding (bounds memory).
        :param progress: told ("embedding", done, total) within each embedding run, in this thread, and ("ocr", pages
            read, pages to read) while a file's scanned pages are OCR'd, in the producer thread.
        :returns: (as an iterator) each item with its result or its rejection, in order, as it is committed.
        :raises Exception: an unexpected failure (not a rejection of a file) of the producer, re-raised here.
        """
        q: queue.Queue[tuple[BulkItem, PreparedRecord | IngestResult | BaseException] | None] = queue.Queue(
            maxsize=queued_records
        )
        stop = threading.Event()

        def put(entry: tuple[BulkItem, PreparedRecord | IngestResult | BaseException] | None) -> bool:
            while not stop.is_set():
                try:
                    q.put(entry, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def ocr(stage: str, done: int, total: int) -> None:
            if progress is not None and stage == "ocr":
                progress(stage, done, total)

        def produce() -> None:
            try:
                for item in items:
                    try:
                        entry: PreparedRecord | IngestResult | BaseException = self.prepare(
                            item.read(), item.filename, item.metadata, owner=owner, ticket=self.ticket(), progress=ocr
                        )
                    except BaseException as exc:  # handed to the consumer: a rejection, or re-raised there
                        entry = exc
                    if not put((item, entry)):
                        return
            finally:
                put(None)

        Entry = tuple[BulkItem, PreparedRecord | IngestResult | BaseException]
        to_commit: queue.Queue[list[Entry] | None] = queue.Queue(maxsize=1)
        committed: queue.Queue[tuple[BulkItem, IngestResult | CompromisosError] | BaseException | None] = queue.Queue()

        def commit_all() -> None:
            failed = False
            try:
                while (entries := to_commit.get()) is not None:
                    for item, entry in entries:
                        if failed or stop.is_set():  # drained, not committed, until the consumer says it is done
                            continue
                        if isinstance(entry, PreparedRecord):
                            committed.put((item, self.commit(entry)))
                        elif isinstance(entry, IngestResult | CompromisosError):
                            committed.put((item, entry))
                        else:  # an unexpected failure of the producer: re-raised by the consumer, in its turn
                            committed.put(entry)
                            failed = True
            except BaseException as exc:
                committed.put(exc)
                while to_commit.get() is not None:
                    pass
            finally:
                committed.put(None)

        def hand_over(entries: list[Entry] | None) -> None:
            while True:
                try:
                    to_commit.put(entries, timeout=0.1)
                    return
                except queue.Full:
                    if not committer.is_alive():
                        return

        def results(wait: bool) -> Iterator[tuple[BulkItem, IngestResult | CompromisosError]]:
            while True:
                try:
                    out = committed.get(block=wait)
                except queue.Empty:
                    return
                if out is None:
                    return
                if isinstance(out, BaseException):
                    raise out
                yield out

        producer = threading.Thread(target=produce, name="ingest-producer", daemon=True)
        committer = threading.Thread(target=commit_all, name="ingest-committer", daemon=True)
        producer.start()
        committer.start()
        try:
            finished = False
            while not finished:
                first = q.get()
                entries = [] if first is None else [first]
                finished = first is None
                passages = sum(len(e.chunks) for _, e in entries if isinstance(e, PreparedRecord))
                while not finished and passages < batch_passages:
                    try:
                        more = q.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        finished = True
                    else:
                        entries.append(more)
                        if isinstance(more[1], PreparedRecord):
                            passages += len(more[1].chunks)
                ready = [e for _, e in entries if isinstance(e, PreparedRecord)]
                if ready:
                    self.embed(ready, progress)
                if entries:
                    hand_over(entries)
                yield from results(wait=False)
            hand_over(None)
            yield from results(wait=True)
        finally:
            stop.set()
            hand_over(None)
            committer.join()
            producer.join()


@dataclass
class PreparedRecord:
    """A record converted and chunked (`Indexer.prepare`), waiting for its dense vectors and its commit."""

    record: DocumentRecord
    chunks: list[Document]
    commitments: list[dict[str, Any]]
    original: bytes = field(default=b"", repr=False)
    """The uploaded bytes, kept as the record's original when it is committed."""
    pages: list[Document] = field(default_factory=list)
    """The cleaned pages, between conversion and commitment extraction (emptied once the record is prepared)."""


@dataclass(frozen=True)
class BulkItem:
    """One file of a bulk load (`Indexer.ingest_many`): its name, how to read it, its upload metadata."""

    filename: str
    read: Callable[[], bytes]
    metadata: dict[str, Any] | None = None
    size: int = 0


def _picklable(value: object) -> bool:
    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True


def _unreadable(name: str) -> UnreadableFile:
    return UnreadableFile(
        f"No se pudo leer el archivo {name}: su contenido está dañado o tiene un formato que este "
        "servicio no sabe leer. Pruebe a exportarlo de nuevo (por ejemplo, a PDF o a texto UTF-8)."
    )


def convert_record(
    pipeline: Pipeline,
    stream: ByteStream,
    meta: dict[str, Any],
    base: DocumentRecord,
    commitment_extractor: CommitmentExtractor | None,
) -> PreparedRecord:
    """Run the ingestion pipeline on one upload and build its record (in the caller, or in the ingestion worker).

    :param pipeline: the ingestion pipeline (`build_ingestion_pipeline`), warmed.
    :param stream: the upload's bytes, `mime_type` set by sniffing, meta with filename and document id.
    :param meta: the checked upload metadata.
    :param base: the record's id, filename, size, owner and arrival ticket (the rest is read from the pages).
    :param commitment_extractor: extracts the commitments of the cleaned pages; None = none (or done by the caller
        from `PreparedRecord.pages`).
    :returns: the prepared record, with its cleaned pages in `pages`.
    :raises CompromisosError: a cap or a defect of the file that a specific error describes.
    :raises UnreadableFile: a reading component failed in a way no specific error describes.
    """
    name = base.filename
    try:
        out = pipeline.run(
            {"router": {"sources": [stream]}, "metadata": {"meta": meta}}, include_outputs_from={"metadata"}
        )
    except PipelineRuntimeError as exc:
        domain = domain_cause(exc)
        if domain is not None:
            raise domain from None
        if exc.component_name in _READING_COMPONENTS:
            logger.warning("Could not read %s (%s): %s", name, base.id, exc)
            raise _unreadable(name) from None
        # Not picklable as is (the worker sends it back): the same failure, as a plain error.
        raise RuntimeError(f"Ingestion pipeline failed in {exc.component_name!r}: {exc}") from None
    chunks: list[Document] = out["sparse"]["documents"]
    pages: list[Document] = out["metadata"]["documents"]
    if not chunks:
        raise NoText("El documento no contiene texto indexable.")
    first = pages[0].meta
    record = replace(
        base,
        title=first.get(K.TITLE) or name,
        pages=int(first.get(K.PAGES) or len(pages)),
        chunks=len(chunks),
        date=first.get(K.DATE),
        conference=first.get(K.CONFERENCE),
        doc_type=first.get(K.DOC_TYPE),
        tags=tuple(first.get(K.TAGS) or ()),
        indexed_at="",
    )
    commitments = commitment_extractor(pages, record) if commitment_extractor else []
    return PreparedRecord(record, chunks, commitments, pages=pages)
