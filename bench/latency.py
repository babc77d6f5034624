"""Search and ask latency: `python -m bench.latency [--synthetic N] [--data-dir D]`.

1. Sample corpus: index it, then time /search and /ask code paths (engine calls, no HTTP) over the dev questions.
2. Synthetic store of N chunks (default 20,000) with random unit vectors and random BM25 terms, written straight
   into the store (no model: this part measures the store), then hybrid search with and without a filter.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from haystack import Document
from haystack.dataclasses import SparseEmbedding

import indexing  # noqa: F401
from indexing import constants as K
from indexing.engine import Engine
from indexing.settings import Settings
from indexing.store import open_store
from indexing.types import DocumentRecord, SearchFilters

ROOT = Path(__file__).resolve().parent.parent


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def sample_corpus(data_dir: Path | None = None) -> None:
    """Time search and ask over the dev questions on the dev records (indexed into `data_dir`, reused when it
    already holds them; a temporary directory by default). Prints p50/p95 and the load average: figures measured
    while other work runs are upper bounds."""
    from corpus.evaluate import index_corpus, load_questions

    questions = [q["question"] for q in load_questions(ROOT / "corpus" / "dev_eval.jsonl")]
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.open(Settings(data_dir=data_dir or Path(tmp)))
        try:
            index_corpus(engine, ROOT / "corpus" / "records", ROOT / "corpus" / "manifest.json")
            n_chunks = engine.store.count_chunks()
            engine.search("calentamiento")  # warm caches
            s_ms, a_ms, e_ms = [], [], []
            for q in questions:
                t0 = time.perf_counter()
                engine.backend.embed_query(q)
                e_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                engine.search(q, top_k=10)
                s_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                engine.ask(q)
                a_ms.append((time.perf_counter() - t0) * 1000)
        finally:
            engine.close()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"sample corpus: {n_chunks} chunks, {len(questions)} questions (load {load}, {os.cpu_count()} CPUs)")
    print(f"  query embedding   p50 {pct(e_ms, 0.5):7.1f} ms   p95 {pct(e_ms, 0.95):7.1f} ms")
    print(f"  search            p50 {pct(s_ms, 0.5):7.1f} ms   p95 {pct(s_ms, 0.95):7.1f} ms")
    print(f"  ask               p50 {pct(a_ms, 0.5):7.1f} ms   p95 {pct(a_ms, 0.95):7.1f} ms")


def synthetic(n: int, dim: int = 384, queries: int = 50, engine: str = "edge") -> None:
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), collection_prefix="bench", embedded_engine=engine, _env_file=None)  # type: ignore[call-arg]
        store = open_store(settings)
        store.open_collections("synthetic", dim)
        t0 = time.perf_counter()
        per_doc = 100
        for d in range(n // per_doc):
            doc_id = f"doc{d:05d}"
            conference = ["bruselas-2019", "conferencia-2020", "canada-2021", "bruselas-2023"][d % 4]
            vecs = rng.standard_normal((per_doc, dim)).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            chunks = []
            for i in range(per_doc):
                terms = sorted(set(rng.integers(0, 50_000, size=60).tolist()))
                chunks.append(
                    Document(
                        id=f"{doc_id}:{i}",
                        content=f"pasaje sintético {i}",
                        embedding=vecs[i].tolist(),
                        sparse_embedding=SparseEmbedding(indices=terms, values=[1.0] * len(terms)),
                        meta={
                            K.DOCUMENT_ID: doc_id,
                            K.FILENAME: f"{doc_id}.txt",
                            K.TITLE: doc_id,
                            K.PAGE: 1 + i // 5,
                            K.CHAR_START: 0,
                            K.CHAR_END: 20,
                            K.CHUNK_INDEX: i,
                            K.CONFERENCE: conference,
                            K.DATE: "2023-03-17",
                        },
                    )
                )
            store.commit_document(DocumentRecord(doc_id, f"{doc_id}.txt", doc_id, 20, per_doc), chunks)
        load = time.perf_counter() - t0
        plain, filtered = [], []
        for _ in range(queries):
            q = rng.standard_normal(dim).astype(np.float32)
            q /= np.linalg.norm(q)
            sparse = (sorted(set(rng.integers(0, 50_000, size=6).tolist())), [1.0] * 6)
            sparse = (sparse[0], [1.0] * len(sparse[0]))
            t0 = time.perf_counter()
            store.hybrid_search(q.tolist(), sparse, limit=10)
            plain.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            store.hybrid_search(q.tolist(), sparse, limit=10, filters=SearchFilters(conference="canada-2021"))
            filtered.append((time.perf_counter() - t0) * 1000)
        store.close()
    print(f"synthetic store: {n} chunks of dim {dim} (embedded {engine}), loaded in {load:.0f} s")
    print(f"  hybrid search     p50 {pct(plain, 0.5):7.1f} ms   p95 {pct(plain, 0.95):7.1f} ms")
    print(f"  + filter          p50 {pct(filtered, 0.5):7.1f} ms   p95 {pct(filtered, 0.95):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.latency")
    parser.add_argument("--synthetic", type=int, default=20_000)
    parser.add_argument("--skip-sample", action="store_true")
    parser.add_argument("--data-dir", type=Path, default=None, help="Index the sample corpus here and reuse it.")
    parser.add_argument("--engines", default="edge", help="embedded engines of the synthetic store: edge,local")
    args = parser.parse_args()
    if not args.skip_sample:
        sample_corpus(args.data_dir)
    if args.synthetic:
        for engine in args.engines.split(","):
            synthetic(args.synthetic, engine=engine)


if __name__ == "__main__":
    main()
