"""Qdrant server errors after start-up become `StoreUnavailable` (503 `store_unavailable`) inside the store."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from qdrant_client import QdrantClient
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

from indexing.errors import StoreUnavailable
from indexing.store.guard import guard_client, is_server_error
from indexing.store.qdrant import QdrantClientStore

# qdrant-client warns when it cannot read the server's version: here the server is a stub, or gone on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:Failed to obtain server version")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler(BaseHTTPRequestHandler):
    """Answers like a Qdrant server: its version, the collection list, a 404 for `/collections/missing` and a 500
    for `/collections/broken`."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path == "/":
            self._send(200, {"title": "qdrant - vector search engine", "version": "1.20.0"})
        elif self.path.startswith("/collections/missing"):
            self._send(404, {"status": {"error": "Not found: Collection `missing` doesn't exist!"}, "time": 0.0})
        elif self.path.startswith("/collections/broken"):
            self._send(500, {"status": {"error": "Service internal error: disk full"}, "time": 0.0})
        elif self.path.startswith("/collections"):
            self._send(200, {"result": {"collections": []}, "status": "ok", "time": 0.0})
        else:
            self._send(404, {"status": {"error": "Not found"}, "time": 0.0})

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def stub_server() -> Iterator[tuple[str, ThreadingHTTPServer]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server
    server.shutdown()
    server.server_close()


class TestServerErrors:
    def test_server_dies_after_start_up(self, stub_server) -> None:
        url, server = stub_server
        store = QdrantClientStore(url=url, prefix="t")  # start-up: get_collections answers
        server.shutdown()
        server.server_close()
        with pytest.raises(StoreUnavailable) as err:
            store.all_documents()
        assert (err.value.code, err.value.status) == ("store_unavailable", 503)
        assert err.value.detail == (
            f"El servidor Qdrant en {url} no responde o falló (ResponseHandlingException). Nada se ha perdido: "
            "reintente en unos segundos; si persiste, revise el servidor."
        )
        assert isinstance(err.value.__cause__, ResponseHandlingException)

    def test_a_5xx_answer_is_unavailable(self, stub_server) -> None:
        url, _ = stub_server
        client = guard_client(QdrantClient(url=url, timeout=5), url)
        with pytest.raises(StoreUnavailable) as err:
            client.get_collection("broken")
        assert isinstance(err.value.__cause__, UnexpectedResponse)
        assert err.value.__cause__.status_code == 500

    def test_a_4xx_answer_is_ours_and_propagates(self, stub_server) -> None:
        url, _ = stub_server
        client = guard_client(QdrantClient(url=url, timeout=5), url)
        with pytest.raises(UnexpectedResponse) as err:
            client.get_collection("missing")
        assert err.value.status_code == 404

    def test_nobody_listening_at_start_up(self) -> None:
        url = f"http://127.0.0.1:{free_port()}"
        with pytest.raises(StoreUnavailable) as err:
            QdrantClientStore(url=url, prefix="t")
        assert err.value.detail.startswith(f"No se puede conectar con el servidor Qdrant en {url}: ")

    def test_non_callable_attributes_pass_through(self) -> None:
        raw = QdrantClient(url=f"http://127.0.0.1:{free_port()}", timeout=1)
        assert guard_client(raw, "u").init_options == raw.init_options


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (httpx.ConnectError("refused"), True),
        (httpx.ReadTimeout("slow"), True),
        (TimeoutError(), True),
        (ConnectionResetError(), True),
        (UnexpectedResponse(503, "Unavailable", b"", httpx.Headers()), True),
        (UnexpectedResponse(400, "Bad Request", b"", httpx.Headers()), False),
        (ValueError("ours"), False),
    ],
)
def test_is_server_error(exc: BaseException, expected: bool) -> None:
    assert is_server_error(exc) is expected
