"""Failed-authentication throttle: an address that sent too many wrong keys waits before it may try again.

API keys are long random tokens, but the bootstrap `ADMIN_API_KEY` is chosen by a person, and nothing should let a
client guess keys at HTTP speed. Every wrong key (an API call with an unknown key, a failed sign-in at `/entrar`)
counts against the client's address; after `AUTH_FAILURES_MAX` of them within `AUTH_FAILURE_WINDOW_S`, that
address's next attempts — right or wrong key — are refused with 429 `too_many_failed_attempts` and `Retry-After`
until its oldest failure leaves the window. Other addresses are unaffected. Calls without a key, or with a web
session, are not attempts. The counts live in this process's memory (a restart clears them; several API processes
each count their own), which bounds a guesser to `AUTH_FAILURES_MAX` tries per window per process.

Behind a reverse proxy every client has the proxy's address unless uvicorn trusts its `X-Forwarded-For`
(`FORWARDED_ALLOW_IPS`, 127.0.0.1 by default); otherwise a guesser would make all users wait.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from fastapi import Request

from indexing.errors import TooManyFailedAttempts

# Addresses tracked at most; beyond it the ones whose failures have all expired go first, then the oldest.
MAX_TRACKED = 10_000


class FailedAuthThrottle:
    """Counts wrong keys per client address over a sliding window.

    :param limit: failures admitted within the window; the next attempt is refused.
    :param window_s: length of the window, in seconds.
    :param clock: monotonic clock (seconds); injectable for tests.
    """

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, client: str) -> None:
        """Refuse an attempt from an address that has used up its failures.

        :param client: the client's address.
        :raises TooManyFailedAttempts: `limit` failures within the window; `retry_after` says when one expires.
        """
        now = self._clock()
        with self._lock:
            failures = self._recent(client, now)
            if failures is None or len(failures) < self.limit:
                return
            wait = max(1, math.ceil(failures[0] + self.window_s - now))
        raise TooManyFailedAttempts(
            f"Demasiados intentos con claves no válidas desde esta dirección. Espere {wait} s antes de volver a "
            "intentarlo.",
            retry_after=wait,
        )

    def failed(self, client: str) -> None:
        """Count a wrong key sent by `client`."""
        now = self._clock()
        with self._lock:
            failures = self._recent(client, now)
            if failures is None:
                if len(self._failures) >= MAX_TRACKED:
                    self._evict(now)
                failures = self._failures[client] = deque()
            failures.append(now)
            while len(failures) > self.limit:
                failures.popleft()

    def tracked(self) -> int:
        """:returns: how many addresses have failures in the window (for tests and metrics)."""
        now = self._clock()
        with self._lock:
            return sum(1 for client in list(self._failures) if self._recent(client, now) is not None)

    def _recent(self, client: str, now: float) -> deque[float] | None:
        failures = self._failures.get(client)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()
        if not failures:
            del self._failures[client]
            return None
        return failures

    def _evict(self, now: float) -> None:
        for client in list(self._failures):
            self._recent(client, now)
        while len(self._failures) >= MAX_TRACKED:
            oldest = min(self._failures, key=lambda c: self._failures[c][-1])
            del self._failures[oldest]


def throttle_of(request: Request) -> FailedAuthThrottle:
    """:returns: the app's throttle (made on first use, with the configured limit and window)."""
    throttle = getattr(request.app.state, "auth_throttle", None)
    if throttle is None:
        settings = request.app.state.settings
        throttle = FailedAuthThrottle(settings.auth_failures_max, settings.auth_failure_window_s)
        request.app.state.auth_throttle = throttle
    return throttle


def client_address(request: Request) -> str:
    """:returns: the address the throttle counts for this request ("desconocida" when the server gives none)."""
    return request.client.host if request.client else "desconocida"
