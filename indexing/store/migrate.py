"""Moving a data directory from qdrant-client's local mode (`<data dir>/qdrant`) to Qdrant Edge (`<data dir>/edge`)
without re-embedding: every aggregate is copied point by point, with its stored vectors (dense and sparse) and
payloads, through the same client calls both engines speak; then Edge's `recover()` finishes or removes whatever a
crash had left half-written in the source, and the term statistics are rebuilt from the copied registry.

The local-mode folder is left as it was (remove it once the Edge store has been checked).
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass

from qdrant_client import models as qm

from indexing.errors import MigrationNotPossible
from indexing.settings import Settings
from indexing.store.base import AGGREGATES
from indexing.store.edge import EdgeStore, HnswBuild
from indexing.store.qdrant import QdrantClientStore

_PAGE = 256


@dataclass(frozen=True)
class MigrationResult:
    """What `migrate_local_to_edge` copied."""

    records: int
    chunks: int
    commitments: int
    points: int
    seconds: float


def migrate_local_to_edge(settings: Settings) -> MigrationResult:
    """Copy the local-mode store under `settings.data_dir` into a new Edge store beside it.

    :param settings: the data directory, collection prefix and Edge settings.
    :returns: counts of the listed records, active chunks and commitments in the new store, and points copied.
    :raises MigrationNotPossible: there is no local-mode store, or an Edge store already exists there.
    :raises StoreLocked: another process holds the local-mode store.
    """
    local, edge = settings.data_dir / "qdrant", settings.data_dir / "edge"
    if not ((local / "collection").is_dir() and any((local / "collection").iterdir())):
        raise MigrationNotPossible(
            f"No hay un almacén del modo local de qdrant-client en «{local}»: no hay nada que migrar."
        )
    if edge.exists() and any(p.suffix == ".json" for p in edge.iterdir()):
        raise MigrationNotPossible(
            f"Ya existe un almacén de Qdrant Edge en «{edge}». Para repetir la migración, mueva o borre esa carpeta."
        )
    t0 = time.perf_counter()
    source = QdrantClientStore(path=local, prefix=settings.collection_prefix)
    try:
        if not source.client.collection_exists(source.chunks):
            raise MigrationNotPossible(f"El almacén de «{local}» no tiene la colección de pasajes «{source.chunks}».")
        meta = source.client.get_collection(source.chunks).config.metadata or {}
        target = EdgeStore(
            path=edge,
            prefix=settings.collection_prefix,
            exact_below=settings.exact_search_below,
            hnsw_ef=settings.hnsw_ef,
            hnsw=HnswBuild(m=settings.hnsw_m, ef_construct=settings.hnsw_ef_construct),
        )
        try:
            target.open_collections(str(meta["embedder"]), int(meta["dim"]))
            points = 0
            for aggregate in AGGREGATES:
                name = f"{settings.collection_prefix}_{aggregate}"
                if not source.client.collection_exists(name):
                    continue
                offset = None
                while True:
                    page, offset = source.client.scroll(
                        name, limit=_PAGE, offset=offset, with_payload=True, with_vectors=True
                    )
                    if page:
                        target.client.upsert(
                            name,
                            points=[
                                qm.PointStruct.model_construct(id=p.id, vector=p.vector or {}, payload=p.payload or {})
                                for p in page
                            ],
                            wait=True,
                        )
                        points += len(page)
                    if offset is None:
                        break
            target.recover()
            target._stats = None  # rebuilt from the copied registry by the next open
            target.open_collections(str(meta["embedder"]), int(meta["dim"]))
            result = MigrationResult(
                records=len(target.all_documents()),
                chunks=target.count_chunks(),
                commitments=len(target.commitments_payloads()),
                points=points,
                seconds=time.perf_counter() - t0,
            )
        except BaseException:
            target.close()
            shutil.rmtree(edge, ignore_errors=True)  # nothing half-copied is left to be opened as the store
            raise
        target.close()
    finally:
        source.close()
    return result


__all__ = ["MigrationResult", "migrate_local_to_edge"]
