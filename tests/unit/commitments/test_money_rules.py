"""Money only, equivalents, qualifiers, totals and tables read by column (issue 9 rules), with exact values."""

from __future__ import annotations

import time

import pytest

from indexing.commitments.dedup import deduplicate
from indexing.commitments.extract import pair_equivalents, qualifier_before
from indexing.commitments.model import Equivalent
from indexing.text.amounts import find_amounts

from .factories import extract


def rows(text: str) -> list[tuple]:
    return [(c.actor, c.amount, c.currency, c.status, c.is_total) for c in extract(text)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Alemania anunció apoyo para atender a 5,6 millones de personas desplazadas en la región.",
        "España comprometió recursos para el 46 % de los fondos requeridos.",
        "Canadá firmó el Decreto Supremo N.º 044-2020-PCM en 2020 con el Perú.",
        "Suiza anunció que 1,2 millones de migrantes recibirán apoyo en 2023.",
        "El tipo de cambio referencial fue de 1 USD = S/ 3,71 según Alemania.",
    ],
)
def test_people_counts_percentages_years_and_document_numbers_never_become_entries(sentence: str) -> None:
    assert extract(sentence) == []


def test_a_figure_without_any_currency_is_no_entry() -> None:
    assert extract("Alemania anunció 12 millones para la integración de migrantes en el Perú.") == []


def test_parenthetical_equivalent_is_one_entry_in_the_currency_stated_first() -> None:
    text = (
        "El Gobierno de los Estados Unidos anunció 171 millones de dólares (unos 160 millones de euros) en "
        "asistencia humanitaria para la región."
    )
    [c] = extract(text)
    assert (c.actor, c.amount, c.currency) == ("Estados Unidos", 171e6, "USD")
    assert c.equivalents == (Equivalent(160e6, "EUR"),)
    assert c.to_dict()["equivalents"] == [{"amount": 160e6, "currency": "EUR"}]


def test_equivalent_before_a_code_and_with_qualifier_on_the_amount() -> None:
    text = "Noruega anunció una contribución de alrededor de NOK 40 millones (4,7 millones de dólares) para la región."
    [c] = extract(text)
    assert (c.actor, c.amount, c.currency, c.qualifier) == ("Noruega", 40e6, "NOK", "alrededor de")
    assert c.equivalents == (Equivalent(4.7e6, "USD"),)


def test_two_pledges_in_different_currencies_are_not_equivalents() -> None:
    text = "Canadá anunció CAD 10 millones y Suiza CHF 4 millones para la región."
    got = [(c.actor, c.amount, c.currency, c.equivalents) for c in extract(text)]
    assert got == [("Canadá", 10e6, "CAD", ()), ("Suiza", 4e6, "CHF", ())]


def test_pair_equivalents_on_parsed_amounts() -> None:
    text = "EUR 30 millones (aproximadamente US$ 33 millones), y EUR 5 millones (US$ 6 millones)"
    kept, eq = pair_equivalents(text, find_amounts(text))
    assert [(a.value, a.currency) for a in kept] == [(30_000_000, "EUR"), (5_000_000, "EUR")]
    assert {k: [(a.value, a.currency) for a in v] for k, v in eq.items()} == {
        0: [(33_000_000, "USD")],
        text.index("EUR 5"): [(6_000_000, "USD")],
    }


@pytest.mark.parametrize(
    ("before", "qualifier"),
    [
        ("anunció más de ", "más de"),
        ("aportó alrededor de ", "alrededor de"),
        ("comprometió cerca de ", "alrededor de"),
        ("anunció unos ", "alrededor de"),
        ("aportará hasta ", "hasta"),
        ("anunció ", None),
    ],
)
def test_qualifiers(before: str, qualifier: str | None) -> None:
    text = f"Alemania {before}EUR 20 millones para la región."
    assert qualifier_before(text, text.index("EUR")) == qualifier
    [c] = extract(text)
    assert (c.amount, c.qualifier) == (20e6, qualifier)


def test_qualifier_and_equivalents_survive_merging_of_two_statements() -> None:
    a = extract("España anunció EUR 30 millones para la región.", document_id="d1")
    b = extract("España anunció más de EUR 30 millones (US$ 33 millones) para la región.", document_id="d1", page=2)
    [m] = deduplicate(a + b)
    assert (m.qualifier, m.equivalents, len(m.sources)) == ("más de", (Equivalent(33e6, "USD"),), 2)


def test_en_conjunto_total_is_marked_and_not_an_actors_pledge() -> None:
    text = (
        "| Donante | Monto | Moneda |\n| España | 3 millones | EUR |\n\n"
        "En conjunto, los compromisos en euros de la matriz suman EUR 38,5 millones."
    )
    assert rows(text) == [
        ("España", 3e6, "EUR", "comprometido", False),
        ("Comunidad internacional", 38.5e6, "EUR", "comprometido", True),
    ]


def test_joint_statement_of_two_donors_has_no_entry() -> None:
    text = "El Banco Mundial y el BID presentaron de manera conjunta líneas de préstamo por EUR 170 millones."
    assert extract(text) == []


def test_amount_still_in_process_is_no_entry() -> None:
    text = "El segundo tramo del convenio con la AECID, de € 1,5 millones, se encuentra en trámite."
    assert extract(text) == []


