"""Rules found on records never seen before (issue 9, session 5: a regional office's follow-up records and the third
blind dev batch), each with exact values."""

from __future__ import annotations

from dataclasses import replace

from indexing.commitments.actors import actor_info, find_actors
from indexing.commitments.extract import NEW_FLAG, REVISED_FLAG
from indexing.commitments.link import link_commitments
from indexing.commitments.tables import BLANK_CELL_RE, EQUIVALENT_COLUMN_RE, TRANCHE_CELL_RE

from .factories import commitment, extract


def rows(text: str, **kwargs) -> list[tuple]:
    return [(c.actor, c.amount, c.currency, c.status, c.is_total) for c in extract(text, **kwargs)]


# --- tables ---------------------------------------------------------------------------------------------------


def test_a_blank_actor_cell_repeats_the_donor_and_conference_of_the_row_above() -> None:
    text = (
        "Cuadro 1. Desembolsos registrados en el semestre.\n"
        "| Cooperante | Conferencia | Tramo | Monto | Moneda | Socio |\n"
        "| Qatar (QFFD) | Bruselas 2023 | Segundo tramo | 1,8 millones | USD | ACNUR |\n"
        "| | | Primer desembolso | 1,4 millones | USD | OIM |\n"
        "| Unión Europea (ECHO) | — | Asignación 2024 | 3,2 millones | EUR | ACNUR |\n"
        "| — | | | 1,8 millones | EUR | OIM |\n"
    )
    found = extract(text)
    assert [(c.actor, c.amount, c.currency, c.status, c.event) for c in found] == [
        ("Qatar", 1.8e6, "USD", "desembolsado", "Conferencia de Bruselas 2023"),
        ("Qatar", 1.4e6, "USD", "desembolsado", "Conferencia de Bruselas 2023"),
        ("Unión Europea", 3.2e6, "EUR", "comprometido", None),
        ("Unión Europea", 1.8e6, "EUR", "comprometido", None),
    ]


def test_a_blank_first_row_has_no_donor_to_repeat() -> None:
    text = "| Cooperante | Monto | Moneda |\n| | 3 millones | USD |\n"
    assert extract(text) == []


def test_an_equivalent_column_gives_equivalents_not_entries() -> None:
    text = (
        "Cuadro 2. Compromisos vigentes en moneda original y equivalente en dólares.\n"
        "| Cooperante | Monto comprometido | Moneda | Equivalente (USD) | Estado |\n"
        "| Polonia | 1,6 millones | EUR | 1,75 millones | Comprometido |\n"
        "| Australia | AUD 3,6 M | AUD | 2,7 millones | Ejecutado |\n"
        "| Qatar | 5 millones | USD | — | Firmado |\n"
    )
    found = extract(text)
    assert [
        (c.actor, c.amount, c.currency, c.status, [(e.amount, e.currency) for e in c.equivalents]) for c in found
    ] == [
        ("Polonia", 1.6e6, "EUR", "comprometido", [(1.75e6, "USD")]),
        ("Australia", 3.6e6, "AUD", "ejecutado", [(2.7e6, "USD")]),
        ("Qatar", 5e6, "USD", "firmado", []),
    ]


def test_tranche_rows_are_disbursements_unless_the_table_is_a_schedule() -> None:
    paid = "Cuadro 1. Pagos.\n| Cooperante | Tramo | Monto | Moneda |\n| Bélgica | Segundo tramo | 2 millones | EUR |\n"
    planned = (
        "Cuadro 1. Cronograma de desembolsos.\n| Cooperante | Tramo | Monto | Moneda |\n"
        "| Bélgica | Segundo tramo | 2 millones | EUR |\n"
    )
    assert rows(paid) == [("Bélgica", 2e6, "EUR", "desembolsado", False)]
    assert rows(planned) == [("Bélgica", 2e6, "EUR", "comprometido", False)]
    assert [
        bool(TRANCHE_CELL_RE.fullmatch(c)) for c in (" primer tramo ", "desembolso unico", "saldo final", "salud")
    ] == [True, True, True, False]


