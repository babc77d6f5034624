"""Maps domain errors to HTTP, in one place. One JSON error shape: {"code": stable id, "detail": Spanish text}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexing.errors import CompromisosError, Unauthorized

logger = logging.getLogger(__name__)

_FIELD_NAMES = {"query": "query", "question": "question", "file": "file", "top_k": "top_k"}


def error_body(code: str, detail: str) -> dict[str, str]:
    return {"code": code, "detail": detail}


def _describe(errors: list[dict]) -> str:
    parts = []
    for err in errors[:5]:
        loc = [str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path", "form")]
        where = ".".join(loc) or "solicitud"
        kind = err.get("type", "")
        if kind == "missing":
            parts.append(f"falta el campo «{where}»")
        elif kind == "json_invalid":
            parts.append("el cuerpo no es JSON válido")
        elif kind == "extra_forbidden":
            parts.append(f"el campo «{where}» no existe")
        else:
            parts.append(f"«{where}»: {err.get('msg', 'valor no válido')}")
    return "Solicitud no válida: " + "; ".join(parts) + "."


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CompromisosError)
    async def _domain(_: Request, exc: CompromisosError) -> JSONResponse:
        if exc.status >= 500:
            logger.error("Domain error %s: %s", exc.code, exc.detail)
        # RFC 6750: a 401 names the scheme the client should use.
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
        return JSONResponse(error_body(exc.code, exc.detail), status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body("invalid_request", _describe(list(exc.errors()))), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: ("not_found", "No existe ese recurso."), 405: ("method_not_allowed", "Método no permitido.")}
        code, detail = codes.get(exc.status_code, ("http_error", str(exc.detail)))
        return JSONResponse(error_body(code, detail), status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        logger.exception("Unexpected error")
        return JSONResponse(
            error_body("internal_error", "Error interno inesperado. Nada de lo ya indexado se ha perdido."),
            status_code=500,
        )
