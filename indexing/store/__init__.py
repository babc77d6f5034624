"""The chunk store. `open_store` is the one factory: a Qdrant server when `QDRANT_URL` is set, otherwise the
embedded engine under the data directory chosen by `EMBEDDED_ENGINE`. Nothing outside this package knows which
engine runs: callers see the `Store` interface (`indexing/store/base.py`)."""

from __future__ import annotations

from indexing.settings import Settings
from indexing.store.base import AGGREGATES, Store
from indexing.store.qdrant import QdrantClientStore


def open_store(settings: Settings) -> Store:
    """Open (not yet check) the store the settings point at.

    :raises StoreLocked: the embedded store is held by another process.
    :raises StoreUnavailable: the Qdrant server cannot be reached.
    """
    if settings.qdrant_url:
        return QdrantClientStore(
            url=settings.qdrant_url, api_key=settings.qdrant_api_key, prefix=settings.collection_prefix
        )
    return QdrantClientStore(path=settings.data_dir / "qdrant", prefix=settings.collection_prefix)


__all__ = ["AGGREGATES", "Store", "open_store"]
