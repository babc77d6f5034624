"""The «Compromisos» page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from service.web.templating import render

router = APIRouter()


@router.get("/compromisos", response_class=HTMLResponse)
def page(request: Request) -> HTMLResponse:
    """The page.

    :param request: the current request.
    :returns: the HTML page.
    """
    return render(request, "register.html", {"title": "Compromisos"})
