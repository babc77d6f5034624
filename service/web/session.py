"""Sign-in to the web page, the session cookie and CSRF protection.

With authentication on (ADMIN_API_KEY or a stored key), every page needs a session: `/entrar` takes an API key and,
when it is valid, starts a session — a random id in an HttpOnly, SameSite=Strict cookie, mapped here (in this
process's memory) to the key's name and scope and a CSRF token; the key itself is never put in the cookie. Sessions
expire `WEB_SESSION_MINUTES` after the last visit, end at `/salir`, and stop working at once when their key is
revoked. The API accepts the cookie as a credential too (`service.auth.current_principal`); a write made with it
must carry the session's CSRF token (`X-CSRF-Token` header, or the `csrf_token` field of a form).

With authentication off (the loopback single user) no sign-in is needed; writes from another site are refused on
their `Origin` / `Sec-Fetch-Site` headers (`WebSecurityMiddleware`), which also adds the Content-Security-Policy and
`X-Content-Type-Options` headers.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from indexing.errors import CsrfFailed, TooManyFailedAttempts
from indexing.keys import BOOTSTRAP_ADMIN, LOCAL, Principal
from service.throttle import client_address, throttle_of

router = APIRouter()

COOKIE = "compromisos_sesion"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Content-Security-Policy of every HTML page: nothing from outside, no inline script or style.
CSP = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The interactive API docs load Swagger UI / ReDoc with inline scripts: they keep their own behaviour.
_NO_CSP_PREFIXES = ("/docs", "/redoc")


@dataclass
class WebSession:
    """One signed-in browser."""

    id: str
    principal: Principal
    csrf_token: str
    expires: float


class SessionStore:
    """Sessions of this process (a restart signs everyone out).

    :param ttl_seconds: a session ends this long after its last use.
    """

    def __init__(self, ttl_seconds: float) -> None:
        self.ttl = ttl_seconds
        self._sessions: dict[str, WebSession] = {}
        self._lock = threading.Lock()

    def create(self, principal: Principal) -> WebSession:
        """:returns: a new session for `principal` (random id and CSRF token)."""
        session = WebSession(
            secrets.token_urlsafe(32), principal, secrets.token_urlsafe(32), time.monotonic() + self.ttl
        )
        with self._lock:
            self._prune()
            self._sessions[session.id] = session
        return session

    def get(self, session_id: str | None) -> WebSession | None:
        """:returns: the live session with this id (its expiry pushed back), or None (unknown or expired)."""
        if not session_id:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if session.expires <= now:
                del self._sessions[session_id]
                return None
            session.expires = now + self.ttl
            return session

    def drop(self, session_id: str | None) -> None:
        """End a session (nothing when unknown)."""
        if session_id:
            with self._lock:
                self._sessions.pop(session_id, None)

    def _prune(self) -> None:
        now = time.monotonic()
        for sid in [sid for sid, s in self._sessions.items() if s.expires <= now]:
            del self._sessions[sid]


class SignInRequired(Exception):
    """A page was asked for without a session while authentication is on (answered with a redirect to /entrar)."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def store_of(request: Request) -> SessionStore:
    """:returns: the app's session store (made on first use, with the configured lifetime)."""
    store = getattr(request.app.state, "web_sessions", None)
    if store is None:
        store = SessionStore(request.app.state.settings.web_session_minutes * 60.0)
        request.app.state.web_sessions = store
    return store


def _key_still_valid(request: Request, principal: Principal) -> bool:
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        return False
    if principal.name == BOOTSTRAP_ADMIN and engine.settings.admin_api_key:
        return True
    return engine.key_exists(principal.name)


