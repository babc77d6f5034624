"""The Jinja2 environment of the web page: autoescaped templates and Spanish filters for dates and amounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from indexing.text.formatting import format_amount, format_date_es, format_number_es

TEMPLATES_DIR = Path(__file__).parent / "templates"

# (path, label) of the navigation bar, in order.
NAV: tuple[tuple[str, str], ...] = (
    ("/", "Buscar"),
    ("/ayuda-memoria", "Ayuda memoria"),
    ("/compromisos", "Compromisos"),
    ("/documentos", "Documentos"),
)

templates = Jinja2Templates(directory=TEMPLATES_DIR)
# Jinja2Templates autoescapes .html; state it so no template ever renders untrusted text raw.
templates.env.autoescape = True
templates.env.filters["fecha"] = format_date_es
templates.env.filters["numero"] = format_number_es
templates.env.filters["monto"] = format_amount
templates.env.globals["NAV"] = NAV


def quote_url(document_id: str, page: int, quote: str | None = None) -> str:
    """Link to a record at a page with a quote highlighted (the «quote on its page» view).

    :param document_id: the record's id.
    :param page: 1-based page number.
    :param quote: the verbatim quote to highlight; None or "" opens the page without one.
    :returns: `/documentos/{id}?pagina=N&cita=...#cita` (the fragment scrolls to the highlight).
    """
    url = f"/documentos/{url_quote(document_id, safe='')}?pagina={int(page)}"
    if quote:
        url += f"&cita={url_quote(quote, safe='')}"
    return url + "#cita"


templates.env.globals["quote_url"] = quote_url


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """Render a page template with what every page needs (the caller, the CSRF token, the active section).

    :param request: the current request.
    :param name: template file name under `templates/`.
    :param context: the page's own variables.
    :param status_code: HTTP status of the response.
    :returns: the HTML response.
    """
    from service.web.session import page_context

    values = {**page_context(request), **(context or {})}
    return templates.TemplateResponse(request, name, values, status_code=status_code)
