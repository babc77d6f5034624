"""Administration: a backup of the archive while the service runs. Admin only.

`POST /v1/admin/snapshot` streams the archive `python -m indexing snapshot` writes (gzip JSON lines; restore it with
`python -m indexing restore FILE --data-dir D`). The service holds the embedded store, so a CLI cannot open it
while it runs: the backup is taken by the service itself, one record at a time under the store lock (uploads and
searches interleave with it), each record whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from service.auth import AdminDep, caller_of
from service.deps import EngineDep
from service.schemas import ErrorPublic

router = APIRouter(prefix="/v1/admin", tags=["administración"])

_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorPublic} for code in (401, 403, 422)}
GZIP = "application/gzip"


@router.post(
    "/snapshot",
    response_class=FileResponse,
    responses={200: {"content": {GZIP: {}}, "description": "Copia de seguridad (JSON lines, gzip)"}, **_ERRORS},
)
def snapshot(engine: EngineDep, principal: AdminDep, request: Request) -> FileResponse:
    """Copia de seguridad del archivo con el servicio en marcha: registros, pasajes con sus vectores, compromisos,
    ayudas memoria, claves y auditoría. Se restaura con `python -m indexing restore ARCHIVO --data-dir D`."""
    fd, name = tempfile.mkstemp(prefix="compromisos-snapshot-", suffix=".jsonl.gz")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            engine.snapshot(out, caller_of(request, principal))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return FileResponse(
        path,
        media_type=GZIP,
        filename=f"compromisos-{stamp}.jsonl.gz",
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
