"""Maps domain errors to HTTP, in one place. One JSON error shape: {"code": stable id, "detail": Spanish text}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexing.errors import CompromisosError, TooManyFailedAttempts, TooManyUploads, Unauthorized
from service.metrics import count_error

logger = logging.getLogger(__name__)

_FIELD_NAMES = {"query": "query", "question": "question", "file": "file", "top_k": "top_k"}


_LENGTH_ERRORS = frozenset({"string_too_long", "too_long"})
INTERNAL_ERROR = ("internal_error", "Error interno inesperado. Nada de lo ya indexado se ha perdido.")


def error_body(code: str, detail: str) -> dict[str, str]:
    return {"code": code, "detail": detail}


def internal_error_response() -> JSONResponse:
    """The 500 answer to an unexpected error (its details go to the log, never to the client)."""
    return JSONResponse(error_body(*INTERNAL_ERROR), status_code=500)


def _describe(errors: list[dict]) -> str:
    parts = []
    for err in errors[:5]:
        loc = [str(x) for x in err.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "form", "header"):
            loc = loc[1:]  # where the field came from, not its name (a body field may be called "query")
        where = ".".join(loc) or "solicitud"
        kind = err.get("type", "")
        if kind == "missing":
            parts.append(f"falta el campo «{where}»")
        elif kind == "json_invalid":
            parts.append("el cuerpo no es JSON válido")
        elif kind == "extra_forbidden":
            parts.append(f"el campo «{where}» no existe")
        elif kind == "string_unicode":
            parts.append(f"«{where}» no es texto Unicode válido")
        elif kind == "value_error":
            parts.append(f"«{where}» {err.get('ctx', {}).get('error', 'no es válido')}")
        elif kind == "string_too_long":
            parts.append(f"«{where}» admite como máximo {err.get('ctx', {}).get('max_length')} caracteres")
        elif kind == "too_long":
            parts.append(f"«{where}» admite como máximo {err.get('ctx', {}).get('max_length')} elementos")
        else:
            parts.append(f"«{where}»: {err.get('msg', 'valor no válido')}")
    return "Solicitud no válida: " + "; ".join(parts) + "."


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CompromisosError)
    async def _domain(request: Request, exc: CompromisosError) -> JSONResponse:
        if exc.status >= 500:
            logger.error("Domain error %s: %s", exc.code, exc.detail)
        count_error(request.app, exc.code)
        # RFC 6750: a 401 names the scheme the client should use; a 429 says when to retry.
        headers: dict[str, str] | None = None
        if isinstance(exc, Unauthorized):
            headers = {"WWW-Authenticate": "Bearer"}
        elif isinstance(exc, (TooManyUploads, TooManyFailedAttempts)):
            headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse(error_body(exc.code, exc.detail), status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        # A length cap has a code of its own, so a portal can tell "too long" from "malformed".
        too_long = bool(errors) and all(e.get("type") in _LENGTH_ERRORS for e in errors)
        code = "field_too_long" if too_long else "invalid_request"
        count_error(request.app, code)
        return JSONResponse(error_body(code, _describe(errors)), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {
            400: ("invalid_request", "Solicitud no válida: el cuerpo no se puede leer."),
            404: ("not_found", "No existe ese recurso."),
            405: ("method_not_allowed", "Método no permitido."),
        }
        code, detail = codes.get(exc.status_code, ("http_error", str(exc.detail)))
        count_error(request.app, code)
        return JSONResponse(error_body(code, detail), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Reached only for errors outside the request-id middleware (which answers the others the same way).
        logger.exception("Unexpected error")
        count_error(request.app, INTERNAL_ERROR[0])
        return internal_error_response()
