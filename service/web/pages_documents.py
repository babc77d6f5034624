"""The «Documentos» page (upload, list, delete), a record's page with a quote highlighted, its page images and the
download of its original file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from indexing.components.sniffer import ACCEPTED, ACCEPTED_EXTENSIONS
from indexing.engine import Engine
from indexing.errors import NotFound
from indexing.types import DocumentRecord
from service.deps import EngineDep
from service.web import record_pages
from service.web.templating import render

router = APIRouter()

_PDF_MAGIC = b"%PDF-"
# Accepted by the upload form (the service decides by content; this only filters the file picker).
# The file picker offers what the content sniffer accepts (it decides by content; the picker only helps).
ACCEPT = ACCEPTED_EXTENSIONS.replace(" ", "")


@dataclass(frozen=True)
class Filters:
    """Filters of the records list (all optional)."""

    q: str = ""
    conference: str = ""
    doc_type: str = ""

    def keep(self, r: DocumentRecord) -> bool:
        """:returns: True when record `r` passes every filter set."""
        if self.conference and r.conference != self.conference:
            return False
        if self.doc_type and r.doc_type != self.doc_type:
            return False
        if self.q:
            needle = self.q.casefold()
            return needle in r.title.casefold() or needle in r.filename.casefold()
        return True


def _options(records: list[DocumentRecord]) -> dict[str, list[str]]:
    return {
        "conferences": sorted({r.conference for r in records if r.conference}),
        "doc_types": sorted({r.doc_type for r in records if r.doc_type}),
    }


@router.get("/documentos", response_class=HTMLResponse)
def page(
    request: Request,
    engine: EngineDep,
    q: Annotated[str, Query(max_length=500)] = "",
    conference: Annotated[str, Query(max_length=500)] = "",
    doc_type: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    """The records: upload form, list with filters, delete."""
    records = engine.documents()
    filters = Filters(q.strip(), conference.strip(), doc_type.strip())
    shown = [r for r in records if filters.keep(r)]
    return render(
        request,
        "documents.html",
        {
            "title": "Documentos",
            "records": shown,
            "total": len(records),
            "filters": filters,
            "accept": ACCEPT,
            "accepted": ACCEPTED,
            "max_upload_mb": engine.settings.max_upload_mb,
            **_options(records),
        },
    )


def _record(engine: Engine, document_id: str) -> DocumentRecord:
    record = engine.find_document(document_id) if len(document_id) <= 128 else None
    if record is None:
        raise NotFound(f"No hay ningún documento indexado con id «{document_id[:128]}».")
    return record


def _original(engine: Engine, record: DocumentRecord) -> Path | None:
    return engine.original_path(record.id)


def _is_pdf(path: Path | None) -> bool:
    if path is None:
        return False
    with path.open("rb") as f:
        return f.read(len(_PDF_MAGIC)) == _PDF_MAGIC


@router.get("/documentos/{document_id}", response_class=HTMLResponse)
def record_page(
    request: Request,
    engine: EngineDep,
    document_id: str,
    pagina: Annotated[int, Query(ge=1, le=100_000)] = 1,
    cita: Annotated[str, Query(max_length=5000)] = "",
) -> HTMLResponse:
    """A record at one page, with the quote `cita` highlighted (on the real PDF page when there is one)."""
    record = engine.find_document(document_id) if len(document_id) <= 128 else None
    if record is None:
        return render(
            request,
            "not_found.html",
            {"title": "Registro no encontrado", "document_id": document_id[:128]},
            status_code=404,
        )
    page_number = min(pagina, max(record.pages, 1))
    original = _original(engine, record)
    text = record_pages.page_text(engine.page_chunks(record.id, page_number), page_number)
    quote = " ".join(cita.split())
    span = record_pages.locate(text, quote) if quote else None
    pdf: record_pages.PdfPage | None = None
    if _is_pdf(original):
        assert original is not None
        with contextlib.suppress(IndexError, record_pages.pdfium.PdfiumError):
            pdf = record_pages.pdf_page(original.read_bytes(), page_number, quote)
    before, marked, after = (text[: span[0]], text[span[0] : span[1]], text[span[1] :]) if span else (text, "", "")
    return render(
        request,
        "record.html",
        {
            "title": record.title,
            "record": record,
            "page_number": page_number,
            "quote": quote,
            "has_original": original is not None,
            "pdf": pdf,
            "before": before,
            "marked": marked,
            "after": after,
            "text": text,
        },
    )


@router.get("/documentos/{document_id}/paginas/{page_number}.png")
def page_image(engine: EngineDep, document_id: str, page_number: int) -> Response:
    """Image of one page of a PDF record (rendered once, then served from the cache)."""
    record = _record(engine, document_id)
    original = _original(engine, record)
    if not _is_pdf(original) or not 1 <= page_number <= record.pages:
        raise NotFound(f"El registro «{record.id}» no tiene imagen de la página {page_number}.")
    assert original is not None
    cached = engine.page_image_path(record.id, f"{page_number}-{record_pages.RENDER_SCALE:g}.png")
    if not cached.is_file():
        try:
            png = record_pages.render_png(original.read_bytes(), page_number)
        except (IndexError, record_pages.pdfium.PdfiumError) as exc:
            raise NotFound(f"No se pudo dibujar la página {page_number} del registro «{record.id}».") from exc
        fd, tmp = tempfile.mkstemp(dir=cached.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(png)
        os.replace(tmp, cached)
    # The id is the hash of the file: a page image never changes.
    return FileResponse(cached, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})


@router.get("/documentos/{document_id}/original")
def original_file(engine: EngineDep, document_id: str) -> Response:
    """The original file of a record, as it was uploaded."""
    record = _record(engine, document_id)
    original = _original(engine, record)
    if original is None:
        raise NotFound(
            f"El original de «{record.filename}» no está disponible: se indexó antes de que el servicio guardara los "
            "archivos originales. Vuelva a subirlo para poder descargarlo."
        )
    media = "application/pdf" if _is_pdf(original) else "text/plain"
    return FileResponse(original, media_type=media, filename=record.filename, content_disposition_type="attachment")
