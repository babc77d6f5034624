"""The upload-job worker thread runs below the request threads' CPU priority (Linux thread nice values)."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from indexing.types import Progress
from service.jobs import DONE, JobManager

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread nice values are Linux's")


def _thread_nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.parametrize("nice", [0, 7])
def test_jobs_run_with_the_added_nice_value_and_requests_keep_theirs(tmp_path: Path, nice: int) -> None:
    base = _thread_nice()
    caller = threading.get_native_id()
    seen: dict[str, Any] = {}
    finished = threading.Event()

    def work(data: bytes, progress: Progress) -> dict[str, Any]:
        seen["nice"] = _thread_nice()
        seen["caller_nice"] = os.getpriority(os.PRIO_PROCESS, caller)
        finished.set()
        return {"status": "indexed", "bytes": len(data)}

    manager = JobManager(tmp_path / "jobs", release_slot=lambda: None, nice=nice)
    manager.start()
    try:
        job = manager.submit("local", "a.txt", b"abc", work)
        assert finished.wait(30)
    finally:
        manager.close()
    assert seen["nice"] == min(19, base + nice)
    assert _thread_nice() == base  # the calling (request) thread is untouched
    assert seen["caller_nice"] == base  # seen from the job thread, while it ran
    final = manager.get(job.id)
    assert final is not None and final.status == DONE and final.result == {"status": "indexed", "bytes": 3}
