"""Text routines on adversarial and very long inputs: `python -m bench.text [--size N] [--line N] [--record N]`.

Prints, per routine that reads uploaded text, the time on each adversarial input (`--size` characters, default
50 KB: dots, "dos dos …", "ab-\\n" repeated, "1.1.1…", "(((", "«««", digits, digits and separators, "|" and
table lines, "Sr. Sr. …", "mil mil …", date fragments, "!? ", ". A", spaces, and amounts and pledges without a
full stop) and on an ordinary single-line record of `--line` characters (default 1 MB of real Spanish sentences
from the sample corpus joined on one line). Then the whole ingestion path minus embedding (converter → cleaner →
metadata → chunker → sparse encoder → commitment extraction) on a `--record`-byte single-line text record
(default 2 MiB).

The same inputs are used by the hang guards of `tests/unit/text/test_linear_time.py`.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from haystack import Document
from haystack.dataclasses import ByteStream

import indexing  # noqa: F401
from indexing import constants as K
from indexing.commitments.extract import extract_commitments
from indexing.components.metadata_extractor import RecordMetadataExtractor
from indexing.components.spanish_chunker import SpanishSentenceChunker
from indexing.components.spanish_cleaner import SpanishDocumentCleaner
from indexing.components.sparse_encoder import Bm25SparseEncoder
from indexing.components.text_pages_converter import TextPagesConverter
from indexing.text.amounts import amount_spans, find_amounts
from indexing.text.dates import find_dates
from indexing.text.facts import extract_facts
from indexing.text.headings import is_heading_or_label, is_headline, numbered_heading_end
from indexing.text.sentences import split_sentences
from indexing.text.tables import find_tables, link_pages
from indexing.text.tokens import content_terms

ROOT = Path(__file__).resolve().parent.parent

# Repeated units of the adversarial inputs.
ADVERSARIAL = {
    "dots": ".",
    "dos": "dos ",
    "hyphen": "ab-\n",
    "numdots": "1.",
    "parens": "(",
    "guillemets": "«",
    "digits": "9",
    "digsep": "0,0.",
    "pipes": "|",
    "pipe_lines": "| a |\n",
    "table_rows": "| Donante | Monto |\n| Alemania | 12 |\n",
    "wrapped_rows": "| a | b\nc\n",
    "sr": "Sr. ",
    "mil": "mil ",
    "dates": "1 de enero de ",
    "bang": "!? ",
    "dots_cap": ". A",
    "spaces": " ",
    "amounts": "US$ 1,5 millones ",
    "pledges": "España anunció US$ 1 millón para el Perú, ",
}


def adversarial(name: str, size: int) -> str:
    """`size` characters of the repeated unit `ADVERSARIAL[name]`."""
    unit = ADVERSARIAL[name]
    return (unit * (size // len(unit) + 1))[:size]


def ordinary_line(size: int) -> str:
    """`size` characters of the sample corpus's text records, whitespace collapsed, joined on one line."""
    parts = [" ".join(p.read_text(encoding="utf-8", errors="replace").split()) for p in sorted(_records())]
    base = " ".join(parts) + " "
    return (base * (size // len(base) + 1))[:size]


def _records() -> list[Path]:
    return [p for p in (ROOT / "corpus" / "records").glob("*.txt")]


def _pages(text: str) -> list[Document]:
    return [Document(content=text, meta={K.PAGE: 1})]


ROUTINES: dict[str, Callable[[str], Any]] = {
    "split_sentences": split_sentences,
    "amount_spans": amount_spans,
    "find_amounts": find_amounts,
    "find_dates": lambda t: find_dates(t, day_month=True),
    "extract_facts": extract_facts,
    "content_terms": content_terms,
    "headings": lambda t: (is_heading_or_label(t), is_headline(t), numbered_heading_end(t)),
    # two pages, so running header/footer detection runs too
    "cleaner": lambda t: SpanishDocumentCleaner().run(documents=[Document(content=t), Document(content=t)]),
    "metadata": lambda t: RecordMetadataExtractor().run(documents=_pages(t), meta={}),
    "chunker": lambda t: SpanishSentenceChunker().run(documents=_pages(t)),
    "tables": lambda t: link_pages([find_tables(t), find_tables(t)], [t, t]),
    "commitments": lambda t: extract_commitments(t, document_id="d", filename="f.txt", page=1),
}


def timed(fn: Callable[[str], Any], text: str) -> float:
    """Seconds one call of `fn(text)` takes."""
    t0 = time.perf_counter()
    fn(text)
    return time.perf_counter() - t0


def ingest_without_embedding(data: bytes) -> dict[str, float]:
    """Seconds of each ingestion stage (no embedding) for one text record."""
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    stream = ByteStream(data=data, mime_type="text/plain", meta={K.FILENAME: "registro.txt", K.DOCUMENT_ID: "d"})
    pages = TextPagesConverter().run(sources=[stream])["documents"]
    out["converter"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    pages = SpanishDocumentCleaner().run(documents=pages)["documents"]
    out["cleaner"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    pages = RecordMetadataExtractor().run(documents=pages, meta={})["documents"]
    out["metadata"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    chunks = SpanishSentenceChunker().run(documents=pages)["documents"]
    out["chunker"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    encoder = Bm25SparseEncoder()
    encoder.warm_up()
    encoder.run(documents=chunks)
    out["sparse"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for page in pages:
        extract_commitments(page.content or "", document_id="d", filename="registro.txt", page=page.meta[K.PAGE])
    out["commitments"] = time.perf_counter() - t0
    out["total"] = sum(out.values())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=50_000, help="characters of each adversarial input")
    parser.add_argument("--line", type=int, default=1_000_000, help="characters of the ordinary single line")
    parser.add_argument("--record", type=int, default=2 * 1024 * 1024, help="bytes of the ingested record")
    parser.add_argument("--only", nargs="*", help="routines to run (default: all)")
    args = parser.parse_args()
    for fn in ROUTINES.values():  # compile patterns and load tables outside the timings
        fn("Bruselas, 17 de julio de 2023. Alemania aportó US$ 5 millones.")
    names = [*ADVERSARIAL, "ordinary"]
    print(f"{'routine':16}" + "".join(f"{n:>11}" for n in names) + "   (seconds)")
    line = ordinary_line(args.line)
    for routine, fn in ROUTINES.items():
        if args.only and routine not in args.only:
            continue
        times = [timed(fn, adversarial(n, args.size)) for n in ADVERSARIAL] + [timed(fn, line)]
        print(f"{routine:16}" + "".join(f"{t:11.3f}" for t in times), flush=True)
    data = ordinary_line(args.record).encode("utf-8")[: args.record]
    stages = ingest_without_embedding(data.decode("utf-8", errors="ignore").encode("utf-8"))
    print(f"\ningestion without embedding, {len(data)} bytes on one line:")
    for stage, seconds in stages.items():
        print(f"  {stage:12} {seconds:8.3f} s")


if __name__ == "__main__":
    main()
