"""A pledge table continuing on page 2 without its header, through the HTTP API: the row is cited on page 2,
quoted verbatim from the stored page text, with the table header alongside; search hits carry the header too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from corpus.make_pdfs import parse_source, render
from indexing.engine import Engine

REPORT = """TITLE: Cuadro de aportes nórdicos y bálticos para la respuesta migratoria
HEADER: Agencia de prueba — Dirección de Cooperación
FOOTER: Cuadro de aportes de prueba
=== PAGE ===
# CUADRO DE APORTES NÓRDICOS Y BÁLTICOS

Aportes anunciados por los cooperantes nórdicos y bálticos para la respuesta a la población refugiada y migrante.

Montos en millones, en la moneda del anuncio.

| Donante | Sector | Monto (millones) | Moneda | Canal | Estado |
| Islandia | Salud | 0,3 | EUR | OPS | Firmado |
| Estonia | Educación | 0,2 | EUR | UNICEF | Anunciado |
| Letonia | Protección | 0,1 | EUR | ACNUR | Desembolsado |
=== PAGE ===
| Lituania | Seguridad alimentaria en Piura | 0,4 | EUR | PMA | Desembolsado |
| Groenlandia | Medios de vida | 0,05 | DKK | OIM | Anunciado |

# Notas

1. Los montos no se han convertido a dólares.
"""
ROW = "| Lituania | Seguridad alimentaria en Piura | 0,4 | EUR | PMA | Desembolsado |"
HEADER = ["Donante", "Sector", "Monto (millones)", "Moneda", "Canal", "Estado"]


@pytest.fixture(scope="module")
def report_id(client: TestClient, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("tables") / "cuadro_aportes_nordicos.pdf"
    render(parse_source(REPORT, "cuadro_aportes_nordicos.txt"), path)
    response = client.post("/v1/documents", files={"file": (path.name, path.read_bytes(), "application/pdf")})
    assert response.status_code == 201, response.text
    doc_id = response.json()["id"]
    yield doc_id
    assert client.delete(f"/v1/documents/{doc_id}").status_code == 204


class TestTableAcrossPages:
    def test_row_on_page_two_is_cited_verbatim_with_its_header(
        self, client: TestClient, engine: Engine, report_id: str
    ) -> None:
        body = client.post("/v1/ask", json={"question": "¿Qué aporte hizo Lituania para seguridad alimentaria?"}).json()
        assert body["found"] is True
        first = body["citations"][0]
        assert (first["document_id"], first["filename"], first["page"]) == (report_id, "cuadro_aportes_nordicos.pdf", 2)
        assert first["quote"] == ROW
        assert first["table_header"] == HEADER
        assert body["answer"].startswith(ROW + " [1]")
        # Verbatim: the quote is the stored page-2 passage's text at the cited place.
        (passage,) = [
            c for c in engine.store.document_chunks(report_id) if c.page == 2 and ROW in c.text and c.table_rows
        ]
        assert passage.text == ROW + "\n| Groenlandia | Medios de vida | 0,05 | DKK | OIM | Anunciado |"
        assert passage.table_header == tuple(HEADER)

    def test_page_one_table_passage_starts_with_its_header_row(self, engine: Engine, report_id: str) -> None:
        (passage,) = [c for c in engine.store.document_chunks(report_id) if c.page == 1 and c.table_rows]
        assert passage.text.splitlines() == [
            "| Donante | Sector | Monto (millones) | Moneda | Canal | Estado |",
            "| Islandia | Salud | 0,3 | EUR | OPS | Firmado |",
            "| Estonia | Educación | 0,2 | EUR | UNICEF | Anunciado |",
            "| Letonia | Protección | 0,1 | EUR | ACNUR | Desembolsado |",
        ]
        assert len(passage.table_rows) == 3

    def test_search_hit_of_the_continued_rows_carries_the_header(self, client: TestClient, report_id: str) -> None:
        body = client.post("/v1/search", json={"query": "Lituania seguridad alimentaria Piura", "top_k": 3}).json()
        hit = body["results"][0]
        assert (hit["document_id"], hit["page"]) == (report_id, 2)
        assert hit["table_header"] == HEADER
