"""Plain-function factories for test inputs: PDFs built with reportlab, byte helpers.

Every PDF is built with `invariant=1`, so the same arguments always give the same bytes (and document id).
"""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

_FONT = "Helvetica"
_SIZE = 11
_LEADING = 14
_MARGIN = 72


def make_pdf(
    pages: list[str],
    *,
    title: str | None = None,
    header: str | None = None,
    footer: str | None = "Página {n} de {total}",
    encrypt_password: str | None = None,
) -> bytes:
    """A text PDF with one page per item of `pages`.

    :param pages: the body of each page; "\\n" starts a new line, "\\n\\n" leaves an empty line, long lines are
        wrapped at the right margin.
    :param title: the PDF metadata title (/Title), if any.
    :param header: a running header drawn at the top of every page ("{n}" and "{total}" are replaced).
    :param footer: a running footer drawn at the bottom of every page ("{n}" and "{total}" are replaced).
    :param encrypt_password: a user password: the PDF cannot be opened without it.
    :returns: the PDF bytes.
    """
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, encrypt=encrypt_password)
    if title is not None:
        canvas.setTitle(title)
    width, height = A4
    total = len(pages)
    for n, body in enumerate(pages, start=1):
        canvas.setFont(_FONT, _SIZE)
        if header is not None:
            canvas.drawString(_MARGIN, height - 40, header.format(n=n, total=total))
        y = height - _MARGIN
        for paragraph in body.split("\n"):
            lines = simpleSplit(paragraph, _FONT, _SIZE, width - 2 * _MARGIN) if paragraph else [""]
            for line in lines:
                canvas.drawString(_MARGIN, y, line)
                y -= _LEADING
        if footer is not None:
            canvas.drawString(_MARGIN, 40, footer.format(n=n, total=total))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def make_scanned_pdf(n_pages: int = 1) -> bytes:
    """A PDF whose pages hold only drawings (no text layer), like a scan without OCR.

    :param n_pages: number of pages.
    :returns: the PDF bytes.
    """
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    for n in range(n_pages):
        canvas.setFillGray(0.2 + 0.1 * n)
        canvas.rect(72, 400, 300, 200, fill=1)
        canvas.circle(300, 300, 50, fill=1)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def truncate(data: bytes, n: int) -> bytes:
    """The first `n` bytes of `data` (a damaged download)."""
    return data[:n]
