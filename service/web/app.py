"""Mount the web page on the API's app: static assets at /static, the pages at / and below."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from service.web import pages_briefing, pages_documents, pages_register, pages_search, session

STATIC_DIR = Path(__file__).parent / "static"


def install_web(app: FastAPI) -> None:
    """Add the static assets and every page router to `app` (pages are left out of the OpenAPI schema).

    :param app: the service's FastAPI app.
    """
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (session, pages_search, pages_documents, pages_briefing, pages_register):
        app.include_router(module.router, include_in_schema=False)
