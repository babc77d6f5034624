"""Dense embedding components, run without a pipeline against a recording fake backend."""

from __future__ import annotations

import numpy as np
from haystack import Document

from indexing.components.dense_embedders import DenseDocumentEmbedder, DenseQueryEmbedder


class RecordingBackend:
    name = "recording"
    dim = 2

    def __init__(self) -> None:
        self.passages: list[list[str]] = []
        self.queries: list[str] = []

    def warm_up(self) -> None: ...

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return [1.0, 0.0]

    def embed_passages(self, texts: list[str], *, query_time: bool = False) -> list[list[float]]:
        self.passages.append(list(texts))
        return [[float(len(t)), 1.0] for t in texts]


class TestDenseDocumentEmbedder:
    def test_batches_and_title_context(self) -> None:
        backend = RecordingBackend()
        docs = [Document(id=f"d:{i}", content=f"texto {i}", meta={"title": "Acta"}) for i in range(3)]
        out = DenseDocumentEmbedder(backend, batch_size=2, meta_fields_to_embed=["title"]).run(documents=docs)
        assert backend.passages == [["Acta\ntexto 0", "Acta\ntexto 1"], ["Acta\ntexto 2"]]
        assert [d.embedding for d in out["documents"]] == [[12.0, 1.0]] * 3
        assert [d.content for d in out["documents"]] == ["texto 0", "texto 1", "texto 2"]  # stored text unchanged
        assert docs[0].embedding is None

    def test_without_meta_fields(self) -> None:
        backend = RecordingBackend()
        DenseDocumentEmbedder(backend).run(documents=[Document(content="solo", meta={"title": "T"})])
        assert backend.passages == [["solo"]]


class TestDenseQueryEmbedder:
    def test_query_mode(self) -> None:
        backend = RecordingBackend()
        out = DenseQueryEmbedder(backend).run(text="¿Cuánto?")
        assert out["embedding"] == [1.0, 0.0]
        assert out["vector"].tolist() == [1.0, 0.0]
        assert out["vector"].dtype == np.float32 and not out["vector"].flags.writeable
        assert backend.queries == ["¿Cuánto?"]
