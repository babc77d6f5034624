"""Store scale benchmark: `python -m bench.store --sizes 20000,100000,300000 [--engines edge,local,numpy] [--json]`.

Passages are built from the real sample corpus: it is indexed once with the configured embedder (cached under
`--cache`), and every synthetic passage takes a real passage's payload (text, page, offsets, title, tags), its BM25
vector and its dense embedding mixed with another passage's plus Gaussian noise (not i.i.d. random vectors).
Records of 10 passages get a conference of the sample and a date between 2018 and 2025. Queries are the dev
questions, embedded by the same model (and, beyond them, the same questions with noise).

Per engine and size, through the store interface (`open_store`, `commit_many`, `hybrid_search`):

- `load_s`: every record committed with its term counts (upserts, commit protocol), `--bulk` records per
  `commit_many` call (1000; `--bulk 1`: one `commit_document` per record, as an upload does), and the store closed
  (flush); building the records is not counted;
- `index_s`: the index build (Edge: HNSW above `EXACT_SEARCH_BELOW`), run by `wait_optimized()` after the load
  (the service runs it at its first idle moment);
- `reopen_s`, `rss_mb`: a fresh process opens the store and runs one search; its time and resident memory;
- `search_*`: dense only, no filter; `filtered_p95_ms`: dense with a conference, a date range or document ids
  (in turn); `hybrid_p95_ms`: dense + BM25 with and without those filters;
- `recall_at_10`: dense top-10 against exact (numpy) top-10 over the same vectors.

`numpy` is the exact floor: a matrix in memory, brute-force dot products (hybrid: plus a sparse matrix product and
RRF). qdrant-client's local mode (`local`) is skipped at sizes where its estimated run exceeds `--local-max-s`
(10 minutes), estimated from its per-passage load and search times at a smaller size; it says so.
With `--json` the last line printed is one JSON object: `{"edge": {"20000": {...}}, "local": {...}, "numpy": {...}}`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from haystack import Document
from haystack.dataclasses import SparseEmbedding

import indexing  # noqa: F401
from indexing import constants as K
from indexing.settings import Settings
from indexing.store import RecordCommit, Store, open_store
from indexing.term_stats import chunk_term_counts
from indexing.types import DocumentRecord, SearchFilters

ROOT = Path(__file__).resolve().parent.parent
PER_RECORD = 10
DIM_KEY = "dim"
RRF_K = 60


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))] if s else 0.0


# --------------------------------------------------------------------------- the sample, embedded once


@dataclass
class Sample:
    """The sample corpus's passages (payload, dense, sparse) and the dev questions (dense, sparse)."""

    passages: list[dict[str, Any]]
    dense: np.ndarray
    sparse: list[tuple[list[int], list[float]]]
    q_dense: np.ndarray
    q_sparse: list[tuple[list[int], list[float]]]
    conferences: list[str]
    embedder: str


