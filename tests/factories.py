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


def make_surrogate_pdf(text: str, broken: str) -> bytes:
    """A one-page PDF showing `text` (ASCII) in Helvetica, whose ToUnicode character map sends the character
    `broken` to a lone surrogate (U+D800), as a damaged map does: pypdf then extracts "\\ud800" for it.

    Written by hand (reportlab cannot write a custom ToUnicode map); byte-for-byte deterministic.
    """
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Broken def /CMapType 2 def\n"
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        "1 beginbfrange <20> <7E> <0020> endbfrange\n"
        f"1 beginbfchar <{ord(broken):02X}> <D800> endbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode()
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"endstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_scan_pdf(body: str, *, rotate: float = 0.0, noisy: bool = False, seed: int = 7) -> bytes:
    """An image-only one-page PDF of `body` as `corpus/make_scans.py` draws it (DejaVu Sans at 200 dpi, 1 bit).

    :param body: the page text in the scan source convention (paragraphs, ``# heading``, ``~`` signature).
    :param rotate: degrees the page is turned (counter-clockwise), as a sheet placed askew on the scanner.
    :param noisy: add scanner noise (specks, rough edges) as the corpus records have; otherwise a clean render.
    :param seed: noise seed.
    :returns: the PDF bytes (deterministic).
    """
    from PIL import Image

    from corpus.make_scans import DPI, ScanSource, draw_page, render

    source = ScanSource(style="notice", rotate=rotate, seed=seed, fax_head="", body=body)
    if noisy:
        return render(source)
    page = draw_page(source)
    if rotate:
        page = page.rotate(rotate, resample=Image.Resampling.BICUBIC, fillcolor=255)
    buffer = BytesIO()
    page.point(lambda v: 0 if v < 160 else 255).convert("1").save(buffer, "PDF", resolution=DPI)
    return buffer.getvalue()


def join_pdfs(*pdfs: bytes) -> bytes:
    """The pages of several PDFs, in order, in one PDF.

    :param pdfs: PDF bytes.
    :returns: the joined PDF's bytes.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in pdfs:
        for page in PdfReader(BytesIO(data)).pages:
            writer.add_page(page)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
