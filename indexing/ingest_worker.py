"""Pipeline work in a separate process, so that no regex run on an upload holds the serving interpreter's GIL.

`PipelineWorker` runs `fn(pipeline, *args)` in one long-lived worker process (`python -m indexing.ingest_worker`,
a fresh interpreter: nothing of the caller's state is inherited but what it sends, and no `__main__` is re-run).
The pipeline travels as its `to_dict()` form and is rebuilt, warmed and kept there by the hash of that form: the
worker runs whatever components the pipeline has, as long as they serialize (Haystack's `to_dict`/`from_dict`,
which every component here implements). `fn` and its arguments travel by pickle (`fn` a module-level function);
so do its result and any exception it raises, which is re-raised in the caller as it was (domain errors keep their
class, code and Spanish detail).

One worker per interpreter, shared by every `Indexer` of it, started on first use; tasks run one at a time in
submission order. Requests and answers go over two pipes of their own (the worker's stdout and stderr stay the
caller's, for logs). A worker that dies (a crash while reading a file, a kill) fails the task it ran with
`WorkerCrashed` and is replaced for the next one. The worker exits as soon as its request pipe closes, which
happens when the process that started it ends, however it ends: a SIGKILLed service leaves no orphan behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from haystack import Pipeline, tracing
from haystack.tracing import Span, Tracer

from indexing.components.ocr_pages import ocr_progress
from indexing.types import Progress

logger = logging.getLogger(__name__)

T = TypeVar("T")

_ROOT = Path(__file__).resolve().parent.parent
COMPONENT_RUN = "haystack.component.run"
STAGE_SECONDS_TAG = "compromisos.stage_seconds"
"""Tag of the component-run spans a task's stages are replayed as in the caller: the seconds the component took in
the worker (a tracer timing stages reads it instead of timing the replay)."""


class WorkerCrashed(RuntimeError):
    """The worker process died while it ran a task (the task's input may be what crashed it)."""


def pipeline_key(data: dict[str, Any]) -> str:
    """A stable hash of a pipeline's dict form (what identifies it in the worker's cache)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=repr).encode()).hexdigest()


class PipelineWorker:
    """The worker process (see the module docstring). Thread-safe: callers queue on one lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._requests: Connection | None = None
        self._answers: Connection | None = None
        self._pid = 0
        self._unanswered = 0
        """Requests sent without waiting for their answer (`warm`): read before the next task's answer."""

    def _start(self) -> None:
        request_r, request_w = os.pipe()
        answer_r, answer_w = os.pipe()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(_ROOT), os.environ.get("PYTHONPATH")) if p)}
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "indexing.ingest_worker", str(request_r), str(answer_w)],
                pass_fds=(request_r, answer_w),
                env=env,
                cwd=_ROOT,
            )
        finally:
            os.close(request_r)
            os.close(answer_w)
        self._requests = Connection(request_w, readable=False)
        self._answers = Connection(answer_r, writable=False)
        self._pid = os.getpid()
        self._unanswered = 0
        # Import paths as the caller has them (tests' components, a bench's modules), like multiprocessing's spawn.
        self._send(("path", [p for p in sys.path if isinstance(p, str)]))

    def _alive(self) -> bool:
        # A forked child (the fault-injection writers fork) must not talk to its parent's worker.
        return self._proc is not None and self._proc.poll() is None and self._pid == os.getpid()

    def _send(self, message: tuple[Any, ...]) -> None:
        assert self._requests is not None
        self._requests.send(message)
        self._unanswered += 1

    def _receive(self, progress: Progress | None = None) -> tuple[str, Any, list[tuple[str, float]]]:
        """The next answer; the task's progress messages before it go to `progress`."""
        assert self._answers is not None
        while True:
            answer: tuple[str, Any, list[tuple[str, float]]] = self._answers.recv()
            if answer[0] != "progress":
                break
            if progress is not None:
                progress(*answer[1])
        self._unanswered -= 1
        return answer

    def _stop(self, wait: bool) -> None:
        for conn in (self._requests, self._answers):
            if conn is not None:
                conn.close()
        self._requests = self._answers = None
        if self._proc is not None and self._pid == os.getpid():
            if wait:
                try:
                    self._proc.wait(10)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
            else:
                self._proc.kill()
                self._proc.wait()
        self._proc = None

    def warm(self, data: dict[str, Any]) -> None:
        """Start the worker and build the pipeline there, without waiting for either.

        :param data: the pipeline's `to_dict()`.
        """
        with self._lock:
            if not self._alive():
                self._start()
            try:
                self._send(("warm", pipeline_key(data), data))
            except OSError:
                self._stop(wait=False)  # started again by the next task

    def wait_warm(self) -> None:
        """Wait until the worker has answered every `warm` sent (started, pipeline built); nothing if none was."""
        with self._lock:
            try:
                while self._alive() and self._unanswered > 0:
                    self._receive()
            except (EOFError, OSError):
                self._stop(wait=False)  # started again by the next task

    def run(self, data: dict[str, Any], fn: Callable[..., T], *args: Any, progress: Progress | None = None) -> T:
        """Run `fn(pipeline, *args)` in the worker and return its result (or raise its exception).

        :param data: the pipeline's `to_dict()`.
        :param fn: a module-level function (pickled by reference).
        :param args: its further arguments (pickled).
        :param progress: told, in this thread, what the task's components report (OCR pages: see `ocr_progress`).
        :returns: what `fn` returned.
        :raises WorkerCrashed: the worker process died during the task (a new one serves the next task).
        :raises Exception: whatever `fn` raised.
        """
        with self._lock:
            if not self._alive():
                self._start()
            try:
                self._send(("run", pipeline_key(data), data, fn, args))
                while self._unanswered > 1:
                    self._receive()  # earlier warm-ups
                status, value, stages = self._receive(progress)
            except (EOFError, OSError) as exc:
                code = self._proc.poll() if self._proc is not None else None
                self._stop(wait=False)
                raise WorkerCrashed(f"the ingestion worker died while it ran a task (exit code {code})") from exc
        for stage, seconds in stages:
            # Replayed through the caller's tracer, so stage timing (the service's metrics) still sees them.
            with tracing.tracer.trace(
                COMPONENT_RUN, tags={"haystack.component.name": stage, STAGE_SECONDS_TAG: seconds}
            ):
                pass
        if status == "ok":
            return value  # type: ignore[no-any-return]
        raise value

    @property
    def pid(self) -> int | None:
        """The worker process's id while it runs (diagnostics, tests), else None."""
        with self._lock:
            return self._proc.pid if self._alive() and self._proc is not None else None

    def close(self) -> None:
        """Stop the worker (a later task starts a new one)."""
        with self._lock:
            self._stop(wait=True)


