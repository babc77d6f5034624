"""The «Ayuda memoria» page: a topic and filters (in the URL) draft a briefing; staff remove and reorder its points
and edit its title in the page (static/briefing.js), then export THE EDITED briefing as DOCX or Markdown through
`POST /v1/briefings/{id}/export`. Quotes are never editable: the page sends only point ids.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from indexing.briefing import BriefingRequest
from indexing.errors import CompromisosError
from indexing.types import SearchFilters
from service.deps import get_engine
from service.schemas import MAX_TOPIC_CHARS
from service.web.templating import render

router = APIRouter()

GROUPS = (("document", "Por registro"), ("date", "Por fecha"), ("actor", "Por actor"))
MAX_POINTS = 30
DEFAULT_POINTS = 8


def read_form(params: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The page's query string as briefing parameters, and a Spanish message for each value left out.

    :param params: the query parameters (`tema`, `conference`, `doc_type`, `date_from`, `date_to`, `agrupar`,
        `puntos`).
    :returns: (values, messages).
    """
    problems: list[str] = []
    values: dict[str, Any] = {
        "tema": (params.get("tema") or "").strip()[:MAX_TOPIC_CHARS],
        "conference": (params.get("conference") or "").strip()[:200],
        "doc_type": (params.get("doc_type") or "").strip()[:200],
        "agrupar": params.get("agrupar") if params.get("agrupar") in dict(GROUPS) else "document",
        "puntos": DEFAULT_POINTS,
    }
    for key in ("date_from", "date_to"):
        raw = (params.get(key) or "").strip()
        values[key] = ""
        if raw:
            try:
                values[key] = dt.date.fromisoformat(raw).isoformat()
            except ValueError:
                problems.append(f"«{raw[:50]}» no es una fecha AAAA-MM-DD; se ignoró.")
    raw_points = (params.get("puntos") or "").strip()
    if raw_points:
        if raw_points.isdigit() and 1 <= int(raw_points) <= MAX_POINTS:
            values["puntos"] = int(raw_points)
        else:
            problems.append(f"El número de puntos debe estar entre 1 y {MAX_POINTS}; se usan {DEFAULT_POINTS}.")
    return values, problems


@router.get("/ayuda-memoria", response_class=HTMLResponse)
def page(request: Request) -> HTMLResponse:
    """The briefing builder: the form, and the draft when a topic is given.

    :param request: the current request.
    :returns: the HTML page.
    """
    engine = get_engine(request)
    values, problems = read_form(dict(request.query_params))
    records = engine.documents()
    conferences = sorted({r.conference for r in records if r.conference})
    doc_types = sorted({r.doc_type for r in records if r.doc_type})
    briefing = None
    error = ""
    if values["tema"]:
        filters = {k: values[k] for k in ("conference", "doc_type", "date_from", "date_to") if values[k]}
        request_ = BriefingRequest(
            topic=values["tema"], filters=filters, max_points=values["puntos"], group_by=values["agrupar"]
        )
        try:
            briefing = engine.briefing(request_, SearchFilters(**filters) if filters else None)
        except CompromisosError as exc:
            error = exc.detail
    context = {
        "title": "Ayuda memoria",
        "values": values,
        "problems": problems,
        "error": error,
        "conferences": conferences,
        "doc_types": doc_types,
        "groups": GROUPS,
        "max_points": MAX_POINTS,
        "briefing": briefing,
    }
    return render(request, "briefing.html", context)