def test_caption_scale_and_currency_apply_to_the_stage_columns() -> None:
    text = (
        "Cuadro 1. Compromisos en euros. Todas las cifras en millones de EUR.\n"
        "| Cooperante | Conferencia | Anunciado | Firmado | Desembolsado | Estado |\n"
        "| España (AECID) | 2020 | 2,5 | 2,5 | 1 | En ejecución |\n"
        "| Alemania | 2021 | 12 | — | 20 % | En ejecución |\n"
    )
    got = [(c.actor, c.amount, c.currency, c.status, c.event) for c in extract(text)]
    assert got == [
        ("España", 2.5e6, "EUR", "firmado", "Conferencia de Donantes 2020"),
        ("España", 1e6, "EUR", "desembolsado", "Conferencia de Donantes 2020"),
        ("Alemania", 12e6, "EUR", "anunciado", "Conferencia de Canadá 2021"),
    ]


def test_page_note_on_units_applies_to_a_table_with_a_currency_column() -> None:
    text = (
        "Los montos se expresan en millones de la moneda indicada en la columna Moneda.\n\n"
        "## 1. Compromisos bilaterales\n\n"
        "| Cooperante | Conferencia | Monto | Moneda | Parte del Perú |\n"
        "|---|---|---|---|---|\n"
        "| Alemania | 2020 | 20 | EUR | 6 |\n"
        "| Canadá | 2021 | 10 | CAD | no determinada |\n"
    )
    got = [(c.actor, c.amount, c.currency, c.event) for c in extract(text)]
    assert got == [
        ("Alemania", 20e6, "EUR", "Conferencia de Donantes 2020"),
        ("Alemania", 6e6, "EUR", "Conferencia de Donantes 2020"),
        ("Canadá", 10e6, "CAD", "Conferencia de Canadá 2021"),
    ]


def test_header_unit_in_parentheses_scales_its_column() -> None:
    text = (
        "| Cooperante | Conferencia | Monto (millones) | Moneda | Estado |\n"
        "| Unión Europea | Bruselas 2023 | 15 | EUR | Firmado el 28/11/2023; sin desembolsos |\n"
    )
    got = [(c.actor, c.amount, c.currency, c.status, c.event) for c in extract(text)]
    assert got == [("Unión Europea", 15e6, "EUR", "firmado", "Conferencia de Bruselas 2023")]


def test_header_currency_in_the_amount_header() -> None:
    text = "| Donante | Monto (millones de USD) | Estado |\n| BID | 12,3 | Desembolsado |\n"
    assert rows(text) == [("BID", 12.3e6, "USD", "desembolsado", False)]


def test_a_row_broken_across_lines_is_one_statement() -> None:
    text = (
        "| Cooperante | Conferencia | Monto | Estado | Ejecutado | Destino |\n"
        "| Suiza (COSUDE) | 2021 | CHF 4,5\nmillones | Vía socios implementadores | CHF 2,9\n"
        "millones | Lima Norte, Arequipa y Tacna |\n"
        "| Canadá | 2021 | CAD 10 millones | Entregado | 100 % | ACNUR y OIM |\n"
    )
    got = [(c.actor, c.amount, c.currency, c.status) for c in extract(text)]
    assert got == [
        ("Suiza", 4.5e6, "CHF", "comprometido"),
        ("Suiza", 2.9e6, "CHF", "ejecutado"),
        ("Canadá", 10e6, "CAD", "desembolsado"),
    ]
    [suiza_quote] = {c.sources[0].quote for c in extract(text) if c.actor == "Suiza"}
    assert suiza_quote.count("\n") == 2


def test_a_donor_named_paises_bajos_is_a_row_not_a_pais_header() -> None:
    text = "| País | Monto | Moneda |\n| Países Bajos | 5 millones | EUR |\n"
    assert rows(text) == [("Países Bajos", 5e6, "EUR", "comprometido", False)]


def test_pledges_listed_under_a_heading_that_names_the_donor() -> None:
    text = (
        "Alemania\n\n"
        "- EUR 6 millones para proyectos de integración en el Perú.\n"
        "- EUR 3 millones para protección en Colombia.\n"
    )
    got = [(c.actor, c.amount, c.currency) for c in extract(text)]
    assert got == [("Alemania", 6e6, "EUR"), ("Alemania", 3e6, "EUR")]


@pytest.mark.parametrize(
    "text",
    [
        "| Donante | Monto | Moneda |\n" * 3000,  # 87 KB of header rows, each reading the page's units note
        "Los montos se expresan en millones.\n| Donante | Anunciado | Moneda |\n"
        + "| Alemania | 12" + " " * 1000 + "x | EUR |\n" * 50,  # cells of spaces around a bare number
        "| Donante | Monto | Moneda |\n| Alemania | 12\n" + "millones\n" * 20000,  # a 180 KB row never closed
    ],
)
def test_table_reading_hang_guard(text: str) -> None:
    # Not a speed test: measured under 0.6 s each on the shared 2-core machine; 10 s is a >10x margin.
    t0 = time.perf_counter()
    assert extract(text) == []
    assert time.perf_counter() - t0 < 10.0
