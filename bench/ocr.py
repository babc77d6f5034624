"""OCR cost and its effect on searches: `python -m bench.ocr [--rounds N]`.

Indexes the first eight sample text records (corpus/records/*.txt) into a temp store, then times `Engine.search`
over 20 dev questions twice: idle, and while a thread OCRs the scanned dev records again and again (`OcrPages`:
pypdfium2 render, deskew, Tesseract `spa` in a subprocess with OMP_THREAD_LIMIT=1). Prints the seconds per scanned
page and the search medians / p95 (ms) in both conditions. Bounded: fixed rounds, the OCR thread stops at the end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from haystack.dataclasses import ByteStream

import indexing  # noqa: F401
from indexing.components.ocr_pages import OcrPages
from indexing.components.pdf_pages_converter import PdfPagesConverter
from indexing.engine import Engine
from indexing.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SCANS = sorted(p.with_suffix(".pdf").name for p in (ROOT / "corpus" / "scan_sources").glob("*.txt"))


def _ocr_once(converter: PdfPagesConverter, ocr: OcrPages) -> int:
    pages = 0
    for name in SCANS:
        stream = ByteStream(data=(ROOT / "corpus" / "records" / name).read_bytes(), meta={"filename": name})
        pages += len(ocr.run(documents=converter.run(sources=[stream])["documents"])["documents"])
    return pages


def _searches(engine: Engine, questions: list[str], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        for q in questions:
            t0 = time.perf_counter()
            engine.search(q, top_k=10)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ocr")
    parser.add_argument("--rounds", type=int, default=2, help="passes over 20 dev questions per condition")
    args = parser.parse_args(argv)
    lines = (ROOT / "corpus" / "dev_eval.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()][:20]
    converter, ocr = PdfPagesConverter(), OcrPages()
    t0 = time.perf_counter()
    pages = _ocr_once(converter, ocr)
    per_page = (time.perf_counter() - t0) / max(1, pages)
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.open(Settings(data_dir=Path(tmp)))
        try:
            for path in sorted((ROOT / "corpus" / "records").glob("*.txt"))[:8]:
                engine.indexer.ingest(path.read_bytes(), path.name)
            _searches(engine, questions[:3], 1)  # warm-up
            idle = _searches(engine, questions, args.rounds)
            stop = threading.Event()
            done = [0]

            def loop() -> None:
                while not stop.is_set():
                    done[0] += _ocr_once(converter, ocr)

            worker = threading.Thread(target=loop, daemon=True)
            worker.start()
            time.sleep(1.0)
            busy = _searches(engine, questions, args.rounds)
            stop.set()
            worker.join(timeout=120)
        finally:
            engine.close()
    out = sys.stdout
    out.write(f"OCR: {per_page:.2f} s per scanned page ({pages} pages, render + deskew + Tesseract spa, 300 dpi)\n")
    out.write(f"{'condition':10} {'n':>4} {'search p50':>11} {'search p95':>11}\n")
    for name, values in (("idle", idle), ("ocr", busy)):
        out.write(f"{name:10} {len(values):4d} {statistics.median(values):11.1f} {_p95(values):11.1f}\n")
    out.write(f"pages OCR'd during the 'ocr' condition: {done[0]}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
