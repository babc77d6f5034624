"""The chunk store. `open_store` is the one factory: a Qdrant server when `QDRANT_URL` is set, otherwise the
embedded engine under the data directory chosen by `EMBEDDED_ENGINE` (Qdrant Edge by default; qdrant-client's local
mode is kept for the congruence tests). Nothing outside this package knows which engine runs: callers see the
`Store` interface (`indexing/store/base.py`)."""

from __future__ import annotations

from indexing.errors import StoreNeedsMigration
from indexing.settings import Settings
from indexing.store.base import AGGREGATES, RecordCommit, Store
from indexing.store.edge import EdgeStore, HnswBuild
from indexing.store.qdrant import QdrantClientStore


def open_store(settings: Settings) -> Store:
    """Open (not yet check) the store the settings point at.

    :raises StoreLocked: the embedded store is held by another process.
    :raises StoreUnavailable: the Qdrant server cannot be reached.
    :raises StoreNeedsMigration: Edge is configured, but the data directory holds only a local-mode store.
    """
    if settings.qdrant_url:
        return QdrantClientStore(
            url=settings.qdrant_url, api_key=settings.qdrant_api_key, prefix=settings.collection_prefix
        )
    if settings.embedded_engine == "local":
        return QdrantClientStore(path=settings.data_dir / "qdrant", prefix=settings.collection_prefix)
    local, edge = settings.data_dir / "qdrant", settings.data_dir / "edge"
    if not edge.exists() and (local / "collection").is_dir() and any((local / "collection").iterdir()):
        raise StoreNeedsMigration(
            f"El directorio de datos «{settings.data_dir}» contiene un almacén del modo local de qdrant-client "
            f"(«{local}»), no de Qdrant Edge, el motor embebido por defecto. Para seguir usándolo tal cual, defina "
            "EMBEDDED_ENGINE=local; para pasar a Edge sin volver a calcular los embeddings, detenga el servicio y "
            f"ejecute `python -m indexing migrate --data-dir {settings.data_dir}`."
        )
    return EdgeStore(
        path=edge,
        prefix=settings.collection_prefix,
        exact_below=settings.exact_search_below,
        hnsw_ef=settings.hnsw_ef,
        hnsw=HnswBuild(m=settings.hnsw_m, ef_construct=settings.hnsw_ef_construct),
    )


def _implements(edge: EdgeStore, client: QdrantClientStore) -> tuple[Store, Store]:
    """Static check (mypy): both implementations satisfy the interface."""
    return edge, client


__all__ = ["AGGREGATES", "RecordCommit", "Store", "open_store"]
