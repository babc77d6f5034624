"""Scanned PDFs through the HTTP API: OCR'd at upload, cited with `ocr: true`; refused clearly without Tesseract."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexing.engine import Engine
from indexing.settings import Settings
from service.app import create_app
from tests.factories import join_pdfs, make_pdf, make_scan_pdf, make_scanned_pdf

pytestmark = pytest.mark.integration

NOTICE = (
    "# AVISO\n\n"
    "La reunión de la Mesa de trabajo sobre vivienda de la población migrante se realizará el lunes 9 de diciembre "
    "de 2024 en la Sala Raúl Porras Barrenechea del Palacio de Torre Tagle.\n\n"
    "La acreditación de los participantes se realizará de 8:30 a 9:15 horas en el vestíbulo del primer piso."
)
ROOM = (
    "La reunión de la Mesa de trabajo sobre vivienda de la población migrante se realizará el lunes 9 de diciembre "
    "de 2024 en la Sala Raúl Porras Barrenechea del Palacio de Torre Tagle."
)
MISSING = "/nonexistent/bin/tesseract"


def upload(client: TestClient, name: str, data: bytes):
    return client.post("/v1/documents", files={"file": (name, data, "application/pdf")})


@pytest.fixture
def scanned(client: TestClient) -> Iterator[str]:
    r = upload(client, "aviso_mesa_vivienda.pdf", make_scan_pdf(NOTICE, rotate=1.3, noisy=True, seed=11))
    assert r.status_code == 201, r.text
    doc_id = r.json()["id"]
    yield doc_id
    assert client.delete(f"/v1/documents/{doc_id}").status_code == 204


class TestScannedUpload:
    def test_ask_cites_the_scanned_page_as_ocr(self, client: TestClient, engine: Engine, scanned: str) -> None:
        q = "¿En qué sala se realizará la reunión de la Mesa de trabajo sobre vivienda?"
        body = client.post("/v1/ask", json={"question": q}).json()
        assert body["found"] is True
        first = body["citations"][0]
        assert (first["document_id"], first["filename"], first["page"], first["ocr"]) == (
            scanned,
            "aviso_mesa_vivienda.pdf",
            1,
            True,
        )
        assert first["quote"] == ROOM
        stored = [ch for ch in engine.store.document_chunks(scanned) if ch.page == 1]
        assert any(first["quote"] in ch.text for ch in stored)
        assert all(ch.ocr and ch.ocr_confidence is not None and 0.8 <= ch.ocr_confidence <= 1.0 for ch in stored)

    def test_search_and_summary_carry_the_ocr_flag(self, client: TestClient, scanned: str) -> None:
        body = {"query": "acreditación Mesa de trabajo sobre vivienda", "top_k": 3}
        results = client.post("/v1/search", json=body).json()["results"]
        assert (results[0]["document_id"], results[0]["ocr"]) == (scanned, True)
        summary = client.post(f"/v1/documents/{scanned}/summary", json={}).json()
        assert summary["citations"] != []
        assert {c["ocr"] for c in summary["citations"]} == {True}

    def test_text_records_are_cited_without_ocr(self, client: TestClient) -> None:
        body = client.post("/v1/ask", json={"question": "¿Cuánto comprometió Japón y para qué?"}).json()
        assert body["citations"] != []
        assert {c["ocr"] for c in body["citations"]} == {False}
        results = client.post("/v1/search", json={"query": "Japón salud materna", "top_k": 3}).json()["results"]
        assert {r["ocr"] for r in results} == {False}

    def test_mixed_pdf_keeps_the_text_page(self, client: TestClient, engine: Engine) -> None:
        text = "Compromisos de cooperación anunciados por los donantes en la reunión de Lima de 2024."
        r = upload(client, "mixto.pdf", join_pdfs(make_pdf([text], footer=None), make_scan_pdf(NOTICE)))
        assert r.status_code == 201, r.text
        doc_id = r.json()["id"]
        try:
            chunks = engine.store.document_chunks(doc_id)
            assert [(c.page, c.ocr) for c in chunks] == [(1, False), (2, True)]
            assert chunks[0].text == text
            assert ROOM in " ".join(chunks[1].text.split())
        finally:
            client.delete(f"/v1/documents/{doc_id}")

    def test_page_with_nothing_to_read_is_no_text(self, client: TestClient) -> None:
        r = upload(client, "dibujos.pdf", make_scanned_pdf(2))
        assert (r.status_code, r.json()["code"]) == (422, "no_text")
        assert r.json()["detail"] == (
            "dibujos.pdf no contiene texto indexable: sus páginas no tienen capa de texto ni nada que el OCR pueda "
            "leer."
        )


def test_without_tesseract_the_service_starts_and_refuses_scans(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "store", ocr_command=MISSING, _env_file=None)  # type: ignore[call-arg]
    engine = Engine.open(settings)
    try:
        with TestClient(create_app(engine=engine), raise_server_exceptions=False) as client:
            assert client.get("/healthz").json() == {"status": "ok"}
            r = upload(client, "aviso.pdf", make_scan_pdf(NOTICE))
            assert (r.status_code, r.json()["code"]) == (422, "needs_ocr")
            assert "apt-get install tesseract-ocr tesseract-ocr-spa" in r.json()["detail"]
            ok = upload(client, "acta.pdf", make_pdf(["Acta de la reunión de coordinación con los cooperantes."]))
            assert ok.status_code == 201, ok.text
    finally:
        engine.close()
