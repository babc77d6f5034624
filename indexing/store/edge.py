"""`EdgeStore`: the embedded default. Qdrant Edge (`qdrant-edge-py`, Qdrant's own engine in-process: HNSW, payload
indexes, sparse vectors with the IDF modifier, prefetch + RRF) under `<data dir>/edge/`.

Layout: one Edge shard per aggregate (`<prefix>_chunks`, `_documents`, `_commitments`, `_briefings`, `_keys`,
`_audit`), each in its own folder, and beside each a small JSON sidecar (`<name>.json`) with the aggregate's metadata
(the embedder stamp of the chunks). A lock file (`.lock`, `fcntl.flock`) keeps one process per data directory.

The commit protocol, recovery and every read are `QdrantClientStore`'s, unchanged: `EdgeStore` gives it a client
(`_EdgeClient`) speaking the few qdrant-client calls it uses, translated to Edge operations. So both engines run
the same protocol, step for step, and the contract suite checks they answer the same.

HNSW when it pays: segments below `exact_below` passages are searched exactly (plain index); above it, Edge's
optimizer (HNSW build) runs, and searches pass `hnsw_ef`. qdrant-edge-py 0.9 keeps the GIL for the whole
`EdgeShard.optimize()` call (measured: a search issued while it runs waits for its end, minutes at 25k passages on a
loaded machine), so the build never runs on a write: a write above the threshold marks the chunks as needing it, and
one background thread runs it once the store has seen no read or write for `optimize_idle_s` seconds (an idle
detector), or `wait_optimized()` runs it at once (the end of a bulk load, `python -m indexing optimize`, benchmarks).
A bulk load of many `commit_many` calls therefore builds HNSW once, at its end, not after every batch; until the
build, the unindexed segments are searched exactly (same results, slower). See the README.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import qdrant_edge as E
from qdrant_client import models as qm

from indexing.errors import StoreLocked
from indexing.store.qdrant import STATE_FILE, QdrantClientStore

logger = logging.getLogger(__name__)

# Payload-only aggregates still need one vector in an Edge shard: an empty sparse vector nobody queries.
_NO_VECTOR = "none"
# Seconds without a read or a write before the background HNSW build starts (it blocks the process while it runs).
OPTIMIZE_IDLE_S = 10.0


def _filter(f: qm.Filter | None) -> E.Filter | None:
    if f is None:
        return None
    must = [_condition(c) for c in (f.must or [])] if f.must is not None else []
    must_not = [_condition(c) for c in (f.must_not or [])] if f.must_not is not None else []
    should = [_condition(c) for c in (f.should or [])] if f.should is not None else []
    if not (must or must_not or should):
        return None
    return E.Filter(must=must or None, should=should or None, must_not=must_not or None)


def _condition(c: Any) -> Any:
    if isinstance(c, qm.Filter):
        return _filter(c)
    if not isinstance(c, qm.FieldCondition):
        raise TypeError(f"EdgeStore: unsupported condition {type(c).__name__}")
    if c.match is not None:
        if isinstance(c.match, qm.MatchValue):
            return E.FieldCondition(key=c.key, match=E.MatchValue(c.match.value))
        if isinstance(c.match, qm.MatchAny):
            return E.FieldCondition(key=c.key, match=E.MatchAny(cast(Any, list(c.match.any))))
        raise TypeError(f"EdgeStore: unsupported match {type(c.match).__name__}")
    if c.range is not None:
        r = cast(Any, c.range)
        return E.FieldCondition(key=c.key, range=E.RangeFloat(gte=r.gte, gt=r.gt, lte=r.lte, lt=r.lt))
    raise TypeError("EdgeStore: unsupported field condition")


def _with_payload(p: Any) -> Any:
    if isinstance(p, qm.PayloadSelectorExclude):
        return E.PayloadSelector.Exclude(list(p.exclude))
    if isinstance(p, list):
        return E.PayloadSelector.Include(p)
    return bool(p)


def _vector(v: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in (v or {}).items():
        out[name] = (
            E.SparseVector(list(value.indices), list(value.values)) if isinstance(value, qm.SparseVector) else value
        )
    return out


def _point(p: qm.PointStruct) -> E.Point:
    return E.Point(str(p.id), _vector(p.vector), p.payload or {})


@dataclass
class _Point:
    """A read point, shaped as qdrant-client's (`id`, `payload`, `vector`, `score`)."""

    id: str
    payload: dict[str, Any] | None
    vector: dict[str, Any] | None
    score: float = 0.0


