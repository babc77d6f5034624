"""Briefings ("ayudas memoria") and whole-record summaries, with Word and Markdown export."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from indexing.briefing import Briefing, BriefingRequest, to_docx, to_markdown
from service.auth import read_required
from service.deps import EngineDep
from service.schemas import (
    BriefingEditionBody,
    BriefingPublic,
    BriefingRequestBody,
    ErrorPublic,
    IdPath,
    SummaryRequestBody,
)

router = APIRouter(tags=["ayudas memoria"], dependencies=[Depends(read_required)])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def to_public(b: Briefing) -> BriefingPublic:
    return BriefingPublic.model_validate(b.to_dict())


@router.post("/v1/briefings", response_model=BriefingPublic, responses={422: {"model": ErrorPublic}})
def create_briefing(engine: EngineDep, body: BriefingRequestBody) -> BriefingPublic:
    """Redacta una ayuda memoria citada sobre un tema, a partir de los registros."""
    filters = body.filters.model_dump(mode="json", exclude_none=True) if body.filters else {}
    request = BriefingRequest(
        topic=body.topic, filters=filters, max_points=body.max_points, group_by=body.group_by, mode=body.mode
    )
    return to_public(engine.briefing(request, body.filters.to_domain() if body.filters else None))


@router.post(
    "/v1/documents/{document_id}/summary", response_model=BriefingPublic, responses={404: {"model": ErrorPublic}}
)
def summarize(engine: EngineDep, document_id: IdPath, body: SummaryRequestBody | None = None) -> BriefingPublic:
    """Resume un registro completo (todos sus pasajes), con citas."""
    return to_public(engine.document_summary(document_id, max_points=(body or SummaryRequestBody()).max_points))


@router.get(
    "/v1/briefings/{briefing_id}",
    response_model=BriefingPublic,
    responses={
        200: {"content": {DOCX: {}, "text/markdown": {}}, "description": "JSON, DOCX o Markdown"},
        404: {"model": ErrorPublic},
    },
)
def get_briefing(
    engine: EngineDep,
    briefing_id: IdPath,
    format: Annotated[Literal["json", "docx", "md"], Query(description="json, docx o md")] = "json",  # noqa: A002
) -> Response | BriefingPublic:
    """Devuelve una ayuda memoria guardada, en JSON, Word (docx) o Markdown."""
    return briefing_response(engine.get_briefing(briefing_id), format)


@router.post(
    "/v1/briefings/{briefing_id}/export",
    response_model=BriefingPublic,
    responses={
        200: {"content": {DOCX: {}, "text/markdown": {}}, "description": "JSON, DOCX o Markdown"},
        404: {"model": ErrorPublic},
        422: {"model": ErrorPublic, "description": "unknown_point, duplicate_point o invalid_request"},
    },
)
def export_edited_briefing(
    engine: EngineDep,
    briefing_id: IdPath,
    body: BriefingEditionBody,
    format: Annotated[Literal["json", "docx", "md"], Query(description="json, docx o md")] = "docx",  # noqa: A002
) -> Response | BriefingPublic:
    """Exporta una ayuda memoria guardada tal como la editó el personal: nuevo título y solo los puntos indicados,
    en ese orden (las citas no se editan); las notas se renumeran."""
    return briefing_response(engine.edit_briefing(briefing_id, body.title, body.points), format, "_editada")


def briefing_response(b: Briefing, format: str, suffix: str = "") -> Response | BriefingPublic:  # noqa: A002
    """A briefing as JSON, DOCX or Markdown (the last two as attachments named after its id and `suffix`)."""
    if format == "docx":
        return Response(
            to_docx(b),
            media_type=DOCX,
            headers={"Content-Disposition": f'attachment; filename="ayuda_memoria_{b.id}{suffix}.docx"'},
        )
    if format == "md":
        return Response(
            to_markdown(b),
            media_type="text/markdown; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="ayuda_memoria_{b.id}{suffix}.md"'},
        )
    return to_public(b)