def test_blank_and_equivalent_cell_patterns() -> None:
    assert [bool(BLANK_CELL_RE.fullmatch(c)) for c in ("", "  ", " — ", ' " ', "ídem", "Qatar")] == [
        True,
        True,
        True,
        True,
        True,
        False,
    ]
    assert [bool(EQUIVALENT_COLUMN_RE.match(c)) for c in ("equivalente (usd)", "equivalencia en eur", "monto")] == [
        True,
        True,
        False,
    ]


def test_a_caption_in_thousands_of_dollars_prices_the_rows() -> None:
    text = (
        "Cuadro 3. Anuncios de fundaciones y organizaciones no gubernamentales (en miles de dólares estadounidenses)\n"
        "| Organización | Conferencia | Estado | Monto |\n"
        "| HIAS | Canadá 2021 | Ejecutado | 750 |\n"
    )
    assert rows(text) == [("HIAS", 750000.0, "USD", "ejecutado", False)]


# --- money and actors in prose --------------------------------------------------------------------------------


def test_dollars_of_the_united_states_name_a_currency_and_the_figures_restate_the_words() -> None:
    text = (
        "Tengo el honor de informarle que el Gobierno del Estado de Qatar ha aprobado una donación de cinco millones "
        "de dólares de los Estados Unidos (USD 5.000.000) al ACNUR."
    )
    assert rows(text) == [("Qatar", 5e6, "USD", "comprometido", False)]
    assert [m.canonical for m in find_actors("la donación de dólares de los Estados Unidos del Canadá")] == ["Canadá"]


def test_a_stage_of_a_pledge_keeps_its_donor_across_a_sentence_naming_no_one() -> None:
    text = (
        "El Gobierno del Estado de Qatar ha aprobado una donación de USD 5 millones al ACNUR. Los acuerdos fueron "
        "suscritos el 2 de octubre de 2023. El primer tramo de la donación al ACNUR, por USD 2 millones, fue "
        "transferido el 16 de octubre de 2023."
    )
    assert rows(text) == [
        ("Qatar", 5e6, "USD", "comprometido", False),
        ("Qatar", 2e6, "USD", "desembolsado", False),
    ]


def test_a_sum_over_years_is_context() -> None:
    text = "Como referencia, la cooperación australiana con el Perú sumó AUD 9 millones entre 2015 y 2020."
    assert extract(text) == []


def test_what_an_agency_receives_from_all_or_allocates_is_no_entry_but_a_receipt_from_a_donor_is() -> None:
    assert extract("La OIM informó que recibió en el trimestre USD 4 millones de sus distintos donantes.") == []
    assert extract("El ACNUR informó que destinará USD 2,3 millones a la ampliación de los albergues de Tumbes.") == []
    assert extract("Según el ACNUR, la agencia destinará USD 600.000 de estos recursos a la rehabilitación.") == []
    assert rows("El PMA recordó que recibió USD 4 millones del Gobierno de los Estados Unidos.") == [
        ("Estados Unidos", 4e6, "USD", "desembolsado", False)
    ]
    assert rows("UNICEF informó que destinará USD 3,2 millones de recursos propios a educación.") == [
        ("UNICEF", 3.2e6, "USD", "anunciado", False)
    ]


def test_an_agency_confirming_receipt_pays_the_donor_just_named() -> None:
    text = (
        "En Bruselas 2019 Qatar anunció alrededor de US$ 2 millones para la atención primaria de salud. La OPS "
        "confirmó la recepción de US$ 2 millones en marzo de 2020."
    )
    assert rows(text) == [("Qatar", 2e6, "USD", "anunciado", False), ("Qatar", 2e6, "USD", "desembolsado", False)]


