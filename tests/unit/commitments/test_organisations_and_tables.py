"""Rules added for records never seen (issue 9, second round): organisations that fund, the source column of a
table, rows wrapped at a cell boundary, scale notes ending at the next numbered caption, rates per currency unit,
host receipts, unknown named subjects, stage columns, and no stage linked across conferences. Exact values."""

from __future__ import annotations

from indexing.commitments.actors import actor_info, find_actors, rollup_name
from indexing.commitments.link import link_commitments
from indexing.commitments.tables import conference_column, is_header

from .factories import commitment, extract


def rows(text: str, **kwargs) -> list[tuple]:
    return [(c.actor, c.amount, c.currency, c.status) for c in extract(text, **kwargs)]


def test_gazetteer_knows_funds_foundations_ngos_and_eu_instruments() -> None:
    found = find_actors(
        "La Fundación Bill y Melinda Gates, el Fondo Europeo de Desarrollo Sostenible Plus (EFSD+), "
        "Education Cannot Wait, el Consejo Noruego para Refugiados y la OPS/OMS."
    )
    assert [m.canonical for m in found] == ["Fundación Gates", "EFSD+", "ECW", "NRC", "OPS"]
    assert rollup_name("EFSD+") == "Unión Europea"
    assert rollup_name("Asdi") == "Suecia"
    assert actor_info("Save the Children").implementer is True
    assert actor_info("Save the Children").can_fund is True
    assert actor_info("Perú").can_fund is False
    assert find_actors("personas con VIH/sida") == []


def test_an_ngo_or_agency_subject_of_a_funding_verb_gives_its_own_funds() -> None:
    text = (
        "3.1 La Organización Panamericana de la Salud (OPS/OMS) desembolsó USD 1,4 millones para vacunación.\n\n"
        "3.2 World Vision comprometió USD 950.000 de fondos privados para medios de vida.\n\n"
        "3.3 El UNICEF informó que destinará USD 3,2 millones de recursos propios a educación."
    )
    assert rows(text) == [
        ("OPS", 1400000.0, "USD", "desembolsado"),
        ("World Vision", 950000.0, "USD", "comprometido"),
        ("UNICEF", 3200000.0, "USD", "anunciado"),
    ]


def test_an_agency_that_receives_is_not_the_actor_and_a_budget_is_no_gift() -> None:
    text = (
        "Suecia había desembolsado SEK 10 millones de ese acuerdo. Del compromiso humanitario, el ACNUR informó "
        "haber recibido SEK 60 millones en diciembre.\n\n"
        "La Cruz Roja Peruana indicó que su presupuesto operativo para 2024 es de S/ 4,5 millones, financiado con "
        "recursos propios."
    )
    assert rows(text) == [("Suecia", 10000000.0, "SEK", "desembolsado"), ("Suecia", 60000000.0, "SEK", "desembolsado")]


def test_an_unknown_named_subject_does_not_inherit_the_previous_actor() -> None:
    text = "Bélgica anunció EUR 1,5 millones para salud mental. Acme Relief comprometió USD 2 millones para vacunación."
    assert rows(text) == [("Bélgica", 1500000.0, "EUR", "anunciado")]


def test_a_host_country_receiving_is_neither_a_pledge_nor_a_total() -> None:
    text = "El Perú recibió en 2023 un total de USD 148 millones de cooperación para la respuesta migratoria."
    assert extract(text) == []


def test_an_amount_per_currency_unit_is_a_rate() -> None:
    assert extract("Según la CAF, el tipo de cambio de referencia para operaciones en soles: S/ 3,75 por dólar.") == []


def test_source_column_of_a_table_admits_agencies_and_ngos_and_cell_scales() -> None:
    text = (
        "Cuadro 4. Aportes de organismos con fondos propios.\n"
        "| Organización | Monto | Moneda | Estado |\n"
        "| Organización Panamericana de la Salud (OPS/OMS) | 2,4 millones | USD | Desembolsado |\n"
        "| Plan International | 850.000 | USD | Comprometido |\n"
    )
    assert rows(text) == [
        ("OPS", 2400000.0, "USD", "desembolsado"),
        ("Plan International", 850000.0, "USD", "comprometido"),
    ]


