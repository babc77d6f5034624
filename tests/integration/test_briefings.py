"""Briefings and record summaries through the API, with Word and Markdown export."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document as DocxDocument
from fastapi.testclient import TestClient

from indexing.engine import Engine

pytestmark = pytest.mark.integration


def page_texts(engine: Engine, document_id: str, page: int) -> list[str]:
    return [c.text for c in engine.store.document_chunks(document_id) if c.page == page]


class TestBriefings:
    BODY = {"topic": "compromisos anunciados en la Conferencia de Bruselas 2023", "max_points": 6}

    def test_every_point_is_verbatim_and_cited(self, client: TestClient, engine: Engine) -> None:
        r = client.post("/v1/briefings", json=self.BODY)
        assert r.status_code == 200, r.text
        b = r.json()
        assert b["found"] is True
        assert b["title"] == "Ayuda memoria: compromisos anunciados en la Conferencia de Bruselas 2023"
        numbers = {c["n"] for c in b["citations"]}
        assert numbers == set(range(1, len(b["citations"]) + 1))
        for c in b["citations"]:
            assert any(c["quote"] in t for t in page_texts(engine, c["document_id"], c["page"]))
        points = [p for s in b["sections"] for p in s["points"]]
        assert 1 <= len(points) <= 6
        for p in points:
            assert p["citations"] and set(p["citations"]) <= numbers
            quotes = [b["citations"][n - 1]["quote"] for n in p["citations"]]
            assert " ".join(p["text"].split()) in [" ".join(q.split()) for q in quotes]
        all_quotes = " ".join(c["quote"] for c in b["citations"])
        assert "EUR 50 millones" in all_quotes

    def test_same_request_same_output(self, client: TestClient) -> None:
        first = client.post("/v1/briefings", json=self.BODY).json()
        second = client.post("/v1/briefings", json=self.BODY).json()
        assert first == second

    def test_unrelated_topic_is_not_found(self, client: TestClient) -> None:
        b = client.post("/v1/briefings", json={"topic": "precio internacional del cobre y aranceles mineros"}).json()
        assert (b["found"], b["sections"], b["citations"]) == (False, [], [])

    def test_exports(self, client: TestClient) -> None:
        b = client.post("/v1/briefings", json=self.BODY).json()
        md = client.get(f"/v1/briefings/{b['id']}", params={"format": "md"})
        assert md.status_code == 200
        assert md.headers["content-type"].startswith("text/markdown")
        text = md.text
        for c in b["citations"]:
            assert f"[^{c['n']}]:" in text
            assert re.search(rf"\[\^{c['n']}\](?!:)", text)
        docx = client.get(f"/v1/briefings/{b['id']}", params={"format": "docx"})
        assert docx.status_code == 200
        doc = DocxDocument(io.BytesIO(docx.content))
        full = "\n".join(p.text for p in doc.paragraphs)
        assert b["title"] in full
        for c in b["citations"]:
            assert " ".join(c["quote"].split()) in " ".join(full.split())
        again = client.get(f"/v1/briefings/{b['id']}").json()
        assert again == b

    def test_unknown_briefing_is_404(self, client: TestClient) -> None:
        r = client.get("/v1/briefings/0000000000000000")
        assert (r.status_code, r.json()["code"]) == (404, "not_found")

    def test_abstractive_without_server_is_a_clear_422(self, client: TestClient) -> None:
        r = client.post("/v1/briefings", json={**self.BODY, "mode": "abstractive"})
        assert (r.status_code, r.json()["code"]) == (422, "abstractive_not_configured")

    def test_bad_group_by_is_422(self, client: TestClient) -> None:
        r = client.post("/v1/briefings", json={**self.BODY, "group_by": "pais"})
        assert (r.status_code, r.json()["code"]) == (422, "invalid_request")


class TestDocumentSummary:
    def test_summary_draws_on_all_pages(self, client: TestClient, doc_ids: dict[str, str], engine: Engine) -> None:
        doc_id = doc_ids["acta_bruselas_2023.pdf"]
        r = client.post(f"/v1/documents/{doc_id}/summary", json={"max_points": 5})
        assert r.status_code == 200, r.text
        b = r.json()
        assert b["found"] is True
        assert {c["document_id"] for c in b["citations"]} == {doc_id}
        assert len({c["page"] for c in b["citations"]}) >= 2
        for c in b["citations"]:
            assert any(c["quote"] in t for t in page_texts(engine, doc_id, c["page"]))

    def test_a_stored_summary_is_served_without_reading_the_record(
        self, client: TestClient, doc_ids: dict[str, str], engine: Engine, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        doc_id = doc_ids["acta_bruselas_2023.pdf"]
        first = client.post(f"/v1/documents/{doc_id}/summary", json={"max_points": 4}).json()

        def must_not_run(*_: object) -> None:
            raise AssertionError("the stored summary was not checked first")

        monkeypatch.setattr(engine.store, "document_chunks", must_not_run)
        again = client.post(f"/v1/documents/{doc_id}/summary", json={"max_points": 4})
        assert again.status_code == 200
        assert again.json() == first

    def test_unknown_document_is_404(self, client: TestClient) -> None:
        r = client.post("/v1/documents/nope/summary")
        assert r.status_code == 404


def test_near_duplicates_collapse_into_one_point_citing_both(client: TestClient) -> None:
    sentence = "El Gobierno de Suecia anunció SEK 90 millones para la integración de migrantes venezolanos en el Perú."
    press = f"Nota de prensa 120-2024\n\nLima, 5 de marzo de 2024\n\n{sentence} La embajada celebró el acuerdo."
    minutes = (
        "Acta de la reunión con Suecia\n\nLima, 6 de marzo de 2024\n\n"
        f"Asistieron representantes de la cooperación sueca. {sentence} Se acordó una nueva reunión en junio."
    )
    ids = []
    for name, text in (("nota_suecia.txt", press), ("acta_suecia.txt", minutes)):
        r = client.post("/v1/documents", files={"file": (name, text.encode(), "text/plain")})
        assert r.status_code == 201
        ids.append(r.json()["id"])
    try:
        b = client.post("/v1/briefings", json={"topic": "anuncio de Suecia para la integración en el Perú"}).json()
        assert b["found"] is True
        by_n = {c["n"]: c for c in b["citations"]}
        points = [p for s in b["sections"] for p in s["points"] if p["text"] == sentence]
        assert len(points) == 1
        cited_docs = {by_n[n]["document_id"] for n in points[0]["citations"]}
        assert cited_docs == set(ids)
        assert all(by_n[n]["quote"] == sentence for n in points[0]["citations"])
    finally:
        for doc_id in ids:
            client.delete(f"/v1/documents/{doc_id}")
