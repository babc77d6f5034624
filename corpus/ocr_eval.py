"""OCR character accuracy of the scanned sample records: `python -m corpus.ocr_eval [--no-deskew] [--json PATH]`.

Every record `corpus/make_scans.py` generates (dev and check) goes through the ingestion's PDF converter and OCR
component (`PdfPagesConverter` → `OcrPages`, Tesseract `spa` at 300 dpi); its OCR text is compared with the text
printed on the page (`make_scans.source_text`). Character accuracy = 1 - CER, CER = Levenshtein distance between
the two texts (whitespace runs folded to one space) / length of the source text. Also printed: the mean word
confidence Tesseract reported and the skew the deskew step corrected.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from haystack.dataclasses import ByteStream

import indexing  # noqa: F401
from corpus.make_scans import CORPUS_DIR, parse_source, source_text, sources
from indexing.components.ocr_pages import OcrPages
from indexing.components.pdf_pages_converter import PdfPagesConverter
from indexing.constants import OCR_CONFIDENCE


def _fold(text: str) -> str:
    return " ".join(text.split())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions of characters), O(len(a) * len(b)) in numpy rows.

    :param a: one text.
    :param b: the other.
    :returns: the least number of single-character edits turning `a` into `b`.
    """
    if not a or not b:
        return len(a) or len(b)
    codes = np.array([ord(c) for c in b], dtype=np.int64)
    steps = np.arange(len(b) + 1, dtype=np.int64)
    prev = steps.copy()
    for i, ch in enumerate(a, start=1):
        cur = np.empty_like(prev)
        cur[0] = i
        cur[1:] = np.minimum(prev[:-1] + (codes != ord(ch)), prev[1:] + 1)
        # insertions along the row: cur[j] = min over k <= j of cur[k] + (j - k)
        prev = np.minimum.accumulate(cur - steps) + steps
    return int(prev[-1])


def character_accuracy(ocr_text: str, reference: str) -> float:
    """1 - CER of `ocr_text` against `reference`, whitespace folded; can be negative for garbage.

    :param ocr_text: what OCR read.
    :param reference: the text that was printed.
    :returns: the accuracy, 1.0 for an exact reading.
    """
    ref = _fold(reference)
    return 1.0 - edit_distance(_fold(ocr_text), ref) / max(1, len(ref))


def evaluate(deskew: bool = True) -> list[dict[str, Any]]:
    """OCR of every scanned sample record, scored against its source text.

    :param deskew: straighten pages before reading (the ingestion default).
    :returns: one row per record: split, filename, accuracy, confidence, seconds.
    """
    converter, ocr = PdfPagesConverter(), OcrPages(deskew=deskew)
    rows: list[dict[str, Any]] = []
    for src, pdf in sources():
        source = parse_source(src.read_text(encoding="utf-8"), src.name)
        stream = ByteStream(data=pdf.read_bytes(), meta={"filename": pdf.name, "document_id": pdf.stem})
        t0 = time.perf_counter()
        pages = ocr.run(documents=converter.run(sources=[stream])["documents"])["documents"]
        seconds = time.perf_counter() - t0
        text = "\n".join(p.content or "" for p in pages)
        rows.append(
            {
                "split": "check" if "holdout" in pdf.relative_to(CORPUS_DIR).parts else "dev",
                "filename": pdf.name,
                "style": source.style,
                "rotation": source.rotate,
                "accuracy": round(character_accuracy(text, source_text(source)), 4),
                "confidence": pages[0].meta.get(OCR_CONFIDENCE),
                "seconds": round(seconds, 2),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-deskew", action="store_true", help="read pages as rendered (no deskew step)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    rows = evaluate(deskew=not args.no_deskew)
    out = sys.stdout
    out.write(f"{'split':6} {'record':45} {'style':7} {'rot°':>5} {'acc.':>7} {'conf.':>6} {'s':>5}\n")
    for r in rows:
        out.write(
            f"{r['split']:6} {r['filename']:45} {r['style']:7} {r['rotation']:5.1f} {r['accuracy']:7.4f} "
            f"{r['confidence'] or 0:6.3f} {r['seconds']:5.1f}\n"
        )
    for split in ("dev", "check"):
        accs = [r["accuracy"] for r in rows if r["split"] == split]
        if accs:
            out.write(f"{split}: mean character accuracy {sum(accs) / len(accs):.4f} over {len(accs)} records\n")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