def _corpus_hash() -> str:
    h = hashlib.sha256()
    for p in sorted((ROOT / "corpus" / "records").iterdir()):
        h.update(p.name.encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    h.update((ROOT / "corpus" / "manifest.json").read_bytes())
    h.update((ROOT / "corpus" / "dev_eval.jsonl").read_bytes())
    return h.hexdigest()[:16]


def load_sample(cache: Path) -> Sample:
    """The sample corpus indexed by the configured embedder (cached by corpus content and embedder)."""
    from corpus.evaluate import index_corpus, load_questions
    from indexing.components.sparse_encoder import Bm25SparseEncoder
    from indexing.engine import Engine

    cache.mkdir(parents=True, exist_ok=True)
    file = cache / f"sample-{_corpus_hash()}.npz"
    meta_file = file.with_suffix(".json")
    if file.exists() and meta_file.exists():
        data = np.load(file)
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        return Sample(
            passages=meta["passages"],
            dense=data["dense"],
            sparse=[tuple(s) for s in meta["sparse"]],  # type: ignore[misc]
            q_dense=data["q_dense"],
            q_sparse=[tuple(s) for s in meta["q_sparse"]],  # type: ignore[misc]
            conferences=meta["conferences"],
            embedder=meta["embedder"],
        )
    print("indexing the sample corpus once with the configured embedder (cached)...", file=sys.stderr)
    encoder = Bm25SparseEncoder()
    encoder.warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.open(Settings(data_dir=Path(tmp)))
        try:
            index_corpus(engine, ROOT / "corpus" / "records", ROOT / "corpus" / "manifest.json")
            chunks = [c for r in engine.store.all_documents() for c in engine.store.document_chunks(r.id)]
            questions = [q["question"] for q in load_questions(ROOT / "corpus" / "dev_eval.jsonl")]
            q_dense = np.array([engine.backend.embed_query(q) for q in questions], dtype=np.float32)
            embedder = engine.backend.name
        finally:
            engine.close()
    passages = []
    sparse = []
    for c in chunks:
        passages.append(
            {
                "text": c.text,
                "title": c.title,
                "page": c.page,
                "char_start": c.char_start,
                "char_end": c.char_end,
                "doc_type": c.doc_type,
                "tags": list(c.tags),
            }
        )
        s = encoder.encode_document(f"{c.title}\n{c.text}")
        sparse.append((list(s.indices), list(s.values)))
    q_sparse = []
    for q in questions:
        s = encoder.encode_query(q)
        q_sparse.append((list(s.indices), list(s.values)))
    dense = np.array([c.embedding for c in chunks], dtype=np.float32)
    conferences = sorted({c.conference for c in chunks if c.conference})
    np.savez(file, dense=dense, q_dense=q_dense)
    meta_file.write_text(
        json.dumps(
            {
                "passages": passages,
                "sparse": sparse,
                "q_sparse": q_sparse,
                "conferences": conferences,
                "embedder": embedder,
            }
        ),
        encoding="utf-8",
    )
    return load_sample(cache)


# --------------------------------------------------------------------------- the synthetic archive


@dataclass
class Archive:
    """N passages built from the sample: vectors, sources, record of each passage, queries and their filters."""

    vectors: np.ndarray
    source: np.ndarray
    conference: list[str]
    date: list[str]
    queries: np.ndarray
    q_sparse: list[tuple[list[int], list[float]]]
    filters: list[SearchFilters]
    kinds: list[str]


def _normalize(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


NOISE_KINDS = ("sample", "iso")


def build_archive(
    sample: Sample, n: int, queries: int, seed: int = 7, noise: float = 1.0, kind: str = "sample"
) -> Archive:
    """`n` passages: each a real passage's vector plus another's times U(0, 0.5), plus noise, normalized.

    :param noise: noise scale.
    :param kind: `sample` (default): Gaussian noise with the real passages' own covariance, times `noise`: it stays
        in the subspace real embeddings span (effective dimension ~37 of 384 on the sample), and at 1.0 the median
        cosine of two passages is 0.85 against 0.88 between real passages. `iso`: isotropic Gaussian noise of norm
        `noise` (the generator before session 5, at 0.6): it adds 384 equally strong random directions, the median
        pair cosine drops to 0.73 and every passage's nearest neighbour is about as far as its 100th, the hardest
        case for an approximate index and unlike real embeddings (see the README).
    """
    if kind not in NOISE_KINDS:
        raise ValueError(f"noise kind {kind!r}")
    rng = np.random.default_rng(seed)
    m, dim = sample.dense.shape
    centred = sample.dense - sample.dense.mean(axis=0)
    _, spread, axes = np.linalg.svd(centred, full_matrices=False)
    source = rng.integers(0, m, size=n)
    other = rng.integers(0, m, size=n)
    mix = rng.uniform(0.0, 0.5, size=(n, 1)).astype(np.float32)
    vectors = np.empty((n, dim), dtype=np.float32)
    step = 50_000
    for i in range(0, n, step):
        j = slice(i, min(n, i + step))
        if kind == "iso":
            jitter = rng.standard_normal((j.stop - j.start, dim)).astype(np.float32) * (noise / np.sqrt(dim))
        else:
            z = rng.standard_normal((j.stop - j.start, len(spread))).astype(np.float32)
            jitter = noise * ((z * (spread / np.sqrt(m)).astype(np.float32)) @ axes.astype(np.float32))
        vectors[j] = _normalize(sample.dense[source[j]] + mix[j] * sample.dense[other[j]] + jitter)
    records = (n + PER_RECORD - 1) // PER_RECORD
    conf = [sample.conferences[r % len(sample.conferences)] for r in range(records)]
    years = rng.integers(2018, 2026, size=records)
    months = rng.integers(1, 13, size=records)
    date = [f"{y}-{mo:02d}-15" for y, mo in zip(years.tolist(), months.tolist(), strict=True)]
    qn = len(sample.q_dense)
    pick = np.arange(queries) % qn
    q = sample.q_dense[pick].copy()
    extra = np.arange(queries) >= qn
    q[extra] += rng.standard_normal((int(extra.sum()), dim)).astype(np.float32) * (0.3 / np.sqrt(dim))
    q = _normalize(q)
    filters: list[SearchFilters] = []
    kinds = [FILTER_KINDS[i % 3] for i in range(queries)]
    for i, kind in enumerate(kinds):
        if kind == "conference":
            filters.append(SearchFilters(conference=sample.conferences[i % len(sample.conferences)]))
        elif kind == "date":
            filters.append(SearchFilters(date_from="2020-01-01", date_to="2021-12-31"))
        else:
            ids = rng.choice(records, size=min(records, 20), replace=False)
            filters.append(SearchFilters(document_ids=tuple(_doc_id(int(r)) for r in ids)))
    return Archive(vectors, source, conf, date, q, [sample.q_sparse[i] for i in pick.tolist()], filters, kinds)


FILTER_KINDS = ("conference", "date", "ids")


def filter_mask(archive: Archive, f: SearchFilters | None) -> np.ndarray | None:
    """The passages a filter keeps (None: all), computed from the archive's own columns."""
    if f is None:
        return None
    n = len(archive.vectors)
    if f.conference:
        return np.repeat(np.array(archive.conference) == f.conference, PER_RECORD)[:n]
    if f.date_from:
        days = np.repeat(np.array([int(d.replace("-", "")) for d in archive.date]), PER_RECORD)[:n]
        return (days >= int(f.date_from.replace("-", ""))) & (days <= int((f.date_to or "9999").replace("-", "")))
    wanted = np.array([int(d.removeprefix("bench")) for d in f.document_ids or ()])
    return np.isin(np.arange(n) // PER_RECORD, wanted)


def neighbour_similarity(vectors: np.ndarray, probes: int = 300, seed: int = 3) -> dict[str, float]:
    """Cosine similarity of passages to their nearest other passage (median, p10, p90) over `probes` random passages:
    how crowded the space is, the quantity that makes an approximate top-10 hard (compare the real sample's)."""
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(vectors), size=min(probes, len(vectors)), replace=False)
    best = np.empty(len(picked), dtype=np.float32)
    for i in range(0, len(picked), 50):
        rows = picked[i : i + 50]
        sims = vectors[rows] @ vectors.T
        sims[np.arange(len(rows)), rows] = -np.inf
        best[i : i + 50] = sims.max(axis=1)
    return {
        f"nn_{name}": round(float(np.quantile(best, q)), 3) for name, q in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9))
    }


