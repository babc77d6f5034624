"""Authentication over HTTP: who calls (an API key in `Authorization: Bearer` or `X-API-Key`) and with what scope.

`ReadDep`, `WriteDep` and `AdminDep` are the typed dependencies routes take; `read_required` and friends are the same
checks for a router's `dependencies=[...]`. With authentication off (no ADMIN_API_KEY, no stored key) every caller is
the local single user, owner «local», allowed everything.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from indexing.errors import Forbidden, Unauthorized
from indexing.keys import LOCAL, Caller, Principal, Scope
from service.deps import EngineDep
from service.throttle import client_address, throttle_of
from service.web.session import check_csrf, session_of

__all__ = ["AdminDep", "Principal", "ReadDep", "WriteDep", "admin_required", "caller_of", "read_required"]

_bearer = HTTPBearer(auto_error=False, description="Clave de API: `Authorization: Bearer <clave>`.")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="Clave de API en la cabecera X-API-Key.")

_SCOPE_LABEL = {Scope.READ: "lectura (read)", Scope.WRITE: "escritura (write)", Scope.ADMIN: "administración (admin)"}


def current_principal(
    engine: EngineDep,
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_header)],
) -> Principal:
    """The caller's principal: from an API key, else from the web page's session cookie (whose writes must carry
    the session's CSRF token in `X-CSRF-Token`).

    :raises Unauthorized: authentication is on and no valid key or session was sent.
    :raises TooManyFailedAttempts: the client's address sent too many wrong keys lately (`service.throttle`).
    :raises CsrfFailed: a write with the session cookie lacks the CSRF token.
    """
    if not engine.auth_enabled():
        return LOCAL
    presented = bearer.credentials if bearer is not None else header
    if not presented:
        session = session_of(request)
        if session is not None:
            check_csrf(request, session)
            return session.principal
        raise Unauthorized(
            "Falta la clave de API: envíela en la cabecera «Authorization: Bearer <clave>» o «X-API-Key»."
        )
    throttle, client = throttle_of(request), client_address(request)
    throttle.check(client)
    principal = engine.authenticate(presented)
    if principal is None:
        throttle.failed(client)
        raise Unauthorized("La clave de API no es válida o ha sido revocada.")
    return principal


def _require(needed: Scope):  # noqa: ANN202 - a dependency factory
    def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.scope.allows(needed):
            raise Forbidden(
                f"La clave «{principal.name}» tiene ámbito «{principal.scope.value}»; esta operación necesita "
                f"{_SCOPE_LABEL[needed]}."
            )
        return principal

    return check


read_required = _require(Scope.READ)
write_required = _require(Scope.WRITE)
admin_required = _require(Scope.ADMIN)

ReadDep = Annotated[Principal, Depends(read_required)]
WriteDep = Annotated[Principal, Depends(write_required)]
AdminDep = Annotated[Principal, Depends(admin_required)]


def caller_of(request: Request, principal: Principal) -> Caller:
    """The principal plus the client address and request id (set by a request-id middleware, if any)."""
    request_id = getattr(request.state, "request_id", None)
    return Caller(
        principal=principal,
        client=request.client.host if request.client else None,
        request_id=str(request_id) if request_id else None,
    )
