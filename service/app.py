"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from indexing.engine import Engine
from indexing.settings import Settings
from service.backpressure import UploadQueue, UploadSlots
from service.deps import single_query_values
from service.errors import install_error_handlers
from service.jobs import JobManager
from service.limits import BodyLimitMiddleware
from service.metrics import install_metrics
from service.request_id import RequestIdMiddleware
from service.routes import admin, audit, briefings, commitments, documents, health, jobs, keys, metrics, search
from service.schemas import ERROR_RESPONSES
from service.web import install_web

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the app. With `engine` given (CLI start-up, tests) it is used as is and not closed at shutdown;
    otherwise the lifespan opens one from `settings` and closes it.
    """
    settings = settings or (engine.settings if engine else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        owned = engine is None
        app.state.engine = engine or Engine.open(settings)
        job_manager = JobManager(
            settings.data_dir / "jobs", release_slot=app.state.upload_slots.release, nice=settings.job_nice
        )
        job_manager.recover()
        job_manager.start()
        app.state.jobs = job_manager
        try:
            yield
        finally:
            app.state.jobs = None
            job_manager.close()
            if owned:
                app.state.engine.close()
            app.state.engine = None

    app = FastAPI(
        dependencies=[Depends(single_query_values)],
        title="Compromisos",
        version="0.1.0",
        description=(
            "Busca lo comprometido en las Conferencias Internacionales de Solidaridad con los refugiados y "
            "migrantes venezolanos y su seguimiento, y lo prueba con el pasaje exacto: registro, página y cita."
        ),
        lifespan=lifespan,
        # No OpenTelemetry instrumentation: a ministry service exports nothing.
        telemetry={
            "tracing": False,
            "metrics": False,
            "logs": False,
            "operation_spans": False,
            "auto_configure": False,
        },
    )
    app.state.settings = settings
    app.state.engine = None
    app.state.jobs = None
    install_error_handlers(app)
    # Outermost last: the request id wraps everything (so every log line and error has it), then the metrics,
    # then the upload queue (a 429 before any body is read), then the body limits right around the routes' body
    # parsing.
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    app.state.upload_slots = UploadSlots(settings.max_pending_uploads, settings.upload_retry_after)
    app.add_middleware(UploadQueue, slots=app.state.upload_slots)
    install_metrics(app)
    app.add_middleware(RequestIdMiddleware)
    app.include_router(health.router)
    for router in (
        documents.router,
        jobs.router,
        search.router,
        briefings.router,
        commitments.router,
        keys.router,
        audit.router,
        admin.router,
        metrics.router,
    ):
        app.include_router(router, responses=ERROR_RESPONSES)
    install_web(app)
    return app