def test_an_agency_share_still_to_come_and_a_signature_to_come_are_no_entries() -> None:
    text = (
        "Qatar anunció US$ 8 millones para seguridad alimentaria; de ese monto, el ACNUR recibirá US$ 3 millones "
        "para albergues."
    )
    assert rows(text) == [("Qatar", 8e6, "USD", "anunciado", False)]
    text = (
        "La Embajada de Qatar anunció que el acuerdo de US$ 2 millones con la OPS se firmará en Doha en los próximos "
        "días."
    )
    assert extract(text) == []


def test_south_south_donors_give_but_their_counterparts_and_budgets_are_not_pledges() -> None:
    assert actor_info("México").donor and actor_info("Uruguay").donor and not actor_info("Perú").donor
    assert actor_info("AUCI").country == "Uruguay"
    text = (
        "El proyecto tiene un costo total de US$ 200.000: el Uruguay aporta US$ 120.000 y el Perú una contrapartida "
        "nacional de US$ 80.000."
    )
    assert rows(text) == [("Uruguay", 120000.0, "USD", "comprometido", False)]
    assert rows("México, a través de la AMEXCID, anunció MXN 20 millones para la regularización migratoria.") == [
        ("México", 2e7, "MXN", "anunciado", False)
    ]
    text = "El Uruguay informó que invirtió US$ 3 millones de su presupuesto en la atención de migrantes."
    assert extract(text) == []


def test_a_country_and_its_agency_in_one_clause_name_the_country() -> None:
    text = (
        "La Embajada de México informó que la AMEXCID y la Superintendencia Nacional de Migraciones firmaron el 30 de "
        "julio el convenio por MXN 20 millones."
    )
    assert rows(text) == [("México", 2e7, "MXN", "firmado", False)]


def test_ngos_and_foundations_giving_their_own_funds_are_donors() -> None:
    text = (
        "HIAS comprometió USD 750.000 para orientación legal en el Ecuador y el Perú, y Save the Children anunció "
        "alrededor de US$ 1,2 millones para la protección de la niñez."
    )
    assert rows(text) == [
        ("HIAS", 750000.0, "USD", "comprometido", False),
        ("Save the Children", 1.2e6, "USD", "anunciado", False),
    ]
    text = "HIAS comprometió además USD 150.000 para Tumbes, de los cuales ejecutó USD 95.000 a la fecha de corte."
    assert rows(text) == [
        ("HIAS", 150000.0, "USD", "comprometido", False),
        ("HIAS", 95000.0, "USD", "ejecutado", False),
    ]


def test_an_amount_to_be_confirmed_is_no_entry() -> None:
    text = "La Argentina anunció un aporte de US$ 500.000, a ser confirmado por su Cancillería el año siguiente."
    assert extract(text) == []


def test_the_conference_total_is_a_total_whoever_reports_it() -> None:
    text = "La Comisión Europea informó que el total anunciado en la conferencia asciende a EUR 815 millones."
    assert rows(text) == [("Comunidad internacional", 8.15e8, "EUR", "anunciado", True)]


def test_a_sum_of_named_states_is_a_total() -> None:
    text = (
        "En conjunto, los cinco Estados que anunciaron en dólares (Qatar, los Emiratos Árabes Unidos, México, la "
        "Argentina y el Uruguay) anunciaron alrededor de US$ 32,2 millones en las cuatro conferencias."
    )
    assert rows(text) == [("Comunidad internacional", 3.22e7, "USD", "anunciado", True)]


# --- revised pledges and linking ------------------------------------------------------------------------------


def test_a_raised_pledge_is_flagged_as_revised() -> None:
    text = (
        "El Gobierno polaco elevó su compromiso a EUR 1,6 millones, frente al millón de euros anunciado en la "
        "Conferencia de Bruselas de 2023."
    )
    found = extract(text)
    assert [(c.actor, c.amount, REVISED_FLAG in c.flags) for c in found] == [
        ("Polonia", 1.6e6, True),
        ("Polonia", 1e6, False),
    ]


