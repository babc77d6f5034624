"""Fault injection: a real writer process is SIGKILLed at each step of commit, replace and delete; the data
directory is reopened (`Engine.open` runs `recover()`) and the documents list, search and the commitments register
must agree, holding either the old state or the new one."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from qdrant_client import models as qm

from indexing import constants as K
from indexing.engine import Engine
from indexing.ids import document_id
from indexing.settings import Settings
from indexing.store.qdrant import _uuid
from tests.integration.crash_writer import FILENAME, V1, V2

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
OLD, NEW = document_id(V1), document_id(V2)

# (case, base state, action, crash point, expected records after recovery, expected register amount)
CASES = [
    ("fresh-after_pending", "empty", "ingest-v1", "commit:after_pending", [], None),
    ("fresh-after_registry", "empty", "ingest-v1", "commit:after_registry", [OLD], 5_000_000.0),
    ("fresh-after_flip_chunks", "empty", "ingest-v1", "commit:after_flip_chunks", [OLD], 5_000_000.0),
    ("replace-after_chunk_batch", "v1", "ingest-v2", "commit:after_chunk_batch", [OLD], 5_000_000.0),
    ("replace-after_pending", "v1", "ingest-v2", "commit:after_pending", [OLD], 5_000_000.0),
    ("replace-after_registry", "v1", "ingest-v2", "commit:after_registry", [NEW], 7_000_000.0),
    ("replace-after_flip_chunks", "v1", "ingest-v2", "commit:after_flip_chunks", [NEW], 7_000_000.0),
    ("replace-after_flip", "v1", "ingest-v2", "commit:after_flip", [NEW], 7_000_000.0),
    ("replace-after_unlist_old", "v1", "ingest-v2", "commit:after_unlist_old", [NEW], 7_000_000.0),
    ("replace-after_old_chunks", "v1", "ingest-v2", "remove:after_chunks", [NEW], 7_000_000.0),
    ("replace-after_old_commitments", "v1", "ingest-v2", "remove:after_commitments", [NEW], 7_000_000.0),
    ("delete-after_registry", "v1", "delete-v1", "delete:after_registry", [], None),
    ("delete-after_chunks", "v1", "delete-v1", "remove:after_chunks", [], None),
]


def _run_writers(cases_file: Path, kind: str) -> list[int]:
    env = {**os.environ, "HAYSTACK_TELEMETRY_ENABLED": "False", "PYTHONPATH": str(ROOT), "EMBEDDED_ENGINE": kind}
    env.pop("COMPROMISOS_FAULT", None)
    proc = subprocess.run(
        [sys.executable, "-m", "tests.integration.crash_writer", str(cases_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _settings(data_dir: Path, kind: str) -> Settings:
    return Settings(data_dir=data_dir, embedded_engine=kind, _env_file=None)  # type: ignore[call-arg]


# Every embedded implementation of the store: Qdrant Edge (the default) and qdrant-client's local mode.
@pytest.fixture(scope="module", params=["edge", "local"])
def crashed(
    request: pytest.FixtureRequest, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, dict[str, tuple[Path, int]]]:
    """Every case's data directory after its writer was killed (one writer process forks a child per case)."""
    kind = request.param
    root = tmp_path_factory.mktemp(f"crash-{kind}")
    base = root / "base-v1"
    eng = Engine.open(_settings(base, kind), backend=engine.backend)
    eng.indexer.ingest(V1, FILENAME)
    eng.close()
    dirs = {}
    for case, start, *_ in CASES:
        dirs[case] = root / case
        if start == "v1":
            shutil.copytree(base, dirs[case])
    cases_file = root / "cases.json"
    cases_file.write_text(json.dumps([[str(dirs[c[0]]), c[2], c[3]] for c in CASES]), encoding="utf-8")
    codes = dict(zip([c[0] for c in CASES], _run_writers(cases_file, kind), strict=True))
    return kind, {case: (dirs[case], codes[case]) for case in dirs}


def _points(eng: Engine, aggregate: str) -> list[dict]:
    return eng.store.payloads(aggregate)