def _doc_id(r: int) -> str:
    return f"bench{r:07d}"


def _record_docs(sample: Sample, archive: Archive, r: int) -> tuple[DocumentRecord, list[Document]]:
    doc_id = _doc_id(r)
    start, stop = r * PER_RECORD, min(len(archive.vectors), (r + 1) * PER_RECORD)
    chunks = []
    first = sample.passages[int(archive.source[start])]
    for k, i in enumerate(range(start, stop)):
        src = int(archive.source[i])
        p = sample.passages[src]
        indices, values = sample.sparse[src]
        chunks.append(
            Document(
                id=f"{doc_id}:{k}",
                content=p["text"],
                embedding=archive.vectors[i].tolist(),
                sparse_embedding=SparseEmbedding(indices=indices, values=values),
                meta={
                    K.DOCUMENT_ID: doc_id,
                    K.FILENAME: f"{doc_id}.pdf",
                    K.TITLE: p["title"],
                    K.PAGE: p["page"],
                    K.CHAR_START: p["char_start"],
                    K.CHAR_END: p["char_end"],
                    K.CHUNK_INDEX: k,
                    K.CONFERENCE: archive.conference[r],
                    K.DOC_TYPE: p["doc_type"],
                    K.DATE: archive.date[r],
                    K.TAGS: p["tags"],
                },
            )
        )
    record = DocumentRecord(
        doc_id,
        f"{doc_id}.pdf",
        first["title"],
        pages=max(c.meta[K.PAGE] for c in chunks),
        chunks=len(chunks),
        date=archive.date[r],
        conference=archive.conference[r],
        doc_type=first["doc_type"],
    )
    return record, chunks


