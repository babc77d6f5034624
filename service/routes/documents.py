"""Records: upload, list, read, delete."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile

from indexing.errors import BodyTooLarge, InvalidMetadata, NotFound
from indexing.types import DocumentRecord
from service.auth import ReadDep, WriteDep, caller_of
from service.deps import EngineDep, MetricsDep
from service.schemas import DocumentPublic, DocumentsPage, ErrorPublic, IdPath, UploadPublic

router = APIRouter(prefix="/v1/documents", tags=["documentos"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorPublic} for code in (401, 403, 404, 413, 415, 422, 429)
}


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


@router.post("", status_code=201, response_model=UploadPublic, responses=_ERRORS)
def upload(
    engine: EngineDep,
    principal: WriteDep,
    request: Request,
    metrics: MetricsDep,
    response: Response,
    file: Annotated[UploadFile, File(description="Un archivo PDF, TXT o MD.")],
    metadata: Annotated[str | None, Form(description="JSON: title, date, conference, doc_type, tags.")] = None,
    owner: Annotated[
        str | None, Form(max_length=64, description="Solo admin: subir en nombre de otro propietario.")
    ] = None,
) -> UploadPublic:
    """Sube e indexa un registro. 201 si se indexó; 200 con status «duplicate» si ya estaba, o «superseded» si una
    versión del mismo archivo y propietario llegada después ya está indexada (gana la última en llegar). Reemplaza
    el registro del mismo propietario con el mismo nombre de archivo. 429 si hay demasiadas subidas en curso."""
    with metrics.track_upload() as outcome:
        meta = _parse_metadata(metadata, engine.settings.max_json_body_bytes)
        # Read one byte past the limit: enough to know it is too large without holding a huge file in memory.
        data = file.file.read(engine.indexer.max_bytes + 1)
        result = engine.upload(
            data,
            file.filename,
            meta,
            caller_of(request, principal),
            owner=owner or None,
            ticket=getattr(request.state, "upload_ticket", None),
        )
        outcome.status = result.status
    if result.status != "indexed":
        response.status_code = 200
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


@router.get("", response_model=DocumentsPage)
def list_documents(
    engine: EngineDep,
    _: ReadDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> DocumentsPage:
    """Lista los registros indexados (por fecha, luego nombre)."""
    records = engine.store.all_documents()
    return DocumentsPage(documents=[to_public(r) for r in records[offset : offset + limit]], total=len(records))


@router.get("/{document_id}", response_model=DocumentPublic, responses=_ERRORS)
def get_document(engine: EngineDep, _: ReadDep, document_id: IdPath) -> DocumentPublic:
    """Un registro indexado."""
    record = engine.store.get_document(document_id)
    if record is None:
        raise NotFound(f"No hay ningún documento indexado con id «{document_id}».")
    return to_public(record)


@router.delete("/{document_id}", status_code=204, responses=_ERRORS)
def delete_document(engine: EngineDep, principal: WriteDep, request: Request, document_id: IdPath) -> Response:
    """Borra un registro: sus pasajes y compromisos dejan de aparecer en las búsquedas. El de otro propietario,
    solo con una clave admin."""
    if not engine.delete_document(document_id, caller_of(request, principal)):
        raise NotFound(f"No hay ningún documento indexado con id «{document_id}».")
    return Response(status_code=204)
