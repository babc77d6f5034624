"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["salud"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """El proceso está vivo."""
    # async: answered on the event loop, never queued behind uploads and searches holding the worker threads.
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """El almacén está abierto y el modelo cargado."""
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        return JSONResponse({"status": "starting", "store": False, "model": False}, status_code=503)
    try:
        counts = engine.status()
    except Exception:
        return JSONResponse({"status": "store_unavailable", "store": False, "model": True}, status_code=503)
    return JSONResponse({"status": "ready", "store": True, "model": True, "embedder": engine.embedder_name(), **counts})