def _index_of(chunk_id: str) -> int:
    doc, k = chunk_id.rsplit(":", 1)
    return int(doc.removeprefix("bench")) * PER_RECORD + int(k)


def exact_top10(archive: Archive, *, filtered: bool = False) -> list[set[int]]:
    """Exact dense top-10 of every query (with its filter when `filtered`), by dot products over the same vectors."""
    out = []
    for q, f in zip(archive.queries, archive.filters, strict=True):
        scores = archive.vectors @ q
        mask = filter_mask(archive, f) if filtered else None
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        k = min(10, int(np.isfinite(scores).sum()))
        top = np.argpartition(-scores, k)[:k] if k < len(scores) else np.arange(len(scores))
        out.append({int(i) for i in top.tolist() if np.isfinite(scores[i])})
    return out


# --------------------------------------------------------------------------- engines


@dataclass(frozen=True)
class Hnsw:
    """The HNSW settings of a run: search breadths to measure (the first is the headline) and build parameters."""

    efs: tuple[int, ...] = (256,)
    m: int = 16
    ef_construct: int = 100


def _settings(data_dir: Path, engine: str, hnsw: Hnsw = Hnsw(), ef: int | None = None) -> Settings:
    return Settings(  # type: ignore[call-arg]
        data_dir=data_dir,
        collection_prefix="bench",
        embedded_engine=engine,
        hnsw_ef=ef or hnsw.efs[0],
        hnsw_m=hnsw.m,
        hnsw_ef_construct=hnsw.ef_construct,
        _env_file=None,
    )


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="utf-8") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reopen_child(data_dir: Path, engine: str, embedder: str, dim: int, query: list[float]) -> dict[str, float]:
    """In this (fresh) process: open the store, run one search; the time and the resident memory after it."""
    marks = [time.perf_counter()]
    store = open_store(_settings(data_dir, engine))
    marks.append(time.perf_counter())
    store.open_collections(embedder, dim, create=False)
    marks.append(time.perf_counter())
    store.recover()
    marks.append(time.perf_counter())
    store.hybrid_search(query, None, limit=10)
    marks.append(time.perf_counter())
    rss = _rss_mb()
    store.hybrid_search(query, None, limit=10)
    second = time.perf_counter() - marks[-1]
    store.close()
    spans = {
        f"reopen_{name}_s": b - a
        for name, a, b in zip(("open", "collections", "recover", "first_search"), marks, marks[1:], strict=False)
    }
    return {"reopen_s": marks[-1] - marks[0], "rss_mb": rss, **spans, "reopen_second_search_s": second}


