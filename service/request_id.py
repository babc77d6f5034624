"""A request id for every HTTP request: in every log line made while serving it and in the `X-Request-ID` header.

A sane incoming `X-Request-ID` (a portal's or a proxy's correlation id) is kept, so one id follows a call across
services; anything else is replaced by a fresh one.
"""

from __future__ import annotations

import logging
import re
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from indexing.logs import install_request_id, request_id
from service.errors import INTERNAL_ERROR, internal_error_response
from service.metrics import count_error

logger = logging.getLogger(__name__)

HEADER = "X-Request-ID"
_SANE_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def sane_request_id(value: str | None) -> str:
    """The incoming id when it is 1-128 characters of letters, digits and `._:-`; else a new uuid4 (hex).

    :param value: the `X-Request-ID` header the client sent, if any.
    :returns: the id to use.
    """
    if value and _SANE_RE.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Pure ASGI middleware: sets `indexing.logs.request_id` for the request and echoes it in the response.

    It also answers an unexpected error itself (500, the usual error shape), so that its log line and its response
    still carry the id: Starlette's outermost error handler runs after the id is gone.

    :param app: the ASGI app.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        install_request_id()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = sane_request_id(Headers(scope=scope).get(HEADER))
        scope.setdefault("state", {})["request_id"] = rid

        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)[HEADER] = rid
            await send(message)

        token = request_id.set(rid)
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            if started:
                raise
            logger.exception("Unexpected error")
            count_error(scope.get("app"), INTERNAL_ERROR[0])
            await internal_error_response()(scope, receive, send_with_id)
        finally:
            request_id.reset(token)
