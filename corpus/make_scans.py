"""Generate the sample scanned records (image-only PDFs) from plain-text sources.

Run with ``python -m corpus.make_scans``. Every ``corpus/scan_sources/*.txt`` becomes ``corpus/records/<stem>.pdf``
and every ``corpus/holdout/scan_sources/*.txt`` becomes ``corpus/holdout/records/<stem>.pdf``: one A4 page drawn
as a 200 dpi bitmap with DejaVu Sans (``fonts-dejavu-core``), rotated by a small angle, with specks and rough edges,
thresholded to black and white as office scanners and fax machines send them, and stored as a CCITT G4 image
without any text layer. Output is byte-for-byte deterministic (fixed seeds, no timestamps).

Source file convention (UTF-8)::

    STYLE: notice | letter | fax      (fax: a transmission header line and 200x100 dpi vertical resolution)
    ROTATE: 1.4                       (degrees, counter-clockwise)
    SEED: 2310                        (noise seed)
    FAXHEAD: header line of a fax     (only for STYLE: fax)
    ===
    Body ...

Body rules: paragraphs are separated by blank lines and re-wrapped; ``# text`` is a bold centred heading; a line
``~`` is a handwritten signature (a scribble, no text). `source_text` gives the text printed on the page, the
reference of the OCR character accuracy (`python -m corpus.ocr_eval`).
"""

from __future__ import annotations

import io
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

CORPUS_DIR = Path(__file__).resolve().parent
JOBS = (
    (CORPUS_DIR / "scan_sources", CORPUS_DIR / "records"),
    (CORPUS_DIR / "holdout" / "scan_sources", CORPUS_DIR / "holdout" / "records"),
)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DPI = 200
PAGE_W, PAGE_H = round(8.27 * DPI), round(11.69 * DPI)  # A4
MARGIN = round(1.0 * DPI)
BODY_PT, HEADING_PT, FAX_PT = 11.5, 15.0, 9.0
SIGNATURE = "~"
BODY_BREAK = "==="
FIXED_DATE = time.gmtime(1_704_067_200)  # Pillow writes the current time otherwise


@dataclass(frozen=True)
class ScanSource:
    """One scanned record to draw: its style, rotation, noise seed and body text."""

    style: str
    rotate: float
    seed: int
    fax_head: str
    body: str


def parse_source(text: str, name: str) -> ScanSource:
    """Reads a scan source file.

    :param text: the file's text.
    :param name: its name, for error messages.
    :returns: the parsed source.
    :raises ValueError: the body marker or a required field is missing.
    """
    head, sep, body = text.partition(f"\n{BODY_BREAK}\n")
    if not sep:
        raise ValueError(f"{name}: no '{BODY_BREAK}' line")
    meta: dict[str, str] = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip().upper()] = value.strip()
    if meta.get("STYLE") not in {"notice", "letter", "fax"} or "ROTATE" not in meta or "SEED" not in meta:
        raise ValueError(f"{name}: STYLE (notice, letter, fax), ROTATE and SEED are required")
    return ScanSource(meta["STYLE"], float(meta["ROTATE"]), int(meta["SEED"]), meta.get("FAXHEAD", ""), body)