def _reopen(data_dir: Path, engine: str, embedder: str, dim: int, query: list[float]) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"data_dir": str(data_dir), "engine": engine, "embedder": embedder, "dim": dim, "query": query}, f)
    try:
        out = subprocess.run(
            [sys.executable, "-m", "bench.store", "--reopen-child", f.name],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "HAYSTACK_TELEMETRY_ENABLED": "False"},
        )
    finally:
        os.unlink(f.name)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_store(
    engine: str,
    sample: Sample,
    archive: Archive,
    truth: Truth,
    tmp: Path,
    bulk: int,
    hnsw: Hnsw = Hnsw(),
) -> dict[str, Any]:
    n, dim = archive.vectors.shape
    data_dir = tmp / f"{engine}-{n}"
    store: Store = open_store(_settings(data_dir, engine, hnsw))
    store.open_collections(sample.embedder, dim)
    records = (n + PER_RECORD - 1) // PER_RECORD
    load_s = load_cpu_s = 0.0
    for start in range(0, records, bulk):
        # Building the records is the caller's work, not the store's: timed apart.
        batch = []
        for r in range(start, min(records, start + bulk)):
            record, chunks = _record_docs(sample, archive, r)
            batch.append(RecordCommit(record, chunks, terms=chunk_term_counts(c.content or "" for c in chunks)))
        t0, c0 = time.perf_counter(), time.process_time()
        if bulk == 1:
            store.commit_document(batch[0].record, batch[0].chunks, terms=batch[0].terms)
        else:
            store.commit_many(batch)
        load_s += time.perf_counter() - t0
        load_cpu_s += time.process_time() - c0
    print(f"{engine} {n}: loaded in {load_s:.1f} s, building the index...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    store.wait_optimized()
    index_s = time.perf_counter() - t0
    print(f"{engine} {n}: index built in {index_s:.1f} s", file=sys.stderr, flush=True)
    t0, c0 = time.perf_counter(), time.process_time()
    store.close()
    load_s += time.perf_counter() - t0
    load_cpu_s += time.process_time() - c0
    reopened = _reopen(data_dir, engine, sample.embedder, dim, archive.queries[0].tolist())
    out: dict[str, Any] = {"load_s": load_s, "load_cpu_s": load_cpu_s, "index_s": index_s, **reopened}
    sweep = {}
    # Each search breadth on the same store (reopened with that `HNSW_EF`: a search-time setting).
    for ef in hnsw.efs if engine == "edge" else hnsw.efs[:1]:
        store = open_store(_settings(data_dir, engine, hnsw, ef))
        store.open_collections(sample.embedder, dim, create=False)
        store.recover()
        try:
            # A build a reopen may have left pending runs now, not inside the timed searches; then one untimed
            # pass over every query, so that the first breadth measured does not pay the pages the others reuse.
            store.wait_optimized()
            _searches(store, archive, truth)
            sweep[str(ef)] = _searches(store, archive, truth)
        finally:
            store.close()
    out.update(sweep[str(hnsw.efs[0])])
    if len(sweep) > 1:
        out["ef_sweep"] = sweep
    return out


@dataclass
class Truth:
    """Exact top-10 of each query, unfiltered and with its filter."""

    plain: list[set[int]]
    filtered: list[set[int]]


def _recall(got: list[int], exact: set[int]) -> float:
    return len(set(got) & exact) / len(exact) if exact else 1.0


def _summary(
    archive: Archive,
    plain: list[float],
    filtered: list[float],
    hybrid: list[float],
    recall: list[float],
    filtered_recall: list[float],
) -> dict[str, float]:
    out = {
        "search_p50_ms": pct(plain, 0.5),
        "search_p95_ms": pct(plain, 0.95),
        "filtered_p50_ms": pct(filtered, 0.5),
        "filtered_p95_ms": pct(filtered, 0.95),
        "hybrid_p50_ms": pct(hybrid, 0.5),
        "hybrid_p95_ms": pct(hybrid, 0.95),
        "recall_at_10": float(np.mean(recall)),
        "filtered_recall_at_10": float(np.mean(filtered_recall)),
    }
    for kind in FILTER_KINDS:
        times = [t for t, k in zip(filtered, archive.kinds, strict=True) if k == kind]
        out[f"filtered_{kind}_p95_ms"] = pct(times, 0.95)
    return out


def _searches(store: Store, archive: Archive, truth: Truth) -> dict[str, float]:
    plain, filtered, hybrid, recall, filtered_recall = [], [], [], [], []
    store.hybrid_search(archive.queries[0].tolist(), None, limit=10)  # warm
    for i, (q, sparse, flt) in enumerate(zip(archive.queries, archive.q_sparse, archive.filters, strict=True)):
        dense = q.tolist()
        t0 = time.perf_counter()
        got = store.hybrid_search(dense, None, limit=10)
        plain.append((time.perf_counter() - t0) * 1000)
        recall.append(_recall([_index_of(c.chunk_id) for c in got], truth.plain[i]))
        t0 = time.perf_counter()
        got = store.hybrid_search(dense, None, limit=10, filters=flt)
        filtered.append((time.perf_counter() - t0) * 1000)
        filtered_recall.append(_recall([_index_of(c.chunk_id) for c in got], truth.filtered[i]))
        for f in (None, flt):
            t0 = time.perf_counter()
            store.hybrid_search(dense, sparse, limit=10, filters=f)
            hybrid.append((time.perf_counter() - t0) * 1000)
    return _summary(archive, plain, filtered, hybrid, recall, filtered_recall)


def run_numpy(sample: Sample, archive: Archive, truth: Truth, tmp: Path) -> dict[str, float]:
    """The exact floor: dense dot products over a matrix; sparse by a CSR product with IDF; RRF in Python."""
    from scipy import sparse as sp

    n, dim = archive.vectors.shape
    t0 = time.perf_counter()
    matrix = np.ascontiguousarray(archive.vectors)
    # Term ids are hashes: number them densely.
    vocab: dict[int, int] = {}
    for idx, _ in sample.sparse:
        for t in idx:
            vocab.setdefault(t, len(vocab))
    rows, cols, vals = [], [], []
    for i, src in enumerate(archive.source.tolist()):
        idx, val = sample.sparse[src]
        rows.extend([i] * len(idx))
        cols.extend(vocab[t] for t in idx)
        vals.extend(val)
    width = max(1, len(vocab))
    bm25 = sp.csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=(n, width))
    df = np.bincount(bm25.indices, minlength=width)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    load_s = time.perf_counter() - t0
    file = tmp / f"numpy-{n}.npy"
    np.save(file, matrix)
    t0 = time.perf_counter()
    reloaded = np.load(file)
    reopen_s = time.perf_counter() - t0
    rss_mb = (reloaded.nbytes + bm25.data.nbytes + bm25.indices.nbytes + bm25.indptr.nbytes) / 2**20
    del reloaded

    def mask_of(f: SearchFilters | None) -> np.ndarray | None:
        return filter_mask(archive, f)

    def dense_top(q: np.ndarray, mask: np.ndarray | None, k: int) -> list[int]:
        scores = matrix @ q
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        top = np.argpartition(-scores, k)[:k]
        return top[np.argsort(-scores[top])].tolist()

    def hybrid(q: np.ndarray, s: tuple[list[int], list[float]], mask: np.ndarray | None) -> list[int]:
        ranks: dict[int, float] = {}
        for rank, i in enumerate(dense_top(q, mask, 40)):
            ranks[i] = ranks.get(i, 0.0) + 1 / (RRF_K + rank + 1)
        pairs = [(vocab[t], v) for t, v in zip(s[0], s[1], strict=True) if t in vocab]
        if pairs:
            idx = [i for i, _ in pairs]
            weights = np.zeros(width, dtype=np.float32)
            weights[idx] = np.array([v for _, v in pairs], dtype=np.float32) * idf[idx]
            scores = bm25 @ weights
            if mask is not None:
                scores = np.where(mask, scores, 0.0)
            top = np.argpartition(-scores, 40)[:40]
            top = top[np.argsort(-scores[top])]
            for rank, i in enumerate(x for x in top.tolist() if scores[x] > 0):
                ranks[i] = ranks.get(i, 0.0) + 1 / (RRF_K + rank + 1)
        return sorted(ranks, key=lambda i: -ranks[i])[:10]

    plain, filtered, hyb, recall, filtered_recall = [], [], [], [], []
    for i, (q, s, f) in enumerate(zip(archive.queries, archive.q_sparse, archive.filters, strict=True)):
        t0 = time.perf_counter()
        got = dense_top(q, None, 10)
        plain.append((time.perf_counter() - t0) * 1000)
        recall.append(_recall(got, truth.plain[i]))
        t0 = time.perf_counter()
        mask = mask_of(f)
        got = dense_top(q, mask, min(10, int(mask.sum())) if mask is not None else 10)
        filtered.append((time.perf_counter() - t0) * 1000)
        filtered_recall.append(_recall(got, truth.filtered[i]))
        for flt in (None, f):
            t0 = time.perf_counter()
            hybrid(q, s, mask_of(flt))
            hyb.append((time.perf_counter() - t0) * 1000)
    return {
        "load_s": load_s,
        "index_s": 0.0,
        "reopen_s": reopen_s,
        "rss_mb": rss_mb,
        **_summary(archive, plain, filtered, hyb, recall, filtered_recall),
    }


