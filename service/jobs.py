"""Uploads as jobs (`Prefer: respond-async`): records persisted as one JSON file per job, a bounded worker thread.

A job's record lives in `<DATA_DIR>/jobs/<id>.json` (written atomically at every change) and its uploaded bytes in
`<id>.upload` until the job ends. One worker thread runs the jobs in arrival order, off the request threads (the
indexer indexes one record at a time anyway). The queue is the upload queue: a job keeps the upload slot its
request took (`UploadSlots`) until it ends, so `MAX_PENDING_UPLOADS` bounds synchronous uploads and jobs together.

The worker thread runs at a lower CPU priority than the request threads (`JOB_NICE`, Linux: a thread's own nice
value; the embedding of a job runs on it, ONNX Runtime's passage session being single-threaded in the service), so
when the cores are short, searches and asks are scheduled first and the job takes what is left.

At start-up, a job left `queued` or `running` by a previous process is marked `failed` with `job_interrupted` (and
its bytes removed): nothing of it was committed (the registry entry is the commit point), and the caller is told to
upload it again instead of waiting for ever.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import queue
import secrets
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from indexing.errors import CompromisosError, JobInterrupted
from indexing.types import Progress
from service.errors import INTERNAL_ERROR, error_body

logger = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
KEEP_JOBS = 500
"""Finished job records kept on disk (the oldest are removed beyond it)."""

JobWork = Callable[[bytes, Progress], dict[str, Any]]
"""What a job does with its bytes: index them, telling `Progress`; returns the synchronous answer's body."""


@dataclass
class JobProgress:
    stage: str = "queued"
    done: int = 0
    total: int = 0


