"""`GET /v1/commitments/compare`: one donor at four conferences, through the HTTP API, with the real model."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration

# Países Bajos appears in no other test record: its rows come only from these four.
RECORDS = {
    "nl_bruselas_2019.txt": (
        "Nota de prensa\n\nEn la Conferencia de Bruselas 2019, el Gobierno de los Países Bajos anunció una "
        "contribución de EUR 5 millones para la respuesta regional a la situación de los refugiados y migrantes "
        "venezolanos. Unos 4,5 millones de personas han dejado Venezuela.\n"
    ),
    "nl_donantes_2020.txt": (
        "Nota de prensa\n\nEn la Conferencia de Donantes 2020, los Países Bajos anunciaron más de EUR 8 millones "
        "(unos 9 millones de dólares) en donaciones para el Perú y Colombia. El 40 % se destinará a protección.\n"
    ),
    "nl_matriz_2022.md": (
        "# Matriz de seguimiento\n\nCuadro 1. Compromisos en millones de EUR.\n\n"
        "| Donante | Conferencia | Anunciado | Desembolsado | Estado |\n"
        "|---|---|---|---|---|\n"
        "| Países Bajos | 2021 | 10 | 4 | En ejecución |\n"
    ),
    "nl_bruselas_2023.txt": (
        "Informe de la delegación\n\nEn la Conferencia de Bruselas 2023, los Países Bajos anunciaron alrededor de "
        "USD 12 millones para la integración de migrantes en la región.\n"
    ),
}


@pytest.fixture(scope="module")
def nl_ids(client: TestClient) -> Iterator[dict[str, str]]:
    ids = {}
    for name, text in RECORDS.items():
        r = client.post("/v1/documents", files={"file": (name, text.encode("utf-8"), "text/plain")})
        assert r.status_code == 201, r.text
        ids[name] = r.json()["id"]
    yield ids
    for doc_id in ids.values():
        client.delete(f"/v1/documents/{doc_id}")


def test_compare_gives_one_row_per_conference_with_amounts_and_sources(
    client: TestClient, nl_ids: dict[str, str]
) -> None:
    r = client.get("/v1/commitments/compare", params={"actor": "Países Bajos"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["actor"] == "Países Bajos"
    got = [
        (row["event"], row["date"], row["pledged"], row["signed"], row["disbursed"], len(row["entries"]))
        for row in body["rows"]
    ]
    assert got == [
        ("bruselas-2019", "2019-10-29", [{"currency": "EUR", "amount": 5e6, "qualifier": None}], [], [], 1),
        ("conferencia-2020", "2020-05-26", [{"currency": "EUR", "amount": 8e6, "qualifier": "más de"}], [], [], 1),
        (
            "canada-2021",
            "2021-06-17",
            [{"currency": "EUR", "amount": 10e6, "qualifier": None}],
            [],
            [{"currency": "EUR", "amount": 4e6, "qualifier": None}],
            2,
        ),
        ("bruselas-2023", "2023-03-17", [{"currency": "USD", "amount": 12e6, "qualifier": "alrededor de"}], [], [], 1),
    ]
    assert [row["event_label"] for row in body["rows"]] == [
        "Conferencia de Bruselas 2019",
        "Conferencia de Donantes 2020",
        "Conferencia de Canadá 2021",
        "Conferencia de Bruselas 2023",
    ]
    files = [sorted({s["filename"] for s in row["sources"]}) for row in body["rows"]]
    assert files == [[name] for name in RECORDS]
    first = body["rows"][0]["sources"][0]
    assert first["document_id"] == nl_ids["nl_bruselas_2019.txt"]
    assert first["quote"] in RECORDS["nl_bruselas_2019.txt"]
    listed = client.get("/v1/commitments", params={"actor": "Países Bajos"}).json()["commitments"]
    assert sorted(e["id"] for e in listed) == sorted(i for row in body["rows"] for i in row["entries"])
    [with_equivalent] = [e for e in listed if e["equivalents"]]
    assert with_equivalent["equivalents"] == [{"amount": 9e6, "currency": "USD"}]
    assert with_equivalent["qualifier"] == "más de"


def test_compare_several_actors_and_csv(client: TestClient, nl_ids: dict[str, str]) -> None:
    r = client.get("/v1/commitments/compare", params={"actors": "Países Bajos,Luxemburgo"})
    assert r.status_code == 200
    body = r.json()
    assert [(c["actor"], len(c["rows"])) for c in body["comparisons"]] == [("Países Bajos", 4), ("Luxemburgo", 0)]
    r = client.get("/v1/commitments/compare.csv", params={"actor": "Países Bajos"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:8] == ["actor", "conferencia", "conferencia_nombre", "fecha", "etapa", "moneda", "monto",
                           "calificador"]
    assert [row[1:8] for row in rows[1:]] == [
        ["bruselas-2019", "Conferencia de Bruselas 2019", "2019-10-29", "comprometido", "EUR", "5000000", ""],
        ["conferencia-2020", "Conferencia de Donantes 2020", "2020-05-26", "comprometido", "EUR", "8000000", "más de"],
        ["canada-2021", "Conferencia de Canadá 2021", "2021-06-17", "comprometido", "EUR", "10000000", ""],
        ["canada-2021", "Conferencia de Canadá 2021", "2021-06-17", "desembolsado", "EUR", "4000000", ""],
        ["bruselas-2023", "Conferencia de Bruselas 2023", "2023-03-17", "comprometido", "USD", "12000000",
         "alrededor de"],
    ]
    assert rows[1][-1] == "nl_bruselas_2019.txt p. 1"


def test_compare_without_actor_is_a_422_with_the_error_shape(client: TestClient) -> None:
    r = client.get("/v1/commitments/compare")
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_query"
    assert set(r.json()) == {"code", "detail"}
