"""Hybrid retrieval over the store: dense + BM25, fused with RRF inside Qdrant."""

from __future__ import annotations

from typing import Any

from haystack import component
from haystack.dataclasses import SparseEmbedding

from indexing.store import Store
from indexing.types import Chunk, SearchFilters


@component
class HybridRetriever:
    """Retrieves chunks with Qdrant's Query API (prefetch dense + sparse, RRF fusion).

    The store is passed in (built once per process); this component only shapes the call.

    :param store: the chunk store.
    :param candidates: candidates per branch before fusion.
    """

    def __init__(self, store: Store, candidates: int = 40) -> None:
        self.store = store
        self.candidates = candidates

    @component.output_types(chunks=list[Chunk])
    def run(
        self,
        query_embedding: list[float],
        query_sparse_embedding: SparseEmbedding | None = None,
        filters: SearchFilters | None = None,
        top_k: int = 10,
    ) -> dict[str, Any]:
        """
        :param query_embedding: dense query vector.
        :param query_sparse_embedding: BM25 query vector.
        :param filters: conference, doc_type, date range, document ids.
        :param top_k: results to return.
        :returns: `chunks`: best first, with fused score and stored embedding.
        """
        sparse = None
        if query_sparse_embedding is not None and query_sparse_embedding.indices:
            sparse = (list(query_sparse_embedding.indices), list(query_sparse_embedding.values))
        chunks = self.store.hybrid_search(
            query_embedding, sparse, filters=filters, limit=top_k, candidates=max(self.candidates, top_k)
        )
        return {"chunks": chunks}
