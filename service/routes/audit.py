"""The audit trail of writes (uploads, deletes, keys), newest first. Admin only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from service.auth import AdminDep
from service.deps import EngineDep
from service.schemas import AuditEntryPublic, AuditPage, ErrorPublic

router = APIRouter(prefix="/v1/audit", tags=["auditoría"])

_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorPublic} for code in (401, 403, 422)}


@router.get("", response_model=AuditPage, responses=_ERRORS)
def audit(
    engine: EngineDep,
    _: AdminDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    actor: Annotated[str | None, Query(max_length=64, description="Solo las de esta clave.")] = None,
    action: Annotated[str | None, Query(max_length=64, description="Por ejemplo «document.deleted».")] = None,
) -> AuditPage:
    """Registro de auditoría: quién subió, reemplazó o borró qué registro o gestionó qué clave, cuándo y desde dónde."""
    entries, total = engine.audit(limit=limit, offset=offset, actor=actor, action=action)
    return AuditPage(entries=[AuditEntryPublic.model_validate(e) for e in entries], total=total)