def test_a_revised_pledge_joins_the_pledge_named_next_to_it_and_counts_at_its_new_amount() -> None:
    old = commitment("Polonia", 1e6, status="anunciado", document_id="nota", date="2023-03-17", start=0)
    restated = commitment("Polonia", 1e6, status="anunciado", document_id="acta", date="2024-05-16", start=200)
    raised = replace(
        commitment("Polonia", 1.6e6, document_id="acta", date="2024-05-16", start=120), flags=(REVISED_FLAG,)
    )
    table = commitment("Polonia", 1.6e6, document_id="cuadro", date="2024-07-15")
    paid = commitment("Polonia", 1.6e6, status="desembolsado", document_id="boletin", date="2024-10-10")
    [chain] = link_commitments([paid, table, raised, restated, old])
    assert (chain.pledged, chain.disbursed, chain.disbursement_status) == (1.6e6, 1.6e6, "desembolsado")
    assert [(s.amount, s.status) for s in chain.stages] == [
        (1e6, "anunciado"),
        (1e6, "anunciado"),
        (1.6e6, "comprometido"),
        (1.6e6, "comprometido"),
        (1.6e6, "desembolsado"),
    ]


def test_a_revised_amount_far_from_any_pledge_of_the_donor_stays_apart() -> None:
    old = commitment("Polonia", 1e6, status="anunciado", document_id="nota", date="2023-03-17", start=0)
    far = replace(commitment("Polonia", 1.6e6, document_id="acta", date="2024-05-16", start=120), flags=(REVISED_FLAG,))
    other_record = commitment("Polonia", 1e6, status="anunciado", document_id="acta", date="2024-05-16", start=5000)
    assert len(link_commitments([old, far, other_record])) == 2


def test_a_pledge_called_new_does_not_restate_an_older_pledge_of_the_same_amount() -> None:
    text = "Qatar anunció un nuevo aporte de US$ 2 millones para un programa de salud mental de la OPS."
    [c] = extract(text)
    assert (c.amount, NEW_FLAG in c.flags) == (2e6, True)
    text = "Qatar firmó un acuerdo de US$ 2 millones, adicional a lo anunciado en las conferencias."
    assert [NEW_FLAG in c.flags for c in extract(text)] == [True]
    old = commitment("Qatar", 2e6, "USD", status="anunciado", document_id="nota2019", date="2019-10-30")
    new = replace(
        commitment("Qatar", 2e6, "USD", status="anunciado", document_id="acta2024", date="2024-05-16"),
        flags=(NEW_FLAG,),
    )
    assert [len(ch.stages) for ch in link_commitments([old, new])] == [1, 1]


def test_a_payment_joins_the_pledge_written_closest_to_it_in_the_record() -> None:
    covid = commitment("Qatar", 5e6, "USD", document_id="informe", date="2024-12-16", start=0)
    education = commitment("Qatar", 7e6, "USD", document_id="informe", date="2024-12-16", start=900)
    paid = commitment("Qatar", 4e6, "USD", status="desembolsado", document_id="informe", date="2024-12-16", start=1000)
    chains = link_commitments([covid, education, paid])
    assert sorted((ch.pledged, ch.disbursed) for ch in chains) == [(5e6, 0.0), (7e6, 4e6)]


def test_an_ngo_heading_its_section_gives_the_pledge_below_it() -> None:
    text = (
        "HIAS\n\nComprometió USD 150.000 de fondos propios para orientación legal en Tumbes durante el segundo "
        "semestre de 2024."
    )
    assert rows(text) == [("HIAS", 150000.0, "USD", "comprometido", False)]


def test_a_total_row_stated_only_in_the_equivalent_column_is_a_total_in_that_currency() -> None:
    text = (
        "| Cooperante | Monto comprometido | Moneda | Equivalente (USD) | Estado |\n"
        "| Polonia | 1,6 millones | EUR | 1,75 millones | Comprometido |\n"
        "| Total | | | 56,05 millones | |\n"
    )
    assert rows(text) == [
        ("Polonia", 1.6e6, "EUR", "comprometido", False),
        ("Comunidad internacional", 56.05e6, "USD", "comprometido", True),
    ]
