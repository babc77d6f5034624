"""Search and questions."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from indexing.types import Citation
from service.auth import read_required
from service.deps import EngineDep, MetricsDep
from service.schemas import (
    AskRequest,
    AskResponse,
    CitationPublic,
    InterpretationPublic,
    SearchRequest,
    SearchResponse,
    SearchResultPublic,
)

router = APIRouter(prefix="/v1", tags=["búsqueda"], dependencies=[Depends(read_required)])


@router.post("/search", response_model=SearchResponse)
def search(engine: EngineDep, body: SearchRequest) -> SearchResponse:
    """Búsqueda híbrida (semántica + léxica) de pasajes."""
    filters = body.filters.to_domain() if body.filters else None
    found = engine.search(body.query, top_k=body.top_k, filters=filters)
    return SearchResponse(
        results=[
            SearchResultPublic(
                document_id=c.document_id,
                filename=c.filename,
                title=c.title,
                page=c.page,
                page_kind=c.page_kind,
                text=c.text,
                score=round(c.score, 6),
                table_header=list(c.table_header),
                ocr=c.ocr,
            )
            for c in found.chunks
        ]
    )


@router.post("/ask", response_model=AskResponse)
def ask(engine: EngineDep, metrics: MetricsDep, body: AskRequest) -> AskResponse:
    """Responde con frases textuales de los registros y sus citas, o dice que ningún registro responde."""
    filters = body.filters.to_domain() if body.filters else None
    answer = engine.ask(body.question, top_k=body.top_k, filters=filters)
    metrics.count_answer(answer.found)
    it = answer.interpretation
    return AskResponse(
        answer=answer.answer,
        found=answer.found,
        citations=[_citation(c) for c in answer.citations],
        confidence=answer.confidence,
        related=[_citation(c) for c in answer.related],
        interpretation=InterpretationPublic.model_validate(it.to_dict()) if it is not None else None,
    )


def _citation(c: Citation) -> CitationPublic:
    return CitationPublic.model_validate(c)
