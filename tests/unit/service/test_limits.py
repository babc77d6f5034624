"""Body limits enforced while the body streams in: Content-Length first, then a byte count, before python-multipart
spools anything beyond the limit. A real multipart parser (Starlette's) and, for streaming, a real uvicorn server."""

from __future__ import annotations

import json
import select
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from typing import Annotated

import pytest
import uvicorn
from fastapi import FastAPI, File, UploadFile
from fastapi.testclient import TestClient
from pydantic import BaseModel
from starlette import formparsers

from indexing.settings import Settings
from service.errors import install_error_handlers
from service.limits import MULTIPART_MARGIN_BYTES, BodyLimitMiddleware

MB = 1024 * 1024
SETTINGS = Settings(max_upload_mb=1, max_json_body_kb=4, _env_file=None)  # type: ignore[call-arg]
UPLOAD_LIMIT = MB + MULTIPART_MARGIN_BYTES + 4 * 1024
BOUNDARY = "limite"
PREAMBLE = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="grande.txt"\r\n'
    "Content-Type: text/plain\r\n\r\n"
).encode()


class Query(BaseModel):
    query: str


def toy_app(calls: list[str]) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, settings=SETTINGS)

    @app.post("/v1/documents")
    def upload(file: Annotated[UploadFile, File()]) -> dict[str, int]:
        calls.append("upload")
        return {"size": len(file.file.read())}

    @app.post("/v1/search")
    def search(body: Query) -> dict[str, int]:
        calls.append("search")
        return {"chars": len(body.query)}

    return app


@pytest.fixture
def spooled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Bytes python-multipart writes into upload files (memory or disk), one item per write."""
    writes: list[int] = []

    class CountingSpool(tempfile.SpooledTemporaryFile):  # type: ignore[type-arg]
        def write(self, s):  # type: ignore[no-untyped-def]
            writes.append(len(s))
            return super().write(s)

    monkeypatch.setattr(formparsers, "SpooledTemporaryFile", CountingSpool)
    return writes


def multipart(size: int) -> bytes:
    return PREAMBLE + b"a" * size + f"\r\n--{BOUNDARY}--\r\n".encode()


HEADERS = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


class TestInProcess:
    def test_small_upload_passes(self, spooled: list[int]) -> None:
        calls: list[str] = []
        r = TestClient(toy_app(calls)).post("/v1/documents", content=multipart(1000), headers=HEADERS)
        assert (r.status_code, r.json()) == (200, {"size": 1000})
        assert calls == ["upload"]
        assert sum(spooled) == 1000

    def test_content_length_above_the_limit_is_refused_before_reading(self, spooled: list[int]) -> None:
        calls: list[str] = []
        r = TestClient(toy_app(calls)).post("/v1/documents", content=multipart(20 * MB), headers=HEADERS)
        assert r.status_code == 413
        assert r.json() == {"code": "file_too_large", "detail": "El archivo supera el límite de 1 MB (MAX_UPLOAD_MB)."}
        assert calls == []
        assert spooled == []

    def test_chunked_upload_above_the_limit_is_refused(self, spooled: list[int]) -> None:
        calls: list[str] = []

        def body() -> Iterator[bytes]:
            yield PREAMBLE
            for _ in range(20 * 16):
                yield b"a" * (64 * 1024)

        r = TestClient(toy_app(calls)).post("/v1/documents", content=body(), headers=HEADERS)
        assert r.status_code == 413
        assert r.json()["code"] == "file_too_large"
        assert calls == []
        assert sum(spooled) <= UPLOAD_LIMIT

    def test_json_body_above_the_limit(self) -> None:
        calls: list[str] = []
        client = TestClient(toy_app(calls))
        r = client.post("/v1/search", json={"query": "x" * 5000})
        assert r.status_code == 413
        assert r.json() == {
            "code": "body_too_large",
            "detail": "El cuerpo de la solicitud supera el límite de 4 KB (MAX_JSON_BODY_KB).",
        }
        pieces = iter([b'{"query": "', b"x" * 5000, b'"}'])
        chunked = client.post("/v1/search", content=pieces, headers={"Content-Type": "application/json"})
        assert (chunked.status_code, chunked.json()["code"]) == (413, "body_too_large")
        assert calls == []
        ok = client.post("/v1/search", json={"query": "x" * 3000})
        assert (ok.status_code, ok.json()) == (200, {"chars": 3000})

    def test_get_requests_are_not_touched(self) -> None:
        r = TestClient(toy_app([])).get("/openapi.json")
        assert r.status_code == 200


@pytest.fixture
def server(spooled: list[int]) -> Iterator[tuple[int, list[str]]]:
    calls: list[str] = []
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(toy_app(calls), log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield port, calls
    srv.should_exit = True
    thread.join(timeout=30)
    sock.close()


def read_response(conn: socket.socket) -> tuple[int, dict]:
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


class TestStreamingServer:
    def test_chunked_upload_is_cut_at_the_limit(self, server: tuple[int, list[str]], spooled: list[int]) -> None:
        port, calls = server
        total = 20 * MB
        sent = 0
        with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
            conn.sendall(
                b"POST /v1/documents HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                + f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\r\n".encode()
            )
            conn.sendall(b"%x\r\n%s\r\n" % (len(PREAMBLE), PREAMBLE))
            piece = b"a" * (64 * 1024)
            answered = False
            try:
                while sent < total and not answered:
                    conn.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                    sent += len(piece)
                    answered = bool(select.select([conn], [], [], 0)[0])
            except (BrokenPipeError, ConnectionResetError):
                answered = True
            status, body = read_response(conn)
        assert (status, body["code"]) == (413, "file_too_large")
        assert sent < total  # the server answered long before the client finished sending
        assert calls == []
        assert sum(spooled) <= UPLOAD_LIMIT

    def test_content_length_above_the_limit_is_answered_without_the_body(self, server: tuple[int, list[str]]) -> None:
        port, calls = server
        with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
            conn.sendall(
                b"POST /v1/documents HTTP/1.1\r\nHost: localhost\r\nContent-Length: 20971520\r\n"
                + f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\r\n".encode()
            )
            status, body = read_response(conn)  # not a byte of the body was sent
        assert (status, body["code"]) == (413, "file_too_large")
        assert calls == []
