"""Word and OpenDocument uploads through the HTTP API: the real app, embedded Qdrant and the bundled model."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from corpus.make_docx import build_docx, build_odt
from indexing.engine import Engine
from indexing.settings import Settings
from service.app import create_app

pytestmark = pytest.mark.integration

ACTA = [
    ("title", "Acta de la reunión de seguimiento de la cooperación en agua y saneamiento"),
    ("p", "Cusco, 4 de junio de 2024"),
    ("h1", "Asistentes"),
    ("p", "Participaron la APCI, el Ministerio de Vivienda y la Embajada de Portugal."),
    ("page",),
    ("h1", "Acuerdos"),
    (
        "p",
        "Portugal confirmó que la planta potabilizadora de Quillabamba entrará en servicio el 30 de agosto de 2024 "
        "y abastecerá a 4.800 familias migrantes y de acogida.",
    ),
    (
        "table",
        [
            ["Cooperante", "Monto (millones)", "Moneda", "Estado"],
            ["Portugal", "1,9", "EUR", "firmado"],
            ["Eslovenia", "0,4", "EUR", "desembolsado"],
        ],
    ),
    ("page",),
    ("p", "La próxima reunión se celebrará en Quillabamba."),
]
PLANTA = (
    "Portugal confirmó que la planta potabilizadora de Quillabamba entrará en servicio el 30 de agosto de 2024 y "
    "abastecerá a 4.800 familias migrantes y de acogida."
)
MEMO = [
    ("title", "Memorándum sobre la cooperación de Estonia"),
    ("p", "Estonia financia la digitalización del registro consular de migrantes en Tacna."),
    ("section",),
    (
        "p",
        "Estonia desembolsó 0,6 millones de euros el 2 de mayo de 2024 para equipar la oficina de registro "
        "consular de Tacna.",
    ),
]
DESEMBOLSO = (
    "Estonia desembolsó 0,6 millones de euros el 2 de mayo de 2024 para equipar la oficina de registro consular de "
    "Tacna."
)


@pytest.fixture
def api(engine: Engine, tmp_path: Path) -> Iterator[tuple[TestClient, Engine]]:
    settings = Settings(data_dir=tmp_path / "data", max_document_xml_mb=1, _env_file=None)  # type: ignore[call-arg]
    fresh = Engine.open(settings, backend=engine.backend)
    try:
        with TestClient(create_app(engine=fresh), raise_server_exceptions=False) as client:
            yield client, fresh
    finally:
        fresh.close()


def _upload(client: TestClient, data: bytes, name: str, meta: dict[str, object] | None = None) -> dict:
    form = {"metadata": json.dumps(meta)} if meta else {}
    r = client.post("/v1/documents", files={"file": (name, data)}, data=form)
    assert r.status_code == 201, r.text
    return r.json()


def test_a_docx_answers_with_its_page_and_a_verbatim_quote_and_its_table_rows_are_found(
    api: tuple[TestClient, Engine],
) -> None:
    client, engine = api
    meta = {"title": "Acta de seguimiento en agua y saneamiento", "date": "2024-06-04", "doc_type": "acta"}
    body = _upload(client, build_docx(ACTA, header="APCI — encabezado", footer="Pie interno"), "acta_agua.docx", meta)
    assert (body["filename"], body["title"], body["pages"], body["status"]) == (
        "acta_agua.docx",
        "Acta de seguimiento en agua y saneamiento",
        3,
        "indexed",
    )
    doc_id = body["id"]

    answer = client.post(
        "/v1/ask", json={"question": "¿Cuándo entrará en servicio la planta potabilizadora de Quillabamba?"}
    ).json()
    assert answer["found"] is True
    first = answer["citations"][0]
    assert (first["document_id"], first["filename"], first["page"], first["page_kind"]) == (
        doc_id,
        "acta_agua.docx",
        2,
        "page",
    )
    assert first["quote"] == PLANTA
    page_chunks = [c for c in engine.store.document_chunks(doc_id) if c.page == 2]
    assert any(first["quote"] in c.text for c in page_chunks)
    stored = "\n".join(c.text for c in engine.store.document_chunks(doc_id))
    assert "encabezado" not in stored and "Pie interno" not in stored

    found = client.post("/v1/search", json={"query": "Eslovenia desembolsado EUR", "top_k": 3}).json()["results"]
    row = next(r for r in found if "| Eslovenia | 0,4 | EUR | desembolsado |" in r["text"])
    assert (row["document_id"], row["page"], row["page_kind"]) == (doc_id, 2, "page")
    assert "| Cooperante | Monto (millones) | Moneda | Estado |" in row["text"]


def test_a_docx_without_page_breaks_cites_its_section(api: tuple[TestClient, Engine]) -> None:
    client, _ = api
    body = _upload(client, build_docx(MEMO), "memo_estonia.docx", {"doc_type": "memorando"})
    assert (body["pages"], body["title"]) == (2, "Memorándum sobre la cooperación de Estonia")
    answer = client.post("/v1/ask", json={"question": "¿Cuánto desembolsó Estonia para el registro consular?"}).json()
    assert answer["found"] is True
    first = answer["citations"][0]
    assert (first["filename"], first["page"], first["page_kind"], first["quote"]) == (
        "memo_estonia.docx",
        2,
        "section",
        DESEMBOLSO,
    )


def test_an_odt_is_indexed_by_content_even_under_a_pdf_name(api: tuple[TestClient, Engine]) -> None:
    client, _ = api
    body = _upload(client, build_odt(ACTA[:4] + [("page",)] + ACTA[5:7]), "acta_agua.pdf")
    assert (body["pages"], body["title"]) == (2, ACTA[0][1])


def test_old_word_and_zip_bombs_are_refused(api: tuple[TestClient, Engine]) -> None:
    client, _ = api
    doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "WordDocument".encode("utf-16-le") + bytes(100)
    r = client.post("/v1/documents", files={"file": ("acta.doc", doc)})
    assert r.status_code == 415
    assert r.json() == {
        "code": "unsupported_type",
        "detail": "El archivo es un documento de Word antiguo (.doc), que no se admite: ábralo en Word o LibreOffice, "
        "guárdelo como .docx o PDF y vuelva a subirlo.",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:  # 3 MB of XML in a few kB (cap: 1 MB)
        archive.writestr("word/document.xml", "<w:document>" + " " * 3_000_000 + "</w:document>")
    assert len(buffer.getvalue()) < 10_000
    r = client.post("/v1/documents", files={"file": ("bomba.docx", buffer.getvalue())})
    assert (r.status_code, r.json()["code"]) == (413, "xml_too_large")
    assert r.json()["detail"] == (
        "bomba.docx se descomprime en más de 1 MB de XML (el límite, MAX_DOCUMENT_XML_MB): divídalo en varios "
        "archivos o expórtelo a PDF."
    )
