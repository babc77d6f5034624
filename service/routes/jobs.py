"""Upload jobs (`POST /v1/documents` with `Prefer: respond-async`): their state, progress and result."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from indexing.errors import NotFound
from indexing.keys import Principal, Scope
from service.auth import ReadDep
from service.deps import JobsDep
from service.jobs import Job
from service.schemas import ErrorPublic, JobEnvelope, JobPublic, JobsPage

router = APIRouter(prefix="/v1/jobs", tags=["trabajos"])

_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorPublic} for code in (401, 403, 404)}
JobIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{24}$", description="Id de un trabajo de subida.")]


def job_public(job: Job) -> JobPublic:
    return JobPublic.model_validate(job)


def _visible(job: Job, principal: Principal) -> bool:
    return principal.scope is Scope.ADMIN or job.owner == principal.name


@router.get("", response_model=JobsPage)
def list_jobs(jobs: JobsDep, principal: ReadDep, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> JobsPage:
    """Los trabajos de subida recientes, el más nuevo primero: los propios (todos, con una clave admin)."""
    owner = None if principal.scope is Scope.ADMIN else principal.name
    return JobsPage(jobs=[job_public(j) for j in jobs.recent(owner, limit)])


@router.get("/{job_id}", response_model=JobEnvelope, responses=_ERRORS)
def get_job(jobs: JobsDep, principal: ReadDep, job_id: JobIdPath) -> JobEnvelope:
    """Un trabajo de subida: estado (queued, running, done, failed), progreso y resultado o error."""
    job = jobs.get(job_id)
    if job is None or not _visible(job, principal):
        raise NotFound(f"No hay ningún trabajo de subida con id «{job_id}».")
    return JobEnvelope(job=job_public(job))