def _read(r: Any, score: float = 0.0) -> _Point:
    vec = r.vector
    if isinstance(vec, dict):
        vec = {k: v for k, v in vec.items() if k != _NO_VECTOR}
    return _Point(id=str(r.id), payload=r.payload, vector=vec, score=score)


@dataclass(frozen=True)
class HnswBuild:
    """HNSW build parameters of a new chunks shard (`HNSW_M`, `HNSW_EF_CONSTRUCT`; Qdrant's defaults 16 / 100).

    Edge persists them in the shard's config when it is created, and a shard loaded later keeps them whatever the
    settings say: changing them takes effect on a new data directory (a restore, a re-ingest, `reset`).
    `full_scan_kb`: a filtered search whose filter matches fewer points than this many KB of vectors (estimated
    from the payload indexes) is exact over the matching points instead of a filtered HNSW walk.
    """

    m: int = 16
    ef_construct: int = 100
    full_scan_kb: int = 10_000


@dataclass(frozen=True)
class EdgeIndexInfo:
    """The chunks shard's index: passages, vectors indexed (dense and sparse; the dense ones once HNSW is built) and
    whether a build waits for an idle moment."""

    points: int
    indexed_vectors: int
    pending: bool


@dataclass
class _Count:
    count: int


@dataclass
class _Points:
    points: list[_Point]


class _Config:
    def __init__(self, metadata: dict[str, Any]) -> None:
        self.metadata = metadata


class _Collection:
    def __init__(self, metadata: dict[str, Any]) -> None:
        self.config = _Config(metadata)


