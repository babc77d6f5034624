"""Records: upload, list, read, delete."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from indexing.engine import Engine
from indexing.errors import BodyTooLarge, CompromisosError, InvalidMetadata, NotFound
from indexing.ingest import IngestResult, safe_filename
from indexing.keys import Caller
from indexing.types import DocumentRecord, Progress
from service.auth import ReadDep, WriteDep, caller_of
from service.backpressure import SLOT_HANDED_OVER
from service.deps import EngineDep, JobsDep, MetricsDep
from service.metrics import Metrics
from service.routes.jobs import job_public
from service.schemas import DocumentPublic, DocumentsPage, ErrorPublic, IdPath, JobEnvelope, UploadPublic

router = APIRouter(prefix="/v1/documents", tags=["documentos"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorPublic} for code in (401, 403, 404, 413, 415, 422, 429)
}
_UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    202: {"model": JobEnvelope, "description": "Con «Prefer: respond-async»: trabajo en cola (ver Location)."},
}


def wants_async(prefer: str | None) -> bool:
    """Whether a `Prefer` header (RFC 7240) asks for `respond-async` (preferences are comma-separated, each with
    optional `;` parameters; names are case-insensitive)."""
    return any(p.split(";", 1)[0].strip().lower() == "respond-async" for p in (prefer or "").split(","))


def upload_public(result: IngestResult) -> UploadPublic:
    return UploadPublic(
        id=result.id,
        filename=result.filename,
        title=result.title,
        pages=result.pages,
        chunks=result.chunks,
        status=result.status,
        owner=result.owner,
        superseded_by=result.superseded_by,
    )


def _do_upload(
    engine: Engine,
    metrics: Metrics,
    data: bytes,
    filename: str | None,
    meta: dict[str, Any] | None,
    caller: Caller,
    owner: str | None,
    ticket: int | None,
    progress: Progress | None = None,
) -> IngestResult:
    with metrics.track_upload() as outcome:
        result = engine.upload(data, filename, meta, caller, owner=owner, ticket=ticket, progress=progress)
        outcome.status = result.status
    return result


def to_public(r: DocumentRecord) -> DocumentPublic:
    return DocumentPublic(
        id=r.id,
        filename=r.filename,
        title=r.title,
        pages=r.pages,
        chunks=r.chunks,
        date=r.date,
        conference=r.conference,
        doc_type=r.doc_type,
        tags=list(r.tags),
        indexed_at=r.indexed_at,
        owner=r.owner,
    )


def _parse_metadata(raw: str | None, max_bytes: int) -> dict[str, Any] | None:
    if raw is None or not raw.strip():
        return None
    if len(raw) > max_bytes:
        raise BodyTooLarge(f"«metadata» supera el límite de {max_bytes // 1024} KB (MAX_JSON_BODY_KB).")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidMetadata(f"«metadata» no es JSON válido: {exc.msg} (posición {exc.pos}).") from exc
    except RecursionError as exc:
        raise InvalidMetadata("«metadata» anida demasiados niveles de JSON.") from exc
    if not isinstance(value, dict):
        raise InvalidMetadata('«metadata» debe ser un objeto JSON, por ejemplo {"title": "..."}.')
    return value


@router.post("", status_code=201, response_model=UploadPublic, responses=_UPLOAD_RESPONSES)
def upload(
    engine: EngineDep,
    jobs: JobsDep,
    principal: WriteDep,
    request: Request,
    metrics: MetricsDep,
    response: Response,
    file: Annotated[UploadFile, File(description="Un archivo PDF, TXT o MD.")],
    metadata: Annotated[str | None, Form(description="JSON: title, date, conference, doc_type, tags.")] = None,
    owner: Annotated[
        str | None, Form(max_length=64, description="Solo admin: subir en nombre de otro propietario.")
    ] = None,
    prefer: Annotated[str | None, Header(description="«respond-async»: responder 202 con un trabajo.")] = None,
) -> UploadPublic | Response:
    """Sube e indexa un registro. 201 si se indexó; 200 con status «duplicate» si ya estaba, o «superseded» si una
    versión del mismo archivo y propietario llegada después ya está indexada (gana la última en llegar). Reemplaza
    el registro del mismo propietario con el mismo nombre de archivo. 429 si hay demasiadas subidas en curso. Con
    «Prefer: respond-async», 202 y «Location: /v1/jobs/{id}»: el trabajo informa del progreso y del resultado."""
    caller = caller_of(request, principal)
    ticket = getattr(request.state, "upload_ticket", None)
    filename = file.filename
    try:
        meta = _parse_metadata(metadata, engine.settings.max_json_body_bytes)
    except CompromisosError:
        with metrics.track_upload():  # counted as a rejected upload, like every other rejection
            raise
    # Read one byte past the limit: enough to know it is too large without holding a huge file in memory.
    data = file.file.read(engine.max_upload_bytes() + 1)
    if not wants_async(prefer):
        result = _do_upload(engine, metrics, data, filename, meta, caller, owner or None, ticket)
        if result.status != "indexed":
            response.status_code = 200
        return upload_public(result)

    def work(payload: bytes, progress: Progress) -> dict[str, Any]:
        result = _do_upload(engine, metrics, payload, filename, meta, caller, owner or None, ticket, progress)
        return upload_public(result).model_dump()

    try:
        shown = safe_filename(filename)
    except CompromisosError:  # too long: the job fails with the same error the synchronous upload gives
        shown = (filename or "")[:255]
    job = jobs.submit(principal.name, shown, data, work)
    setattr(request.state, SLOT_HANDED_OVER, True)
    return JSONResponse(
        JobEnvelope(job=job_public(job)).model_dump(),
        status_code=202,
        headers={"Location": f"/v1/jobs/{job.id}", "Preference-Applied": "respond-async"},
    )


@router.get("", response_model=DocumentsPage)
def list_documents(
    engine: EngineDep,
    _: ReadDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> DocumentsPage:
    """Lista los registros indexados (por fecha, luego nombre)."""
    records = engine.documents()
    return DocumentsPage(documents=[to_public(r) for r in records[offset : offset + limit]], total=len(records))


@router.get("/{document_id}", response_model=DocumentPublic, responses=_ERRORS)
def get_document(engine: EngineDep, _: ReadDep, document_id: IdPath) -> DocumentPublic:
    """Un registro indexado."""
    return to_public(engine.document(document_id))


@router.delete("/{document_id}", status_code=204, responses=_ERRORS)
def delete_document(engine: EngineDep, principal: WriteDep, request: Request, document_id: IdPath) -> Response:
    """Borra un registro: sus pasajes y compromisos dejan de aparecer en las búsquedas. El de otro propietario,
    solo con una clave admin."""
    if not engine.delete_document(document_id, caller_of(request, principal)):
        raise NotFound(f"No hay ningún documento indexado con id «{document_id}».")
    return Response(status_code=204)