# --------------------------------------------------------------------------- report

FIELDS = (
    ("load_s", "load s", "{:.1f}"),
    ("load_cpu_s", "load CPU s", "{:.1f}"),
    ("index_s", "index s", "{:.1f}"),
    ("reopen_s", "reopen s", "{:.2f}"),
    ("rss_mb", "RSS MB", "{:.0f}"),
    ("search_p50_ms", "search p50", "{:.1f}"),
    ("search_p95_ms", "search p95", "{:.1f}"),
    ("filtered_p95_ms", "filtered p95", "{:.1f}"),
    ("filtered_conference_p95_ms", " conference", "{:.1f}"),
    ("filtered_date_p95_ms", " date range", "{:.1f}"),
    ("filtered_ids_p95_ms", " document ids", "{:.1f}"),
    ("hybrid_p95_ms", "hybrid p95", "{:.1f}"),
    ("recall_at_10", "recall@10", "{:.3f}"),
    ("filtered_recall_at_10", "filt. recall", "{:.3f}"),
    ("load_avg", "load average", "{:.1f}"),
)


def table(results: dict[str, dict[str, dict[str, Any]]]) -> str:
    columns = [(e, s) for e, by_size in results.items() for s in by_size]
    head = f"{'':14}" + "".join(f"{e + ' ' + s:>16}" for e, s in columns)
    lines = [head]
    for key, label, fmt in FIELDS:
        cells = [results[e][s].get(key) for e, s in columns]
        lines.append(f"{label:14}" + "".join(f"{'—' if v is None else fmt.format(v):>16}" for v in cells))
    for e, s in columns:
        for ef, got in (results[e][s].get("ef_sweep") or {}).items():
            lines.append(
                f"{e} {s} HNSW_EF {ef}: recall@10 {got['recall_at_10']:.3f}, filtered recall@10 "
                f"{got['filtered_recall_at_10']:.3f}, dense p50/p95 {got['search_p50_ms']:.1f}/"
                f"{got['search_p95_ms']:.1f} ms, filtered p50/p95 {got['filtered_p50_ms']:.1f}/"
                f"{got['filtered_p95_ms']:.1f} ms, hybrid p95 {got['hybrid_p95_ms']:.1f} ms"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.store")
    parser.add_argument("--sizes", default="20000,100000,300000")
    parser.add_argument("--engines", default="edge,local,numpy")
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument(
        "--bulk", type=int, default=1000, help="records per commit_many call (1: one commit_document per record)"
    )
    parser.add_argument("--local-max-s", type=float, default=600.0, help="skip local mode above this estimate")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "compromisos-bench-store")
    parser.add_argument("--ef", default="256", help="HNSW_EF values to search with, the first is the headline")
    parser.add_argument("--hnsw-m", type=int, default=16, help="HNSW_M of the Edge store built")
    parser.add_argument("--ef-construct", type=int, default=100, help="HNSW_EF_CONSTRUCT of the Edge store built")
    parser.add_argument("--noise", type=float, default=1.0, help="scale of the noise added to each passage")
    parser.add_argument("--noise-kind", choices=NOISE_KINDS, default="sample", help="see build_archive")
    parser.add_argument("--keep", type=Path, default=None, help="build the stores in this folder and keep them")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--reopen-child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.reopen_child:
        spec = json.loads(args.reopen_child.read_text(encoding="utf-8"))
        print(
            json.dumps(
                reopen_child(Path(spec["data_dir"]), spec["engine"], spec["embedder"], spec["dim"], spec["query"])
            )
        )
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    engines = [e.strip() for e in args.engines.split(",")]
    sample = load_sample(args.cache)
    print(f"sample: {len(sample.passages)} passages, {len(sample.q_dense)} questions, embedder {sample.embedder}")
    hnsw = Hnsw(tuple(int(x) for x in args.ef.split(",")), args.hnsw_m, args.ef_construct)
    print(f"sample nearest-neighbour cosine: {neighbour_similarity(sample.dense)}", flush=True)
    results: dict[str, dict[str, dict[str, Any]]] = {e: {} for e in engines}
    skipped: list[str] = []
    local_rate: tuple[float, float] | None = None  # (load s per passage, one query round in s per passage)
    with tempfile.TemporaryDirectory(dir=args.cache) as tmp_name:
        tmp = Path(tmp_name) if args.keep is None else args.keep
        tmp.mkdir(parents=True, exist_ok=True)
        for n in sorted(sizes):
            archive = build_archive(sample, n, args.queries, noise=args.noise, kind=args.noise_kind)
            truth = Truth(exact_top10(archive), exact_top10(archive, filtered=True))
            nn = neighbour_similarity(archive.vectors)
            print(f"archive {n} (noise {args.noise_kind} {args.noise}) nearest-neighbour cosine: {nn}", flush=True)
            for engine in engines:
                if engine == "local" and local_rate is not None:
                    estimate = n * (local_rate[0] + local_rate[1])
                    if estimate > args.local_max_s:
                        skipped.append(
                            f"local {n}: skipped (estimated {estimate / 60:.0f} min > {args.local_max_s / 60:.0f} min)"
                        )
                        print(skipped[-1], flush=True)
                        continue
                print(f"{engine} {n}...", file=sys.stderr, flush=True)
                t0 = time.perf_counter()
                if engine == "numpy":
                    got = run_numpy(sample, archive, truth, tmp)
                else:
                    got = run_store(engine, sample, archive, truth, tmp, args.bulk, hnsw)
                    for leftover in tmp.glob(f"{engine}-{n}") if args.keep is None else ():
                        import shutil

                        shutil.rmtree(leftover, ignore_errors=True)
                if engine == "local":
                    total = time.perf_counter() - t0
                    local_rate = (got["load_s"] / n, max(0.0, total - got["load_s"]) / n)
                got["load_avg"] = os.getloadavg()[0]
                results[engine][str(n)] = got
                print(
                    f"{engine} {n}: " + ", ".join(f"{k} {v:.3g}" for k, v in got.items() if isinstance(v, float | int)),
                    flush=True,
                )
    results = {e: r for e, r in results.items() if r}
    print(table(results))
    for line in skipped:
        print(line)
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
