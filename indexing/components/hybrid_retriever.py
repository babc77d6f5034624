"""Hybrid retrieval over the store: a pool of dense + BM25 candidates (RRF inside Qdrant), re-ranked by normalized
score fusion of their raw evidence (`indexing.query.retrieval`)."""

from __future__ import annotations

from typing import Any

import numpy as np
from haystack import component
from haystack.dataclasses import SparseEmbedding

from indexing.query.interpretation import Interpretation
from indexing.query.retrieval import rank_chunks
from indexing.store import Store
from indexing.types import Chunk, SearchFilters


@component
class HybridRetriever:
    """Retrieves chunks with Qdrant's Query API (prefetch dense + sparse, RRF fusion), then, given the query text,
    re-ranks a pool of them by z(dense cosine) + z(BM25 with the store's IDF) + the question's event boost.

    The store is passed in (built once per process); this component only shapes the call.

    :param store: the chunk store.
    :param candidates: candidates per branch before fusion.
    :param pool: fused candidates re-ranked (at least `top_k`).
    """

    def __init__(self, store: Store, candidates: int = 40, pool: int = 60) -> None:
        self.store = store
        self.candidates = candidates
        self.pool = pool

    @component.output_types(chunks=list[Chunk])
    def run(
        self,
        query_embedding: list[float] | np.ndarray,
        query_sparse_embedding: SparseEmbedding | None = None,
        filters: SearchFilters | None = None,
        top_k: int = 10,
        text: str | None = None,
        interpretation: Interpretation | None = None,
    ) -> dict[str, Any]:
        """
        :param query_embedding: dense query vector (an array from the pipeline: a list would be deep-copied float by
            float).
        :param query_sparse_embedding: BM25 query vector.
        :param filters: conference, doc_type, date range, document ids.
        :param top_k: results to return.
        :param text: the query text; None: the store's RRF order, unchanged.
        :param interpretation: the question's reading (its event boosts its records).
        :returns: `chunks`: best first, with their score (fused) and stored embedding.
        """
        sparse = None
        if query_sparse_embedding is not None and query_sparse_embedding.indices:
            sparse = (list(query_sparse_embedding.indices), list(query_sparse_embedding.values))
        limit = top_k if text is None else max(self.pool, top_k)
        dense = query_embedding.tolist() if isinstance(query_embedding, np.ndarray) else list(query_embedding)
        chunks = self.store.hybrid_search(
            dense, sparse, filters=filters, limit=limit, candidates=max(self.candidates, limit)
        )
        if text is not None:
            chunks = rank_chunks(
                text, dense, chunks, self.store.term_stats(), interpretation=interpretation, top_k=top_k
            )
        return {"chunks": chunks}
