"""Typed dependencies: routes receive the engine and settings, never build clients or models."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from indexing.engine import Engine
from indexing.errors import InvalidQuery, StoreUnavailable
from indexing.settings import Settings
from service.jobs import JobManager
from service.metrics import Metrics


def get_engine(request: Request) -> Engine:
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        raise StoreUnavailable("El servicio todavía está arrancando: el almacén o el modelo no están listos.")
    return engine


async def single_query_values(request: Request) -> None:
    """Every query parameter of this API takes one value: a repeated one ("?actor=A&actor=B") would silently keep
    the last, so it is refused.

    :raises InvalidQuery: a parameter appears more than once.
    """
    seen: set[str] = set()
    for key, _ in request.query_params.multi_items():
        if key in seen:
            raise InvalidQuery(f"El parámetro «{key[:50]}» aparece más de una vez; indique un solo valor.")
        seen.add(key)


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_jobs(request: Request) -> JobManager:
    jobs = getattr(request.app.state, "jobs", None)
    if jobs is None:
        raise StoreUnavailable("El servicio todavía está arrancando: la cola de trabajos no está lista.")
    return jobs


def get_metrics(request: Request) -> Metrics:
    return request.app.state.metrics


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
JobsDep = Annotated[JobManager, Depends(get_jobs)]
