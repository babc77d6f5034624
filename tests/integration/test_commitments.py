"""The commitments register end to end: extracted at upload, listed with sources, totals, CSV, timeline, answers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from indexing.engine import Engine

pytestmark = pytest.mark.integration

ESPANA = (
    "La delegación de España anunció una contribución de EUR 50 millones en donaciones para la integración "
    "socioeconómica de migrantes en el Perú y el Ecuador."
)
SUIZA = (
    "La delegación de Suiza anunció una contribución de CHF 8 millones en donaciones para la integración de "
    "migrantes en el Perú."
)
NORUEGA = "Noruega comprometió NOK 40 millones para programas de protección en la región."
SUIZA_ROW = "| Suiza | 8 millones | CHF | Donación |"
MESA = (
    "Informe de la mesa de donantes sobre la Conferencia de Bruselas 2023\n\n"
    "Lima, 24 de marzo de 2023\n\n"
    "La mesa de donantes revisó los anuncios hechos en Bruselas y acordó publicar un cuadro de seguimiento.\f"
    f"Anuncios de Suiza y Noruega\n\n{SUIZA} {NORUEGA}\f"
    "Cuadro de seguimiento\n\n"
    "| Donante | Monto | Moneda | Instrumento |\n"
    f"{SUIZA_ROW}\n"
)
MESA_META = '{"conference": "bruselas-2023", "doc_type": "informe"}'


@pytest.fixture(scope="module")
def mesa_id(client: TestClient) -> Iterator[str]:
    r = client.post(
        "/v1/documents",
        files={"file": ("mesa_donantes_2023.txt", MESA.encode("utf-8"), "text/plain")},
        data={"metadata": MESA_META},
    )
    assert r.status_code == 201
    doc_id = r.json()["id"]
    yield doc_id
    client.delete(f"/v1/documents/{doc_id}")


def listed(client: TestClient, **params: str) -> dict:
    r = client.get("/v1/commitments", params=params)
    assert r.status_code == 200
    return r.json()


class TestRegister:
    def test_upload_lists_entries_with_sources_on_the_right_page(self, client: TestClient, mesa_id: str) -> None:
        body = listed(client, document_id=mesa_id)
        assert body["total"] == 2
        suiza, noruega = body["commitments"]
        assert (suiza["actor"], suiza["amount"], suiza["currency"], suiza["status"], suiza["instrument"]) == (
            "Suiza",
            8_000_000.0,
            "CHF",
            "anunciado",
            "donación",
        )
        assert (suiza["event"], suiza["event_label"], suiza["date"]) == (
            "bruselas-2023",
            "Conferencia de Bruselas 2023",
            "2023-03-24",
        )
        # The table row and the prose of one record are one entry with two sources.
        assert [(s["page"], s["quote"]) for s in suiza["sources"]] == [(2, SUIZA), (3, SUIZA_ROW)]
        assert suiza["sources"][0] == {
            "document_id": mesa_id,
            "filename": "mesa_donantes_2023.txt",
            "title": "Informe de la mesa de donantes sobre la Conferencia de Bruselas 2023",
            "page": 2,
            "quote": SUIZA,
            "char_start": 29,
            "char_end": 29 + len(SUIZA),
            "ocr": False,
        }
        assert (noruega["actor"], noruega["amount"], noruega["currency"], noruega["status"]) == (
            "Noruega",
            40_000_000.0,
            "NOK",
            "comprometido",
        )
        assert [(s["page"], s["quote"]) for s in noruega["sources"]] == [(2, NORUEGA)]

    def test_quotes_are_the_stored_page_text_at_their_offsets(
        self, client: TestClient, engine: Engine, mesa_id: str
    ) -> None:
        for entry in listed(client, document_id=mesa_id)["commitments"]:
            for s in entry["sources"]:
                chunks = [c for c in engine.store.document_chunks(mesa_id) if c.page == s["page"]]
                assert any(
                    c.char_start <= s["char_start"]
                    and s["char_end"] <= c.char_end
                    and c.text[s["char_start"] - c.char_start : s["char_end"] - c.char_start] == s["quote"]
                    for c in chunks
                )

    def test_filters(self, client: TestClient, mesa_id: str) -> None:
        body = listed(client, actor="noruega", event="Conferencia de Bruselas 2023", currency="nok")
        assert [e["actor"] for e in body["commitments"]] == ["Noruega"]
        assert listed(client, document_id=mesa_id, status="firmado")["total"] == 0
        assert listed(client, document_id=mesa_id, date_from="2023-03-25")["total"] == 0
        page = listed(client, document_id=mesa_id, limit="1", offset="1")
        assert (page["total"], [e["actor"] for e in page["commitments"]]) == (2, ["Noruega"])

    def test_csv_and_summary_agree_with_the_list(self, client: TestClient, mesa_id: str) -> None:
        entries = listed(client, document_id=mesa_id)["commitments"]
        r = client.get("/v1/commitments.csv", params={"document_id": mesa_id})
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/csv")
        assert r.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
        assert [(row["id"], row["actor"], row["monto"], row["moneda"]) for row in rows] == [
            (e["id"], e["actor"], str(int(e["amount"])), e["currency"]) for e in entries
        ]
        assert rows[0]["fuentes"] == (
            f"mesa_donantes_2023.txt p. 2: {SUIZA} || mesa_donantes_2023.txt p. 3: {SUIZA_ROW}"
        )
        summary = client.get("/v1/commitments/summary", params={"document_id": mesa_id, "group_by": "actor"}).json()
        by_id = {e["id"]: e for e in entries}
        assert summary["group_by"] == "actor"
        totals = [(g["key"], t["currency"], t["pledged"], t["entries"]) for g in summary["groups"] for t in g["totals"]]
        assert totals == [
            ("Noruega", "NOK", 40_000_000.0, [e["id"] for e in entries if e["actor"] == "Noruega"]),
            ("Suiza", "CHF", 8_000_000.0, [e["id"] for e in entries if e["actor"] == "Suiza"]),
        ]
        for g in summary["groups"]:
            for t in g["totals"]:
                assert t["pledged"] == sum(by_id[i]["amount"] for i in t["entries"])

    def test_timeline_of_a_pledge_without_disbursement(self, client: TestClient, mesa_id: str) -> None:
        suiza = listed(client, document_id=mesa_id, actor="Suiza")["commitments"][0]
        tl = client.get(f"/v1/commitments/{suiza['id']}/timeline").json()
        assert tl["commitment_id"] == suiza["id"]
        assert tl["disbursement_status"] == "sin registro de desembolso"
        assert [(s["status"], s["amount"], s["stage_date"]) for s in tl["stages"]] == [
            ("anunciado", 8_000_000.0, "2023-03-24")
        ]
        assert tl["stages"][0]["sources"][0]["quote"] == SUIZA

    def test_ask_answers_from_the_register(self, client: TestClient, mesa_id: str) -> None:
        q = "¿Cuánto comprometió Suiza en la Conferencia de Bruselas 2023?"
        answer = client.post("/v1/ask", json={"question": q}).json()
        assert answer["found"] is True
        assert answer["answer"] == (
            f"{SUIZA} [1] {SUIZA_ROW} [2] Según el registro de compromisos: Suiza anunció CHF 8 millones "
            "(donación; Conferencia de Bruselas 2023) [1][2]."
        )
        assert [(c["n"], c["document_id"], c["page"], c["quote"]) for c in answer["citations"]] == [
            (1, mesa_id, 2, SUIZA),
            (2, mesa_id, 3, SUIZA_ROW),
        ]

    def test_register_answer_whose_source_gives_the_money_to_the_region_is_not_the_recipient_s(
        self, client: TestClient, mesa_id: str
    ) -> None:
        q = "¿Cuánto comprometió Noruega al Perú en la Conferencia de Bruselas 2023?"
        answer = client.post("/v1/ask", json={"question": q}).json()
        assert answer["found"] is False
        assert "registro de compromisos" not in answer["answer"]
        assert answer["interpretation"]["recipient"] == "Perú"


class TestSharedRecords:
    def test_spain_in_brussels_is_answered_from_the_register(self, client: TestClient, doc_ids: dict[str, str]) -> None:
        q = "¿Cuánto comprometió España en la Conferencia de Bruselas de 2023?"
        body = client.post("/v1/ask", json={"question": q}).json()
        assert body["found"] is True
        assert body["answer"] == (
            f"{ESPANA} [1] Según el registro de compromisos: España anunció EUR 50 millones (donación; Conferencia "
            "de Bruselas 2023) [1]."
        )
        (c,) = body["citations"]
        assert (c["document_id"], c["filename"], c["page"], c["quote"]) == (
            doc_ids["acta_bruselas_2023.pdf"],
            "acta_bruselas_2023.pdf",
            2,
            ESPANA,
        )

    def test_actor_without_entry_falls_back_to_passages(self, client: TestClient) -> None:
        for q in (
            "¿Cuánto comprometió Dinamarca en la Conferencia de Bruselas de 2023?",
            "¿Cuánto comprometió España en la Conferencia de Canadá 2021?",
        ):
            body = client.post("/v1/ask", json={"question": q}).json()
            assert "registro de compromisos" not in body["answer"]
            assert "EUR 50 millones (donación" not in body["answer"]

    def test_conference_totals_are_flagged_and_left_out_of_totals(
        self, client: TestClient, doc_ids: dict[str, str]
    ) -> None:
        body = listed(client, document_id=doc_ids["canada_2021.txt"])
        assert [(e["actor"], e["amount"], e["currency"], e["is_total"]) for e in body["commitments"]] == [
            ("Comunidad internacional", 1_554_000_000.0, "USD", True),
            ("Comunidad internacional", 800_000_000.0, "USD", True),
        ]
        summary = client.get(
            "/v1/commitments/summary", params={"document_id": doc_ids["canada_2021.txt"], "group_by": "currency"}
        ).json()
        assert summary["groups"] == []
        assert summary["excluded_totals"] == [e["id"] for e in body["commitments"]]


class TestErrors:
    @pytest.mark.parametrize(
        ("path", "params"),
        [
            ("/v1/commitments", {"date_from": "17/03/2023"}),
            ("/v1/commitments", {"limit": "0"}),
            ("/v1/commitments", {"limit": "5000"}),
            ("/v1/commitments", {"status": "pagado"}),
            ("/v1/commitments", {"currency": "euros"}),
            ("/v1/commitments/summary", {"group_by": "pais"}),
            ("/v1/commitments.csv", {"date_to": "2023-02-30"}),
        ],
    )
    def test_bad_filters_are_422(self, client: TestClient, path: str, params: dict[str, str]) -> None:
        r = client.get(path, params=params)
        assert r.status_code == 422
        assert r.json()["code"] == "invalid_request"
        assert r.json()["detail"].startswith("Solicitud no válida")

    def test_unknown_timeline_is_404(self, client: TestClient) -> None:
        r = client.get("/v1/commitments/no-existe/timeline")
        assert r.status_code == 404
        assert r.json() == {"code": "not_found", "detail": "No hay ningún compromiso con id «no-existe»."}


class TestDelete:
    def test_deleting_the_record_removes_its_entries(self, client: TestClient) -> None:
        text = "Acta breve\n\nLima, 20 de marzo de 2023\n\nIrlanda anunció EUR 3 millones en donaciones para el Perú.\n"
        r = client.post("/v1/documents", files={"file": ("acta_irlanda.txt", text.encode("utf-8"), "text/plain")})
        doc_id = r.json()["id"]
        entries = listed(client, document_id=doc_id)["commitments"]
        assert [(e["actor"], e["amount"], e["currency"]) for e in entries] == [("Irlanda", 3_000_000.0, "EUR")]
        assert client.delete(f"/v1/documents/{doc_id}").status_code == 204
        assert listed(client, document_id=doc_id) == {"commitments": [], "total": 0}
        assert listed(client, actor="Irlanda")["total"] == 0
        assert client.get(f"/v1/commitments/{entries[0]['id']}/timeline").status_code == 404
