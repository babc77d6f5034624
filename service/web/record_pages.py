"""A record's page for the «quote on its page» view: the image of a real PDF page (pypdfium2), the boxes of a quote
on it (from the PDF's text positions), and the page's indexed text with the quote located in it.

Quotes come from the cleaned page text (whitespace joined, hyphenation and ligatures undone), so they are matched
on a folded form of both sides: letters and digits only, accents stripped, case folded — one pass over each.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium

from indexing.ocr import PDFIUM_LOCK
from indexing.types import Chunk

RENDER_SCALE = 2.0
"""Pixels per PDF point of the page images (144 dpi: sharp at 1280 px wide)."""
# PDFium is not thread-safe and page routes run in a thread pool: one call into it at a time.
_PDFIUM = PDFIUM_LOCK  # one lock for every PDFium call of the process (OCR renders too)


@dataclass(frozen=True)
class Box:
    """A highlight rectangle in PDF points, origin at the page's top-left corner."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class PdfPage:
    """Size of a PDF page (points) and where a quote lies on it."""

    width: float
    height: float
    boxes: tuple[Box, ...]
    found: bool


def fold_indexed(text: str) -> tuple[str, list[int]]:
    """Letters and digits of `text`, accents stripped and case folded, each with the index it came from.

    :param text: any text.
    :returns: the folded string and, per folded character, its index in `text`.
    """
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            if ch.isalnum():
                out.append(ch.lower())
                index.append(i)
            continue
        for part in unicodedata.normalize("NFKD", ch):
            if part.isalnum() and not unicodedata.combining(part):
                for c in part.casefold():
                    out.append(c)
                    index.append(i)
    return "".join(out), index


def locate(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` lies in `text`: exactly, else ignoring spacing, punctuation, accents and case.

    :returns: (start, end) offsets in `text`, or None when it is not there.
    """
    if not quote.strip():
        return None
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    folded_text, index = fold_indexed(text)
    folded_quote, _ = fold_indexed(quote)
    if not folded_quote:
        return None
    at = folded_text.find(folded_quote)
    if at < 0:
        return None
    return index[at], index[at + len(folded_quote) - 1] + 1


def page_count(data: bytes) -> int:
    """:returns: how many pages the PDF has. :raises pdfium.PdfiumError: not a readable PDF."""
    with _PDFIUM:
        pdf = pdfium.PdfDocument(data)
        try:
            return len(pdf)
        finally:
            pdf.close()


def render_png(data: bytes, page_number: int, scale: float = RENDER_SCALE) -> bytes:
    """Render one page of a PDF as PNG.

    :param data: the PDF's bytes.
    :param page_number: 1-based page number.
    :param scale: pixels per point.
    :returns: the PNG bytes.
    :raises IndexError: no such page.
    :raises pdfium.PdfiumError: not a readable PDF.
    """
    with _PDFIUM:
        pdf = pdfium.PdfDocument(data)
        try:
            if not 1 <= page_number <= len(pdf):
                raise IndexError(page_number)
            image = pdf[page_number - 1].render(scale=scale).to_pil()
        finally:
            pdf.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_page(data: bytes, page_number: int, quote: str) -> PdfPage:
    """The size of a PDF page and the boxes of `quote` on it, from the text positions PDFium reads.

    :param data: the PDF's bytes.
    :param page_number: 1-based page number.
    :param quote: the quote to find (may be empty: no boxes).
    :returns: the page; `found` False when the quote could not be matched to the page's text.
    :raises IndexError: no such page.
    :raises pdfium.PdfiumError: not a readable PDF.
    """
    with _PDFIUM:
        pdf = pdfium.PdfDocument(data)
        try:
            if not 1 <= page_number <= len(pdf):
                raise IndexError(page_number)
            page = pdf[page_number - 1]
            width, height = page.get_size()
            textpage = page.get_textpage()
            span = locate(textpage.get_text_range(), quote) if quote else None
            boxes: list[Box] = []
            if span is not None:
                start, end = span
                for i in range(textpage.count_rects(start, end - start)):
                    left, bottom, right, top = textpage.get_rect(i)
                    boxes.append(Box(left, height - top, right - left, top - bottom))
        finally:
            pdf.close()
    return PdfPage(width, height, tuple(boxes), bool(boxes))


def page_text(chunks: list[Chunk], page_number: int) -> str:
    """A page's cleaned text, rebuilt from its indexed passages (each is the slice `char_start:char_end` of it;
    a gap no passage covers becomes one space).

    :param chunks: the record's passages.
    :param page_number: 1-based page number.
    :returns: the text ("" when no passage is on that page).
    """
    on_page = sorted((c for c in chunks if c.page == page_number), key=lambda c: (c.char_start, c.char_end))
    parts: list[str] = []
    pos = 0
    for c in on_page:
        if c.char_end <= pos:
            continue
        if c.char_start > pos:
            parts.append(" " if parts else "")
            pos = c.char_start
        parts.append(c.text[pos - c.char_start :])
        pos = c.char_end
    return "".join(parts)
