"""Backpressure on uploads: a bounded queue in front of the indexer, and each upload's arrival ticket.

A pure ASGI middleware, so it decides before the body is read: an upload beyond `MAX_PENDING_UPLOADS` in progress
is answered 429 `too_many_uploads` with `Retry-After` at once, without spooling its body or taking a worker thread.
An accepted upload gets its arrival ticket here (`Indexer.ticket`, in `scope["state"]["upload_ticket"]`): among
uploads of one file, the one that arrived last wins, whatever order they finish in.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from indexing.errors import TooManyUploads
from service.errors import error_body

UPLOAD_PATH = "/v1/documents"
SLOT_HANDED_OVER = "upload_slot_handed_over"
"""Key of `request.state` an upload route sets when a job took over the request's slot."""


class UploadSlots:
    """How many uploads are in progress, and how many may be. A synchronous upload holds its slot from acceptance to
    the end of its response; an asynchronous one (a job) from acceptance until the job ends, when the job worker
    releases it (from its thread, hence the lock). Kept on `app.state.upload_slots` (readable by health and metrics
    code, and by tests).
    """

    def __init__(self, limit: int, retry_after: int) -> None:
        self.limit = limit
        self.retry_after = retry_after
        self.in_progress = 0
        self._lock = threading.Lock()

    def try_acquire(self) -> bool:
        """:returns: whether a slot was free (and is now taken)."""
        with self._lock:
            if self.in_progress >= self.limit:
                return False
            self.in_progress += 1
            return True

    def release(self) -> None:
        with self._lock:
            self.in_progress -= 1


class UploadQueue:
    """Admits at most `slots.limit` uploads at a time; answers the others 429 before reading their body.

    :param app: the ASGI app.
    :param slots: the shared counter.
    """

    def __init__(self, app: ASGIApp, slots: UploadSlots) -> None:
        self.app = app
        self.slots = slots

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != UPLOAD_PATH:
            await self.app(scope, receive, send)
            return
        if not self.slots.try_acquire():
            await self._reject(send)
            return
        state = scope.setdefault("state", {})
        try:
            engine = getattr(scope["app"].state, "engine", None) if "app" in scope else None
            if engine is not None:
                state["upload_ticket"] = engine.upload_ticket()
            await self.app(scope, receive, send)
        finally:
            # An upload turned into a job hands its slot to the job (`SLOT_HANDED_OVER`); the job releases it.
            if not state.get(SLOT_HANDED_OVER):
                self.slots.release()

    async def _reject(self, send: Send) -> None:
        limit, retry_after = self.slots.limit, self.slots.retry_after
        exc = TooManyUploads(
            f"Hay {limit} subidas en curso, el máximo admitido. Repita la subida en {retry_after} s.",
            retry_after=retry_after,
        )
        body = json.dumps(error_body(exc.code, exc.detail), ensure_ascii=False).encode()
        headers: list[Any] = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(exc.retry_after).encode()),
        ]
        await send({"type": "http.response.start", "status": exc.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
