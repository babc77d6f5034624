"""Uploads under load: a bounded queue (429 with Retry-After), /healthz on the event loop, last arrival wins."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexing.engine import Engine
from indexing.ids import document_id
from indexing.settings import Settings
from service.app import create_app
from tests.integration.crash_writer import FILENAME, V1, V2

pytestmark = pytest.mark.integration


@pytest.fixture
def fresh(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    settings = Settings(data_dir=tmp_path / "data", max_pending_uploads=2, _env_file=None)  # type: ignore[call-arg]
    eng = Engine.open(settings, backend=engine.backend)
    yield eng
    eng.close()


def _wait_for(predicate, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + 120
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def _upload(client: TestClient, data: bytes, name: str = FILENAME):  # noqa: ANN202
    return client.post("/v1/documents", files={"file": (name, data, "text/plain")})


def test_uploads_beyond_the_queue_get_429_and_healthz_stays_on_the_event_loop(fresh: Engine) -> None:
    app = create_app(engine=fresh)
    with TestClient(app, raise_server_exceptions=False) as client:
        # Hold the indexer: accepted uploads wait inside it, as behind a long ingest.
        fresh.indexer.lock.acquire()
        try:
            with ThreadPoolExecutor(max_workers=2) as pool:
                first = pool.submit(_upload, client, V1, "uno.txt")
                second = pool.submit(_upload, client, V2, "dos.txt")
                _wait_for(lambda: app.state.upload_slots.in_progress == 2, "two uploads in progress")
                third = _upload(client, b"Tercer registro, sin sitio en la cola.", "tres.txt")
                health = client.get("/healthz")
                waiting = not first.done() and not second.done()
                fresh.indexer.lock.release()
                results = first.result(), second.result()
        except BaseException:
            if fresh.indexer.lock.locked():
                fresh.indexer.lock.release()
            raise
        assert waiting
        assert third.status_code == 429
        assert third.headers["retry-after"] == "5"
        assert third.json() == {
            "code": "too_many_uploads",
            "detail": "Hay 2 subidas en curso, el máximo admitido. Repita la subida en 5 s.",
        }
        assert (health.status_code, health.json()) == (200, {"status": "ok"})
        assert [(r.status_code, r.json()["status"]) for r in results] == [(201, "indexed"), (201, "indexed")]
        assert app.state.upload_slots.in_progress == 0
        again = _upload(client, b"Tercer registro, ahora con sitio en la cola.", "tres.txt")
        assert (again.status_code, again.json()["status"]) == (201, "indexed")


def test_the_last_upload_to_arrive_wins_whatever_order_they_finish_in(fresh: Engine) -> None:
    app = create_app(engine=fresh)
    with TestClient(app, raise_server_exceptions=False) as client:
        fresh.indexer.lock.acquire()
        try:
            with ThreadPoolExecutor(max_workers=2) as pool:
                older = pool.submit(_upload, client, V1)
                _wait_for(lambda: app.state.upload_slots.in_progress == 1, "the first upload accepted")
                newer = pool.submit(_upload, client, V2)
                _wait_for(lambda: app.state.upload_slots.in_progress == 2, "the second upload accepted")
                fresh.indexer.lock.release()
                results = older.result().json(), newer.result().json()
        except BaseException:
            if fresh.indexer.lock.locked():
                fresh.indexer.lock.release()
            raise
        listed = client.get("/v1/documents").json()["documents"]
    assert [d["id"] for d in listed] == [document_id(V2)]
    assert results[1]["status"] == "indexed"
    # Whichever took the indexer first: the older arrival was replaced, or dropped as superseded.
    assert results[0]["status"] in ("indexed", "superseded")
    if results[0]["status"] == "superseded":
        assert results[0]["superseded_by"] == document_id(V2)


def test_an_older_arrival_that_finishes_last_is_dropped_as_superseded(fresh: Engine) -> None:
    first, second = fresh.indexer.ticket(), fresh.indexer.ticket()
    won = fresh.indexer.ingest(V2, FILENAME, ticket=second)
    late = fresh.indexer.ingest(V1, FILENAME, ticket=first)
    assert (won.status, won.replaced) == ("indexed", [])
    assert (late.id, late.status, late.superseded_by, late.chunks) == (
        document_id(V1),
        "superseded",
        document_id(V2),
        0,
    )
    assert [r.id for r in fresh.store.all_documents()] == [document_id(V2)]
    assert [e["amount"] for e in fresh.register.entries()] == [7_000_000.0]
    # A new upload of the old content arrives later than the winner: it wins in turn.
    again = fresh.indexer.ingest(V1, FILENAME)
    assert (again.status, again.replaced) == ("indexed", [document_id(V2)])
    assert [r.id for r in fresh.store.all_documents()] == [document_id(V1)]