WORKER = PipelineWorker()
"""The shared worker of this interpreter."""


# ---------------------------------------------------------------------------------------------- the worker side


class _Span(Span):
    def set_tag(self, key: str, value: Any) -> None:
        pass


class _StageTimes(Tracer):
    """Times component runs of the current task (sent back with its answer)."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, float]] = []

    @contextlib.contextmanager
    def trace(
        self, operation_name: str, tags: dict[str, Any] | None = None, parent_span: Span | None = None
    ) -> Iterator[Span]:
        if operation_name != COMPONENT_RUN:
            yield _Span()
            return
        t0 = time.perf_counter()
        try:
            yield _Span()
        finally:
            self.stages.append((str((tags or {}).get("haystack.component.name", "unknown")), time.perf_counter() - t0))

    def current_span(self) -> Span | None:
        return None


def _serve(requests: Connection, answers: Connection) -> None:
    pipelines: dict[str, Pipeline] = {}
    times = _StageTimes()
    tracing.enable_tracing(times)

    def pipeline(key: str, data: dict[str, Any]) -> Pipeline:
        found = pipelines.get(key)
        if found is None:
            # Trusted: built by the process that started this one, sent over a pipe only the two of them hold (as
            # are the pickles). Haystack's module allowlist would refuse our own components otherwise.
            found = Pipeline.from_dict(data, unsafe=True)
            found.warm_up()
            pipelines[key] = found
        return found

    while True:
        try:
            message = requests.recv()
        except EOFError:
            return  # the caller is gone
        kind = message[0]
        times.stages = []
        try:
            if kind == "path":
                sys.path[:0] = [p for p in message[1] if p not in sys.path]
                result: Any = None
            elif kind == "warm":
                pipeline(message[1], message[2])
                result = None
            else:
                _, key, data, fn, args = message
                with ocr_progress(lambda stage, done, total: answers.send(("progress", (stage, done, total), []))):
                    result = fn(pipeline(key, data), *args)
            answer: tuple[str, Any, list[tuple[str, float]]] = ("ok", result, times.stages)
        except Exception as exc:
            answer = ("error", exc, times.stages)
        try:
            answers.send(answer)
        except OSError:
            return  # the caller is gone (it ended while this task ran)
        except Exception as exc:  # an unpicklable result or exception: the same failure, as a plain error
            plain = RuntimeError(f"{type(answer[1]).__name__}: {answer[1]} ({exc})")
            try:
                answers.send(("error", plain, times.stages))
            except OSError:
                return


def main(argv: list[str]) -> None:
    import indexing  # noqa: F401  (telemetry off, thread caps) before anything else
    from indexing.logs import configure

    configure(os.environ.get("LOG_LEVEL", "WARNING"))
    _serve(Connection(int(argv[0]), writable=False), Connection(int(argv[1]), readable=False))


if __name__ == "__main__":
    main(sys.argv[1:])
