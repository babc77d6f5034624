"""Logging set-up for the entry points (library code only gets loggers), and the request id of every log line.

The service sets `request_id` (a context variable) for each HTTP request; every log record made while it is set,
in the event loop or in a worker thread that inherited the context, carries it as `record.request_id` ("-"
outside a request), and the format prints it.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
"""Id of the HTTP request being served, or None (CLI, start-up)."""

LOG_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"

_base_factory = logging.getLogRecordFactory()


def _record_factory(*args: object, **kwargs: object) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)  # type: ignore[arg-type]
    record.request_id = request_id.get() or "-"
    return record


def install_request_id() -> None:
    """Make every log record carry `request_id` (idempotent).

    A record factory rather than a handler filter: it reaches every handler, including those added later (tests'
    capture, an operator's file handler), and every logger.
    """
    global _base_factory
    current = logging.getLogRecordFactory()
    if current is not _record_factory:
        _base_factory = current
        logging.setLogRecordFactory(_record_factory)


def configure(level: str = "INFO") -> None:
    install_request_id()
    logging.basicConfig(level=getattr(logging, level.upper(), logging.INFO), format=LOG_FORMAT)
    # Third-party chatter that says nothing to an operator.
    for noisy in ("httpx", "pypdf", "haystack", "sentence_transformers", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
