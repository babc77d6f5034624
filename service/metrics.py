"""Prometheus metrics of one app: HTTP (prometheus-fastapi-instrumentator) plus the service's own.

Each app has its own registry (tests build several apps in one process). Besides the instrumentator's HTTP
metrics (`http_requests_total`, `http_request_duration_seconds`, ...):

- `compromisos_uploads_total{status}`: uploads by outcome: `indexed`, `duplicate` or the error code.
- `compromisos_ingest_seconds`: wall time of an upload's ingestion (conversion to commit).
- `compromisos_pipeline_stage_seconds{stage}`: time in each pipeline component (ingestion: `pdf_converter`,
  `cleaner`, `chunker`, `dense`...; queries: `dense_query`, `retriever`...), from a Haystack tracer (stages the
  ingestion worker process ran are replayed with the time they took there).
- `compromisos_asks_total` and `compromisos_abstentions_total`: questions asked, and those no record answered.
- `compromisos_errors_total{code}`: error responses by their stable `code`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from haystack import tracing
from haystack.tracing import Span, Tracer
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_fastapi_instrumentator import Instrumentator
from starlette.types import ASGIApp, Receive, Scope, Send

from indexing.errors import CompromisosError
from indexing.ingest_worker import STAGE_SECONDS_TAG

_STAGE_BUCKETS = (0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


class Metrics:
    """The service's own metrics, in a registry of their own (`registry`), which `/metrics` exposes."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.uploads = Counter(
            "compromisos_uploads",
            "Uploads by outcome (indexed, duplicate or error code).",
            ["status"],
            registry=self.registry,
        )
        self.ingest_seconds = Histogram(
            "compromisos_ingest_seconds",
            "Ingestion time of one upload.",
            buckets=_STAGE_BUCKETS,
            registry=self.registry,
        )
        self.stage_seconds = Histogram(
            "compromisos_pipeline_stage_seconds",
            "Time in each pipeline component.",
            ["stage"],
            buckets=_STAGE_BUCKETS,
            registry=self.registry,
        )
        self.asks = Counter("compromisos_asks", "Questions asked.", registry=self.registry)
        self.abstentions = Counter(
            "compromisos_abstentions", "Questions that no indexed record answers.", registry=self.registry
        )
        self.errors = Counter("compromisos_errors", "Error responses by code.", ["code"], registry=self.registry)

    @contextlib.contextmanager
    def track_upload(self) -> Iterator[UploadOutcome]:
        """Time one upload and count it by outcome: the status the route sets, or the code of the error raised.

        :returns: (as a context manager) an outcome whose `status` the route sets on success.
        """
        outcome = UploadOutcome()
        t0 = time.perf_counter()
        try:
            yield outcome
        except CompromisosError as exc:
            outcome.status = exc.code
            raise
        except Exception:
            outcome.status = "internal_error"
            raise
        finally:
            self.ingest_seconds.observe(time.perf_counter() - t0)
            self.uploads.labels(outcome.status).inc()

    def count_answer(self, found: bool) -> None:
        """Count one question, and an abstention when no record answered it."""
        self.asks.inc()
        if not found:
            self.abstentions.inc()


@dataclass
class UploadOutcome:
    status: str = "indexed"


current_metrics: ContextVar[Metrics | None] = ContextVar("current_metrics", default=None)
"""The metrics of the app serving the current request (read by the process-wide Haystack tracer)."""


def metrics_of(scope_app: Any) -> Metrics | None:
    """The `Metrics` of an app (`request.app` or `scope["app"]`), if it has any."""
    state = getattr(scope_app, "state", None)
    return getattr(state, "metrics", None)


def count_error(scope_app: Any, code: str) -> None:
    """Count one error response with `code` on the app's metrics (no-op without them)."""
    metrics = metrics_of(scope_app)
    if metrics is not None:
        metrics.errors.labels(code).inc()


class _StageSpan(Span):
    def set_tag(self, key: str, value: Any) -> None:
        pass


class StageTracer(Tracer):
    """A Haystack tracer that only times component runs into `current_metrics` (nothing leaves the process)."""

    @contextlib.contextmanager
    def trace(
        self, operation_name: str, tags: dict[str, Any] | None = None, parent_span: Span | None = None
    ) -> Iterator[Span]:
        metrics = current_metrics.get()
        if metrics is None or operation_name != "haystack.component.run":
            yield _StageSpan()
            return
        stage = str((tags or {}).get("haystack.component.name", "unknown"))
        measured = (tags or {}).get(STAGE_SECONDS_TAG)  # a stage the ingestion worker ran, replayed with its time
        t0 = time.perf_counter()
        try:
            yield _StageSpan()
        finally:
            seconds = float(measured) if measured is not None else time.perf_counter() - t0
            metrics.stage_seconds.labels(stage).observe(seconds)

    def current_span(self) -> Span | None:
        return None


class MetricsContextMiddleware:
    """Pure ASGI middleware: makes the app's `Metrics` current for the request (for the tracer)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = current_metrics.set(self.metrics)
        try:
            await self.app(scope, receive, send)
        finally:
            current_metrics.reset(token)


def install_metrics(app: Any) -> Metrics:
    """Give `app` its metrics: HTTP instrumentation, the context for stage timing, and `app.state.metrics`.

    :param app: the FastAPI app (before it starts).
    :returns: the app's `Metrics`; the `/metrics` route serves its registry.
    """
    metrics = Metrics()
    app.state.metrics = metrics
    Instrumentator(
        registry=metrics.registry,
        should_group_status_codes=False,
        excluded_handlers=["/metrics"],
    ).instrument(app)
    app.add_middleware(MetricsContextMiddleware, metrics=metrics)
    if not isinstance(tracing.tracer.actual_tracer, StageTracer):
        tracing.enable_tracing(StageTracer())
    return metrics
