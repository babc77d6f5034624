"""Generate the sample PDF records from plain-text sources.

Run with ``python -m corpus.make_pdfs``. Every ``corpus/pdf_sources/*.txt`` becomes
``corpus/records/<stem>.pdf`` and every ``corpus/holdout/pdf_sources/*.txt`` becomes
``corpus/holdout/records/<stem>.pdf``. Output is byte-for-byte deterministic.

Source file convention (UTF-8)::

    TITLE: Title stored in the PDF metadata      (optional; omit to leave it unset)
    COLUMNS: across                              (optional; see two-column pages below)
    HEADER: Running header printed on every page
    FOOTER: Running footer; " — Página N de M" is appended
    === PAGE ===
    Body of page 1 ...
    === PAGE ===
    Body of page 2 ...

Body rules:
* Paragraphs are separated by blank lines; lines of one paragraph are joined and re-wrapped.
* ``# text`` is a bold heading.
* Lines starting with ``- `` or ``|`` are kept as separate paragraphs (list items, table rows);
  table rows use a smaller font.
* ``-|`` inside a word forces a hyphenated line break at that point (``coope-|ración`` prints
  ``coope-`` at the end of one line and ``ración`` at the start of the next).
* ``<br>`` as a word forces a plain line break there (``EUR 12,5 <br> millones`` prints ``EUR 12,5`` at the end of
  one line and ``millones`` at the start of the next), as when a table cell wraps.
* A line ``=== COLUMN ===`` makes a two-column page: the text before the first marker spans the page width, the
  text after it fills the left column and the text after a second marker fills the right column. Each column is
  drawn whole before the next, as word processors write them; with ``COLUMNS: across`` the two columns are drawn
  line by line across the page (left line, then the right line at the same height), as some PDF producers do.
* A page whose content does not fit raises an error: pagination is explicit.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

CORPUS_DIR = Path(__file__).resolve().parent
JOBS = (
    (CORPUS_DIR / "pdf_sources", CORPUS_DIR / "records"),
    (CORPUS_DIR / "holdout" / "pdf_sources", CORPUS_DIR / "holdout" / "records"),
)

PAGE_BREAK = "=== PAGE ==="
COLUMN_BREAK = "=== COLUMN ==="
HYPHEN_BREAK = "-|"
LINE_BREAK = "<br>"
PAGE_W, PAGE_H = A4
MARGIN_X = 72.0
TOP_BODY = PAGE_H - 100.0
BOTTOM_BODY = 80.0
BODY_W = PAGE_W - 2 * MARGIN_X
COLUMN_GAP = 24.0
COLUMN_W = (BODY_W - COLUMN_GAP) / 2

STYLES = {
    # kind: (font, size, leading, space_after)
    "heading": ("Helvetica-Bold", 11.5, 15.0, 6.0),
    "para": ("Helvetica", 10.5, 14.0, 7.0),
    "item": ("Helvetica", 10.5, 14.0, 3.0),
    "row": ("Helvetica", 8.5, 11.5, 2.0),
}


@dataclass
class Source:
    title: str | None
    header: str
    footer: str
    pages: list[str]
    across: bool = False


@dataclass(frozen=True)
class Op:
    """A drawing operation: set the font (`text` None), or draw `text` at (x, y) in that font."""

    font: str
    size: float
    x: float = 0.0
    y: float = 0.0
    text: str | None = None


def parse_source(text: str, name: str) -> Source:
    head, sep, rest = text.partition(PAGE_BREAK)
    if not sep:
        raise ValueError(f"{name}: no '{PAGE_BREAK}' marker")
    meta: dict[str, str] = {}
    for line in head.splitlines():
        if line.strip():
            key, _, value = line.partition(":")
            meta[key.strip().upper()] = value.strip()
    if "HEADER" not in meta or "FOOTER" not in meta:
        raise ValueError(f"{name}: HEADER and FOOTER are required")
    pages = [p.strip("\n") for p in rest.split(PAGE_BREAK)]
    columns = meta.get("COLUMNS", "down")
    if columns not in ("down", "across"):
        raise ValueError(f"{name}: COLUMNS must be 'down' or 'across', got {columns!r}")
    return Source(meta.get("TITLE"), meta["HEADER"], meta["FOOTER"], pages, across=columns == "across")


def blocks(page_text: str) -> list[tuple[str, str]]:
    """Split a page body into (kind, text) blocks."""
    out: list[tuple[str, str]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            out.append(("para", " ".join(current)))
            current.clear()

    for raw in page_text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("# "):
            flush()
            out.append(("heading", line[2:].strip()))
        elif line.startswith("- "):
            flush()
            out.append(("item", line))
        elif line.startswith("|"):
            flush()
            out.append(("row", line))
        else:
            current.append(line)
    flush()
    return out


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap honouring forced hyphen breaks (``-|``)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if word == LINE_BREAK:
            if line:
                lines.append(line)
            line = ""
            continue
        pieces = word.split(HYPHEN_BREAK)
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            token = piece if last else piece + "-"
            # Continuation pieces start a new line, so they never get a leading space.
            candidate = token if (not line or i > 0) else f"{line} {token}"
            if i > 0:
                line = token
            elif line and stringWidth(candidate, font, size) > width:
                lines.append(line)
                line = token
            else:
                line = candidate
            if not last:
                lines.append(line)
                line = ""
    if line:
        lines.append(line)
    return lines


def layout_blocks(body: str, x0: float, y: float, width: float, where: str, ops: list[Op]) -> float:
    """Lay out a body's blocks from height `y` in a column of `width` at `x0` as drawing operations appended to
    `ops`; returns the height reached."""
    for kind, text in blocks(body):
        font, size, leading, after = STYLES[kind]
        indent = 12.0 if kind == "item" else 0.0
        ops.append(Op(font, size))
        for j, line in enumerate(wrap(text, font, size, width - indent)):
            if y < BOTTOM_BODY:
                raise ValueError(f"{where} overflows")
            x = x0 + (indent if (kind == "item" and j > 0) else 0.0)
            ops.append(Op(font, size, x, y, line))
            y -= leading
        y -= after
    return y


def draw_ops(c: canvas.Canvas, ops: list[Op]) -> None:
    for op in ops:
        if op.text is None:
            c.setFont(op.font, op.size)
        else:
            c.drawString(op.x, op.y, op.text)


def across(ops: list[Op]) -> list[Op]:
    """The text operations of columns reordered line by line across the page (top to bottom, left to right), each
    after the font it is drawn in."""
    texts = sorted((op for op in ops if op.text is not None), key=lambda op: (-op.y, op.x))
    return [o for op in texts for o in (Op(op.font, op.size), op)]


def split_columns(body: str) -> tuple[str, list[str]]:
    """(full-width part, column bodies) of a page body; no columns when it has no column marker."""
    parts = [p.strip("\n") for p in body.split(f"\n{COLUMN_BREAK}\n")]
    if len(parts) > 3:
        raise ValueError(f"at most two '{COLUMN_BREAK}' markers per page, got {len(parts) - 1}")
    return parts[0], parts[1:]


def render(src: Source, out_path: Path) -> None:
    c = canvas.Canvas(str(out_path), pagesize=A4, invariant=1, pageCompression=1)
    if src.title:
        c.setTitle(src.title)
        c.setAuthor(src.header.split(" — ")[0])
    c.setCreator("Compromisos corpus generator")
    total = len(src.pages)
    for number, body in enumerate(src.pages, start=1):
        c.setFont("Helvetica", 8.5)
        c.drawString(MARGIN_X, PAGE_H - 50.0, src.header)
        c.line(MARGIN_X, PAGE_H - 56.0, PAGE_W - MARGIN_X, PAGE_H - 56.0)
        where = f"{out_path.name}: page {number}"
        full, columns = split_columns(body)
        ops: list[Op] = []
        y = layout_blocks(full, MARGIN_X, TOP_BODY, BODY_W, where, ops)
        draw_ops(c, ops)
        ops = []
        for k, column in enumerate(columns):
            x0 = MARGIN_X + k * (COLUMN_W + COLUMN_GAP)
            layout_blocks(column, x0, y, COLUMN_W, f"{where}, column {k + 1}", ops)
        draw_ops(c, across(ops) if src.across else ops)
        c.setFont("Helvetica", 8.5)
        c.line(MARGIN_X, 60.0, PAGE_W - MARGIN_X, 60.0)
        c.drawString(MARGIN_X, 46.0, f"{src.footer} — Página {number} de {total}")
        c.showPage()
    c.save()


def main() -> int:
    count = 0
    for src_dir, out_dir in JOBS:
        if not src_dir.is_dir():
            continue
        out_dir.mkdir(parents=True, exist_ok=True)
        for path in sorted(src_dir.glob("*.txt")):
            src = parse_source(path.read_text(encoding="utf-8"), path.name)
            render(src, out_dir / f"{path.stem}.pdf")
            count += 1
            print(f"{out_dir.relative_to(CORPUS_DIR)}/{path.stem}.pdf ({len(src.pages)} pages)")
    print(f"{count} PDFs written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
