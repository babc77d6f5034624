"""Spanish BM25 sparse vectors, computed offline, compatible with Qdrant server's own BM25."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict
from haystack.dataclasses import SparseEmbedding

from indexing.components.spanish_chunker import search_text


@component
class Bm25SparseEncoder:
    """Adds a Spanish BM25 `sparse_embedding` to each document (stemming, stopwords, accent folding).

    Uses `qdrant-edge-py`'s `Bm25` with a Spanish config: term ids are hashes, so document and query vectors
    agree without a vocabulary, and term weights are term-frequency only. The collection's sparse vector uses
    Qdrant's IDF modifier, so inverse document frequency is applied at search time over the whole collection.

    :param k: term-frequency saturation.
    :param b: length normalization.
    :param avg_len: expected average chunk length in tokens (our chunks are 120–250 words).
    """

    def __init__(self, k: float = 1.2, b: float = 0.75, avg_len: float = 180.0) -> None:
        self.k = k
        self.b = b
        self.avg_len = avg_len
        self._model: Any = None

    def warm_up(self) -> None:
        """Build the BM25 model (cheap; idempotent)."""
        if self._model is None:
            from qdrant_edge import Bm25, Bm25Config

            self._model = Bm25(
                Bm25Config(k=self.k, b=self.b, avg_len=self.avg_len, language="spanish", ascii_folding=True)
            )

    def encode_document(self, text: str) -> SparseEmbedding:
        """BM25 term-frequency weights of a passage.

        :param text: the passage text.
        :returns: the sparse embedding (may be empty for text without words).
        """
        self.warm_up()
        vec = self._model.embed_document(text)
        return SparseEmbedding(indices=list(vec.indices), values=list(vec.values))

    def encode_query(self, text: str) -> SparseEmbedding:
        """Query vector: weight 1.0 per distinct term (IDF is applied by Qdrant).

        :param text: the question or search text.
        :returns: the sparse embedding (may be empty).
        """
        self.warm_up()
        vec = self._model.embed_query(text)
        return SparseEmbedding(indices=list(vec.indices), values=list(vec.values))

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        """Attach sparse embeddings.

        :param documents: chunks with text content (a table chunk is encoded from its `search_text`).
        :returns: `documents`: the same chunks (new objects) with `sparse_embedding` set.
        """
        out = []
        for doc in documents:
            out.append(replace(doc, sparse_embedding=self.encode_document(search_text(doc))))
        return {"documents": out}

    def to_dict(self) -> dict[str, Any]:
        return default_to_dict(self, k=self.k, b=self.b, avg_len=self.avg_len)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Bm25SparseEncoder:
        return default_from_dict(cls, data)