def _blocks(body: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            out.append(("para", " ".join(current)))
            current.clear()

    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("# "):
            flush()
            out.append(("heading", line[2:].strip()))
        elif line == SIGNATURE:
            flush()
            out.append(("signature", ""))
        else:
            current.append(line)
            if len(current) == 1 and not line.endswith((".", ":", ",")) and len(line) < 60:
                flush()  # short lines (addresses, dates, names) keep their own line, as typed
    flush()
    return out


def source_text(source: ScanSource) -> str:
    """The text printed on the page, lines as drawn joined by spaces: the OCR reference.

    :param source: the parsed source.
    :returns: the printed words, single-spaced.
    """
    words: list[str] = source.fax_head.split() if source.style == "fax" else []
    for kind, text in _blocks(source.body):
        if kind != "signature":
            words.extend(text.split())
    return " ".join(words)


def _font(bold: bool, points: float) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), round(points * DPI / 72))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and font.getlength(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _signature(draw: ImageDraw.ImageDraw, x: int, y: int, rng: random.Random) -> None:
    points = [(x, y + 40)]
    for i in range(1, 28):
        points.append((x + i * 14 + rng.randint(-6, 6), y + 40 + rng.randint(-38, 38)))
    draw.line(points, fill=0, width=4, joint="curve")
    draw.line([(x - 10, y + 78), (x + 400, y + 70)], fill=0, width=3)


def draw_page(source: ScanSource) -> Image.Image:
    """The clean page (grayscale, upright), before rotation and noise.

    :param source: the parsed source.
    :returns: an A4 page at `DPI`.
    """
    page = Image.new("L", (PAGE_W, PAGE_H), 255)
    draw = ImageDraw.Draw(page)
    rng = random.Random(source.seed)
    body, heading = _font(False, BODY_PT), _font(True, HEADING_PT)
    width = PAGE_W - 2 * MARGIN
    y = MARGIN
    if source.style == "fax":
        draw.text((MARGIN // 2, MARGIN // 3), source.fax_head, font=_font(False, FAX_PT), fill=0)
        draw.line([(MARGIN // 2, MARGIN // 3 + 40), (PAGE_W - MARGIN // 2, MARGIN // 3 + 40)], fill=0, width=2)
    for kind, text in _blocks(source.body):
        if kind == "signature":
            _signature(draw, MARGIN, y, rng)
            y += 120
            continue
        font = heading if kind == "heading" else body
        leading = round(font.size * 1.35)
        for line in _wrap(text, font, width):
            x = MARGIN + (width - round(font.getlength(line))) // 2 if kind == "heading" else MARGIN
            draw.text((x, y), line, font=font, fill=0)
            y += leading
        y += leading // 2
        if y > PAGE_H - MARGIN:
            raise ValueError("the text does not fit on one page")
    return page


def degrade(page: Image.Image, source: ScanSource) -> Image.Image:
    """Rotates the page, adds scanner noise and thresholds it to 1 bit.

    :param page: the clean page.
    :param source: its source (rotation, seed, style).
    :returns: a black-and-white page image.
    """
    rng = np.random.default_rng(source.seed)
    img = page.rotate(source.rotate, resample=Image.Resampling.BICUBIC, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(0.8))
    if source.style == "fax":  # 100 lines per inch vertically, stretched back by the receiving machine
        img = img.resize((PAGE_W, PAGE_H // 2), Image.Resampling.BILINEAR).resize((PAGE_W, PAGE_H))
    pixels = np.asarray(img, dtype=np.float32) + rng.normal(0.0, 28.0, (PAGE_H, PAGE_W))
    specks = rng.random((PAGE_H, PAGE_W)) < 0.0012
    pixels[specks] = 0.0
    bw = np.where(pixels < 150.0, 0, 255).astype(np.uint8)
    return Image.fromarray(bw, mode="L").convert("1", dither=Image.Dither.NONE)


def render(source: ScanSource) -> bytes:
    """The image-only PDF of one source.

    :param source: the parsed source.
    :returns: the PDF bytes (deterministic).
    """
    buffer = io.BytesIO()
    degrade(draw_page(source), source).save(
        buffer, "PDF", resolution=DPI, creationDate=FIXED_DATE, modDate=FIXED_DATE, producer="corpus.make_scans"
    )
    return buffer.getvalue()


def sources() -> list[tuple[Path, Path]]:
    """(source file, PDF record) pairs of every scanned record, dev then check."""
    return [(src, out_dir / f"{src.stem}.pdf") for src_dir, out_dir in JOBS for src in sorted(src_dir.glob("*.txt"))]


def main() -> int:
    for src, out in sources():
        out.write_bytes(render(parse_source(src.read_text(encoding="utf-8"), src.name)))
        sys.stdout.write(f"{out.relative_to(CORPUS_DIR)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
