"""The only module that talks to Qdrant: embedded (qdrant-client local mode) or a Qdrant server.

Collections (all prefixed by `COLLECTION_PREFIX`):

- `<prefix>_chunks`: one point per chunk, in qdrant-haystack's layout (`content`, `meta`, named vectors
  `text-dense` and `text-sparse` with Qdrant's IDF modifier), plus a top-level `state` ("pending" | "active").
  The collection metadata records which embedder and dimension built it.
- `<prefix>_documents`: one payload-only point per record (the document registry).
- `<prefix>_commitments`: one payload-only point per extracted commitment, with its `document_id`.
- `<prefix>_briefings`: payload-only; generated briefings, so export links survive restarts.
- `<prefix>_keys`: payload-only; API keys (name, scope, key id, salted hash of the secret).
- `<prefix>_audit`: payload-only; the audit trail of writes, ordered by `ts`.

The registry entry is the commit point: a record, its chunks and its commitments exist for readers only through it.
A write puts chunks and commitments as `pending`, then the registry entry (the commit), then flips them to `active`
and removes the versions it replaced; a delete removes the registry entry first. Searches see `active` chunks of
listed records only. `recover()` at start-up rolls committed writes forward and removes what no registry entry
claims (see `commit_document` for the steps and `recover` for the rules).

Crash points: the named steps call `crash_point(name)`. A test-only hook: with `COMPROMISOS_FAULT=<name>` in the
environment (e.g. `commit:after_registry`) the process SIGKILLs itself there, so the fault-injection tests can stop
a real write at each step. Unset (always, outside those tests) it does nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict
from pathlib import Path
from typing import Any

from haystack import Document
from haystack.dataclasses import ByteStream, SparseEmbedding
from haystack_integrations.document_stores.qdrant.converters import (
    DENSE_VECTORS_NAME,
    SPARSE_VECTORS_NAME,
    convert_id,
)
from qdrant_client import QdrantClient
from qdrant_client import models as qm

from indexing import constants as K
from indexing.errors import EmbedderMismatch, StoreLocked, StoreUnavailable
from indexing.store.base import RecordCommit
from indexing.store.guard import guard_client
from indexing.term_stats import TermStats
from indexing.types import Chunk, DocumentRecord, SearchFilters

logger = logging.getLogger(__name__)

PENDING = "pending"
ACTIVE = "active"
# Points per upsert call (a 10-passage record is one call; a server request stays around 1 MB).
_BATCH = 256
# Records per filtered flip, removal or undo (one `MatchAny` over their ids).
_IDS_PER_FILTER = 1024
# Points per upsert call in a bulk commit (`commit_many`).
_BULK_BATCH = 2048
# The chunk meta fields kept as payload keys (filters and payload indexes use them); the rest is packed.
_FILTERED_META = (K.DOCUMENT_ID, K.CONFERENCE, K.DOC_TYPE, "date_int")
# A record's registry entry without its term counts (read only when term statistics are loaded).
_RECORD_PAYLOAD = qm.PayloadSelectorExclude(exclude=["terms"])
# The constant of reciprocal rank fusion, 1 / (k + rank). k=60 is the value of the original RRF paper; on the dev set
# it beat Qdrant's default (k=2): recall@5 0.83 → 0.89, MRR@10 0.63 → 0.66.
RRF_K = 60
# Server mode: points of no listed record are left to their writer this long (another API process may be writing
# them now; the slowest upload takes minutes), then `recover` removes them.
_UNCOMMITTED_MAX_AGE = 3600.0
# Saved term statistics and index digest of an embedded store (see `_load_state`).
STATE_FILE = "state.json"
_STATE_VERSION = 1
_UUID_NS = uuid.UUID("6f1d3c2e-5b1a-4f0e-9a49-8a1f2f6c0b7e")


def _id_hash(document_id: str) -> int:
    return int.from_bytes(hashlib.sha256(document_id.encode()).digest()[:8], "big")


def _uuid(kind: str, key: str) -> str:
    return str(uuid.uuid5(_UUID_NS, f"{kind}:{key}"))


def _groups(ids: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(ids), _IDS_PER_FILTER):
        yield ids[i : i + _IDS_PER_FILTER]


def chunk_points(chunks: list[Document], *, now: float) -> list[qm.PointStruct]:
    """Chunk documents as pending points: `state`, `written_at` and, under `meta`, only the fields filters and
    payload indexes use (document id, conference, doc_type, `date_int`); everything else of qdrant-haystack's layout
    (`id`, `content`, `blob`, `score` and the whole `meta`) packed into one JSON string, `packed` (see
    `chunk_payload` for the reading side).

    Built without `Document.to_dict` (a recursive deep copy of every embedding) and without pydantic validation of
    the vectors, and with few payload keys: qdrant-edge-py converts a payload key by key (~10-20 µs each, measured),
    so at 300k passages the ~18 keys of the plain layout cost more than the engine's own writes.

    :param chunks: chunk documents with `embedding`, `sparse_embedding` and meta.
    :param now: the write time stamped on them.
    :returns: one point per chunk, in order.
    """
    points = []
    for doc in chunks:
        meta = dict(doc.meta)
        meta["date_int"] = date_int(doc.meta.get(K.DATE))
        vector: dict[str, Any] = {}
        if doc.embedding is not None:
            vector[DENSE_VECTORS_NAME] = doc.embedding
        if doc.sparse_embedding is not None:
            vector[SPARSE_VECTORS_NAME] = qm.SparseVector.model_construct(
                indices=list(doc.sparse_embedding.indices), values=list(doc.sparse_embedding.values)
            )
        packed = {
            "id": doc.id,
            "content": doc.content,
            "blob": doc.blob.to_dict() if doc.blob is not None else None,
            "meta": meta,
            "score": doc.score,
        }
        payload = {
            "state": PENDING,
            "written_at": now,
            "meta": {key: meta.get(key) for key in _FILTERED_META},
            "packed": json.dumps(packed, ensure_ascii=False),
        }
        points.append(qm.PointStruct.model_construct(id=convert_id(doc.id), vector=vector, payload=payload))
    return points


def chunk_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    """A stored chunk payload in qdrant-haystack's layout (`id`, `content`, `blob`, `meta`, `score`, `state`,
    `written_at`): the packed fields unpacked; a chunk written before packing (every key at the top) as it is.

    :param payload: the stored payload.
    :returns: the logical payload.
    """
    payload = payload or {}
    packed = payload.get("packed")
    if not isinstance(packed, str):
        return payload
    out: dict[str, Any] = json.loads(packed)
    out["state"] = payload.get("state")
    out["written_at"] = payload.get("written_at")
    return out


def terms_payload(terms: Any) -> dict[str, int]:
    """A registry entry's term counts: stored packed as one JSON string (one payload key instead of one per term);
    entries written before packing hold a mapping."""
    if isinstance(terms, str):
        return dict(json.loads(terms))
    return dict(terms or {})


def crash_point(name: str) -> None:
    """Test-only fault hook: SIGKILL this process here when `COMPROMISOS_FAULT` names this point."""
    if os.environ.get("COMPROMISOS_FAULT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def date_int(iso: str | None) -> int | None:
    """`"2023-07-17"` → `20230717` (range filters on an integer work the same embedded and on a server)."""
    if not iso:
        return None
    try:
        return int(iso[:10].replace("-", ""))
    except ValueError:
        return None


class QdrantClientStore:
    """Chunks, records, commitments and briefings in Qdrant, behind one interface.

    :param path: data directory for embedded mode (ignored when `url` is set).
    :param url: Qdrant server URL.
    :param api_key: Qdrant server API key.
    :param prefix: collection name prefix.
    :raises StoreLocked: another process holds the embedded store.
    :raises StoreUnavailable: the server cannot be reached.
    """

    def __init__(
        self,
        *,
        path: Path | None = None,
        url: str | None = None,
        api_key: str | None = None,
        prefix: str = "compromisos",
    ) -> None:
        self._init_names(prefix, embedded=url is None, state_file=path / STATE_FILE if url is None and path else None)
        if self.embedded:
            assert path is not None
            path.mkdir(parents=True, exist_ok=True)
            try:
                self.client = QdrantClient(path=str(path))
            except RuntimeError as exc:
                if "already accessed" in str(exc):
                    raise StoreLocked(
                        f"El almacén embebido en «{path}» está en uso por otro proceso (por ejemplo, el servicio). "
                        "Un almacén embebido admite un solo proceso: detenga el servicio y repita, suba los archivos "
                        "con POST /v1/documents, o use un servidor Qdrant (QDRANT_URL)."
                    ) from exc
                raise
        else:
            self.client = guard_client(QdrantClient(url=url, api_key=api_key, timeout=30), str(url))
            try:
                self.client.get_collections()
            except Exception as exc:
                cause = exc.__cause__ if isinstance(exc, StoreUnavailable) and exc.__cause__ else exc
                raise StoreUnavailable(f"No se puede conectar con el servidor Qdrant en {url}: {cause}") from exc

    def _init_names(self, prefix: str, *, embedded: bool, state_file: Path | None = None) -> None:
        self.prefix = prefix
        self.embedded = embedded
        self.chunks = f"{prefix}_chunks"
        self.documents = f"{prefix}_documents"
        self.commitments = f"{prefix}_commitments"
        self.briefings = f"{prefix}_briefings"
        self.keys = f"{prefix}_keys"
        self.audit = f"{prefix}_audit"
        # An embedded engine is one process's: serialize every call on it (the commit protocol relies on it).
        self._lock: AbstractContextManager[Any] = threading.RLock() if embedded else nullcontext()
        self._has_collections = False
        self._access_open = False
        # Set when a write failed half-way in this process: pending or unlisted points may then exist until
        # `recover()`, so searches can no longer skip the state condition (see `hybrid_search`).
        self._dirty = False
        # Term statistics and the digest of the listed records, kept on every commit and delete (see `term_stats`
        # and `index_state`); embedded, saved to `_state_file` at close and read back at the next open.
        self._stats: TermStats | None = None
        self._digest = 0
        self._state_file: Path | None = state_file
        # Set when the saved state was read at open: the last run closed cleanly, with no write left half-done, so
        # the first `recover()` has nothing to do (until this run writes).
        self._clean_start = False

    @property
    def _indexes_payload(self) -> bool:
        # Local mode has no payload indexes (it evaluates filters point by point); a server and Edge do.
        return not self.embedded

    # ----------------------------------------------------------------- lifecycle

    def close(self) -> None:
        with self._lock:
            try:
                self._save_state()
            finally:
                self.client.close()

    # ----------------------------------------------------------------- term statistics and index state

    def _load_state(self) -> None:
        """Read the saved statistics (and remove the file: from now on it would be stale until `close`), or rebuild
        them from the registry when there is none (first start, after a crash, a server)."""
        if self._state_file is not None and self._state_file.exists():
            try:
                data = json.loads(self._state_file.read_text(encoding="utf-8"))
                if data.get("version") != _STATE_VERSION:
                    raise ValueError(f"state version {data.get('version')}")
                self._stats = TermStats.from_state(data["term_stats"])
                self._digest = int(data["digest"], 16)
                self._state_file.unlink()
                self._clean_start = True
                return
            except (OSError, KeyError, TypeError, ValueError) as exc:
                logger.warning("Ignoring the saved store state %s (%s); rebuilding it", self._state_file, exc)
        self._rebuild_state()
        if self._state_file is not None:
            self._state_file.unlink(missing_ok=True)

    def _rebuild_state(self) -> None:
        stats, digest = TermStats(), 0
        for doc_id, chunks, terms in self.document_terms():
            if stats.add(doc_id, chunks, terms):
                digest ^= _id_hash(doc_id)
        self._stats, self._digest = stats, digest

    def _save_state(self) -> None:
        # Not after a write failed half-way: the next start then rebuilds the state and runs a full `recover()`.
        if self._state_file is None or self._stats is None or self._dirty or not self._state_file.parent.exists():
            return
        data = {"version": _STATE_VERSION, "digest": f"{self._digest:016x}", "term_stats": self._stats.to_state()}
        tmp = self._state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self._state_file)

    def _listed(self, document_id: str, chunks: int, terms: dict[str, int]) -> None:
        if self._stats is not None and self._stats.add(document_id, chunks, terms):
            self._digest ^= _id_hash(document_id)

    def _delisted(self, document_id: str, terms: dict[str, int]) -> None:
        if self._stats is not None and self._stats.remove(document_id, terms):
            self._digest ^= _id_hash(document_id)

    def term_stats(self) -> TermStats:
        """Term statistics of the listed records, kept up to date by this store's commits and deletes.

        :raises KeyError: the collections were not opened (`open_collections`).
        """
        with self._lock:
            if self._stats is None:
                raise KeyError("term_stats() before open_collections()")
            return self._stats

    def wait_optimized(self) -> None:
        """Nothing to wait for: local mode builds no index, and a server's optimizer is its own."""

    def open_collections(self, embedder_name: str, dim: int, *, create: bool = True) -> None:
        """Create the collections if missing; check the chunk collection was built by this embedder.

        :param embedder_name: `EmbeddingBackend.name`.
        :param dim: its dimension.
        :param create: create missing collections.
        :raises EmbedderMismatch: the collection records another embedder or dimension.
        """
        with self._lock:
            if self.client.collection_exists(self.chunks):
                meta = self.client.get_collection(self.chunks).config.metadata or {}
                built_by, built_dim = meta.get("embedder"), meta.get("dim")
                if built_by != embedder_name or built_dim != dim:
                    raise EmbedderMismatch(
                        f"La colección «{self.chunks}» se construyó con el embedder «{built_by}» (dimensión "
                        f"{built_dim}), pero el configurado es «{embedder_name}» (dimensión {dim}). Para usar este "
                        "embedder, vuelva a indexar en otro directorio de datos (--data-dir) o con otro "
                        "COLLECTION_PREFIX y ejecute `python -m indexing ingest corpus/records ...`; o borre la "
                        "colección con `python -m indexing reset --yes` y vuelva a indexar; o restablezca EMBEDDER "
                        "al valor anterior."
                    )
            elif create:
                self.client.create_collection(
                    self.chunks,
                    vectors_config={DENSE_VECTORS_NAME: qm.VectorParams(size=dim, distance=qm.Distance.COSINE)},
                    sparse_vectors_config={SPARSE_VECTORS_NAME: qm.SparseVectorParams(modifier=qm.Modifier.IDF)},
                    metadata={"embedder": embedder_name, "dim": dim},
                )
                logger.info("Created collection %s for embedder %s (dim %d)", self.chunks, embedder_name, dim)
            for name in (self.documents, self.commitments, self.briefings):
                if create and not self.client.collection_exists(name):
                    self.client.create_collection(name, vectors_config={})
            if create and self._indexes_payload:
                self._create_payload_indexes()
            self._has_collections = True
            if self._stats is None and self.client.collection_exists(self.documents):
                self._load_state()
            if create:
                self.open_access_collections()

    def open_access_collections(self) -> None:
        """Create the keys and audit collections if missing (all the offline `keys` commands need)."""
        with self._lock:
            for name in (self.keys, self.audit):
                if not self.client.collection_exists(name):
                    self.client.create_collection(name, vectors_config={})
            if self._indexes_payload:
                keyword = qm.PayloadSchemaType.KEYWORD
                for collection, field, schema in (
                    (self.keys, "name", keyword),
                    (self.keys, "key_id", keyword),
                    (self.audit, "actor", keyword),
                    (self.audit, "action", keyword),
                    (self.audit, "ts", qm.PayloadSchemaType.FLOAT),
                ):
                    self.client.create_payload_index(collection, field_name=field, field_schema=schema)
            self._access_open = True

    def _exists(self, collection: str) -> bool:
        # Keys and audit may be read before any collection was opened (offline `keys list` on a fresh directory).
        return self._access_open or self.client.collection_exists(collection)

    def _create_payload_indexes(self) -> None:
        keyword = qm.PayloadSchemaType.KEYWORD
        for collection, fields in (
            (
                self.chunks,
                {
                    "state": keyword,
                    f"meta.{K.DOCUMENT_ID}": keyword,
                    f"meta.{K.CONFERENCE}": keyword,
                    f"meta.{K.DOC_TYPE}": keyword,
                    "meta.date_int": qm.PayloadSchemaType.INTEGER,
                },
            ),
            (self.documents, {"state": keyword, K.FILENAME: keyword, K.OWNER: keyword}),
            (
                self.commitments,
                {"state": keyword, "document_id": keyword, "actor": keyword, "currency": keyword, "status": keyword},
            ),
        ):
            for field, schema in fields.items():
                self.client.create_payload_index(collection, field_name=field, field_schema=schema)

    def drop_collections(self) -> None:
        """Delete every collection of this prefix (the whole index: chunks, records, commitments, briefings)."""
        with self._lock:
            for name in (self.chunks, self.documents, self.commitments, self.briefings):
                if self.client.collection_exists(name):
                    self.client.delete_collection(name)
            self._stats = TermStats() if self._stats is not None else None
            self._digest = 0

    def recover(self) -> int:
        """Finish or undo what a crashed write left, so the registry and the collections agree again.

        - A registry entry that still lists versions it replaces: those versions are unlisted (rolled forward).
        - Pending chunks and commitments of a listed record: flipped to active (the write had committed).
        - Chunks and commitments, pending or active, of a record with no registry entry: removed, if written
          before the cutoff. Embedded mode: all of them (one process per store). Server mode: only those written
          more than `_UNCOMMITTED_MAX_AGE` seconds ago, so another process's write in flight is left alone.

        Every step is idempotent and safe to run while another process writes (server mode): it only rolls forward
        committed writes and removes points no registry entry can still claim.

        :returns: number of records whose leftovers were rolled forward or removed.
        """
        cutoff = time.time() - (0 if self.embedded else _UNCOMMITTED_MAX_AGE)
        touched: set[str] = set()
        with self._lock:
            if self._clean_start:
                # Embedded, right after a clean close (`_load_state`): no write was left half-done.
                self._clean_start = False
                return 0
            for point in list(self._scroll(self.documents, None, payload=["id", "replaces"])):
                entry = point.payload or {}
                old = [r for r in entry.get("replaces") or [] if r != entry["id"]]
                if old:
                    self._unlist(old)
                    self._remove_points(old)
                    self._clear_replaces([entry["id"]])
                    touched.update(old)
            listed = self._listed_ids()
            for collection, key in ((self.chunks, f"meta.{K.DOCUMENT_ID}"), (self.commitments, "document_id")):
                pending = qm.Filter(must=[qm.FieldCondition(key="state", match=qm.MatchValue(value=PENDING))])
                committed = sorted(self._doc_ids(collection, key, pending) & listed)
                if committed:
                    self._flip(collection, key, committed)
                    touched.update(committed)
                orphans = qm.Filter(
                    must=[qm.FieldCondition(key="written_at", range=qm.Range(lte=cutoff))],
                    must_not=[qm.FieldCondition(key=key, match=qm.MatchAny(any=sorted(listed)))] if listed else None,
                )
                found = self._doc_ids(collection, key, orphans)
                if found:
                    self.client.delete(collection, points_selector=qm.FilterSelector(filter=orphans), wait=True)
                    touched.update(found)
            if self.embedded:
                if self._dirty and self._stats is not None:
                    # A write failed in this process: registry entries it wrote may be listed without being
                    # counted (searches check the listed records against the statistics); count the registry again.
                    self._rebuild_state()
                self._dirty = False  # nothing pending or unlisted is left (one process per embedded store)
        if touched:
            logger.warning("Recovered %d records left half-written or half-deleted by a crash", len(touched))
        return len(touched)

    def _doc_ids(self, collection: str, key: str, flt: qm.Filter) -> set[str]:
        field = "meta" if key.startswith("meta.") else key
        out: set[str] = set()
        for p in self._scroll(collection, flt, payload=[field]):
            payload = p.payload or {}
            value = (payload.get("meta") or {}).get(K.DOCUMENT_ID) if field == "meta" else payload.get(key)
            if value is not None:
                out.add(value)
        return out

    def _listed_ids(self) -> set[str]:
        return {(p.payload or {})["id"] for p in self._scroll(self.documents, None, payload=["id"])}

    def _unlisted(self, document_ids: set[str]) -> set[str]:
        """Those of `document_ids` that have no active registry entry.

        Embedded, the listed records are the ones the term statistics count (added at each commit point, removed
        with each registry entry, rebuilt from the registry after a crash), so they are read from memory, without
        a registry read (nor loading the registry shard on the first search after an open); not after a write
        failed half-way in this process (`_dirty`: an entry may be listed that they do not count yet), nor on a
        server, where other processes write.
        """
        if not document_ids:
            return set()
        if self.embedded and not self._dirty and self._stats is not None:
            return {d for d in document_ids if d not in self._stats}
        got = self.client.retrieve(
            self.documents, ids=[_uuid("doc", d) for d in sorted(document_ids)], with_payload=["id", "state"]
        )
        listed = {(p.payload or {}).get("id") for p in got if (p.payload or {}).get("state") == ACTIVE}
        return document_ids - listed

    def _unlist(self, document_ids: list[str]) -> None:
        ids: list[qm.ExtendedPointId] = [_uuid("doc", d) for d in document_ids]
        entries = self.client.retrieve(self.documents, ids=ids, with_payload=["id", "state", "terms"])
        self.client.delete(self.documents, points_selector=qm.PointIdsList(points=ids), wait=True)
        for entry in entries:
            payload = entry.payload or {}
            if payload.get("state") == ACTIVE:
                self._delisted(payload["id"], terms_payload(payload.get("terms")))

    def _clear_replaces(self, document_ids: list[str]) -> None:
        self.client.set_payload(
            self.documents, payload={"replaces": []}, points=[_uuid("doc", d) for d in document_ids], wait=True
        )

    def _flip(self, collection: str, key: str, document_ids: list[str]) -> None:
        """Pending points of these records → active (one filtered update per `_IDS_PER_FILTER` records)."""
        for group in _groups(document_ids):
            mine = qm.Filter(
                must=[
                    qm.FieldCondition(key=key, match=qm.MatchAny(any=group)),
                    qm.FieldCondition(key="state", match=qm.MatchValue(value=PENDING)),
                ]
            )
            self.client.set_payload(collection, payload={"state": ACTIVE}, points=mine, wait=True)

    def _remove_points(self, document_ids: list[str]) -> None:
        for collection, key in ((self.chunks, f"meta.{K.DOCUMENT_ID}"), (self.commitments, "document_id")):
            for group in _groups(document_ids):
                by_doc = qm.Filter(must=[qm.FieldCondition(key=key, match=qm.MatchAny(any=group))])
                self.client.delete(collection, points_selector=qm.FilterSelector(filter=by_doc), wait=True)
            crash_point(f"remove:after_{'chunks' if collection == self.chunks else 'commitments'}")

    # ----------------------------------------------------------------- documents

    @staticmethod
    def _record_from_payload(p: dict[str, Any]) -> DocumentRecord:
        return DocumentRecord(
            id=p["id"],
            filename=p[K.FILENAME],
            title=p.get(K.TITLE) or p[K.FILENAME],
            pages=int(p.get(K.PAGES) or 0),
            chunks=int(p.get("chunks") or 0),
            date=p.get(K.DATE),
            conference=p.get(K.CONFERENCE),
            doc_type=p.get(K.DOC_TYPE),
            tags=tuple(p.get(K.TAGS) or ()),
            indexed_at=p.get("indexed_at"),
            size_bytes=int(p.get("size_bytes") or 0),
            owner=p.get(K.OWNER) or K.LOCAL_OWNER,
            arrival=int(p.get("arrival") or 0),
        )

    def _active(self) -> qm.FieldCondition:
        return qm.FieldCondition(key="state", match=qm.MatchValue(value=ACTIVE))

    def get_document(self, document_id: str) -> DocumentRecord | None:
        """The active record with this id, or None."""
        with self._lock:
            got = self.client.retrieve(self.documents, ids=[_uuid("doc", document_id)], with_payload=_RECORD_PAYLOAD)
        if not got or (got[0].payload or {}).get("state") != ACTIVE:
            return None
        return self._record_from_payload(got[0].payload or {})

    def all_documents(self) -> list[DocumentRecord]:
        """Every active record, sorted by date (undated last), then filename."""
        with self._lock:
            records = [
                self._record_from_payload(p.payload or {})
                for p in self._scroll(self.documents, qm.Filter(must=[self._active()]), payload=_RECORD_PAYLOAD)
            ]
        return sorted(records, key=lambda r: (r.date is None, r.date or "", r.filename, r.id))

    def document_terms(self) -> Iterator[tuple[str, int, dict[str, int]]]:
        """(document id, chunk count, term → chunks holding it) of every active record."""
        with self._lock:
            points = list(
                self._scroll(self.documents, qm.Filter(must=[self._active()]), payload=["id", "chunks", "terms"])
            )
        for p in points:
            payload = p.payload or {}
            yield payload["id"], int(payload.get("chunks") or 0), terms_payload(payload.get("terms"))

    def documents_by_filename(self, filename: str, owner: str | None = None) -> list[DocumentRecord]:
        """Active records uploaded under this filename by this owner (older versions to replace); any owner's
        when `owner` is None. Records from before owners existed belong to "local"."""
        cond = qm.Filter(must=[self._active(), qm.FieldCondition(key=K.FILENAME, match=qm.MatchValue(value=filename))])
        with self._lock:
            records = [
                self._record_from_payload(p.payload or {})
                for p in self._scroll(self.documents, cond, payload=_RECORD_PAYLOAD)
            ]
        return records if owner is None else [r for r in records if r.owner == owner]

    def index_state(self) -> str:
        """A short hash of the set of active record ids: names the index state a briefing came from.

        Embedded: O(1), a digest (XOR of the ids' hashes) updated at every commit and delete. A server: read from
        the registry on each call, since other API processes write to it too.
        """
        with self._lock:
            if self.embedded and self._stats is not None:
                return f"{self._digest:016x}"
            digest = 0
            for p in self._scroll(self.documents, qm.Filter(must=[self._active()]), payload=["id"]):
                digest ^= _id_hash((p.payload or {})["id"])
        return f"{digest:016x}"

    def commit_document(
        self,
        record: DocumentRecord,
        chunks: list[Document],
        *,
        replaces: list[str] = (),  # type: ignore[assignment]
        commitments: list[dict[str, Any]] = (),  # type: ignore[assignment]
        terms: dict[str, int] | None = None,
    ) -> None:
        """Write a record's chunks and commitments, then make them searchable in one step: its registry entry.

        One record's `commit_many` (the protocol is described there).

        :param record: the registry entry.
        :param chunks: chunk documents with `embedding`, `sparse_embedding` and meta (see `constants`).
        :param replaces: ids of older versions to remove in the same step (same filename, other content).
        :param commitments: JSON-able commitment entries of this record (each with an "id").
        :param terms: term → number of the record's chunks holding it (kept with the record for term statistics).
        """
        self.commit_many([RecordCommit(record, chunks, list(replaces), list(commitments), terms)])

    def commit_many(self, commits: Sequence[RecordCommit]) -> None:
        """Write many records and make each visible by its registry entry, the same protocol step by step for all
        of them at once (large upserts, one filtered flip per step instead of one per record).

        The protocol (every crash point leaves, per record, the old state or the new one once `recover()` ran):

        1. chunks and commitments are written `pending` (invisible: searches need `active` and a registry entry);
        2. the registry entries are written, each naming the versions it replaces: **each record's commit point**;
        3. the records' pending points are flipped to `active`;
        4. the replaced versions are unlisted, then their chunks and commitments removed;
        5. the registry entries' lists of replaced versions are cleared.

        A crash before 2 leaves pending points of unlisted records (removed by `recover`); after a record's entry
        is written, `recover` rolls its write forward (steps 3-5). When this raises, every record is committed or
        not (`get_document` tells); a failure while the entries are written leaves that to `recover`.

        :param commits: the records, with distinct ids, none replacing another of the same call.
        :raises ValueError: two commits of one record, or one replacing another of the call.
        """
        ids = [c.record.id for c in commits]
        replaced = {c.record.id: [r for r in c.replaces if r != c.record.id] for c in commits}
        if len(set(ids)) != len(ids):
            raise ValueError("commit_many: a record appears twice")
        if set(ids) & {r for old in replaced.values() for r in old}:
            raise ValueError("commit_many: a record replaces another of the same call")
        now = time.time()
        points = [p for c in commits for p in chunk_points(c.chunks, now=now)]
        commitment_points = [
            qm.PointStruct.model_construct(
                id=_uuid("commitment", entry["id"]),
                vector={},
                payload={**entry, "document_id": c.record.id, "state": PENDING, "written_at": now},
            )
            for c in commits
            for entry in c.commitments
        ]
        registry = [
            qm.PointStruct.model_construct(
                id=_uuid("doc", c.record.id),
                vector={},
                payload={
                    **asdict(c.record),
                    "tags": list(c.record.tags),
                    # One payload key, not one per term (see `chunk_points`); read by `terms_payload`.
                    "terms": json.dumps(c.terms or {}, ensure_ascii=False),
                    "state": ACTIVE,
                    "written_at": now,
                    "replaces": replaced[c.record.id],
                },
            )
            for c in commits
        ]
        batch = _BATCH if len(commits) == 1 else _BULK_BATCH
        with self._lock:
            self._clean_start = False
            try:
                for i in range(0, len(points), batch):
                    self.client.upsert(self.chunks, points=points[i : i + batch], wait=True)
                    crash_point("commit:after_chunk_batch")
                for i in range(0, len(commitment_points), batch):
                    self.client.upsert(self.commitments, points=commitment_points[i : i + batch], wait=True)
                crash_point("commit:after_pending")
            except BaseException:
                # Not committed: drop the half-written pending points and let the caller report it.
                self._undo_pending(ids)
                raise
            written = 0
            try:
                for written in range(0, len(registry), batch):
                    self.client.upsert(self.documents, points=registry[written : written + batch], wait=True)
            except BaseException:
                # The entries before this batch are committed and this batch may be: `recover()` finishes or
                # removes them; the records after it were never committed.
                self._dirty = True
                self._undo_pending(ids[written + batch :])
                raise
            for c in commits:
                self._listed(c.record.id, len(c.chunks), c.terms or {})
            crash_point("commit:after_registry")
            try:
                self._finish_commit(ids, [old for c in commits for old in replaced[c.record.id]])
            except BaseException:
                # Committed but not finished: `recover()` at the next start completes it. Until then searches
                # filter by state, since pending points of these records may be left.
                self._dirty = True
                raise

    def _undo_pending(self, document_ids: list[str]) -> None:
        try:
            for collection, key in ((self.chunks, f"meta.{K.DOCUMENT_ID}"), (self.commitments, "document_id")):
                for group in _groups(document_ids):
                    mine = qm.Filter(
                        must=[
                            qm.FieldCondition(key=key, match=qm.MatchAny(any=group)),
                            qm.FieldCondition(key="state", match=qm.MatchValue(value=PENDING)),
                        ]
                    )
                    self.client.delete(collection, points_selector=qm.FilterSelector(filter=mine), wait=True)
        except Exception:
            self._dirty = True
            logger.exception("Could not remove the pending points of %d records; recover() will", len(document_ids))

    def _finish_commit(self, document_ids: list[str], replaced: list[str]) -> None:
        """Steps 3-5 of `commit_many` (also what `recover` does for committed, unfinished writes)."""
        self._flip(self.chunks, f"meta.{K.DOCUMENT_ID}", document_ids)
        crash_point("commit:after_flip_chunks")
        self._flip(self.commitments, "document_id", document_ids)
        crash_point("commit:after_flip")
        if replaced:
            self._unlist(replaced)
            crash_point("commit:after_unlist_old")
            self._remove_points(replaced)
            self._clear_replaces(document_ids)

    def record_commit(self, document_id: str) -> RecordCommit | None:
        """A listed record with its chunks (both vectors), commitments and term counts, whole or None.

        Consistent without a lock (a server): every chunk and commitment of a record is written before its registry
        entry, and none is removed before the entry is; so when the entry is listed, with the same `written_at`,
        both before and after its points are read, the points read are all of them. Otherwise None.
        """
        point_id = _uuid("doc", document_id)
        with self._lock:
            got = self.client.retrieve(self.documents, ids=[point_id], with_payload=True)
            entry = dict(got[0].payload or {}) if got else {}
            if entry.get("state") != ACTIVE:
                return None
            chunks = list(
                self._scroll(
                    self.chunks,
                    qm.Filter(
                        must=[qm.FieldCondition(key=f"meta.{K.DOCUMENT_ID}", match=qm.MatchValue(value=document_id))]
                    ),
                    vectors=True,
                )
            )
            commitments = list(
                self._scroll(
                    self.commitments,
                    qm.Filter(must=[qm.FieldCondition(key="document_id", match=qm.MatchValue(value=document_id))]),
                )
            )
            again = self.client.retrieve(self.documents, ids=[point_id], with_payload=["state", "written_at"])
        if not again or (again[0].payload or {}).get("state") != ACTIVE:
            return None
        if (again[0].payload or {}).get("written_at") != entry.get("written_at"):
            return None
        docs = [self._document_from_point(p) for p in chunks]
        docs.sort(key=lambda d: int(d.meta.get(K.CHUNK_INDEX, 0)))
        entries = []
        for p in commitments:
            c = dict(p.payload or {})
            for key in ("document_id", "state", "written_at"):
                c.pop(key, None)
            entries.append(c)
        entries.sort(key=lambda c: str(c.get("id")))
        return RecordCommit(
            self._record_from_payload(entry), docs, commitments=entries, terms=terms_payload(entry.get("terms"))
        )

    @staticmethod
    def _document_from_point(p: Any) -> Document:
        payload = chunk_payload(p.payload)
        meta = dict(payload.get("meta") or {})
        meta.pop("date_int", None)
        vectors = p.vector if isinstance(p.vector, dict) else {}
        dense = vectors.get(DENSE_VECTORS_NAME)
        sparse = vectors.get(SPARSE_VECTORS_NAME)
        blob = payload.get("blob")
        return Document(
            id=payload.get("id") or str(p.id),
            content=payload.get("content"),
            blob=ByteStream.from_dict(blob) if blob else None,
            meta=meta,
            score=payload.get("score"),
            embedding=[float(x) for x in dense] if dense is not None else None,
            sparse_embedding=(
                SparseEmbedding(indices=list(sparse.indices), values=list(sparse.values))
                if sparse is not None
                else None
            ),
        )

    def embedder_stamp(self) -> tuple[str, int] | None:
        """(embedder name, dimension) recorded on the chunk collection, or None when it does not exist."""
        with self._lock:
            if not self.client.collection_exists(self.chunks):
                return None
            meta = self.client.get_collection(self.chunks).config.metadata or {}
        return str(meta.get("embedder")), int(meta.get("dim") or 0)

    def delete_document(self, document_id: str) -> bool:
        """Remove a record: its registry entry first (from then on it is gone), then its chunks and commitments.

        A crash after the first step leaves points of an unlisted record: invisible, and removed by `recover`.

        :returns: False when it did not exist.
        """
        with self._lock:
            self._clean_start = False
            existed = self.get_document(document_id) is not None
            try:
                self._unlist([document_id])
                crash_point("delete:after_registry")
                self._remove_points([document_id])
            except BaseException:
                self._dirty = True  # unlisted points may be left: `recover()` at the next start removes them
                raise
        return existed

    # ----------------------------------------------------------------- retrieval

    def _chunk_filter(self, filters: SearchFilters | None, *, state: bool = True) -> qm.Filter | None:
        must: list[Any] = [self._active()] if state else []
        f = filters or SearchFilters()
        if f.conference:
            must.append(qm.FieldCondition(key=f"meta.{K.CONFERENCE}", match=qm.MatchValue(value=f.conference)))
        if f.doc_type:
            must.append(qm.FieldCondition(key=f"meta.{K.DOC_TYPE}", match=qm.MatchValue(value=f.doc_type)))
        if f.date_from or f.date_to:
            must.append(
                qm.FieldCondition(
                    key="meta.date_int", range=qm.Range(gte=date_int(f.date_from), lte=date_int(f.date_to))
                )
            )
        if f.document_ids is not None:
            must.append(qm.FieldCondition(key=f"meta.{K.DOCUMENT_ID}", match=qm.MatchAny(any=list(f.document_ids))))
        return qm.Filter(must=must) if must else None

    @staticmethod
    def _chunk_from_point(p: Any, score: float = 0.0) -> Chunk:
        payload = chunk_payload(p.payload)
        meta = payload.get("meta") or {}
        vec = p.vector.get(DENSE_VECTORS_NAME) if isinstance(p.vector, dict) else None
        return Chunk(
            chunk_id=payload.get("id", str(p.id)),
            document_id=meta[K.DOCUMENT_ID],
            filename=meta[K.FILENAME],
            title=meta.get(K.TITLE) or meta[K.FILENAME],
            page=int(meta[K.PAGE]),
            text=payload.get("content") or "",
            char_start=int(meta.get(K.CHAR_START, 0)),
            char_end=int(meta.get(K.CHAR_END, 0)),
            chunk_index=int(meta.get(K.CHUNK_INDEX, 0)),
            date=meta.get(K.DATE),
            conference=meta.get(K.CONFERENCE),
            doc_type=meta.get(K.DOC_TYPE),
            tags=tuple(meta.get(K.TAGS) or ()),
            score=score,
            embedding=list(vec) if vec is not None else None,
            embedding_key=meta.get(K.EMBEDDING_KEY),
            table_header=tuple(meta.get(K.TABLE_HEADER) or ()),
            table_rows=tuple((int(a), int(b)) for a, b in meta.get(K.TABLE_ROWS) or ()),
            ocr=bool(meta.get(K.OCR, False)),
            ocr_confidence=meta.get(K.OCR_CONFIDENCE),
            page_kind=meta.get(K.PAGE_KIND) or K.PAGE_KIND_PAGE,
        )

    def hybrid_search(
        self,
        dense: list[float],
        sparse: tuple[list[int], list[float]] | None,
        *,
        filters: SearchFilters | None = None,
        limit: int = 10,
        candidates: int = 40,
    ) -> list[Chunk]:
        """Dense + BM25 candidates fused with reciprocal rank fusion (Qdrant Query API, prefetch + RRF).

        :param dense: query embedding.
        :param sparse: query BM25 vector as (indices, values); None or empty → dense only.
        :param filters: restrictions (active records only, always).
        :param limit: results to return.
        :param candidates: candidates per branch before fusion.
        :returns: chunks best first, each with its fused `score` and its stored dense `embedding`.
        """
        # Embedded mode evaluates payload filters point by point (measured: 9 ms → 135 ms for a dense search over 5k
        # chunks). There, every write holds the store lock from its first pending point to its last step, and
        # `recover()` runs before the first search, so a search never meets a pending or unlisted point and the state
        # condition can go — unless a write failed half-way in this process (`_dirty`). Results are still checked
        # below: active, and of a listed record.
        flt = self._chunk_filter(filters, state=not self.embedded or self._dirty)
        prefetch = [qm.Prefetch(query=dense, using=DENSE_VECTORS_NAME, limit=candidates, filter=flt)]
        if sparse and sparse[0]:
            prefetch.append(
                qm.Prefetch(
                    query=qm.SparseVector(indices=sparse[0], values=sparse[1]),
                    using=SPARSE_VECTORS_NAME,
                    limit=candidates,
                    filter=flt,
                )
            )
        with self._lock:
            res = self.client.query_points(
                self.chunks,
                prefetch=prefetch,
                query=qm.RrfQuery(rrf=qm.Rrf(k=RRF_K)),
                query_filter=flt,
                limit=limit,
                with_payload=True,
                with_vectors=[DENSE_VECTORS_NAME],
            )
            found = [p for p in res.points if (p.payload or {}).get("state") == ACTIVE]
            unlisted = self._unlisted({(p.payload or {}).get("meta", {}).get(K.DOCUMENT_ID) for p in found} - {None})
        return [
            self._chunk_from_point(p, p.score)
            for p in found
            if (p.payload or {}).get("meta", {}).get(K.DOCUMENT_ID) not in unlisted
        ]

    def document_chunks(self, document_id: str) -> list[Chunk]:
        """All active chunks of a record, in reading order, with their dense embeddings."""
        flt = self._chunk_filter(SearchFilters(document_ids=(document_id,)))
        assert flt is not None
        with self._lock:
            points = list(self._scroll(self.chunks, flt, vectors=[DENSE_VECTORS_NAME]))
        return sorted((self._chunk_from_point(p) for p in points), key=lambda c: c.chunk_index)

    def count_chunks(self) -> int:
        with self._lock:
            return self.client.count(self.chunks, count_filter=qm.Filter(must=[self._active()]), exact=True).count

    # ----------------------------------------------------------------- commitments and briefings

    def commitments_payloads(self, document_id: str | None = None) -> list[dict[str, Any]]:
        """Every active commitment entry of a listed record (optionally of one record)."""
        must: list[Any] = [self._active()]
        if document_id:
            must.append(qm.FieldCondition(key="document_id", match=qm.MatchValue(value=document_id)))
        with self._lock:
            listed = self._listed_ids()
            return [
                dict(p.payload or {})
                for p in self._scroll(self.commitments, qm.Filter(must=must))
                if (p.payload or {}).get("document_id") in listed
            ]

    def put_briefing(self, briefing_id: str, payload: dict[str, Any]) -> None:
        with self._lock:
            self.client.upsert(
                self.briefings,
                points=[qm.PointStruct(id=_uuid("briefing", briefing_id), vector={}, payload=payload)],
                wait=True,
            )

    def get_briefing(self, briefing_id: str) -> dict[str, Any] | None:
        with self._lock:
            got = self.client.retrieve(self.briefings, ids=[_uuid("briefing", briefing_id)], with_payload=True)
        return dict(got[0].payload or {}) if got else None

    # ----------------------------------------------------------------- keys and audit

    def put_key(self, payload: dict[str, Any]) -> None:
        """Store an API key entry (keyed by its `name`)."""
        with self._lock:
            self.client.upsert(
                self.keys,
                points=[qm.PointStruct(id=_uuid("key", payload["name"]), vector={}, payload=payload)],
                wait=True,
            )

    def get_key(self, name: str) -> dict[str, Any] | None:
        """The key entry with this name, or None."""
        with self._lock:
            if not self._exists(self.keys):
                return None
            got = self.client.retrieve(self.keys, ids=[_uuid("key", name)], with_payload=True)
        return dict(got[0].payload or {}) if got else None

    def key_by_id(self, key_id: str) -> dict[str, Any] | None:
        """The key entry with this key id (the public half of a key), or None."""
        cond = qm.Filter(must=[qm.FieldCondition(key="key_id", match=qm.MatchValue(value=key_id))])
        with self._lock:
            if not self._exists(self.keys):
                return None
            points, _ = self.client.scroll(self.keys, scroll_filter=cond, limit=1, with_payload=True)
        return dict(points[0].payload or {}) if points else None

    def all_keys(self) -> list[dict[str, Any]]:
        """Every key entry."""
        with self._lock:
            if not self._exists(self.keys):
                return []
            return [dict(p.payload or {}) for p in self._scroll(self.keys, qm.Filter())]

    def delete_key(self, name: str) -> bool:
        """Remove a key entry. :returns: False when there was none."""
        with self._lock:
            if self.get_key(name) is None:
                return False
            self.client.delete(self.keys, points_selector=qm.PointIdsList(points=[_uuid("key", name)]), wait=True)
        return True

    def count_keys(self) -> int:
        """Number of stored keys (0 when the collection does not exist yet)."""
        with self._lock:
            if not self._exists(self.keys):
                return 0
            return self.client.count(self.keys, exact=True).count

    def put_audit(self, payload: dict[str, Any]) -> None:
        """Append an audit entry (its `id` names the point, its `ts` orders the trail)."""
        with self._lock:
            self.client.upsert(
                self.audit,
                points=[qm.PointStruct(id=_uuid("audit", payload["id"]), vector={}, payload=payload)],
                wait=True,
            )

    def audit_entries(
        self, *, limit: int, offset: int, actor: str | None = None, action: str | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of audit entries, newest first, and how many match.

        :param limit: entries to return.
        :param offset: entries to skip (newest first).
        :param actor: only this key name's.
        :param action: only this action.
        """
        must: list[Any] = []
        if actor:
            must.append(qm.FieldCondition(key="actor", match=qm.MatchValue(value=actor)))
        if action:
            must.append(qm.FieldCondition(key="action", match=qm.MatchValue(value=action)))
        flt = qm.Filter(must=must)
        with self._lock:
            if not self._exists(self.audit):
                return [], 0
            total = self.client.count(self.audit, count_filter=flt, exact=True).count
            # Ordered scrolls take no offset: read offset + limit and drop the first ones.
            points, _ = self.client.scroll(
                self.audit,
                scroll_filter=flt,
                limit=offset + limit,
                order_by=qm.OrderBy(key="ts", direction=qm.Direction.DESC),
                with_payload=True,
            )
        return [dict(p.payload or {}) for p in points[offset:]], total

    # ----------------------------------------------------------------- diagnostics

    def payloads(self, aggregate: str) -> list[dict[str, Any]]:
        """Every stored payload of an aggregate (see `Store.payloads`), committed or not; chunk payloads and
        registry term counts unpacked (`chunk_payload`, `terms_payload`)."""
        collection = f"{self.prefix}_{aggregate}"
        with self._lock:
            if not self.client.collection_exists(collection):
                return []
            stored = [dict(p.payload or {}) for p in self._scroll(collection, None)]
        if aggregate == "chunks":
            return [chunk_payload(p) for p in stored]
        if aggregate == "documents":
            return [{**p, "terms": terms_payload(p.get("terms"))} for p in stored]
        return stored

    # ----------------------------------------------------------------- helpers

    def _scroll(
        self,
        collection: str,
        flt: qm.Filter | None,
        *,
        payload: bool | list[str] | qm.PayloadSelectorExclude = True,
        vectors: bool | list[str] = False,
    ) -> Iterator[Any]:
        offset = None
        while True:
            points, offset = self.client.scroll(
                collection, scroll_filter=flt, limit=256, offset=offset, with_payload=payload, with_vectors=vectors
            )
            yield from points
            if offset is None:
                return