def test_a_data_row_starting_like_a_column_name_is_not_a_header() -> None:
    assert is_header("| Fondo | Año | Monto | Estado |") is True
    assert is_header("| Fondo Central para la Acción en Casos de Emergencia (CERF) | 2023 | 6,5 | Asignado |") is False


def test_row_wrapped_at_a_cell_boundary_is_one_row_and_stage_columns_are_stages() -> None:
    text = (
        "Cuadro 2. Aportes de fondos y organismos (en millones de EUR).\n"
        "| Fuente | Conferencia | Anunciado | Desembolsado | Estado |\n"
        "| ECHO | Bruselas 2023 | 8 |\n5,5 | En ejecución |\n"
    )
    got = [(c.actor, c.amount, c.currency, c.status, c.status_explicit, c.event) for c in extract(text)]
    assert got == [
        ("ECHO", 8000000.0, "EUR", "anunciado", False, "Conferencia de Bruselas 2023"),
        ("ECHO", 5500000.0, "EUR", "desembolsado", True, "Conferencia de Bruselas 2023"),
    ]


def test_scale_note_ends_at_the_next_numbered_caption() -> None:
    text = (
        "Cuadro 3. Asignaciones. Montos en millones de USD.\n"
        "| Fondo | Año | Monto | Estado |\n"
        "| CERF | 2023 | 6,5 | Asignado |\n"
        "Cuadro 4. Aportes con fondos propios.\n"
        "| Organización | Monto | Moneda | Estado |\n"
        "| Save the Children | 600.000 | USD | Desembolsado |\n"
    )
    assert rows(text) == [
        ("CERF", 6500000.0, "USD", "comprometido"),
        ("Save the Children", 600000.0, "USD", "desembolsado"),
    ]


def _stages(chains) -> list[list[tuple[str, float]]]:
    return [[(s.actor, s.amount) for s in ch.stages] for ch in chains]


def test_a_disbursement_of_another_stated_conference_is_not_a_stage_of_this_pledge() -> None:
    pledge = commitment("CAF", 400e6, "USD", status="comprometido", event="Conferencia de Bruselas 2023",
                        date="2023-03-24", document_id="a", event_explicit=True)
    old = commitment("CAF", 50e6, "USD", status="desembolsado", event="Conferencia de Bruselas 2019",
                     date="2024-04-05", document_id="b", event_explicit=True)
    assert _stages(link_commitments([pledge, old])) == [[("CAF", 400e6)], [("CAF", 50e6)]]


def test_a_conference_only_guessed_from_a_page_head_does_not_split_a_chain() -> None:
    pledge = commitment("Suiza", 4.5e6, "CHF", status="anunciado", event="Conferencia de Canadá 2021",
                        date="2021-06-17", document_id="a", event_explicit=True)
    paid = commitment("Suiza", 3.6e6, "CHF", status="ejecutado", event="Conferencia de Bruselas 2023",
                      date="2023-12-20", document_id="b")
    assert _stages(link_commitments([pledge, paid])) == [[("Suiza", 4.5e6), ("Suiza", 3.6e6)]]


def test_a_disbursement_two_pledges_could_explain_joins_only_the_one_the_records_tie_it_to() -> None:
    humanitarian = commitment("Suecia", 60e6, "SEK", status="anunciado", date="2023-03-24", document_id="a")
    integration = commitment("Suecia", 25e6, "SEK", status="anunciado", date="2023-03-24", document_id="a",
                             start=50, recipient="Perú")
    untied = commitment("Asdi", 20e6, "SEK", status="desembolsado", date="2023-10-26", document_id="b")
    tied = commitment("Suecia", 10e6, "SEK", status="desembolsado", date="2024-07-15", document_id="c",
                      recipient="Perú")
    chains = link_commitments([humanitarian, integration, untied, tied])
    assert _stages(chains) == [
        [("Suecia", 60e6)],
        [("Suecia", 25e6), ("Suecia", 10e6)],
        [("Asdi", 20e6)],
    ]


