"""Request body limits, enforced while the body streams in (pure ASGI: nothing is buffered or spooled first).

`POST /v1/documents` (a multipart upload) may carry `MAX_UPLOAD_MB` plus a margin for the multipart framing and
the `metadata` field; every other request body (JSON) at most `MAX_JSON_BODY_KB`. A `Content-Length` above the
limit is refused before a byte of the body is read; otherwise the bytes are counted as they arrive and reading
stops at the limit, so python-multipart never sees (and never spools to disk) more than the limit.
"""

from __future__ import annotations

import json
import logging

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from indexing.errors import BodyTooLarge, CompromisosError, FileTooLarge
from indexing.settings import Settings
from service.metrics import count_error, metrics_of

logger = logging.getLogger(__name__)

UPLOAD_PATH = "/v1/documents"
# Multipart framing: boundaries, part headers and the `metadata` form field (itself capped at the JSON limit).
MULTIPART_MARGIN_BYTES = 64 * 1024
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class _Exceeded(Exception):
    """Raised into the app from `receive` when the body passes the limit."""


class BodyLimitMiddleware:
    """Refuses request bodies above the limits with 413 and the usual `{"code", "detail"}` error shape.

    :param app: the ASGI app.
    :param settings: the configuration (upload and JSON limits).
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.upload_limit = settings.max_upload_bytes + MULTIPART_MARGIN_BYTES + settings.max_json_body_bytes
        self.upload_mb = settings.max_upload_mb
        self.json_limit = settings.max_json_body_bytes
        self.json_kb = settings.max_json_body_kb

    def _error(self, is_upload: bool) -> CompromisosError:
        if is_upload:
            return FileTooLarge(f"El archivo supera el límite de {self.upload_mb:g} MB (MAX_UPLOAD_MB).")
        return BodyTooLarge(f"El cuerpo de la solicitud supera el límite de {self.json_kb} KB (MAX_JSON_BODY_KB).")

    async def _reject(self, scope: Scope, send: Send, error: CompromisosError) -> None:
        count_error(scope.get("app"), error.code)
        metrics = metrics_of(scope.get("app"))
        if metrics is not None and error.code == FileTooLarge.code:
            metrics.uploads.labels(error.code).inc()
        body = json.dumps({"code": error.code, "detail": error.detail}, ensure_ascii=False).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": error.status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        is_upload = scope["method"] == "POST" and scope["path"].rstrip("/") == UPLOAD_PATH
        limit = self.upload_limit if is_upload else self.json_limit
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            logger.info("Refused a %s-byte body on %s before reading it", declared, scope["path"])
            await self._reject(scope, send, self._error(is_upload))
            return

        received = 0
        exceeded = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise _Exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _Exceeded
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the app's answer to a body it could not finish reading; ours replaces it
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            # `_Exceeded` itself, or whatever the app made of it (FastAPI turns body errors into a 400).
            if not exceeded:
                raise
        if exceeded:
            logger.info("Refused a body over %d bytes on %s while reading it", limit, scope["path"])
            if not started:
                await self._reject(scope, send, self._error(is_upload))
