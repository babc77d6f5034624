"""Uploads as jobs (`Prefer: respond-async`) through the real app, and re-uploads that reuse stored vectors."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from indexing.__main__ import BulkProgress
from indexing.embedders import EmbeddingBackend
from indexing.engine import Engine
from indexing.ids import document_id
from indexing.ingest import BulkItem
from indexing.keys import LOCAL, Caller
from indexing.settings import Settings
from service.app import create_app
from service.jobs import Job, JobManager
from tests.factories import join_pdfs, make_pdf, make_scan_pdf
from tests.integration.crash_writer import V1

pytestmark = pytest.mark.integration

ASYNC = {"Prefer": "respond-async"}
PAGES = [
    "Acta de la reunión de seguimiento de la Conferencia de Solidaridad\n\n"
    "El 12 de marzo de 2024, en Madrid, España anunció una contribución de 5 millones de euros para la integración "
    "de refugiados y migrantes venezolanos en Colombia y el Perú.",
    "Segunda sesión\n\nLa Comisión Europea confirmó un paquete de 200 millones de euros para los países de acogida "
    "de la región andina, con prioridad para la salud y la educación.",
    "Cierre\n\nJapón comprometió 12 millones de dólares a través de JICA para programas de salud materna.",
]


def counting(backend: EmbeddingBackend) -> Any:
    """The real backend (same warmed models), as a subclass that records every passage batch and can be held."""
    base = type(backend)

    class Counting(base):  # type: ignore[valid-type,misc]
        def embed_passages(self, texts: list[str], *, query_time: bool = False) -> list[list[float]]:
            if not query_time:
                self.gate.wait()
                self.calls.append(list(texts))
            return super().embed_passages(texts, query_time=query_time)

    wrapped = Counting.__new__(Counting)
    wrapped.__dict__.update(backend.__dict__)
    wrapped.calls = []
    wrapped.gate = threading.Event()
    wrapped.gate.set()
    return wrapped


def _settings(path: Path, **overrides: Any) -> Settings:
    return Settings(data_dir=path, _env_file=None, **overrides)  # type: ignore[call-arg]


@pytest.fixture
def backend(engine: Engine) -> Any:
    return counting(engine.backend)


@pytest.fixture
def fresh(backend: Any, tmp_path: Path) -> Iterator[Engine]:
    eng = Engine.open(_settings(tmp_path / "data", max_pending_uploads=1), backend=backend)
    yield eng
    eng.close()


def _wait_job(client: TestClient, location: str, statuses: tuple[str, ...] = ("done", "failed")) -> dict[str, Any]:
    deadline = time.monotonic() + 300
    while True:
        job = client.get(location).json()["job"]
        if job["status"] in statuses:
            return job
        assert time.monotonic() < deadline, f"job still {job['status']}"
        time.sleep(0.02)


def _post(client: TestClient, data: bytes, name: str, headers: dict[str, str] | None = None) -> Any:
    return client.post("/v1/documents", files={"file": (name, data, "application/octet-stream")}, headers=headers)


def test_async_upload_answers_202_and_the_job_ends_with_the_synchronous_body(
    fresh: Engine, backend: Any, tmp_path: Path
) -> None:
    with TestClient(create_app(engine=fresh), raise_server_exceptions=False) as client:
        accepted = _post(client, V1, "acta.txt", ASYNC)
        assert accepted.status_code == 202
        job = accepted.json()["job"]
        assert accepted.headers["location"] == f"/v1/jobs/{job['id']}"
        assert accepted.headers["preference-applied"] == "respond-async"
        assert job["status"] in ("queued", "running")
        assert job["filename"] == "acta.txt"
        assert job["owner"] == "local"
        done = _wait_job(client, accepted.headers["location"])
        listed = client.get("/v1/jobs").json()["jobs"]
    assert done["status"] == "done"
    assert done["error"] is None
    assert done["progress"] == {"stage": "committing", "done": 1, "total": 1}
    assert [j["id"] for j in listed] == [job["id"]]
    assert listed[0] == done
    # The same upload, synchronous, into another store: the very same body.
    other = Engine.open(_settings(tmp_path / "other"), backend=backend)
    try:
        with TestClient(create_app(engine=other), raise_server_exceptions=False) as client:
            sync = _post(client, V1, "acta.txt")
    finally:
        other.close()
    assert sync.status_code == 201
    assert done["result"] == sync.json()
    assert done["result"]["id"] == document_id(V1)
    assert done["result"]["status"] == "indexed"
    assert not list((tmp_path / "data" / "jobs").glob("*.upload"))


def test_a_failing_file_fails_its_job_with_the_synchronous_error(fresh: Engine) -> None:
    bad = b"\x00\x01\x02 binario \xff\xfe" * 20
    with TestClient(create_app(engine=fresh), raise_server_exceptions=False) as client:
        sync = _post(client, bad, "raro.bin")
        accepted = _post(client, bad, "raro.bin", ASYNC)
        assert accepted.status_code == 202
        failed = _wait_job(client, accepted.headers["location"])
    assert sync.status_code == 415
    assert failed["status"] == "failed"
    assert failed["result"] is None
    assert failed["error"] == sync.json()
    assert set(failed["error"]) == {"code", "detail"}


def test_jobs_beyond_the_upload_queue_get_429_and_searches_answer_meanwhile(fresh: Engine, backend: Any) -> None:
    app = create_app(engine=fresh)
    with TestClient(app, raise_server_exceptions=False) as client:
        backend.gate.clear()  # the job's embedding waits: it holds the one upload slot
        try:
            accepted = _post(client, V1, "acta.txt", ASYNC)
            assert accepted.status_code == 202
            running = _wait_job(client, accepted.headers["location"], ("running",))
            assert app.state.upload_slots.in_progress == 1
            refused = _post(client, b"Otro registro.", "otro.txt", ASYNC)
            refused_sync = _post(client, b"Otro registro.", "otro.txt")
            search = client.post("/v1/search", json={"query": "contribución de España"})
        finally:
            backend.gate.set()
        done = _wait_job(client, accepted.headers["location"])
        deadline = time.monotonic() + 60
        while app.state.upload_slots.in_progress and time.monotonic() < deadline:
            time.sleep(0.01)
        assert app.state.upload_slots.in_progress == 0
        after = _post(client, b"Otro registro con texto suficiente para indexarse.", "otro.txt")
    assert running["progress"]["stage"] in ("converting", "embedding")
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "5"
    assert refused.json()["code"] == "too_many_uploads"
    assert refused_sync.status_code == 429
    assert search.status_code == 200
    assert done["status"] == "done"
    assert after.status_code == 201


def test_jobs_left_unfinished_by_a_restart_are_failed_with_a_reason(backend: Any, tmp_path: Path) -> None:
    data = tmp_path / "data"
    previous = JobManager(data / "jobs", release_slot=lambda: None)  # a previous process: no worker ran them
    queued = previous.submit("local", "informe.pdf", b"%PDF-1.4 pendiente", lambda b, p: {})
    running = previous.submit("local", "acta.txt", b"en curso", lambda b, p: {})
    record = json.loads((data / "jobs" / f"{running.id}.json").read_text(encoding="utf-8"))
    (data / "jobs" / f"{running.id}.json").write_text(json.dumps({**record, "status": "running"}), encoding="utf-8")
    eng = Engine.open(_settings(data), backend=backend)
    try:
        with TestClient(create_app(engine=eng), raise_server_exceptions=False) as client:
            got_queued = client.get(f"/v1/jobs/{queued.id}").json()["job"]
            got_running = client.get(f"/v1/jobs/{running.id}").json()["job"]
            missing = client.get("/v1/jobs/" + "0" * 24)
    finally:
        eng.close()
    assert got_queued["status"] == "failed"
    assert got_queued["error"] == {
        "code": "job_interrupted",
        "detail": "El servicio se detuvo antes de terminar de indexar «informe.pdf» (la subida estaba en cola); no "
        "se indexó nada de ella. Súbala de nuevo.",
    }
    assert got_running["error"] == {
        "code": "job_interrupted",
        "detail": "El servicio se detuvo antes de terminar de indexar «acta.txt» (la subida estaba en curso); no "
        "se indexó nada de ella. Súbala de nuevo.",
    }
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    assert not list((data / "jobs").glob("*.upload"))
    stored = Job.from_json(json.loads((data / "jobs" / f"{queued.id}.json").read_text(encoding="utf-8")))
    assert (stored.status, stored.error) == ("failed", got_queued["error"])


def test_progress_stages_and_a_re_upload_embeds_only_the_changed_passages(fresh: Engine, backend: Any) -> None:
    meta = {"title": "Acta de prueba"}
    v1 = make_pdf(PAGES)
    edited = [*PAGES[:2], PAGES[2].replace("12 millones", "15 millones")]
    v2 = make_pdf(edited)
    seen: list[tuple[str, int, int]] = []
    first = fresh.upload(v1, "acta.pdf", meta, Caller(LOCAL), progress=lambda *a: seen.append(a))
    old = {c.text: c for c in fresh.store.document_chunks(first.id)}
    embedded_first = [t for batch in backend.calls for t in batch]
    backend.calls.clear()
    second = fresh.upload(v2, "acta.pdf", meta, Caller(LOCAL))
    new = fresh.store.document_chunks(second.id)
    embedded_second = [t for batch in backend.calls for t in batch]
    n = first.chunks
    assert seen == [
        ("converting", 0, 1),
        ("embedding", 0, n),
        ("embedding", n, n),
        ("committing", 0, 1),
        ("committing", 1, 1),
    ]
    assert len(embedded_first) == n == 3
    assert second.replaced == [first.id]
    changed = [c for c in new if c.text not in old]
    assert [c.page for c in changed] == [3]
    assert embedded_second == [f"Acta de prueba\n{changed[0].text}"]
    for chunk in new:
        if chunk.text in old:
            assert chunk.embedding == old[chunk.text].embedding
            assert chunk.embedding_key == old[chunk.text].embedding_key


SCANNED = (
    "# Aviso\n\nLa reunión de seguimiento de la Conferencia de Solidaridad se realizará el lunes 9 de diciembre de "
    "2024 en Lima, con las delegaciones de los países de acogida."
)


def test_a_scanned_pdf_reports_its_ocr_pages_in_job_progress(
    fresh: Engine, backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every progress update the job receives (spied on, not replaced: the job still saves and serves it).
    updates: list[tuple[str, int, int]] = []
    save = JobManager._update

    def spy(self: JobManager, job: Job, **changes: Any) -> None:
        if "progress" in changes:
            p = changes["progress"]
            updates.append((p.stage, p.done, p.total))
        save(self, job, **changes)

    monkeypatch.setattr(JobManager, "_update", spy)
    second = "# Cierre\n\nJapón comprometió 12 millones de dólares a través de JICA para programas de salud materna."
    pdf = join_pdfs(make_pdf([PAGES[0]], footer=None), make_scan_pdf(SCANNED), make_scan_pdf(second))
    with TestClient(create_app(engine=fresh), raise_server_exceptions=False) as client:
        accepted = _post(client, pdf, "aviso_escaneado.pdf", ASYNC)
        assert accepted.status_code == 202
        done = _wait_job(client, accepted.headers["location"])
    assert done["status"] == "done", done["error"]
    assert done["result"]["pages"] == 3
    n = done["result"]["chunks"]
    assert updates == [
        ("converting", 0, 1),
        ("ocr", 0, 2),
        ("ocr", 1, 2),
        ("ocr", 2, 2),
        ("embedding", 0, n),
        ("embedding", n, n),
        ("committing", 0, 1),
        ("committing", 1, 1),
    ]
    stored = fresh.store.document_chunks(done["result"]["id"])
    assert sorted((c.page, c.ocr) for c in stored) == [(1, False), (2, True), (3, True)]


def test_a_bulk_load_reports_the_ocr_of_its_scanned_pages(fresh: Engine) -> None:
    updates: list[tuple[str, int, int]] = []
    pdf = join_pdfs(make_pdf([PAGES[0]], footer=None), make_scan_pdf(SCANNED))
    items = [BulkItem("aviso_escaneado.pdf", lambda: pdf), BulkItem("nota.txt", lambda: PAGES[1].encode())]
    progress = BulkProgress(2, 2, io.StringIO(), clock=lambda: 0.0)

    def spy(stage: str, done: int, total: int) -> None:
        updates.append((stage, done, total))
        progress.stage(stage, done, total)

    results = [r for _, r in fresh.upload_many(items, Caller(LOCAL), progress=spy)]
    assert [(r.status, r.pages) for r in results] == [("indexed", 2), ("indexed", 1)]  # type: ignore[union-attr]
    assert [u for u in updates if u[0] == "ocr"] == [("ocr", 0, 1), ("ocr", 1, 1)]
    assert {u[0] for u in updates} == {"ocr", "embedding"}
    assert (progress.ocr_done, progress.ocr_total) == (1, 1)


NOTES = [
    (f"nota_{n}.txt", f"Nota {n}\n\nEl {n} de mayo de 2022 la delegación número {n} anunció CHF {n} millones.".encode())
    for n in range(1, 5)
]


def test_bulk_loads_prepare_the_next_file_while_the_current_one_embeds(fresh: Engine, backend: Any) -> None:
    prepared: list[str] = []
    real_prepare = fresh.indexer.prepare

    def prepare(data: bytes, filename: str | None, *args: Any, **kwargs: Any) -> Any:
        out = real_prepare(data, filename, *args, **kwargs)
        prepared.append(str(filename))
        return out

    fresh.indexer.prepare = prepare  # type: ignore[method-assign]
    items = [BulkItem(name, lambda data=data: data) for name, data in NOTES]
    items.insert(2, BulkItem("vacio.txt", lambda: b""))
    backend.gate.clear()  # the first record's embedding waits
    results: list[tuple[str, Any]] = []
    worker = threading.Thread(
        target=lambda: results.extend((i.filename, r) for i, r in fresh.upload_many(items, Caller(LOCAL)))
    )
    worker.start()
    try:
        deadline = time.monotonic() + 120
        while len(prepared) < 3:  # prepared beyond the first while it cannot have been embedded yet
            assert time.monotonic() < deadline, prepared
            time.sleep(0.01)
        assert backend.calls == []
    finally:
        backend.gate.set()
        worker.join(300)
    assert [name for name, _ in results] == ["nota_1.txt", "nota_2.txt", "vacio.txt", "nota_3.txt", "nota_4.txt"]
    assert [getattr(r, "code", None) or r.status for _, r in results] == [
        "indexed",
        "indexed",
        "empty_file",
        "indexed",
        "indexed",
    ]
    stored = [c for _, r in results if hasattr(r, "id") for c in fresh.store.document_chunks(r.id)]
    assert sorted(t for batch in backend.calls for t in batch) == sorted(f"{c.title}\n{c.text}" for c in stored)
    assert len(stored) == 4
    for (name, data), (_, result) in zip(NOTES, [r for r in results if r[0] != "vacio.txt"], strict=True):
        assert result.id == document_id(data)
        assert result.filename == name
        assert [c.document_id for c in fresh.store.document_chunks(result.id)] == [result.id] * result.chunks


def test_embedding_several_prepared_records_is_one_run_across_them(fresh: Engine, backend: Any) -> None:
    ready = [fresh.indexer.prepare(data, name) for name, data in NOTES]
    fresh.indexer.embed(ready)  # type: ignore[arg-type]
    assert len(backend.calls) == 1
    assert len(backend.calls[0]) == sum(len(p.chunks) for p in ready) == 4  # type: ignore[union-attr]
    results = [fresh.indexer.commit(p) for p in ready]  # type: ignore[arg-type]
    assert [r.status for r in results] == ["indexed"] * 4


def test_a_bulk_load_embeds_the_next_run_while_the_last_one_commits(fresh: Engine, backend: Any) -> None:
    held, real_commit = threading.Event(), fresh.indexer.commit
    committing: list[str] = []

    def commit(prepared: Any, *args: Any, **kwargs: Any) -> Any:
        committing.append(prepared.record.filename)
        if len(committing) == 1:
            assert held.wait(120)
        return real_commit(prepared, *args, **kwargs)

    fresh.indexer.commit = commit  # type: ignore[method-assign]
    items = [BulkItem(name, lambda data=data: data) for name, data in NOTES]
    results: list[tuple[str, Any]] = []
    worker = threading.Thread(
        target=lambda: results.extend(
            (i.filename, r) for i, r in fresh.indexer.ingest_many(items, batch_passages=1, queued_records=1)
        )
    )
    worker.start()
    try:
        deadline = time.monotonic() + 120
        # While the first record's commit is held, the next two runs embed: the second is queued for the
        # committer, the third waits to be handed over, and nothing more is embedded.
        while len(backend.calls) < 3 or not committing:
            assert time.monotonic() < deadline, (backend.calls, committing)
            time.sleep(0.01)
        time.sleep(0.2)
        assert (len(backend.calls), committing, results) == (3, ["nota_1.txt"], [])
    finally:
        held.set()
        worker.join(300)
    assert [(name, r.status) for name, r in results] == [(name, "indexed") for name, _ in NOTES]
    assert committing == [name for name, _ in NOTES]


def test_a_failing_commit_in_a_bulk_load_is_raised_to_the_caller(fresh: Engine) -> None:
    real_commit = fresh.indexer.commit

    def commit(prepared: Any, *args: Any, **kwargs: Any) -> Any:
        if prepared.record.filename == "nota_2.txt":
            raise OSError("disco lleno")
        return real_commit(prepared, *args, **kwargs)

    fresh.indexer.commit = commit  # type: ignore[method-assign]
    items = [BulkItem(name, lambda data=data: data) for name, data in NOTES]
    seen: list[str] = []
    with pytest.raises(OSError, match="disco lleno"):
        for item, _ in fresh.indexer.ingest_many(items, batch_passages=1):
            seen.append(item.filename)
    assert seen == ["nota_1.txt"]
    assert [d.filename for d in fresh.documents()] == ["nota_1.txt"]