@dataclass
class Job:
    """One upload job. `result` is the body a synchronous upload answers; `error` its `{"code", "detail"}`."""

    id: str
    owner: str
    """Name of the principal that submitted it (who may read it, besides admins)."""
    filename: str
    created_at: str
    updated_at: str
    status: str = QUEUED
    progress: JobProgress = field(default_factory=JobProgress)
    result: dict[str, Any] | None = None
    error: dict[str, str] | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Job:
        return cls(**{**data, "progress": JobProgress(**data.get("progress") or {})})


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class JobManager:
    """Persists and runs upload jobs.

    :param directory: where job records and pending uploads are kept (created if missing).
    :param release_slot: called once when a job ends (frees its upload slot).
    :param nice: added to the worker thread's nice value (0: as the process).
    """

    def __init__(self, directory: Path, release_slot: Callable[[], None], nice: int = 0) -> None:
        self.directory = directory
        self.nice = nice
        self.directory.mkdir(parents=True, exist_ok=True)
        self._release_slot = release_slot
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._queue: queue.Queue[tuple[str, JobWork] | None] = queue.Queue()
        self._worker: threading.Thread | None = None

    # ------------------------------------------------------------------ persistence

    def _path(self, job_id: str, suffix: str) -> Path:
        return self.directory / f"{job_id}{suffix}"

    def _save(self, job: Job) -> None:
        job.updated_at = _now()
        tmp = self._path(job.id, ".json.tmp")
        tmp.write_text(json.dumps(asdict(job), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self._path(job.id, ".json"))

    def recover(self) -> int:
        """Load the job records; mark the ones a previous process left unfinished `failed` (`job_interrupted`).

        :returns: how many were marked.
        """
        marked = 0
        for path in sorted(self.directory.glob("*.json")):
            try:
                job = Job.from_json(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError) as exc:
                logger.warning("Unreadable job record %s: %s", path.name, exc)
                continue
            if job.status in (QUEUED, RUNNING):
                stop = JobInterrupted(
                    f"El servicio se detuvo antes de terminar de indexar «{job.filename}» (la subida estaba "
                    f"{'en cola' if job.status == QUEUED else 'en curso'}); no se indexó nada de ella. Súbala de nuevo."
                )
                job.status, job.error = FAILED, error_body(stop.code, stop.detail)
                self._save(job)
                marked += 1
            self._jobs[job.id] = job
        for leftover in self.directory.glob("*.upload"):
            leftover.unlink(missing_ok=True)
        for tmp in self.directory.glob("*.tmp"):
            tmp.unlink(missing_ok=True)
        if marked:
            logger.warning("%d upload job(s) interrupted by the last shutdown marked failed", marked)
        return marked

    def _prune(self) -> None:
        finished = sorted((j for j in self._jobs.values() if j.status in (DONE, FAILED)), key=lambda j: j.created_at)
        for job in finished[: max(0, len(finished) - KEEP_JOBS)]:
            self._path(job.id, ".json").unlink(missing_ok=True)
            del self._jobs[job.id]

    # ------------------------------------------------------------------ use

    def submit(self, owner: str, filename: str, data: bytes, work: JobWork) -> Job:
        """Queue an upload: its bytes and record go to disk first, then the worker is told.

        :param owner: the submitting principal's name.
        :param filename: the upload's name (for listings and messages).
        :param data: the uploaded bytes (already bounded by the size limit).
        :param work: what to do with them.
        :returns: a copy of the queued job.
        """
        now = _now()
        job = Job(id=secrets.token_hex(12), owner=owner, filename=filename, created_at=now, updated_at=now)
        self._path(job.id, ".upload").write_bytes(data)
        with self._lock:
            self._save(job)
            self._jobs[job.id] = job
            self._prune()
            snapshot = Job.from_json(asdict(job))
        self._queue.put((job.id, work))
        return snapshot

    def get(self, job_id: str) -> Job | None:
        """:returns: a copy of the job, or None."""
        with self._lock:
            job = self._jobs.get(job_id)
            return Job.from_json(asdict(job)) if job is not None else None

    def recent(self, owner: str | None = None, limit: int = 50) -> list[Job]:
        """:param owner: only this submitter's jobs (None: all). :returns: copies, newest first."""
        with self._lock:
            jobs = [j for j in self._jobs.values() if owner is None or j.owner == owner]
            jobs.sort(key=lambda j: j.created_at, reverse=True)
            return [Job.from_json(asdict(j)) for j in jobs[:limit]]

    # ------------------------------------------------------------------ worker

    def start(self) -> None:
        if self._worker is None:
            self._worker = threading.Thread(target=self._run, name="upload-jobs", daemon=True)
            self._worker.start()

    def close(self, timeout: float = 30.0) -> None:
        """Stop the worker after the job it runs (a job still queued stays queued: failed at the next start)."""
        if self._worker is not None:
            self._queue.put(None)
            self._worker.join(timeout)
            self._worker = None

    def _update(self, job: Job, **changes: Any) -> None:
        with self._lock:
            for key, value in changes.items():
                setattr(job, key, value)
            self._save(job)

    def _run(self) -> None:
        lower_thread_priority(self.nice)
        while True:
            item = self._queue.get()
            if item is None:
                return
            job_id, work = item
            with self._lock:
                job = self._jobs.get(job_id)
            if job is None:
                continue
            try:
                self._run_one(job, work)
            finally:
                self._path(job.id, ".upload").unlink(missing_ok=True)
                self._release_slot()

    def _run_one(self, job: Job, work: JobWork) -> None:
        def progress(stage: str, done: int, total: int) -> None:
            self._update(job, progress=JobProgress(stage, done, total))

        try:
            self._update(job, status=RUNNING)
            data = self._path(job.id, ".upload").read_bytes()
            result = work(data, progress)
        except CompromisosError as exc:
            self._update(job, status=FAILED, error=error_body(exc.code, exc.detail))
        except Exception:
            logger.exception("Upload job %s failed unexpectedly", job.id)
            self._update(job, status=FAILED, error=error_body(*INTERNAL_ERROR))
        else:
            self._update(job, status=DONE, result=result)


def lower_thread_priority(nice: int) -> None:
    """Add `nice` to the calling thread's nice value (Linux: `setpriority` on a thread id affects that thread only;
    elsewhere, or without permission, nothing changes and a warning is logged). An unprivileged thread cannot raise
    its priority back, so only long-lived worker threads call it.

    :param nice: 0-19; 0 does nothing.
    """
    if nice <= 0 or not hasattr(os, "setpriority") or not sys.platform.startswith("linux"):
        return
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
    except OSError as exc:
        logger.warning("Could not lower the upload-job thread's priority: %s", exc)
