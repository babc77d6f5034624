"""Server-mode errors of qdrant-client, translated into `StoreUnavailable` at the one place that calls it.

A Qdrant server can go away after start-up (restart, network, overload). qdrant-client then raises its own
exceptions (`ResponseHandlingException` around an httpx error, `UnexpectedResponse` with a 5xx status, a gRPC
`RpcError`), which nothing outside this package may know. `guard_client` wraps the client so that every call
raises `StoreUnavailable` instead; a 4xx answer is a bug of ours and propagates unchanged.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, cast

import httpx
from qdrant_client import QdrantClient
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

from indexing.errors import StoreUnavailable

logger = logging.getLogger(__name__)

try:  # gRPC is optional in qdrant-client (prefer_grpc); without it no call can raise its errors
    from grpc import RpcError as _RpcError
except ImportError:  # pragma: no cover - grpcio is installed with qdrant-client
    _RpcError = OSError  # type: ignore[assignment,misc]

_TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (
    ResponseHandlingException,
    httpx.TransportError,
    _RpcError,
    ConnectionError,
    TimeoutError,
)


def is_server_error(exc: BaseException) -> bool:
    """Whether `exc` says the server is unreachable or failing (not that our request was wrong).

    :param exc: an exception raised by a qdrant-client call.
    :returns: True for transport errors, timeouts, gRPC errors and HTTP 5xx answers.
    """
    if isinstance(exc, UnexpectedResponse):
        return exc.status_code is None or exc.status_code >= 500
    return isinstance(exc, _TRANSPORT_ERRORS)


def unavailable(url: str, exc: BaseException) -> StoreUnavailable:
    """The domain error for a failed call to the server at `url`."""
    return StoreUnavailable(
        f"El servidor Qdrant en {url} no responde o falló ({type(exc).__name__}). Nada se ha perdido: "
        "reintente en unos segundos; si persiste, revise el servidor."
    )


class _GuardedClient:
    """Forwards attribute access to a `QdrantClient`; its methods raise `StoreUnavailable` on server errors."""

    def __init__(self, client: QdrantClient, url: str) -> None:
        self._client = client
        self._url = url

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if not callable(attr):
            return attr

        @functools.wraps(attr)
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return attr(*args, **kwargs)
            except StoreUnavailable:
                raise
            except Exception as exc:
                if not is_server_error(exc):
                    raise
                logger.error("Qdrant server call %s failed: %s", name, exc)
                raise unavailable(self._url, exc) from exc

        return call


def guard_client(client: QdrantClient, url: str) -> QdrantClient:
    """Wrap a server-mode client so its calls raise `StoreUnavailable` when the server fails.

    :param client: a client with `url` set (not the embedded local mode, which has no server to lose).
    :param url: the server URL, for the message.
    :returns: an object with the client's interface.
    """
    return cast(QdrantClient, _GuardedClient(client, url))
