"""Abstractive rewrite against a real local OpenAI-compatible HTTP stub, and the prose checker."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from indexing.briefing import Briefing, Citation, Point, Section
from indexing.briefing.abstractive import (
    UNREACHABLE_WARNING,
    check_prose,
    markers,
    rewrite_abstractive,
    split_prose,
    strip_markers,
)

UE = "La Unión Europea anunció una contribución de 1.500 millones de euros para la respuesta regional."
CANADA = "Canadá desembolsó 30 millones de dólares del compromiso asumido en la conferencia de 2022."
ACUERDO = "Los participantes acordaron revisar los desembolsos pendientes en la próxima reunión de seguimiento."

CITATIONS = [
    Citation(
        n=1,
        document_id="doc-acta",
        filename="acta.pdf",
        title="Acta de la reunión de seguimiento",
        date="2023-03-16",
        page=2,
        quote=UE,
    ),
    Citation(
        n=2,
        document_id="doc-prensa",
        filename="comunicado.txt",
        title="Comunicado de prensa",
        date="2023-03-17",
        page=1,
        quote=UE,
    ),
    Citation(
        n=3,
        document_id="doc-acta",
        filename="acta.pdf",
        title="Acta de la reunión de seguimiento",
        date="2023-03-16",
        page=2,
        quote=CANADA,
    ),
    Citation(
        n=4,
        document_id="doc-acta",
        filename="acta.pdf",
        title="Acta de la reunión de seguimiento",
        date="2023-03-16",
        page=2,
        quote=ACUERDO,
    ),
]

PROSE = (
    "En la reunión de seguimiento, la Unión Europea anunció mil quinientos millones de euros para la respuesta "
    "regional [1][2]. Canadá ya desembolsó 45 millones de dólares de lo comprometido en 2022 [3]. "
    "Los participantes acordaron revisar en la próxima reunión los desembolsos pendientes [4]."
)


def extractive_briefing() -> Briefing:
    return Briefing(
        id="abc123",
        title="Ayuda memoria: compromisos y desembolsos",
        generated_at="2024-05-06T09:30:00+00:00",
        summary_markdown="",
        sections=[
            Section(
                "Acta de la reunión de seguimiento (16 de marzo de 2023)",
                [Point(UE, [1, 2]), Point(CANADA, [3]), Point(ACUERDO, [4])],
            )
        ],
        citations=list(CITATIONS),
        found=True,
        index_state="v1",
        request={"topic": "compromisos y desembolsos", "mode": "abstractive"},
    )


class _StubHandler(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body})
        if self.path != "/v1/chat/completions":
            self.send_error(404)
            return
        payload = json.dumps(
            {
                "id": "chatcmpl-stub",
                "object": "chat.completion",
                "created": 1714987800,
                "model": body["model"],
                "choices": [{"index": 0, "message": {"role": "assistant", "content": PROSE}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            }
        ).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args) -> None:  # silence the stub
        return


@pytest.fixture
def llm_server() -> Iterator[tuple[str, list[dict]]]:
    """A real OpenAI-compatible HTTP server on 127.0.0.1 (ephemeral port) answering one fixed completion."""
    requests: list[dict] = []
    handler = type("Handler", (_StubHandler,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_rewrite_drops_the_sentence_with_an_invented_number(llm_server):
    base_url, requests = llm_server
    result = rewrite_abstractive(extractive_briefing(), base_url=base_url, model="stub-model", max_retries=0)

    assert [s.heading for s in result.sections] == ["Resumen"]
    assert [(p.text, p.citations) for p in result.sections[0].points] == [
        (
            "En la reunión de seguimiento, la Unión Europea anunció mil quinientos millones de euros para la "
            "respuesta regional.",
            [1, 2],
        ),
        ("Los participantes acordaron revisar en la próxima reunión los desembolsos pendientes.", [4]),
    ]
    assert result.warnings == [
        "Se descartó la oración «Canadá ya desembolsó 45 millones de dólares de lo comprometido en 2022.»: "
        "el dato «45 millones» no aparece en los pasajes citados [3]."
    ]
    assert result.citations == CITATIONS
    assert result.id == "abc123"
    assert "[^4]" in result.summary_markdown
    # The request really went through the OpenAI-compatible endpoint with our prompt.
    assert len(requests) == 1
    assert requests[0]["path"] == "/v1/chat/completions"
    body = requests[0]["body"]
    assert body["model"] == "stub-model"
    assert body["temperature"] == 0
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert f"[3] (Acta de la reunión de seguimiento (16 de marzo de 2023), p. 2) «{CANADA}»" in str(
        body["messages"][1]["content"]
    )


def test_unreachable_server_falls_back_to_the_extractive_draft():
    draft = extractive_briefing()
    result = rewrite_abstractive(
        draft, base_url=f"http://127.0.0.1:{free_port()}/v1", model="m", timeout=2.0, max_retries=0
    )
    assert result.warnings == [UNREACHABLE_WARNING]
    assert result.sections == draft.sections
    assert result.citations == draft.citations
    assert UNREACHABLE_WARNING in result.summary_markdown


def test_not_found_briefing_is_returned_unchanged_without_calling_the_server():
    draft = extractive_briefing()
    draft.found, draft.sections, draft.citations = False, [], []
    assert rewrite_abstractive(draft, base_url="http://127.0.0.1:9/v1", model="m") is draft


def test_check_prose_reasons():
    prose = (
        "La Unión Europea anunció 1500 millones de euros [1]. "
        "Canadá desembolsó 30 millones de dólares [9]. "
        "Hubo un consenso amplio entre las delegaciones. "
        "El 16 de marzo de 2023 se acordó revisar los desembolsos pendientes [4]. "
        "El acuerdo se firmó el 20 de marzo de 2023 [4]."
    )
    kept, warnings = check_prose(prose, CITATIONS)
    assert kept == [
        "La Unión Europea anunció 1500 millones de euros [1].",
        # The record's date is shown in the footnote, so it supports the sentence.
        "El 16 de marzo de 2023 se acordó revisar los desembolsos pendientes [4].",
    ]
    assert warnings == [
        "Se descartó la oración «Canadá desembolsó 30 millones de dólares.»: cita [9], que no existe.",
        "Se descartó la oración «Hubo un consenso amplio entre las delegaciones.»: no cita ningún pasaje.",
        "Se descartó la oración «El acuerdo se firmó el 20 de marzo de 2023.»: el dato «20 de marzo de 2023» "
        "no aparece en los pasajes citados [4].",
    ]


def test_a_number_must_be_in_a_passage_the_sentence_cites_not_just_any_passage():
    kept, warnings = check_prose("Canadá desembolsó 30 millones de dólares [1].", CITATIONS)
    assert kept == []
    assert "«30 millones»" in warnings[0]


def test_split_prose_keeps_markers_and_abbreviations():
    prose = "EE. UU. anunció 10 millones.[1] La UE firmó el acuerdo [2][3]. Fin del texto"
    assert split_prose(prose) == ["EE. UU. anunció 10 millones.[1]", "La UE firmó el acuerdo [2][3].", "Fin del texto"]
    assert markers("Texto [2][1, 3] y [2].") == [2, 1, 3]
    assert strip_markers("La UE firmó el acuerdo [2][3].") == "La UE firmó el acuerdo."
