"""Backup and restore (`indexing/store/snapshot.py`, `python -m indexing snapshot/restore`, `POST /v1/admin/snapshot`):
a backup restores into a fresh store of either engine with the same records, chunks and vectors, search results,
commitments, term statistics, index state, briefings, keys and audit trail; refusals (non-empty target, other
embedder, damaged file); each record in a backup whole or not at all, also one taken during concurrent commits and
one read with no lock (a server)."""

from __future__ import annotations

import gzip
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from indexing.engine import Engine
from indexing.errors import EmbedderMismatch, RestoreTargetNotEmpty, SnapshotInvalid
from indexing.keys import LOCAL, Caller
from indexing.settings import Settings
from indexing.store import RecordCommit, Store, open_store
from indexing.store.snapshot import restore_snapshot, write_snapshot
from service.app import create_app
from tests.integration.test_store_bulk import _batch, _seed, _view
from tests.integration.test_store_contract import _doc, _open, _record, _settings

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
ADMIN = "clave-admin-de-prueba-0123456789"


def _fill(store: Store) -> None:
    _seed(store)
    store.commit_many(_batch())
    store.put_briefing("b1", {"id": "b1", "title": "Ayuda memoria", "points": [1, 2]})
    store.put_key({"name": "ana", "key_id": "k1", "scope": "read"})
    for i in range(3):
        store.put_audit({"id": f"e{i}", "ts": float(i), "actor": "ana", "action": "document.indexed"})


def _snapshot(store: Store) -> bytes:
    out = io.BytesIO()
    write_snapshot(store, out)
    return out.getvalue()


def _lines(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in gzip.decompress(data).splitlines()]


@pytest.mark.parametrize(("source", "target"), [("edge", "local"), ("local", "edge"), ("edge", "edge")])
def test_a_backup_restores_into_a_fresh_store_of_either_engine(tmp_path: Path, source: str, target: str) -> None:
    src = _open(tmp_path / "src", source)
    try:
        _fill(src)
        data = _snapshot(src)
        expected = {k: v for k, v in _view(src).items() if k != "stored"}
    finally:
        src.close()
    lines = _lines(data)
    assert (lines[0]["format"], lines[0]["embedder"], lines[0]["dim"]) == ("compromisos-snapshot", "test", 3)
    assert lines[-1] == {
        "kind": "end",
        "records": 3,
        "chunks": 4,
        "commitments": 2,
        "briefings": 1,
        "keys": 1,
        "audit": 3,
    }
    dst = open_store(_settings(tmp_path / "dst", target))
    try:
        summary = restore_snapshot(io.BytesIO(data), dst, embedder="test")
        assert (summary.records, summary.chunks, summary.commitments, summary.keys, summary.audit) == (3, 4, 2, 1, 3)
        assert dst.embedder_stamp() == ("test", 3)
        got = {k: v for k, v in _view(dst).items() if k != "stored"}
        assert got == expected
        assert dst.get_briefing("b1") == {"id": "b1", "title": "Ayuda memoria", "points": [1, 2]}
        assert dst.all_keys() == [{"name": "ana", "key_id": "k1", "scope": "read"}]
        assert [e["id"] for e in dst.audit_entries(limit=10, offset=0)[0]] == ["e2", "e1", "e0"]
        assert dst.recover() == 0
    finally:
        dst.close()