def test_disbursements_without_a_pledge_are_not_chained_on_the_donor_alone() -> None:
    a = commitment("OPS", 1.8e6, "USD", status="desembolsado", date="2024-02-20", document_id="a")
    b = commitment("OPS", 2.4e6, "USD", status="desembolsado", date="2024-04-05", document_id="b")
    assert _stages(link_commitments([a, b])) == [[("OPS", 1.8e6)], [("OPS", 2.4e6)]]


def test_respectivamente_gives_each_donor_its_amount_in_order() -> None:
    text = "Francia e Italia aportarán EUR 6 millones y EUR 3,5 millones, respectivamente, para medios de vida."
    assert rows(text) == [("Francia", 6000000.0, "EUR", "anunciado"), ("Italia", 3500000.0, "EUR", "anunciado")]


def test_cada_una_gives_the_amount_to_each_donor_named_with_distinct_ids() -> None:
    text = (
        "La Embajada de los Países Bajos y la Embajada de Bélgica comunicaron que cada una aportará EUR 1 millón "
        "al fondo de protección."
    )
    found = extract(text)
    assert [(c.actor, c.amount, c.currency, c.status) for c in found] == [
        ("Países Bajos", 1000000.0, "EUR", "anunciado"),
        ("Bélgica", 1000000.0, "EUR", "anunciado"),
    ]
    assert len({c.id for c in found}) == 2


def test_conferences_as_columns_give_each_amount_its_conference() -> None:
    text = (
        "Cuadro A. Compromisos anunciados por conferencia, en millones de dólares estadounidenses (USD).\n"
        "| Donante | Bruselas 2019 | Conferencia 2020 | Canadá 2021 |\n"
        "| Corea del Sur | 0,5 | 1 | — |\n"
    )
    got = [(c.actor, c.amount, c.currency, c.event, c.event_explicit) for c in extract(text)]
    assert got == [
        ("Corea del Sur", 500000.0, "USD", "Conferencia de Bruselas 2019", True),
        ("Corea del Sur", 1000000.0, "USD", "Conferencia de Donantes 2020", True),
    ]
    assert conference_column("canada 2021") == "Conferencia de Canadá 2021"
    assert conference_column("ano 2021") is None
    assert conference_column("2021") is None


def test_a_host_receiving_from_a_named_donor_is_that_donors_disbursement() -> None:
    assert rows("El Perú recibió en 2022 EUR 12 millones de Alemania para integración.") == [
        ("Alemania", 12000000.0, "EUR", "desembolsado")
    ]


def test_a_host_counterpart_is_not_the_lenders_commitment() -> None:
    text = (
        "El Banco Mundial aprobó un préstamo de USD 130 millones para el sistema de salud; el Perú aportará una "
        "contrapartida nacional de USD 20 millones."
    )
    assert rows(text) == [("Banco Mundial", 130000000.0, "USD", "comprometido")]


def test_breakdowns_pending_balances_cumulative_and_planned_tranches_are_no_entries() -> None:
    text = (
        "El Gobierno de Canadá firmó el acuerdo por CAD 12 millones. Del total, CAD 7 millones se destinan a "
        "protección y CAD 5 millones a integración. El primer tramo, de CAD 1,8 millones, fue desembolsado en "
        "noviembre; el segundo tramo, de CAD 4 millones, se efectuará en 2024. Queda un saldo pendiente de CAD 6,2 "
        "millones. El desembolso acumulado de Canadá desde 2019 alcanza CAD 41 millones."
    )
    assert rows(text) == [("Canadá", 12000000.0, "CAD", "firmado"), ("Canadá", 1800000.0, "CAD", "desembolsado")]


def test_an_allocation_to_an_agency_or_country_is_not_a_breakdown() -> None:
    text = "Canadá anunció CAD 115 millones. De ese total, CAD 30 millones se asignarán al ACNUR y a la OIM."
    assert [(c.actor, c.amount, c.recipient) for c in extract(text)] == [
        ("Canadá", 115000000.0, None),
        ("Canadá", 30000000.0, "ACNUR"),
    ]


