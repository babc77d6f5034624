"""The assembled engine: store, embedder, warmed pipelines, answerer. Built once per process (service lifespan,
CLI, benchmarks) and shared."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from indexing.answer import Answer, Answerer
from indexing.components.sparse_encoder import Bm25SparseEncoder
from indexing.embedders import EmbeddingBackend, make_backend
from indexing.ingest import CommitmentExtractor, Indexer
from indexing.pipelines import build_search_pipeline
from indexing.settings import Settings
from indexing.store import Store, open_store
from indexing.types import Chunk, SearchFilters

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchOutcome:
    chunks: list[Chunk]
    query_embedding: list[float]
    elapsed_ms: float


class Engine:
    """Everything a request needs, built once.

    :param settings: the configuration.
    :param store: an open store (collections checked).
    :param backend: a warmed embedding backend.
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        backend: EmbeddingBackend,
        *,
        commitment_extractor: CommitmentExtractor | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.backend = backend
        sparse = Bm25SparseEncoder()
        sparse.warm_up()
        self.indexer = Indexer(
            store,
            backend,
            max_bytes=settings.max_upload_bytes,
            min_words=settings.chunk_min_words,
            max_words=settings.chunk_max_words,
            sparse=sparse,
            commitment_extractor=commitment_extractor,
        )
        self.indexer.warm_up()
        self.search_pipeline = build_search_pipeline(
            backend, store, candidates=settings.retrieval_candidates, sparse=sparse
        )
        self.search_pipeline.warm_up()
        self.answerer = Answerer(
            backend, min_dense=settings.abstain_min_dense, min_coverage=settings.abstain_min_coverage
        )

    @classmethod
    def open(cls, settings: Settings, *, commitment_extractor: CommitmentExtractor | None = None) -> Engine:
        """Open the store, warm the model, check the collection matches the embedder, clean crash leftovers.

        :raises StoreLocked, StoreUnavailable, EmbedderMismatch: see `indexing.errors`.
        """
        backend = make_backend(settings)
        backend.warm_up()
        store = open_store(settings)
        try:
            store.open_collections(backend.name, backend.dim)
            store.recover()
        except Exception:
            store.close()
            raise
        from indexing.register import extract_for_record

        return cls(settings, store, backend, commitment_extractor=commitment_extractor or extract_for_record)

    def close(self) -> None:
        self.store.close()

    def search(self, query: str, *, top_k: int = 10, filters: SearchFilters | None = None) -> SearchOutcome:
        """Hybrid search. :returns: chunks best first, the query embedding and the time taken."""
        t0 = time.perf_counter()
        out = self.search_pipeline.run(
            {
                "dense_query": {"text": query},
                "sparse_query": {"text": query},
                "retriever": {"filters": filters, "top_k": top_k},
            },
            include_outputs_from={"dense_query"},
        )
        return SearchOutcome(
            out["retriever"]["chunks"], out["dense_query"]["embedding"], (time.perf_counter() - t0) * 1000
        )

    def ask(self, question: str, *, top_k: int = 5, filters: SearchFilters | None = None) -> Answer:
        """Extractive answer with citations, or an abstention."""
        found = self.search(question, top_k=max(top_k, 8), filters=filters)
        return self.answerer.answer(question, found.query_embedding, found.chunks, max_sentences=min(3, top_k))

    def status(self) -> dict[str, Any]:
        return {"documents": len(self.store.all_documents()), "chunks": self.store.count_chunks()}
