"""The query side of Spanish BM25."""

from __future__ import annotations

from typing import Any

from haystack import component
from haystack.dataclasses import SparseEmbedding

from indexing.components.sparse_encoder import Bm25SparseEncoder


@component
class SparseQueryEncoder:
    """Encodes a query as a BM25 sparse vector (one weight per distinct Spanish term; IDF applied by Qdrant).

    :param encoder: the document-side encoder, so both sides share the same tokenizer and stemmer.
    """

    def __init__(self, encoder: Bm25SparseEncoder | None = None) -> None:
        self.encoder = encoder or Bm25SparseEncoder()

    def warm_up(self) -> None:
        self.encoder.warm_up()

    @component.output_types(sparse_embedding=SparseEmbedding)
    def run(self, text: str) -> dict[str, Any]:
        """:param text: the query. :returns: `sparse_embedding`."""
        return {"sparse_embedding": self.encoder.encode_query(text)}
