"""The «Buscar / Preguntar» page (home): one box, the answer first, then the cited passages and more results.

Server-rendered from the query string (`/?q=...&conference=...&doc_type=...&desde=...&hasta=...`), so a search can
be shared and opened directly; it calls the same `Engine` methods as POST /v1/ask and POST /v1/search.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from indexing.query.answer import Answer
from indexing.types import Chunk, SearchFilters
from service.deps import EngineDep, MetricsDep
from service.schemas import MAX_QUERY_CHARS
from service.web.templating import render

router = APIRouter()

MORE_RESULTS = 10

KIND_LABELS = {
    "amount": "un monto",
    "count": "una cantidad",
    "date": "una fecha",
    "place": "un lugar",
    "entities": "quiénes (entidades)",
    "yesno": "sí o no",
    "explanation": "una explicación",
}


@dataclass(frozen=True)
class SearchForm:
    """The page's query and filters, as typed (echoed in the form) and as checked."""

    q: str = ""
    conference: str = ""
    doc_type: str = ""
    desde: str = ""
    hasta: str = ""

    def filters(self) -> SearchFilters | None:
        """:returns: the search filters set, or None."""
        f = SearchFilters(
            conference=self.conference or None,
            doc_type=self.doc_type or None,
            date_from=self.desde or None,
            date_to=self.hasta or None,
        )
        return None if f == SearchFilters() else f

    @property
    def any_filter(self) -> bool:
        return bool(self.conference or self.doc_type or self.desde or self.hasta)


def _iso_date(value: str, label: str, problems: list[str]) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        problems.append(f"La fecha «{label}» no es válida ({value[:20]}): use el formato AAAA-MM-DD. No se aplicó.")
        return ""


def reading(answer: Answer) -> list[tuple[str, str]]:
    """How the question was read, as (label, value) lines in Spanish (only what was recognized).

    :param answer: the answer (its `interpretation`).
    :returns: the lines.
    """
    it = answer.interpretation
    if it is None:
        return []
    lines = [("Pregunta por", KIND_LABELS.get(it.kind, it.kind))]
    if it.actors:
        lines.append(("Actores", ", ".join(it.actors)))
    if it.recipient:
        lines.append(("Destinatario", it.recipient))
    if it.event is not None:
        description = it.event.describe()
        if description:
            lines.append(("Evento", description))
    if it.disbursement:
        lines.append(("Busca", "lo desembolsado o ejecutado, no lo comprometido"))
    return lines


def more_results(chunks: list[Chunk], answer: Answer) -> list[Chunk]:
    """Search results not already shown: one per record page, none of the pages the answer cites.

    :param chunks: search results, best first.
    :param answer: the answer shown above them.
    :returns: the results to list, best first.
    """
    seen = {(c.document_id, c.page) for c in answer.citations}
    out = []
    for c in chunks:
        if (c.document_id, c.page) not in seen:
            seen.add((c.document_id, c.page))
            out.append(c)
    return out


@router.get("/", response_class=HTMLResponse)
def page(
    request: Request,
    engine: EngineDep,
    metrics: MetricsDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
    conference: Annotated[str, Query(max_length=500)] = "",
    doc_type: Annotated[str, Query(max_length=500)] = "",
    desde: Annotated[str, Query(max_length=20)] = "",
    hasta: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    """Search and ask."""
    problems: list[str] = []
    form = SearchForm(
        q=" ".join(q.split()),
        conference=conference.strip(),
        doc_type=doc_type.strip(),
        desde=_iso_date(desde, "desde", problems),
        hasta=_iso_date(hasta, "hasta", problems),
    )
    records = engine.documents()
    context: dict[str, Any] = {
        "title": "Buscar",
        "form": form,
        "problems": problems,
        "answer": None,
        "results": [],
        "reading": [],
        "conferences": sorted({r.conference for r in records if r.conference}),
        "doc_types": sorted({r.doc_type for r in records if r.doc_type}),
        "record_count": len(records),
    }
    if form.q:
        filters = form.filters()
        answer = engine.ask(form.q, filters=filters)
        metrics.count_answer(answer.found)
        found = engine.search(form.q, top_k=MORE_RESULTS + 5, filters=filters)
        context.update(
            title=f"{form.q[:80]} · Buscar",
            answer=answer,
            reading=reading(answer),
            results=more_results(found.chunks, answer)[:MORE_RESULTS],
        )
    return render(request, "search.html", context)
