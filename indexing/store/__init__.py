"""The chunk store. `open_store` is the one factory: embedded Qdrant under the data directory, or a Qdrant server
when `QDRANT_URL` is set. Nothing outside this package knows which engine runs."""

from __future__ import annotations

from indexing.settings import Settings
from indexing.store.qdrant import QdrantStore

Store = QdrantStore


def open_store(settings: Settings) -> Store:
    """Open (not yet check) the store the settings point at.

    :raises StoreLocked: the embedded store is held by another process.
    :raises StoreUnavailable: the Qdrant server cannot be reached.
    """
    if settings.qdrant_url:
        return QdrantStore(url=settings.qdrant_url, api_key=settings.qdrant_api_key, prefix=settings.collection_prefix)
    return QdrantStore(path=settings.data_dir / "qdrant", prefix=settings.collection_prefix)


__all__ = ["Store", "open_store"]