def test_restore_refuses_a_non_empty_target_another_embedder_and_a_damaged_file(tmp_path: Path) -> None:
    src = _open(tmp_path / "src", "edge")
    try:
        _fill(src)
        data = _snapshot(src)
        with pytest.raises(RestoreTargetNotEmpty) as err:
            restore_snapshot(io.BytesIO(data), src, embedder="test")
        assert "solo se restaura en un almacén vacío" in err.value.detail
    finally:
        src.close()
    fresh = open_store(_settings(tmp_path / "a", "edge"))
    try:
        with pytest.raises(EmbedderMismatch) as mismatch:
            restore_snapshot(io.BytesIO(data), fresh, embedder="otro")
        assert "se hizo con el embedder «test» (dimensión 3), pero el configurado es «otro»" in mismatch.value.detail
        assert fresh.embedder_stamp() is None  # refused before anything was created
        with pytest.raises(SnapshotInvalid, match="no es una copia de seguridad"):
            restore_snapshot(io.BytesIO(gzip.compress(b'{"format": "otro"}\n')), fresh)
        with pytest.raises(SnapshotInvalid, match="dañada o incompleta"):
            restore_snapshot(io.BytesIO(data[: len(data) // 2]), fresh)
    finally:
        fresh.close()
    truncated = gzip.compress(b"\n".join(gzip.decompress(data).splitlines()[:-1]) + b"\n")
    other = open_store(_settings(tmp_path / "b", "edge"))
    try:
        with pytest.raises(SnapshotInvalid, match="falta su final"):
            restore_snapshot(io.BytesIO(truncated), other)
    finally:
        other.close()


def test_a_record_read_with_no_lock_is_whole_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server has no lock: a record deleted or replaced between reading its entry and its points is left out."""
    store = _open(tmp_path, "local")
    try:
        _fill(store)
        whole = store.record_commit("a2")
        assert whole is not None
        assert [d.id for d in whole.chunks] == ["a2:0", "a2:1"]
        assert [c["id"] for c in whole.commitments] == ["ca2"]
        assert whole.chunks[0].embedding == pytest.approx([1.0, 0.0, 0.0])
        assert whole.chunks[0].sparse_embedding is not None
        assert whole.terms == {"españa": 1, "colombia": 1}
        real_scroll = store._scroll  # type: ignore[attr-defined]
        calls = {"n": 0}

        def scroll_then_delete(*args: Any, **kw: Any) -> Iterator[Any]:
            points = list(real_scroll(*args, **kw))
            calls["n"] += 1
            if calls["n"] == 1:  # another process deletes the record after its chunks were read
                store.delete_document("a2")
            return iter(points)

        monkeypatch.setattr(store, "_scroll", scroll_then_delete)
        assert store.record_commit("a2") is None
        monkeypatch.undo()
        replaced = store.record_commit("b")
        assert replaced is not None
        store.commit_document(_record("b", 1), [_doc("b", 0, [0.0, 1.0, 0.0])])  # same id written again
        calls["n"] = 0

        def scroll_then_rewrite(*args: Any, **kw: Any) -> Iterator[Any]:
            points = list(real_scroll(*args, **kw))
            calls["n"] += 1
            if calls["n"] == 1:
                store.commit_document(_record("b", 1), [_doc("b", 0, [0.0, 1.0, 0.0])])
            return iter(points)

        monkeypatch.setattr(store, "_scroll", scroll_then_rewrite)
        assert store.record_commit("b") is None  # its entry changed while it was read
        monkeypatch.undo()
        assert store.record_commit("nadie") is None
    finally:
        store.close()


def test_a_backup_taken_during_concurrent_commits_holds_whole_records(tmp_path: Path) -> None:
    store = _open(tmp_path, "edge")
    stop = threading.Event()
    written: list[str] = []

    def chunks(doc_id: str, n: int) -> list[Any]:
        return [_doc(doc_id, i, [1.0, float(i), 0.5]) for i in range(n)]

    def writer() -> None:
        i = 0
        while not stop.is_set() and i < 400:
            doc_id, old = f"w{i}", [f"w{i - 1}"] if i else []
            n = 1 + i % 4
            store.commit_document(
                _record(doc_id, n, filename="w.txt"),
                chunks(doc_id, n),
                replaces=old,
                commitments=[{"id": f"c{doc_id}-{k}", "actor": "España"} for k in range(n)],
                terms={"texto": n},
            )
            written.append(doc_id)
            i += 1

    try:
        for r in range(30):
            n = 1 + r % 4
            store.commit_many([RecordCommit(_record(f"s{r}", n), chunks(f"s{r}", n), terms={"texto": n})])
        thread = threading.Thread(target=writer)
        thread.start()
        backups = [_snapshot(store) for _ in range(3)]
        stop.set()
        thread.join()
    finally:
        store.close()
    assert len(written) >= 1
    for data in backups:
        records = [line for line in _lines(data) if line.get("kind") == "record"]
        assert len([r for r in records if r["record"]["id"].startswith("s")]) == 30
        for line in records:
            doc_id, n = line["record"]["id"], line["record"]["chunks"]
            assert [c["id"] for c in line["chunks"]] == [f"{doc_id}:{i}" for i in range(n)]
            if doc_id.startswith("w"):
                assert sorted(c["id"] for c in line["commitments"]) == [f"c{doc_id}-{k}" for k in range(n)]
        # One "w" version is listed at any time: the one listed when the backup began, whole, or none (replaced
        # while it was being read).
        assert len([r for r in records if r["record"]["id"].startswith("w")]) <= 1


@pytest.fixture(scope="module")
def small_engine(tmp_path_factory: pytest.TempPathFactory, engine: Engine) -> Iterator[Engine]:
    data_dir = tmp_path_factory.mktemp("snapshot-src")
    eng = Engine.open(
        Settings(data_dir=data_dir, admin_api_key=ADMIN, _env_file=None),  # type: ignore[call-arg]
        backend=engine.backend,
    )
    caller = Caller(LOCAL, client="test")
    for name in ("acta_mesa_intersectorial_2021_11.txt", "acta_mesa_intersectorial_2023_05.txt"):
        eng.upload((ROOT / "corpus" / "records" / name).read_bytes(), name, None, caller)
    yield eng
    eng.close()


def _engine_view(eng: Engine) -> dict[str, Any]:
    question = "compromisos de financiamiento para la integración"
    return {
        "records": eng.store.all_documents(),
        # Ties of the fused score come out in the engine's insertion order: compared by score, then id.
        "search": sorted(((round(c.score, 6), c.chunk_id) for c in eng.search(question, top_k=5).chunks), reverse=True),
        "register": sorted(json.dumps(e, sort_keys=True, ensure_ascii=False) for e in eng.register.entries()),
        "state": eng.store.index_state(),
    }


def test_the_service_backup_restores_with_the_cli_into_the_same_archive(
    small_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from indexing.__main__ import main

    with TestClient(create_app(engine=small_engine), raise_server_exceptions=False) as api:
        assert api.post("/v1/admin/snapshot").status_code == 401
        got = api.post("/v1/admin/snapshot", headers={"Authorization": f"Bearer {ADMIN}"})
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/gzip"
    assert got.headers["content-disposition"].startswith('attachment; filename="compromisos-')
    file = tmp_path / "copia.jsonl.gz"
    file.write_bytes(got.content)
    expected = _engine_view(small_engine)
    assert len(expected["records"]) == 2 and expected["register"]
    target = tmp_path / "restaurado"
    assert main(["restore", str(file), "--data-dir", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"Restaurado en «{target}»" in out and "2 registros" in out
    restored = Engine.open(Settings(data_dir=target, _env_file=None), backend=small_engine.backend)  # type: ignore[call-arg]
    try:
        assert _engine_view(restored) == expected
        # The backup is audited once taken, so its own entry is in the source's trail, not in the backup.
        source_trail = small_engine.audit(limit=50)[0]
        assert source_trail[0].action == "store.snapshot"
        assert restored.audit(limit=50)[0] == source_trail[1:]
    finally:
        restored.close()
    # The target is no longer empty: a second restore is refused, in Spanish.
    assert main(["restore", str(file), "--data-dir", str(target)]) == 3
    assert "no está vacío" in capsys.readouterr().err


def test_the_cli_backup_names_the_admin_endpoint_while_the_service_holds_the_store(
    small_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from indexing.__main__ import main

    assert (
        main(["snapshot", "--out", str(tmp_path / "c.jsonl.gz"), "--data-dir", str(small_engine.settings.data_dir)])
        == 3
    )
    assert "POST" in capsys.readouterr().err
    assert not (tmp_path / "c.jsonl.gz").exists()