def session_of(request: Request) -> WebSession | None:
    """The session of the request's cookie, if it is live and its key has not been revoked.

    :param request: the current request.
    :returns: the session, or None.
    """
    cached = getattr(request.state, "web_session", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    store = store_of(request)
    session = store.get(request.cookies.get(COOKIE))
    if session is not None and not _key_still_valid(request, session.principal):
        store.drop(session.id)
        session = None
    request.state.web_session = session
    return session


def csrf_matches(session: WebSession, presented: str | None) -> bool:
    """:returns: True when `presented` is the session's CSRF token (compared in constant time)."""
    return bool(presented) and hmac.compare_digest(session.csrf_token.encode(), (presented or "").encode())


def check_csrf(request: Request, session: WebSession, form_token: str | None = None) -> None:
    """Refuse an unsafe request made with the session cookie that lacks the session's CSRF token.

    :param request: the current request.
    :param session: its session.
    :param form_token: the `csrf_token` field of a submitted form, if any.
    :raises CsrfFailed: the token is missing or wrong.
    """
    if request.method not in UNSAFE_METHODS:
        return
    if csrf_matches(session, request.headers.get(CSRF_HEADER)) or csrf_matches(session, form_token):
        return
    raise CsrfFailed(
        "Falta el código de seguridad (CSRF) de la página o no es válido: vuelva a cargar la página y repita."
    )


def auth_enabled(request: Request) -> bool:
    engine = getattr(request.app.state, "engine", None)
    return bool(engine is not None and engine.auth_enabled())


def page_guard(request: Request) -> None:
    """Dependency of every page: with authentication on, a live session is needed (else: to /entrar).

    :raises SignInRequired: no session.
    """
    if not auth_enabled(request):
        request.state.principal = LOCAL
        return
    session = session_of(request)
    if session is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    request.state.principal = session.principal


def page_context(request: Request) -> dict[str, Any]:
    """Variables every template gets: the signed-in principal (None when authentication is off), the CSRF token,
    the path, and what the caller may do (`can_write`, `can_admin`).

    :param request: the current request.
    :returns: template variables.
    """
    enabled = auth_enabled(request)
    session = session_of(request) if enabled else None
    principal: Principal = session.principal if session is not None else LOCAL
    from indexing.keys import Scope

    return {
        "signed_out": enabled and session is None,
        "principal": session.principal if session is not None else None,
        "csrf_token": session.csrf_token if session is not None else "",
        "path": request.url.path,
        "can_write": principal.scope.allows(Scope.WRITE),
        "can_admin": principal.scope.allows(Scope.ADMIN),
    }


def safe_target(target: str | None) -> str:
    """:returns: `target` when it is a path of this site ("/..."), else "/" (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def sign_in_redirect(exc: SignInRequired) -> RedirectResponse:
    """:returns: the redirect to the sign-in page, which comes back to `exc.target` afterwards."""
    return RedirectResponse(f"/entrar?siguiente={quote(safe_target(exc.target), safe='')}", status_code=303)


def _set_cookie(response: Response, request: Request, value: str, max_age: int | None) -> None:
    response.set_cookie(
        COOKIE,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=bool(request.app.state.settings.web_cookie_secure),
    )


@router.get("/entrar", response_class=HTMLResponse)
def sign_in_page(request: Request, siguiente: str = "/") -> Response:
    """The sign-in page."""
    from service.web.templating import render

    if not auth_enabled(request):
        return RedirectResponse(safe_target(siguiente), status_code=303)
    return render(request, "signin.html", {"title": "Entrar", "siguiente": safe_target(siguiente), "error": None})


@router.post("/entrar", response_class=HTMLResponse)
def sign_in(
    request: Request,
    clave: Annotated[str, Form(max_length=512)] = "",
    siguiente: Annotated[str, Form(max_length=2048)] = "/",
) -> Response:
    """Check a key and start a session (a client that sent too many wrong keys waits: `service.throttle`)."""
    target = safe_target(siguiente)
    if not auth_enabled(request):
        return RedirectResponse(target, status_code=303)
    engine = request.app.state.engine
    if not clave.strip():
        return _sign_in_error(request, target, "Escriba su clave de API.", 401)
    throttle, client = throttle_of(request), client_address(request)
    try:
        throttle.check(client)
    except TooManyFailedAttempts as exc:
        response = _sign_in_error(request, target, exc.detail, exc.status)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    principal = engine.authenticate(clave)
    if principal is None:
        throttle.failed(client)
        return _sign_in_error(request, target, "La clave no es válida o ha sido revocada.", 401)
    store = store_of(request)
    store.drop(request.cookies.get(COOKIE))  # a new id at every sign-in (no session fixation)
    session = store.create(principal)
    response = RedirectResponse(target, status_code=303)
    _set_cookie(response, request, session.id, max_age=int(store.ttl))
    return response


def _sign_in_error(request: Request, target: str, error: str, status: int) -> Response:
    from service.web.templating import render

    return render(request, "signin.html", {"title": "Entrar", "siguiente": target, "error": error}, status_code=status)


@router.post("/salir")
def sign_out(request: Request, csrf_token: Annotated[str | None, Form(max_length=256)] = None) -> Response:
    """End the session."""
    session = session_of(request)
    if session is not None:
        check_csrf(request, session, csrf_token)
        store_of(request).drop(session.id)
    response = RedirectResponse("/entrar" if auth_enabled(request) else "/", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


def _same_origin(origin: str, host: str | None) -> bool:
    parts = urlsplit(origin)
    return bool(host) and parts.scheme in ("http", "https") and parts.netloc.lower() == (host or "").lower()


class WebSecurityMiddleware:
    """Refuses unsafe requests from another site (by `Origin`, else `Sec-Fetch-Site`) and adds the security headers:
    `X-Content-Type-Options: nosniff` everywhere, the Content-Security-Policy, `Referrer-Policy` and
    `X-Frame-Options` on HTML pages. Pure ASGI, so upload bodies stream through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if scope["method"] in UNSAFE_METHODS and _cross_site(headers):
            await _refuse(send)
            return
        path: str = scope.get("path", "")
        page = not path.startswith(_NO_CSP_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                names = {k.lower() for k, _ in raw}
                if b"x-content-type-options" not in names:
                    raw.append((b"x-content-type-options", b"nosniff"))
                content_type = next((v for k, v in raw if k.lower() == b"content-type"), b"")
                if page and content_type.startswith(b"text/html"):
                    raw.append((b"content-security-policy", CSP.encode()))
                    raw.append((b"referrer-policy", b"same-origin"))
                    raw.append((b"x-frame-options", b"DENY"))
                message["headers"] = raw
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cross_site(headers: dict[str, str]) -> bool:
    origin = headers.get("origin")
    if origin is not None:
        return not _same_origin(origin, headers.get("host"))
    return headers.get("sec-fetch-site") == "cross-site"


async def _refuse(send: Send) -> None:
    import json

    body = json.dumps(
        {"code": CsrfFailed.code, "detail": "Escritura rechazada: la petición viene de otro sitio web."},
        ensure_ascii=False,
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": CsrfFailed.status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