def test_the_pledge_a_payment_is_part_of_does_not_take_the_payments_stage() -> None:
    text = "La Comisión Europea desembolsó EUR 6 millones del programa bilateral de EUR 15 millones."
    got = [(c.actor, c.amount, c.status, c.status_explicit) for c in extract(text)]
    assert got == [
        ("Comisión Europea", 6000000.0, "desembolsado", True),
        ("Comisión Europea", 15000000.0, "comprometido", False),
    ]


def test_fields_of_a_record_block_keep_the_donor_of_its_cooperante_field() -> None:
    text = (
        "Cooperante: Fundación Avina\n\nProyecto: Integración local en Arequipa\n\nMonto: USD 450.000\n\n"
        "Estado: comprometido\n\nCooperante: Agencia de Cooperación Internacional de Corea (KOICA)\n\n"
        "Monto: USD 3.500.000"
    )
    assert rows(text) == [
        ("Fundación Avina", 450000.0, "USD", "comprometido"),
        ("KOICA", 3500000.0, "USD", "comprometido"),
    ]


def test_a_plans_reference_amount_is_a_requirement() -> None:
    text = "FIDA firmó USD 2 millones. El monto de referencia del Plan de Respuesta es de USD 268 millones."
    assert rows(text) == [("FIDA", 2000000.0, "USD", "firmado")]


def test_two_agencies_of_one_country_are_two_commitments_but_a_country_and_its_agency_are_one() -> None:
    giz = commitment("GIZ", 5e6, "EUR", status="firmado", date="2022-01-10", document_id="a")
    kfw = commitment("KfW", 5e6, "EUR", status="firmado", date="2022-02-10", document_id="b")
    germany = commitment("Alemania", 5e6, "EUR", status="desembolsado", date="2022-06-10", document_id="a", start=9)
    assert _stages(link_commitments([giz, kfw, germany])) == [
        [("GIZ", 5e6), ("Alemania", 5e6)],
        [("KfW", 5e6)],
    ]


def test_a_tables_total_row_is_a_marked_total() -> None:
    text = (
        "Cuadro 1. Operaciones por conferencia.\n"
        "| Entidad | Conferencia | Monto (millones de USD) |\n"
        "| CAF | Bruselas 2019 | 50 |\n"
        "| BID | Canadá 2021 | 7,8 |\n"
        "| Total | | 57,8 |\n"
    )
    assert [(c.actor, c.amount, c.currency, c.is_total) for c in extract(text)] == [
        ("CAF", 50000000.0, "USD", False),
        ("BID", 7800000.0, "USD", False),
        ("Comunidad internacional", 57800000.0, "USD", True),
    ]


def test_a_sum_of_several_donors_is_a_marked_total() -> None:
    for text in (
        "Las donaciones de Alemania y Francia suman EUR 28 millones.",
        "Alemania y Francia aportaron en conjunto EUR 28 millones.",
    ):
        assert [(c.actor, c.amount, c.is_total) for c in extract(text)] == [("Comunidad internacional", 28e6, True)]
    text = "Alemania anunció EUR 20 millones, que se suman a los EUR 8 millones de Francia."
    assert [(c.actor, c.amount, c.is_total) for c in extract(text)] == [
        ("Alemania", 20e6, False),
        ("Francia", 8e6, False),
    ]


def test_a_column_named_by_its_currency_holds_amounts() -> None:
    assert rows("| País donante | Millones de USD | Estado |\n| Canadá | 12 | Anunciado |\n") == [
        ("Canadá", 12000000.0, "USD", "anunciado")
    ]
    assert rows("| Donante | USD (millones) |\n| Japón | 3,5 |\n") == [("Japón", 3500000.0, "USD", "comprometido")]
    assert rows("| Cooperante | EUR |\n| Francia | 2.500.000 |\n") == [("Francia", 2500000.0, "EUR", "comprometido")]
