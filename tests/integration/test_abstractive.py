"""Abstractive briefings through the API against a local OpenAI-compatible stub (the only server exercised here)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from indexing.engine import Engine

pytestmark = pytest.mark.integration


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prompt = "\n".join(str(m.get("content")) for m in body["messages"])
        # Cite the passage that holds Spain's amount, then invent a number no passage holds.
        n = next(m.group(1) for m in re.finditer(r"\[(\d+)\][^\n]*", prompt) if "EUR 50 millones" in m.group(0))
        prose = (
            f"España anunció EUR 50 millones en donaciones para el Perú y el Ecuador [{n}]. "
            f"Japón duplicó su aporte hasta US$ 99 millones [{n}]."
        )
        payload = json.dumps(
            {
                "id": "stub",
                "object": "chat.completion",
                "created": 1,
                "model": body["model"],
                "choices": [{"index": 0, "message": {"role": "assistant", "content": prose}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def llm_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_invented_number_is_dropped(
    client: TestClient, engine: Engine, llm_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = engine.settings.model_copy(update={"llm_base_url": llm_url, "llm_model": "stub"})
    monkeypatch.setattr(engine, "settings", settings)
    body = {"topic": "anuncios de las delegaciones en Bruselas 2023", "mode": "abstractive"}
    b = client.post("/v1/briefings", json=body).json()
    assert b["found"] is True
    points = [p["text"] for s in b["sections"] for p in s["points"]]
    assert points == ["España anunció EUR 50 millones en donaciones para el Perú y el Ecuador."]
    assert len(b["warnings"]) == 1
    assert "99" in b["warnings"][0]


def test_unreachable_server_falls_back_to_extractive(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = engine.settings.model_copy(
        update={"llm_base_url": "http://127.0.0.1:9/v1", "llm_model": "stub", "llm_timeout": 2.0}
    )
    monkeypatch.setattr(engine, "settings", settings)
    body = {"topic": "aportes de Japón a través de JICA", "mode": "abstractive"}
    b = client.post("/v1/briefings", json=body).json()
    assert b["found"] is True
    assert b["warnings"] == [
        "No se pudo contactar el servidor del modelo de lenguaje; se entrega el borrador extractivo."
    ]
    assert any("JICA" in p["text"] for s in b["sections"] for p in s["points"])
