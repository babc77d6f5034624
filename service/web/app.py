"""Mount the web page on the API's app: static assets at /static, the pages at / and below."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from service.web import pages_briefing, pages_documents, pages_register, pages_search, session

STATIC_DIR = Path(__file__).parent / "static"


def install_web(app: FastAPI) -> None:
    """Add the static assets, the sign-in pages and every page router to `app` (pages are left out of the OpenAPI
    schema; with authentication on each needs a session), and the web security middleware.

    :param app: the service's FastAPI app.
    """
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(session.router, include_in_schema=False)
    for module in (pages_search, pages_documents, pages_briefing, pages_register):
        app.include_router(module.router, include_in_schema=False, dependencies=[Depends(session.page_guard)])

    async def _sign_in(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, session.SignInRequired)
        return session.sign_in_redirect(exc)

    app.add_exception_handler(session.SignInRequired, _sign_in)
    # Outermost: cross-site writes are refused before anything else runs; every response gets its headers.
    app.add_middleware(session.WebSecurityMiddleware)