class _EdgeClient:
    """The qdrant-client calls `QdrantClientStore` makes, on Edge shards (one per collection) under `root`.

    :param root: folder of the shards.
    :param exact_below: passages below which the chunks are searched exactly (no HNSW build).
    :param hnsw_ef: HNSW search breadth.
    :param hnsw: HNSW build parameters of a chunks shard created here (an existing shard keeps its own).
    :param idle_s: seconds without a read or a write before a pending HNSW build starts in the background.
    """

    def __init__(
        self,
        root: Path,
        *,
        exact_below: int,
        hnsw_ef: int,
        hnsw: HnswBuild | None = None,
        idle_s: float = OPTIMIZE_IDLE_S,
    ) -> None:
        self.root = root
        self.exact_below = exact_below
        self.hnsw_ef = hnsw_ef
        self.hnsw = hnsw or HnswBuild()
        self.idle_s = idle_s
        self._shards: dict[str, E.EdgeShard] = {}
        # Payload indexes asked for on shards not loaded yet: checked (and created if missing) at their first load.
        self._indexes: dict[str, dict[str, Any]] = {}
        # Collections whose writes may have left segments for the optimizer; guarded by `_idle`.
        self._pending: set[str] = set()
        self._activity = time.monotonic()
        self._idle = threading.Condition()
        # Held while an optimization runs (background or `wait_optimized`) and while shards are closed or deleted.
        self._optimize_lock = threading.Lock()
        self._optimizer: threading.Thread | None = None
        self._closed = False

    # ----------------------------------------------------------------- collections

    def _dir(self, name: str) -> Path:
        return self.root / name

    def _sidecar(self, name: str) -> Path:
        return self.root / f"{name}.json"

    def _shard(self, name: str, *, touch: bool = True) -> E.EdgeShard:
        """The open shard of a collection (loaded on first use); `touch`: count this as activity (the idle detector).

        :raises KeyError: no such collection.
        """
        shard = self._shards.get(name)
        if shard is None:
            if not self.collection_exists(name):
                raise KeyError(f"EdgeStore: no collection {name}")
            shard = E.EdgeShard.load(str(self._dir(name)))
            self._shards[name] = shard
            wanted = self._indexes.pop(name, {})
            if wanted:
                have = shard.info().payload_schema
                for field, schema in wanted.items():
                    if field not in have:
                        shard.update(E.UpdateOperation.create_field_index(field, schema))
            if name.endswith("_chunks"):
                # A build left pending by the last run (closed before it was idle) is scheduled again.
                self._mark_pending(name, shard)
        if touch:
            self._activity = time.monotonic()
        return shard

    def collection_exists(self, name: str) -> bool:
        return self._sidecar(name).exists() and self._dir(name).exists()

    def get_collections(self) -> list[str]:
        return sorted(p.stem for p in self.root.glob("*.json"))

    def get_collection(self, name: str) -> _Collection:
        meta = json.loads(self._sidecar(name).read_text(encoding="utf-8"))
        return _Collection(meta.get("metadata") or {})

    def create_collection(
        self,
        name: str,
        vectors_config: dict[str, qm.VectorParams] | None = None,
        sparse_vectors_config: dict[str, qm.SparseVectorParams] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        dense = {
            key: E.EdgeVectorParams(size=params.size, distance=E.Distance.Cosine)
            for key, params in (vectors_config or {}).items()
        }
        sparse = {
            key: E.EdgeSparseVectorParams(modifier=E.Modifier.Idf if params.modifier == qm.Modifier.IDF else None)
            for key, params in (sparse_vectors_config or {}).items()
        }
        if not dense and not sparse:
            sparse = {_NO_VECTOR: E.EdgeSparseVectorParams()}
        dim = sum(p.size for p in (vectors_config or {}).values())
        optimizers = (
            E.EdgeOptimizersConfig(indexing_threshold=max(1, self.exact_below * dim * 4 // 1024)) if dense else None
        )
        path = self._dir(name)
        if path.exists():  # a shard folder without its sidecar: a creation that did not finish
            shutil.rmtree(path)
        hnsw = (
            E.HnswIndexConfig(
                m=self.hnsw.m, ef_construct=self.hnsw.ef_construct, full_scan_threshold=self.hnsw.full_scan_kb
            )
            if dense
            else None
        )
        shard = E.EdgeShard.create(
            str(path),
            E.EdgeConfig(vectors=dense or None, sparse_vectors=sparse or None, hnsw_config=hnsw, optimizers=optimizers),
        )
        self._shards[name] = shard
        # The sidecar is written last: a collection exists once it is there.
        tmp = self._sidecar(name).with_suffix(".tmp")
        tmp.write_text(json.dumps({"metadata": metadata or {}}), encoding="utf-8")
        os.replace(tmp, self._sidecar(name))

    def delete_collection(self, name: str) -> None:
        with self._optimize_lock:
            with self._idle:
                self._pending.discard(name)
            shard = self._shards.pop(name, None)
            self._indexes.pop(name, None)
            if shard is not None:
                shard.close()
            self._sidecar(name).unlink(missing_ok=True)
            shutil.rmtree(self._dir(name), ignore_errors=True)

    def create_payload_index(self, collection: str, field_name: str, field_schema: qm.PayloadSchemaType) -> None:
        schema = {
            qm.PayloadSchemaType.KEYWORD: E.PayloadSchemaType.Keyword,
            qm.PayloadSchemaType.INTEGER: E.PayloadSchemaType.Integer,
            qm.PayloadSchemaType.FLOAT: E.PayloadSchemaType.Float,
        }[field_schema]
        shard = self._shards.get(collection)
        if shard is None:
            # Not loaded: at its first load (an open need not load every shard just to check its indexes).
            if not self.collection_exists(collection):
                raise KeyError(f"EdgeStore: no collection {collection}")
            self._indexes.setdefault(collection, {})[field_name] = schema
            return
        if field_name not in shard.info().payload_schema:
            shard.update(E.UpdateOperation.create_field_index(field_name, schema))

    # ----------------------------------------------------------------- writes

    def upsert(self, collection: str, points: list[qm.PointStruct], wait: bool = True) -> None:
        shard = self._shard(collection)
        if any(p.vector for p in points):
            converted = [_point(p) for p in points]
        else:
            converted = [E.Point(str(p.id), {_NO_VECTOR: E.SparseVector([], [])}, p.payload or {}) for p in points]
        shard.update(E.UpdateOperation.upsert_points(converted))
        if collection.endswith("_chunks"):
            self._mark_pending(collection, shard)

    def delete(self, collection: str, points_selector: Any, wait: bool = True) -> None:
        shard = self._shard(collection)
        if isinstance(points_selector, qm.FilterSelector):
            flt = _filter(points_selector.filter)
            if flt is None:
                raise ValueError("EdgeStore: refusing to delete by an empty filter")
            shard.update(E.UpdateOperation.delete_points_by_filter(flt))
        elif isinstance(points_selector, qm.PointIdsList):
            shard.update(E.UpdateOperation.delete_points([str(i) for i in points_selector.points]))
        else:
            raise TypeError(f"EdgeStore: unsupported selector {type(points_selector).__name__}")

    def set_payload(self, collection: str, payload: dict[str, Any], points: Any, wait: bool = True) -> None:
        shard = self._shard(collection)
        if isinstance(points, qm.Filter):
            flt = _filter(points)
            if flt is None:  # every point
                flt = E.Filter(must_not=[E.HasIdCondition(set())])
            shard.update(E.UpdateOperation.set_payload_by_filter(flt, payload))
        else:
            shard.update(E.UpdateOperation.set_payload([str(i) for i in points], payload))

    # ----------------------------------------------------------------- reads

    def retrieve(self, collection: str, ids: list[str], with_payload: Any = True) -> list[_Point]:
        got = self._shard(collection).retrieve([str(i) for i in ids], _with_payload(with_payload), False)
        return [_read(r) for r in got]

    def scroll(
        self,
        collection: str,
        scroll_filter: qm.Filter | None = None,
        limit: int = 10,
        offset: Any = None,
        with_payload: Any = True,
        with_vectors: Any = False,
        order_by: qm.OrderBy | None = None,
    ) -> tuple[list[_Point], Any]:
        order = None
        if order_by is not None:
            direction = E.Direction.Desc if order_by.direction == qm.Direction.DESC else E.Direction.Asc
            order = E.OrderBy(order_by.key, direction=direction)
        records, next_offset = self._shard(collection).scroll(
            E.ScrollRequest(
                offset=str(offset) if offset is not None else None,
                limit=limit,
                filter=_filter(scroll_filter),
                with_payload=_with_payload(with_payload),
                with_vector=with_vectors if isinstance(with_vectors, list) else bool(with_vectors),
                order_by=order,
            )
        )
        return [_read(r) for r in records], (str(next_offset) if next_offset is not None else None)

    def count(self, collection: str, count_filter: qm.Filter | None = None, exact: bool = True) -> _Count:
        return _Count(self._shard(collection).count(E.CountRequest(filter=_filter(count_filter), exact=True)))

    def query_points(
        self,
        collection: str,
        prefetch: list[qm.Prefetch],
        query: qm.RrfQuery,
        query_filter: qm.Filter | None = None,
        limit: int = 10,
        with_payload: Any = True,
        with_vectors: Any = False,
    ) -> _Points:
        params = E.SearchParams(hnsw_ef=self.hnsw_ef)
        stages = []
        for p in prefetch:
            q = cast(Any, p.query)
            vector = E.SparseVector(list(q.indices), list(q.values)) if isinstance(q, qm.SparseVector) else list(q)
            stages.append(
                E.Prefetch(
                    limit=p.limit or limit,
                    query=E.Query.Nearest(vector, using=p.using),
                    filter=_filter(p.filter),
                    params=params,
                )
            )
        got = self._shard(collection).query(
            E.QueryRequest(
                limit=limit,
                prefetches=stages,
                query=cast(Any, E.Fusion.Rrf(k=query.rrf.k or 2)),
                filter=_filter(query_filter),
                with_payload=_with_payload(with_payload),
                with_vector=with_vectors if isinstance(with_vectors, list) else bool(with_vectors),
            )
        )
        return _Points([_read(r, r.score) for r in got])

    # ----------------------------------------------------------------- HNSW when idle

    def _mark_pending(self, collection: str, shard: E.EdgeShard) -> None:
        """Schedule an HNSW build of `collection` for the next idle moment, if it holds `exact_below` passages."""
        if self._closed or shard.info().points_count < self.exact_below:
            return
        with self._idle:
            self._pending.add(collection)
            if self._optimizer is None:
                self._optimizer = threading.Thread(target=self._when_idle, name="edge-optimize", daemon=True)
                self._optimizer.start()
            self._idle.notify_all()

    def _when_idle(self) -> None:
        """Background loop: once builds are pending and the store has been idle for `idle_s`, run them."""
        while True:
            with self._idle:
                while not self._closed and not self._pending:
                    self._idle.wait()
                if self._closed:
                    return
                quiet = time.monotonic() - self._activity
                if quiet < self.idle_s:
                    self._idle.wait(self.idle_s - quiet)
                    continue
            self._optimize_pending()

    def _optimize_pending(self) -> None:
        with self._optimize_lock:
            with self._idle:
                names = sorted(self._pending)
                self._pending.clear()
            for name in names:
                shard = self._shards.get(name)
                if self._closed or shard is None:
                    continue
                try:
                    shard.optimize()
                except Exception:
                    logger.exception("Optimization of %s failed (searches stay exact)", name)
            self._activity = time.monotonic()

    def index_info(self, collection: str) -> EdgeIndexInfo:
        """See `EdgeIndexInfo`.

        :param collection: the chunks collection.
        :returns: its index state (zeros when it does not exist).
        """
        if not self.collection_exists(collection):
            return EdgeIndexInfo(0, 0, False)
        info = self._shard(collection, touch=False).info()
        with self._idle:
            pending = collection in self._pending
        return EdgeIndexInfo(info.points_count, info.indexed_vectors_count, pending)

    def hnsw_build(self, collection: str) -> HnswBuild | None:
        """The HNSW build parameters the shard persisted at its creation (`edge_config.json`), which its builds use.

        :param collection: the chunks collection.
        :returns: None when it does not exist or records none (Edge's defaults then).
        """
        try:
            config = json.loads((self._dir(collection) / "edge_config.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        hnsw = config.get("hnsw_config")
        if not hnsw:
            return None
        return HnswBuild(int(hnsw["m"]), int(hnsw["ef_construct"]), int(hnsw["full_scan_threshold"]))

    def wait_optimized(self, collection: str) -> None:
        """Run the pending HNSW builds now, in this thread (after a running one); return when none is left.

        :param collection: the chunks collection, loaded first so that a build left by an earlier run is pending.
        """
        if self.collection_exists(collection):
            self._shard(collection, touch=False)
        self._optimize_pending()

    def close(self) -> None:
        with self._idle:
            self._closed = True
            self._idle.notify_all()
        with self._optimize_lock:  # a build in progress finishes first
            for shard in self._shards.values():
                shard.flush()
                shard.close()
            self._shards.clear()
        if self._optimizer is not None:
            self._optimizer.join()


class EdgeStore(QdrantClientStore):
    """The embedded store on Qdrant Edge (see the module docstring).

    :param path: the store's folder (`<data dir>/edge`).
    :param prefix: aggregate name prefix.
    :param exact_below: passages below which searches are exact (no HNSW).
    :param hnsw_ef: HNSW search breadth above it.
    :param hnsw: HNSW build parameters of a chunks shard created by this store (an existing one keeps its own).
    :param optimize_idle_s: seconds without a read or a write before a pending HNSW build starts.
    :raises StoreLocked: another process holds this folder.
    """

    def __init__(
        self,
        *,
        path: Path,
        prefix: str = "compromisos",
        exact_below: int = 20_000,
        hnsw_ef: int = 256,
        hnsw: HnswBuild | None = None,
        optimize_idle_s: float = OPTIMIZE_IDLE_S,
    ) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self._lock_file = open(path / ".lock", "a+")  # noqa: SIM115 - held open for the store's life
        try:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            self._lock_file.close()
            raise StoreLocked(
                f"El almacén embebido en «{path}» está en uso por otro proceso (por ejemplo, el servicio). "
                "Un almacén embebido admite un solo proceso: detenga el servicio y repita, suba los archivos "
                "con POST /v1/documents, o use un servidor Qdrant (QDRANT_URL)."
            ) from exc
        self._init_names(prefix, embedded=True, state_file=path / STATE_FILE)
        self.client = _EdgeClient(  # type: ignore[assignment]
            path, exact_below=exact_below, hnsw_ef=hnsw_ef, hnsw=hnsw, idle_s=optimize_idle_s
        )

    @property
    def _indexes_payload(self) -> bool:
        return True

    def wait_optimized(self) -> None:
        """Build the pending HNSW indexes now instead of at the next idle moment; return when none is left (the end
        of a bulk load, `python -m indexing optimize`, benchmarks and tests). Other threads wait while it runs."""
        self.client.wait_optimized(self.chunks)  # type: ignore[attr-defined]

    def index_info(self) -> EdgeIndexInfo:
        """The chunks' index: passages, indexed vectors and whether an HNSW build is pending (tests, diagnostics)."""
        return self.client.index_info(self.chunks)  # type: ignore[attr-defined,no-any-return]

    def hnsw_build(self) -> HnswBuild | None:
        """The HNSW build parameters of the chunks shard, fixed when it was created (None: no chunks shard)."""
        return self.client.hnsw_build(self.chunks)  # type: ignore[attr-defined,no-any-return]

    def close(self) -> None:
        try:
            super().close()
        finally:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)
            self._lock_file.close()


__all__ = ["OPTIMIZE_IDLE_S", "EdgeIndexInfo", "EdgeStore", "HnswBuild"]