@pytest.mark.parametrize(("case", "start", "action", "fault", "expected", "amount"), CASES, ids=[c[0] for c in CASES])
def test_a_killed_write_leaves_the_old_state_or_the_new_one(
    engine: Engine,
    crashed: tuple[str, dict[str, tuple[Path, int]]],
    case: str,
    start: str,
    action: str,
    fault: str,
    expected: list[str],
    amount: float | None,
) -> None:
    kind, dirs = crashed
    data_dir, code = dirs[case]
    assert code == -signal.SIGKILL, f"the writer was not killed at {fault}"
    eng = Engine.open(_settings(data_dir, kind), backend=engine.backend)
    try:
        listed = [r.id for r in eng.store.all_documents()]
        assert listed == expected
        chunks = _points(eng, "chunks")
        assert sorted({(c["meta"][K.DOCUMENT_ID], c["state"]) for c in chunks}) == [(d, "active") for d in expected]
        commitments = _points(eng, "commitments")
        assert sorted({(c["document_id"], c["state"]) for c in commitments}) == [(d, "active") for d in expected]
        registry = _points(eng, "documents")
        assert [(r["id"], r["replaces"]) for r in registry] == [(d, []) for d in expected]
        for record in eng.store.all_documents():
            assert len(eng.store.document_chunks(record.id)) == record.chunks
        # Originals: exactly the listed records keep theirs (an unlisted one is swept at open).
        originals = data_dir / "originals"
        kept = sorted(p.name for p in originals.iterdir() if p.is_file()) if originals.is_dir() else []
        assert kept == sorted(expected)
        found = eng.search("contribución de España para la integración de refugiados en Colombia", top_k=5).chunks
        assert sorted({c.document_id for c in found}) == expected
        entries = eng.register.entries()
        assert [(e["actor"], e["amount"], e["currency"], e["sources"][0]["document_id"]) for e in entries] == (
            [("España", amount, "EUR", expected[0])] if expected else []
        )
        # The store is writable again and the protocol completes from here.
        again = eng.indexer.ingest(V2, FILENAME)
        assert again.status == ("duplicate" if expected == [NEW] else "indexed")
        assert [r.id for r in eng.store.all_documents()] == [NEW]
    finally:
        eng.close()


def test_recover_on_a_server_spares_a_recent_uncommitted_write(engine: Engine, tmp_path: Path) -> None:
    """Server mode keeps an age cutoff: pending or unlisted points written within the hour may be another
    process's write in flight. (Embedded store with `embedded` switched off to run the server rule.)"""
    eng = Engine.open(Settings(data_dir=tmp_path, _env_file=None), backend=engine.backend)  # type: ignore[call-arg]
    try:
        eng.indexer.ingest(V1, FILENAME)
        store = eng.store
        store.client.delete(store.documents, points_selector=qm.PointIdsList(points=[_uuid("doc", OLD)]))
        store.embedded = False
        assert store.recover() == 0
        assert store.client.count(store.chunks, exact=True).count == 1
        assert eng.search("contribución de España", top_k=5).chunks == []  # not listed: never returned
        store.client.set_payload(store.chunks, payload={"written_at": 0.0}, points=qm.Filter())
        store.client.set_payload(store.commitments, payload={"written_at": 0.0}, points=qm.Filter())
        assert store.recover() == 1
        assert store.client.count(store.chunks, exact=True).count == 0
        assert store.client.count(store.commitments, exact=True).count == 0
    finally:
        store.embedded = True
        eng.close()


def test_a_write_failing_after_its_commit_point_is_finished_by_recover(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    eng = Engine.open(Settings(data_dir=tmp_path, _env_file=None), backend=engine.backend)  # type: ignore[call-arg]
    try:
        store = eng.store

        def disk_full(*_: object) -> None:
            raise RuntimeError("disco lleno")

        monkeypatch.setattr(store, "_flip", disk_full)
        with pytest.raises(RuntimeError, match="disco lleno"):
            eng.indexer.ingest(V1, FILENAME)
        monkeypatch.undo()
        # Committed (listed) but its chunks are still pending: searches now check the state, so none is returned.
        assert store._dirty
        assert [r.id for r in store.all_documents()] == [OLD]
        assert eng.search("contribución de España para la integración", top_k=5).chunks == []
        assert store.recover() == 1
        found = eng.search("contribución de España para la integración", top_k=5).chunks
        assert [c.document_id for c in found] == [OLD]
    finally:
        eng.close()
