"""Rules found on dev records written as other offices would (issue 9, generalization), with exact values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indexing.commitments.phrases import detect_event_by_month
from indexing.commitments.tables import column_scale
from indexing.text.amounts import find_amounts

from .factories import extract


def rows(text: str) -> list[tuple]:
    return [(c.actor, c.amount, c.currency, c.status, c.is_total) for c in extract(text)]


def test_a_country_named_inside_a_conference_name_is_not_the_donor() -> None:
    text = (
        "La Unión Europea, a través de ECHO, anunció en la Conferencia de Canadá de junio de 2021 un aporte de "
        "EUR 1,5 millones para albergues temporales en Tumbes."
    )
    [c] = extract(text)
    assert (c.actor, c.amount, c.currency, c.status, c.event) == (
        "Unión Europea", 1.5e6, "EUR", "anunciado", "Conferencia de Canadá 2021"
    )


def test_a_willingness_to_finance_subject_to_approval_is_no_entry() -> None:
    text = (
        "El Banco Europeo de Inversiones expresó su disposición a financiar hasta EUR 100 millones en préstamos para "
        "ciudades de acogida, sujeta a la aprobación de su Consejo de Administración."
    )
    assert extract(text) == []


def test_what_the_host_state_invested_is_not_the_previous_donors_pledge() -> None:
    text = (
        "El Reino Unido comprometió más de GBP 5 millones para la región. La delegación recordó que el Estado "
        "peruano invirtió S/ 120 millones en 2022 en la regularización migratoria."
    )
    got = [(c.actor, c.amount, c.currency, c.qualifier) for c in extract(text)]
    assert got == [("Reino Unido", 5e6, "GBP", "más de")]


def test_a_state_title_keeps_the_counterpart_role_and_the_country_named_first_wins_over_its_agency() -> None:
    text = (
        "Con la República de Austria se firmó el 14 de diciembre de 2023 el acuerdo por EUR 500.000 con la Agencia "
        "Austriaca de Desarrollo para el Perú."
    )
    [c] = extract(text)
    assert (c.actor, c.amount, c.currency, c.status, c.recipient) == ("Austria", 5e5, "EUR", "firmado", "Perú")


def test_passive_voice_with_a_state_title_names_the_agent() -> None:
    text = (
        "Por el Reino de Suecia fueron comprometidas 50 millones de coronas suecas (unos 4,8 millones de euros) "
        "para la respuesta humanitaria regional."
    )
    [c] = extract(text)
    assert (c.actor, c.amount, c.currency) == ("Suecia", 50e6, "SEK")
    assert [(e.amount, e.currency) for e in c.equivalents] == [(4.8e6, "EUR")]


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("hasta 1 millón de dólares neozelandeses para", Decimal(10**6), "NZD"),
        ("un aporte de 2 millones de dólares australianos", Decimal(2 * 10**6), "AUD"),
        ("1,5 millones de dólares canadienses", Decimal(15 * 10**5), "CAD"),
    ],
)
def test_dollars_of_other_countries_keep_their_currency(text: str, value: Decimal, currency: str) -> None:
    [a] = find_amounts(text)
    assert (a.value, a.currency) == (value, currency)


@pytest.mark.parametrize(
    ("header", "caption", "factor"),
    [
        ("monto", "cuadro 1. cooperacion por conferencia de origen (montos en miles de usd)", 10**3),
        ("monto (miles de usd)", "", 10**3),
        ("monto (millones de usd)", "montos en miles de usd", 10**6),
        ("monto", "todas las cifras en millones de eur", 10**6),
        ("monto", "cifras en miles de millones de usd", 10**9),
        ("monto", "se atendieron miles de personas", 1),
        ("monto", "el programa llega en miles de hogares", 1),
        ("monto", "cifras (en miles)", 10**3),
        ("aporte (eur)", "cuadro 4. aportes de socios europeos", 1),
    ],
)
def test_column_scale_reads_the_header_cell_then_the_caption(header: str, caption: str, factor: int) -> None:
    assert column_scale(header, caption) == Decimal(factor)


def test_table_in_thousands_stated_in_the_caption_with_a_total_row_and_a_wrapped_cell() -> None:
    text = (
        "Cuadro 1. Cooperación por conferencia de origen (montos en miles de USD)\n"
        "| Cooperante | Conferencia | Monto | Estado | Instrumento | Destino |\n"
        "| Canadá | Canadá 2021 | 3.200 | Desembolsado | Donación | Programa Nacional Aurora |\n"
        "| Unión Europea (ECHO) | Canadá 2021 | 2.750 | Firmado | Donación | Protección de niñez no acompañada\n"
        "en Tumbes y Tacna |\n"
        "| Total | | 5.950 | | | |\n"
    )
    got = [(c.actor, c.amount, c.currency, c.status, c.event, c.is_total) for c in extract(text)]
    assert got == [
        ("Canadá", 3.2e6, "USD", "desembolsado", "Conferencia de Canadá 2021", False),
        ("Unión Europea", 2.75e6, "USD", "firmado", "Conferencia de Canadá 2021", False),
        ("Comunidad internacional", 5.95e6, "USD", "comprometido", None, True),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "En 2021 la región recibió de la cooperación internacional USD 6,8 millones para la atención de migrantes.",
        "El presupuesto regional de salud asciende a S/ 210 millones en 2021.",
        "La APCI registró en 2023 un total de 1.126 intervenciones de cooperación, por USD 402 millones.",
        "La OIM presentó una cartera de proyectos, valorada en US$ 18 millones, que aún busca financiamiento.",
    ],
)
def test_received_budgets_host_registers_and_unfunded_portfolios_are_neither_pledges_nor_totals(text: str) -> None:
    assert extract(text) == []


def test_a_willingness_clause_before_a_pledge_verb_does_not_hide_the_pledge() -> None:
    text = "Noruega reiteró su disposición a seguir cooperando y anunció NOK 12 millones para la región."
    assert rows(text) == [("Noruega", 12e6, "NOK", "anunciado", False)]


def test_the_host_valuing_the_donors_total_keeps_the_total() -> None:
    text = "El Perú valoró que los donantes anunciaran en conjunto EUR 815 millones en la conferencia."
    assert rows(text) == [("Comunidad internacional", 815e6, "EUR", "anunciado", True)]


def test_a_previous_donors_funds_received_later_stay_that_donors() -> None:
    text = "Alemania anunció EUR 12 millones para el Perú. Del compromiso, se recibieron EUR 5 millones en 2022."
    assert [(c.actor, c.amount) for c in extract(text)] == [("Alemania", 12e6), ("Alemania", 5e6)]


def test_the_host_signing_a_donors_pledge_keeps_the_donor() -> None:
    text = "Alemania anunció EUR 12 millones. El Perú suscribió el convenio correspondiente por EUR 12 millones."
    assert [(c.actor, c.amount, c.status) for c in extract(text)] == [
        ("Alemania", 12e6, "anunciado"), ("Alemania", 12e6, "firmado")
    ]


def test_an_offer_that_depends_on_later_requests_is_no_entry() -> None:
    text = (
        "El Banco Europeo de Inversiones informó de una línea de hasta EUR 200 millones en préstamos para la región, "
        "que dependerá de las solicitudes de los países."
    )
    assert extract(text) == []


def test_the_international_cooperation_as_a_whole_does_not_inherit_the_previous_donor() -> None:
    text = (
        "Alemania destinará al Perú EUR 2,5 millones del total regional.\n\n"
        "En 2018 la cooperación internacional para la respuesta había alcanzado USD 56 millones en el Perú."
    )
    assert [(c.actor, c.amount, c.currency) for c in extract(text)] == [("Alemania", 2.5e6, "EUR")]


def test_a_list_item_naming_a_giver_the_gazetteer_does_not_know_is_not_the_previous_items() -> None:
    text = (
        "Los fondos comprometidos se resumen así:\n\n"
        "- Fundación la Caixa — EUR 600.000 para empleabilidad juvenil.\n"
        "- Asociación Vecinal de Comas — EUR 150.000 para albergues municipales.\n"
    )
    assert [(c.actor, c.amount) for c in extract(text)] == [("Fundación la Caixa", 6e5)]


def test_spanish_decentralized_cooperation_is_its_own_actor_and_does_not_roll_up_to_spain() -> None:
    [c] = extract("- Diputación de Barcelona — EUR 150.000 para albergues municipales en Lima Norte.")
    assert (c.actor, c.actor_rollup, c.amount, c.currency) == (
        "Diputación de Barcelona", "Diputación de Barcelona", 1.5e5, "EUR"
    )


def test_a_fund_that_receives_money_is_not_its_giver() -> None:
    assert extract("El fondo multidonante recibió en 2022 más de USD 11 millones de ocho países.") == []


def test_a_subject_that_received_someone_and_then_pledged_keeps_its_pledge() -> None:
    text = "Alemania, que recibió a la delegación peruana, anunció EUR 5 millones para el Perú."
    assert [(c.actor, c.amount) for c in extract(text)] == [("Alemania", 5e6)]


def test_space_grouped_figures_under_a_currency_header_and_their_total_row() -> None:
    text = (
        "| Fondo | Monto comprometido (USD) | Año | Estado |\n"
        "|---|---|---|---|\n"
        "| ECW | 2 800 000 | 2023 | Anunciado |\n"
        "| Total | 2 800 000 | | |\n"
    )
    got = [(c.actor, c.amount, c.currency, c.status, c.is_total) for c in extract(text)]
    assert got == [
        ("ECW", 2.8e6, "USD", "anunciado", False),
        ("Comunidad internacional", 2.8e6, "USD", "comprometido", True),
    ]


@pytest.mark.parametrize(
    ("sentence", "record_date", "event"),
    [
        ("tras la Conferencia de Donantes de junio, el sector cuenta con compromisos", "2021-07-22",
         "Conferencia de Canadá 2021"),
        ("en la conferencia de octubre se anunciaron fondos", "2020-03-01", "Conferencia de Bruselas 2019"),
        ("en la conferencia de junio de 2021", "2021-07-22", None),
        ("tras la Conferencia de Donantes de junio", None, None),
        ("en la conferencia de agosto", "2021-09-01", None),
    ],
)
def test_a_conference_named_by_its_month_is_read_with_the_records_date(
    sentence: str, record_date: str | None, event: str | None
) -> None:
    assert detect_event_by_month(sentence, record_date) == event


def test_a_bulleted_field_name_is_not_an_unknown_giver() -> None:
    text = "Suiza anunció su aporte al programa:\n\n- Monto total: CHF 2 millones para la región andina.\n"
    assert [(c.actor, c.amount, c.currency) for c in extract(text)] == [("Suiza", 2e6, "CHF")]


def test_a_press_conference_of_a_donor_keeps_the_donor() -> None:
    text = "En la conferencia de prensa de la AECID, la agencia anunció EUR 3 millones para el Perú."
    assert [(c.actor, c.amount) for c in extract(text)] == [("AECID", 3e6)]


def test_labels_of_items_under_a_donors_heading_are_not_unknown_givers() -> None:
    text = (
        "Compromisos de Alemania\n\n"
        "- Salud: EUR 3 millones para atención primaria;\n"
        "- Protección — EUR 2 millones para niñez no acompañada.\n"
    )
    assert [(c.actor, c.amount) for c in extract(text)] == [("Alemania", 3e6), ("Alemania", 2e6)]


def test_a_lead_speaking_of_thousands_of_people_does_not_replace_the_tables_scale_note() -> None:
    text = (
        "Los montos se expresan en millones de EUR.\n\n"
        "El programa atiende a miles de personas en Lima y Tumbes.\n"
        "| Donante | Monto |\n"
        "| Alemania | 12 |\n"
    )
    assert [(c.actor, c.amount, c.currency) for c in extract(text)] == [("Alemania", 12e6, "EUR")]


# --- classes found on the blind dev batch -----------------------------------------------------------------------


def test_a_donor_acting_por_intermedio_de_its_agency_keeps_the_pledge() -> None:
    text = "Francia, por intermedio de la Agencia Francesa de Desarrollo (AFD), anunció EUR 5 millones para el empleo."
    assert [(c.actor, c.amount, c.status) for c in extract(text)] == [("Francia", 5e6, "anunciado")]


def test_bounded_table_figures_keep_their_qualifier_and_a_status_cell_does_not_hide_the_amount() -> None:
    text = (
        "Cuadro 1. Anuncios en euros\n"
        "| Donante | Conferencia | Estado | Monto (millones de EUR) |\n"
        "| Luxemburgo | Canadá 2021 | Desembolsado | hasta 1,5 |\n"
        "| Francia (AFD) | Conferencia 2020 | Desembolsado | más de 4 |\n"
        "| Italia (AICS) | Bruselas 2023 | Por desembolsar | 3,5 |\n"
    )
    got = [(c.actor, c.amount, c.currency, c.qualifier, c.event) for c in extract(text)]
    assert got == [
        ("Luxemburgo", 1.5e6, "EUR", "hasta", "Conferencia de Canadá 2021"),
        ("Francia", 4e6, "EUR", "más de", "Conferencia de Donantes 2020"),
        ("Italia", 3.5e6, "EUR", None, "Conferencia de Bruselas 2023"),
    ]


def test_a_table_by_conference_without_a_donor_column_belongs_to_the_donor_its_heading_names() -> None:
    text = (
        "Cuadro 2. Anuncios de Dinamarca\n\n"
        "Cifras en millones de coronas danesas (DKK).\n\n"
        "| Conferencia | Anunciado | Desembolsado | Estado |\n"
        "| Canadá 2021 | 30 | 18 | En ejecución |\n"
        "| Total | 30 | 18 | |\n"
    )
    got = [(c.actor, c.amount, c.currency, c.status, c.is_total) for c in extract(text)]
    assert got == [
        ("Dinamarca", 30e6, "DKK", "anunciado", False),
        ("Dinamarca", 18e6, "DKK", "desembolsado", False),
        ("Comunidad internacional", 30e6, "DKK", "anunciado", True),
        ("Comunidad internacional", 18e6, "DKK", "desembolsado", True),
    ]


def test_an_aportante_column_names_the_giver() -> None:
    text = (
        "| Aportante | Canal o beneficiario | Estado | Monto (millones de USD) |\n"
        "| CAF | Ministerio de la Producción | Por desembolsar | 0,4 |\n"
    )
    assert [(c.actor, c.amount, c.currency) for c in extract(text)] == [("CAF", 4e5, "USD")]


def test_czech_crowns_and_no_currency_borrowed_across_another_donor() -> None:
    text = (
        "La República Checa comprometió CZK 25 millones (alrededor de EUR 1 millón) para la protección de la niñez, "
        "y Nueva Zelanda anunció NZD 3 millones para programas del ACNUR."
    )
    got = [(c.actor, c.amount, c.currency, tuple((e.amount, e.currency) for e in c.equivalents)) for c in extract(text)]
    assert got == [("República Checa", 25e6, "CZK", ((1e6, "EUR"),)), ("Nueva Zelanda", 3e6, "NZD", ())]
    [a] = find_amounts("25 millones de coronas checas")
    assert (a.value, a.currency) == (Decimal(25 * 10**6), "CZK")


def test_a_figure_of_several_named_donors_together_is_a_total() -> None:
    text = (
        "En conjunto, los cinco donantes que anuncian en euros (Finlandia, Irlanda, Luxemburgo, Italia y Francia) "
        "anunciaron EUR 39,2 millones en las tres conferencias."
    )
    assert rows(text) == [("Comunidad internacional", 39.2e6, "EUR", "anunciado", True)]


def test_an_agency_paying_of_that_pledge_keeps_the_country_that_announced_it() -> None:
    text = (
        "Irlanda anunció EUR 2 millones en la Conferencia de Bruselas de 2023. Según la respuesta de Irish Aid, se "
        "habían desembolsado EUR 1,6 millones de ese aporte."
    )
    assert [(c.actor, c.amount, c.status) for c in extract(text)] == [
        ("Irlanda", 2e6, "anunciado"), ("Irlanda", 1.6e6, "desembolsado")
    ]


def test_a_part_of_a_pledge_for_organisations_is_a_breakdown_but_a_channelled_part_stays() -> None:
    text = (
        "Italia aportará EUR 2,5 millones en donaciones a través de la AICS, de los cuales EUR 800.000 se destinarán a "
        "organizaciones de la sociedad civil italianas presentes en el Perú."
    )
    assert [(c.actor, c.amount) for c in extract(text)] == [("Italia", 2.5e6)]


def test_a_national_allocation_named_at_the_end_of_its_clause_stays() -> None:
    text = (
        "La Comisión Europea anunció EUR 135 millones para la región, de los cuales EUR 15 millones se destinarán a "
        "un programa bilateral de integración y cohesión social en el Perú."
    )
    assert [(c.actor, c.amount, c.recipient) for c in extract(text)] == [
        ("Comisión Europea", 135e6, "países de la región"), ("Comisión Europea", 15e6, "Perú")
    ]


def test_a_donor_named_after_de_los_cuales_states_its_own_part() -> None:
    text = "El programa suma EUR 20 millones, de los cuales Alemania aporta EUR 12 millones para el Perú."
    assert [(c.actor, c.amount) for c in extract(text)][-1] == ("Alemania", 12e6)


def test_the_nominal_support_of_a_donor_is_its_funding_but_con_el_apoyo_de_is_not() -> None:
    assert rows("El apoyo de la cooperación suiza alcanza CHF 3 millones.") == [
        ("Suiza", 3e6, "CHF", "comprometido", False)
    ]
    assert rows("La conferencia, con el apoyo del ACNUR y la OIM, reunió EUR 815 millones.") == [
        ("Comunidad internacional", 815e6, "EUR", "comprometido", True)
    ]


def test_an_implementing_agencys_budget_is_no_gift() -> None:
    assert extract("El presupuesto de la OIM para el Perú en 2023 fue de USD 45 millones.") == []


def test_a_currency_symbol_in_a_header_prices_its_column() -> None:
    text = "| Cooperante | US$ millones |\n| Canadá | 3,5 |"
    assert [(c.actor, c.amount, c.currency) for c in extract(text)] == [("Canadá", 3.5e6, "USD")]


def test_a_donor_cell_states_the_unit_of_its_rows_conference_columns() -> None:
    text = (
        "| Donante | Bruselas 2019 | Conferencia 2020 | Canadá 2021 |\n"
        "| Suecia (millones de SEK) | 40 | 50 | 60 |\n"
        "| Noruega (NOK) | 1.000.000 | — | 2.000.000 |\n"
    )
    got = [(c.actor, c.amount, c.currency, c.event) for c in extract(text)]
    assert got == [
        ("Suecia", 40e6, "SEK", "Conferencia de Bruselas 2019"),
        ("Suecia", 50e6, "SEK", "Conferencia de Donantes 2020"),
        ("Suecia", 60e6, "SEK", "Conferencia de Canadá 2021"),
        ("Noruega", 1e6, "NOK", "Conferencia de Bruselas 2019"),
        ("Noruega", 2e6, "NOK", "Conferencia de Canadá 2021"),
    ]


def test_a_donors_own_contribution_distributed_by_sector_is_a_breakdown() -> None:
    text = (
        "La AECID firmó el convenio por EUR 3 millones. La contribución española se distribuye en EUR 1,8 millones "
        "para empleo juvenil y EUR 1,2 millones para salud mental."
    )
    assert [(c.actor, c.amount) for c in extract(text)] == [("AECID", 3e6)]
