"""Prometheus metrics, for operators (admin key only)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from service.auth import admin_required

router = APIRouter(tags=["operación"], dependencies=[Depends(admin_required)])


@router.get("/metrics", response_class=Response, responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
def metrics(request: Request) -> Response:
    """Métricas en formato Prometheus (solicitudes, subidas, etapas de indexación, preguntas, errores). Clave admin."""
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
