"""API keys: create (the key is shown only then), list, revoke. Admin only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from service.auth import AdminDep, caller_of
from service.deps import EngineDep
from service.schemas import ErrorPublic, KeyCreatedPublic, KeyCreateRequest, KeyPublic, KeysPage

router = APIRouter(prefix="/v1/keys", tags=["claves"])

_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorPublic} for code in (401, 403, 404, 409, 422)}


@router.post("", status_code=201, response_model=KeyCreatedPublic, responses=_ERRORS)
def create_key(engine: EngineDep, principal: AdminDep, request: Request, body: KeyCreateRequest) -> KeyCreatedPublic:
    """Crea una clave de API con un ámbito (read, write, admin). La clave solo se muestra en esta respuesta."""
    stored, key = engine.create_key(body.name, body.scope, caller_of(request, principal))
    return KeyCreatedPublic(name=stored.name, scope=stored.scope.value, key=key)


@router.get("", response_model=KeysPage, responses=_ERRORS)
def list_keys(engine: EngineDep, _: AdminDep) -> KeysPage:
    """Lista las claves guardadas (nombre, ámbito, fecha de creación; nunca el secreto)."""
    return KeysPage(
        keys=[KeyPublic(name=k.name, scope=k.scope.value, created_at=k.created_at) for k in engine.list_keys()]
    )


@router.delete("/{name}", status_code=204, responses=_ERRORS)
def revoke_key(engine: EngineDep, principal: AdminDep, request: Request, name: str) -> Response:
    """Revoca una clave: deja de funcionar en el acto."""
    engine.revoke_key(name, caller_of(request, principal))
    return Response(status_code=204)
