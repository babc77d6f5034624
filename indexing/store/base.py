"""The store interface: exactly what the engine, ingestion, the register, keys/audit, briefings, the CLI, the tests
and the benchmarks need from the chunk store, and nothing of the engine behind it.

Contracts every implementation keeps (checked by `tests/integration/test_store_contract.py` on each of them):

- **Commit point.** A record, its chunks and its commitments exist for readers only through its registry entry.
  `commit_document` makes a record visible in one step (the registry write) and, in the same step, retires the
  versions it replaces (`commit_many`: the same for many records, each by its own entry); `delete_document` removes
  the registry entry first. A write interrupted at any point (SIGKILL) leaves the old state or the new one once
  `recover()` has run.
- **Sparse vectors.** Chunk sparse vectors are term-frequency BM25 weights (`Bm25SparseEncoder`); the store applies
  inverse document frequency at search time over the stored chunks (Qdrant's IDF modifier). Callers never weight
  by IDF themselves.
- **Filters.** `SearchFilters` restrict by conference, doc_type, date range (ISO dates, inclusive) and document ids,
  and only active chunks of listed records are ever returned.
- **Embedder stamp.** The chunk vectors were built by one embedder and dimension; `open_collections` refuses
  another (`EmbedderMismatch`).
- **One process per embedded data dir** (`StoreLocked` for a second one); a server store has no process-local
  lock guarding correctness.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from haystack import Document

from indexing.term_stats import TermStats
from indexing.types import Chunk, DocumentRecord, SearchFilters

# The aggregates a store holds (the names `payloads` accepts).
AGGREGATES = ("chunks", "documents", "commitments", "briefings", "keys", "audit")


@dataclass
class RecordCommit:
    """One record to commit (`Store.commit_many`): what `commit_document` takes, as one value.

    :param record: the registry entry.
    :param chunks: chunk documents with `embedding`, `sparse_embedding` and meta (see `constants`).
    :param replaces: ids of older versions retired by the same step.
    :param commitments: JSON-able commitment entries of this record (each with an "id").
    :param terms: term → number of the record's chunks holding it.
    """

    record: DocumentRecord
    chunks: list[Document]
    replaces: list[str] = field(default_factory=list)
    commitments: list[dict[str, Any]] = field(default_factory=list)
    terms: dict[str, int] | None = None


@runtime_checkable
class Store(Protocol):
    """The chunk store: records, chunks, commitments, briefings, API keys and the audit trail."""

    # ----------------------------------------------------------------- lifecycle

    def close(self) -> None:
        """Release the store (and its lock, embedded)."""

    def open_collections(self, embedder_name: str, dim: int, *, create: bool = True) -> None:
        """Create what is missing; check the chunks were built by this embedder.

        :param embedder_name: `EmbeddingBackend.name`.
        :param dim: its dimension.
        :param create: create missing aggregates.
        :raises EmbedderMismatch: the stored chunks record another embedder or dimension.
        """

    def open_access_collections(self) -> None:
        """Create the keys and audit aggregates if missing (all the offline `keys` commands need)."""

    def drop_collections(self) -> None:
        """Delete the whole index: chunks, records, commitments, briefings (keys and audit stay)."""

    def wait_optimized(self) -> None:
        """Run the pending index builds (HNSW) now instead of at the next idle moment, and return when none is left
        (the end of a bulk load, `python -m indexing optimize`, benchmarks, tests)."""

    def recover(self) -> int:
        """Roll committed writes forward and remove what no registry entry claims.

        :returns: number of records whose leftovers were rolled forward or removed.
        """

    # ----------------------------------------------------------------- records

    def get_document(self, document_id: str) -> DocumentRecord | None:
        """The listed record with this id, or None."""

    def all_documents(self) -> list[DocumentRecord]:
        """Every listed record, sorted by date (undated last), then filename, then id."""

    def document_terms(self) -> Iterator[tuple[str, int, dict[str, int]]]:
        """(document id, chunk count, term → chunks holding it) of every listed record."""

    def term_stats(self) -> TermStats:
        """Term statistics of the listed records (chunk document frequencies), kept by the store at every commit
        and delete; embedded, saved at `close` and read back at the next open (rebuilt from the registry only
        when missing, e.g. after a crash). Available once `open_collections` ran."""

    def documents_by_filename(self, filename: str, owner: str | None = None) -> list[DocumentRecord]:
        """Listed records uploaded under this filename by this owner (any owner's when None)."""

    def index_state(self) -> str:
        """A short hash naming the set of listed records (what a briefing was drawn from); O(1) embedded."""

    def commit_document(
        self,
        record: DocumentRecord,
        chunks: list[Document],
        *,
        replaces: list[str] = ...,
        commitments: list[dict[str, Any]] = ...,
        terms: dict[str, int] | None = None,
    ) -> None:
        """Write a record's chunks and commitments and make them visible in one step (its registry entry).

        :param record: the registry entry.
        :param chunks: chunk documents with `embedding`, `sparse_embedding` and meta (see `constants`).
        :param replaces: ids of older versions retired by the same step.
        :param commitments: JSON-able commitment entries of this record (each with an "id").
        :param terms: term → number of the record's chunks holding it.
        """

    def commit_many(self, commits: Sequence[RecordCommit]) -> None:
        """Commit many records at once (bulk loads, migrations, restores): the same protocol and commit points as
        `commit_document` (each record visible by its own registry entry, old state or new after a crash and
        `recover()`), with large upserts and one visibility flip per step for all of them.

        :param commits: records with distinct ids, none replacing another of the same call.
        :raises ValueError: two commits of one record, or one replacing another of the call.
        """

    def record_commit(self, document_id: str) -> RecordCommit | None:
        """A listed record as it would be committed again: registry entry, chunks with their stored dense and sparse
        vectors, commitments and term counts (backups, copies to another engine). Whole or None: a record deleted or
        replaced while it is read is None, never part of it, with or without a process-local lock.

        :param document_id: the record.
        :returns: the record, or None when it is not listed.
        """

    def embedder_stamp(self) -> tuple[str, int] | None:
        """(embedder name, dimension) the chunks were built with, or None when there are no collections."""

    def delete_document(self, document_id: str) -> bool:
        """Remove a record (registry entry first). :returns: False when it did not exist."""

    # ----------------------------------------------------------------- retrieval

    def hybrid_search(
        self,
        dense: list[float],
        sparse: tuple[list[int], list[float]] | None,
        *,
        filters: SearchFilters | None = None,
        limit: int = 10,
        candidates: int = 40,
    ) -> list[Chunk]:
        """Dense + BM25 (IDF applied by the store) candidates fused by reciprocal rank fusion.

        :param dense: query embedding.
        :param sparse: query BM25 vector as (indices, values); None or empty → dense only.
        :param filters: restrictions (listed, active chunks only, always).
        :param limit: results to return.
        :param candidates: candidates per branch before fusion.
        :returns: chunks best first, each with its fused `score` and its stored dense `embedding`.
        """

    def document_chunks(self, document_id: str) -> list[Chunk]:
        """All chunks of a listed record, in reading order, with their dense embeddings."""

    def count_chunks(self) -> int:
        """Number of active chunks."""

    # ----------------------------------------------------------------- commitments and briefings

    def commitments_payloads(self, document_id: str | None = None) -> list[dict[str, Any]]:
        """Every active commitment entry of a listed record (optionally of one record)."""

    def put_briefing(self, briefing_id: str, payload: dict[str, Any]) -> None:
        """Store (or overwrite) a generated briefing."""

    def get_briefing(self, briefing_id: str) -> dict[str, Any] | None:
        """A stored briefing, or None."""

    # ----------------------------------------------------------------- keys and audit

    def put_key(self, payload: dict[str, Any]) -> None:
        """Store an API key entry (keyed by its `name`)."""

    def get_key(self, name: str) -> dict[str, Any] | None:
        """The key entry with this name, or None."""

    def key_by_id(self, key_id: str) -> dict[str, Any] | None:
        """The key entry with this key id, or None."""

    def all_keys(self) -> list[dict[str, Any]]:
        """Every key entry."""

    def delete_key(self, name: str) -> bool:
        """Remove a key entry. :returns: False when there was none."""

    def count_keys(self) -> int:
        """Number of stored keys."""

    def put_audit(self, payload: dict[str, Any]) -> None:
        """Append an audit entry (its `id` names it, its `ts` orders the trail)."""

    def audit_entries(
        self, *, limit: int, offset: int, actor: str | None = None, action: str | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of audit entries, newest first, and how many match."""

    # ----------------------------------------------------------------- diagnostics

    def payloads(self, aggregate: str) -> list[dict[str, Any]]:
        """Every stored payload of an aggregate (one of `AGGREGATES`), committed or not, with its `state`.

        For diagnostics and the fault-injection tests: what is physically stored, not what readers see.
        """
