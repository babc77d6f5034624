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


class TestEditedExport:
    """POST /v1/briefings/{id}/export: staff remove and reorder points and retitle; quotes are never sent."""

    BODY = {"topic": "compromisos anunciados en la Conferencia de Bruselas 2023", "max_points": 6}

    def draft(self, client: TestClient) -> dict:
        b = client.post("/v1/briefings", json=self.BODY).json()
        assert b["found"] is True
        return b

    def test_points_have_positional_ids(self, client: TestClient) -> None:
        b = self.draft(client)
        ids = [p["id"] for s in b["sections"] for p in s["points"]]
        assert ids == [f"p{k}" for k in range(1, len(ids) + 1)]
        assert len(ids) >= 3

    def test_kept_points_in_new_order_with_renumbered_footnotes(self, client: TestClient) -> None:
        b = self.draft(client)
        points = [p for s in b["sections"] for p in s["points"]]
        by_n = {c["n"]: c for c in b["citations"]}
        order = [points[2]["id"], points[0]["id"]]
        r = client.post(
            f"/v1/briefings/{b['id']}/export", params={"format": "json"},
            json={"title": "  Bruselas 2023: lo anunciado  ", "points": order},
        )
        assert r.status_code == 200, r.text
        e = r.json()
        assert e["title"] == "Bruselas 2023: lo anunciado"
        assert e["id"] == b["id"]
        kept = [p for s in e["sections"] for p in s["points"]]
        assert [p["id"] for p in kept] == order
        assert [p["text"] for p in kept] == [points[2]["text"], points[0]["text"]]
        expected_sources = [by_n[n] for p in (points[2], points[0]) for n in p["citations"]]
        expected_sources = list({(c["document_id"], c["page"], c["quote"]): c for c in expected_sources}.values())
        assert [(c["document_id"], c["page"], c["quote"]) for c in e["citations"]] == [
            (c["document_id"], c["page"], c["quote"]) for c in expected_sources
        ]
        assert [c["n"] for c in e["citations"]] == list(range(1, len(expected_sources) + 1))
        cited = [n for p in kept for n in p["citations"]]
        assert sorted(set(cited)) == [c["n"] for c in e["citations"]]
        assert cited[0] == 1
        assert e["summary_markdown"].startswith("# Bruselas 2023: lo anunciado\n")
        # The stored briefing is untouched.
        assert client.get(f"/v1/briefings/{b['id']}").json() == b

    def test_docx_and_markdown_of_the_edition(self, client: TestClient) -> None:
        b = self.draft(client)
        points = [p for s in b["sections"] for p in s["points"]]
        order = [points[1]["id"], points[0]["id"]]
        body = {"title": "Ayuda memoria editada", "points": order}
        e = client.post(f"/v1/briefings/{b['id']}/export", params={"format": "json"}, json=body).json()
        docx = client.post(f"/v1/briefings/{b['id']}/export", params={"format": "docx"}, json=body)
        assert docx.status_code == 200
        assert docx.headers["content-disposition"] == f'attachment; filename="ayuda_memoria_{b["id"]}_editada.docx"'
        doc = DocxDocument(io.BytesIO(docx.content))
        texts = [p.text for p in doc.paragraphs]
        assert texts[0] == "Ayuda memoria editada"
        assert doc.core_properties.title == "Ayuda memoria editada"
        flat = [" ".join(p["text"].split()) for p in (points[1], points[0])]
        positions = [next(i for i, t in enumerate(texts) if t.startswith(f)) for f in flat]
        assert positions == sorted(positions)
        notes = texts[texts.index("Notas") + 1 :]
        assert len(notes) == len(e["citations"])
        for note, c in zip(notes, e["citations"], strict=True):
            assert note.startswith(f"{c['n']}. ")
            assert note.endswith(f"«{' '.join(c['quote'].split())}»")
        md = client.post(f"/v1/briefings/{b['id']}/export", params={"format": "md"}, json=body)
        assert md.status_code == 200
        assert md.text == e["summary_markdown"]

    def test_unknown_or_repeated_point_is_a_stable_422(self, client: TestClient) -> None:
        b = self.draft(client)
        url = f"/v1/briefings/{b['id']}/export"
        r = client.post(url, json={"title": "T", "points": ["p1", "p999"]})
        assert (r.status_code, r.json()["code"]) == (422, "unknown_point")
        assert "p999" in r.json()["detail"]
        r = client.post(url, json={"title": "T", "points": ["p1", "p1"]})
        assert (r.status_code, r.json()["code"]) == (422, "duplicate_point")
        r = client.post(url, json={"title": "T", "points": []})
        assert (r.status_code, r.json()["code"]) == (422, "invalid_request")
        r = client.post(url, json={"title": "   ", "points": ["p1"]})
        assert (r.status_code, r.json()["code"]) == (422, "invalid_request")
        r = client.post(url, json={"title": "T", "points": ["p1"], "text": "otra cita"})
        assert (r.status_code, r.json()["code"]) == (422, "invalid_request")

    def test_unknown_briefing_is_404(self, client: TestClient) -> None:
        r = client.post("/v1/briefings/0000000000000000/export", json={"title": "T", "points": ["p1"]})
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
