"""Extraction from realistic Spanish sentences, tables and lists; status, instrument, totals, needs; dedup."""

from __future__ import annotations

import pytest

from indexing.commitments.dedup import deduplicate
from indexing.commitments.extract import detect_event, find_record_date

from .factories import extract


def test_sentence_with_actor_amount_status_and_exact_quote_offsets() -> None:
    text = (
        "Lima, 17 de junio de 2021.\n\nEn lo que respecta al Perú, la República Federal de Alemania anunció una "
        "donación de EUR 12 millones para un programa de integración socioeconómica de migrantes. Otro dato."
    )
    [c] = extract(text, page=3, page_char_offset=100)
    quote = (
        "En lo que respecta al Perú, la República Federal de Alemania anunció una donación de EUR 12 millones "
        "para un programa de integración socioeconómica de migrantes."
    )
    assert (c.actor, c.amount, c.currency, c.status, c.instrument) == ("Alemania", 12e6, "EUR", "anunciado", "donación")
    assert c.recipient == "Perú"
    assert c.purpose == "un programa de integración socioeconómica de migrantes"
    src = c.sources[0]
    assert src.quote == quote
    assert (src.char_start, src.char_end) == (100 + text.index(quote), 100 + text.index(quote) + len(quote))
    assert text[src.char_start - 100 : src.char_end - 100] == quote
    assert (src.document_id, src.filename, src.page) == ("doc1", "registro.txt", 3)


def test_several_actor_amount_pairs_in_one_sentence() -> None:
    text = "Alemania aportó EUR 50 millones y Francia EUR 20 millones para los países de acogida."
    got = [(c.actor, c.amount, c.currency, c.status) for c in extract(text)]
    assert got == [("Alemania", 50e6, "EUR", "comprometido"), ("Francia", 20e6, "EUR", "comprometido")]


def test_each_pair_takes_its_own_verb_and_channel_is_not_the_actor() -> None:
    text = (
        "Canadá, país anfitrión, anunció CAD 115 millones en nuevos fondos, de los cuales CAD 30 millones se "
        "canalizarán a través del ACNUR y de la OIM en favor de los países de acogida. Estados Unidos comprometió "
        "US$ 407 millones, y la Unión Europea anunció EUR 147 millones adicionales."
    )
    got = [(c.actor, c.amount, c.currency, c.status) for c in extract(text)]
    assert got == [
        ("Canadá", 115e6, "CAD", "anunciado"),
        ("Canadá", 30e6, "CAD", "anunciado"),
        ("Estados Unidos", 407e6, "USD", "comprometido"),
        ("Unión Europea", 147e6, "EUR", "anunciado"),
    ]
    assert extract(text)[1].recipient == "países de acogida"


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Suecia anunció EUR 5 millones.", "anunciado"),
        ("Suecia se comprometió a aportar EUR 5 millones.", "comprometido"),
        ("Suecia prometió EUR 5 millones.", "comprometido"),
        ("Suecia aportó EUR 5 millones.", "comprometido"),
        ("Suecia y el Perú firmaron un convenio por EUR 5 millones.", "firmado"),
        ("El convenio de EUR 5 millones con Suecia fue firmado en 2022.", "firmado"),
        ("Suecia desembolsó EUR 5 millones.", "desembolsado"),
        ("En 2022 Suecia transfirió EUR 5 millones.", "desembolsado"),
        ("Suecia ha ejecutado EUR 5 millones.", "ejecutado"),
        ("Suecia destinará EUR 5 millones.", "anunciado"),
    ],
)
def test_status_from_verbs(sentence: str, status: str) -> None:
    [c] = extract(sentence)
    assert c.status == status


def test_default_status_is_comprometido_and_marked_inferred() -> None:
    [c] = extract("Suecia: EUR 5 millones para protección.")
    assert (c.status, c.status_explicit) == ("comprometido", False)


def test_progress_percentage_is_not_full_execution() -> None:
    [c] = extract("Suecia ha ejecutado el 45 % de los EUR 5 millones.")
    assert c.status == "comprometido"
    [full] = extract("Suiza. De los CHF 10 millones asignados al Perú, se ha ejecutado el 100 %.")
    assert (full.actor, full.status) == ("Suiza", "ejecutado")


@pytest.mark.parametrize(
    ("sentence", "instrument"),
    [
        ("El BID aprobó un préstamo de US$ 500 millones para Colombia.", "préstamo"),
        ("El BID aprobó una cooperación técnica no reembolsable de USD 1.000.000.", "cooperación técnica"),
        ("Japón confirmó una donación en especie de equipos por JPY 300 millones.", "en especie"),
        ("Noruega anunció donaciones por NOK 60 millones.", "donación"),
        ("Noruega anunció NOK 60 millones.", "unknown"),
        ("El Banco Mundial ofreció US$ 100 millones en condiciones favorables.", "préstamo"),
    ],
)
def test_instruments(sentence: str, instrument: str) -> None:
    [c] = extract(sentence)
    assert c.instrument == instrument


def test_requirements_are_not_commitments_unless_asked() -> None:
    text = "El plan requiere US$ 1.790 millones. El RMRP estima necesidades por US$ 1.350 millones."
    assert extract(text) == []
    kinds = [(c.kind, c.amount) for c in extract(text, include_requirements=True)]
    assert kinds == [("requerimiento", 1790e6), ("requerimiento", 1350e6)]


def test_hypotheticals_planned_and_pending_amounts_are_skipped() -> None:
    text = (
        "El Banco Mundial indicó que podría movilizar hasta US$ 1.100 millones. "
        "El primer desembolso, de EUR 5 millones, está pendiente. "
        "El saldo de EUR 8 millones se desembolsará en 2025. "
        "La donación, valorada en JPY 300 millones, equivalentes a US$ 2,1 millones, llegó."
    )
    assert [(c.actor, c.amount) for c in extract(text)] == []


def test_conference_totals_are_flagged_not_attributed() -> None:
    text = (
        "Los participantes anunciaron un total de US$ 2.790 millones. De ese monto, US$ 653 millones son "
        "donaciones. La Comisión Europea aportará EUR 144,2 millones en donaciones."
    )
    got = [(c.actor, c.amount, c.is_total) for c in extract(text)]
    assert got == [
        ("Comunidad internacional", 2790e6, True),
        ("Comunidad internacional", 653e6, True),
        ("Comisión Europea", 144.2e6, False),
    ]


def test_organizers_recipients_and_host_budgets_are_not_donors() -> None:
    text = (
        "La conferencia, convocada por España y la Unión Europea, cerró con un total anunciado de "
        "US$ 2.790 millones.\nLa Superintendencia Nacional de Migraciones destinó S/ 18,6 millones de su "
        "presupuesto institucional."
    )
    got = [(c.actor, c.is_total) for c in extract(text)]
    assert got == [("Comunidad internacional", True)]


def test_agreement_counterpart_and_carried_actor() -> None:
    text = (
        "3.4 La APCI recordó que el convenio de € 2,5 millones con la AECID fue firmado el 14 de octubre de 2020 "
        "y que se ha desembolsado el primer tramo de € 1 millón.\n"
        "3.5 Canadá. El país anfitrión anunció CAD 115 millones."
    )
    got = [(c.actor, c.amount, c.status) for c in extract(text)]
    assert got == [("AECID", 2.5e6, "firmado"), ("AECID", 1e6, "desembolsado"), ("Canadá", 115e6, "anunciado")]


def test_table_rows_with_header_scale_and_currency_columns() -> None:
    text = (
        "Principales anuncios de la conferencia:\n"
        "| Donante | Monto | Moneda | Instrumento | Destino |\n"
        "|---|---|---|---|---|\n"
        "| Alemania | 50 | EUR | Donación | Colombia |\n"
        "| Comisión Europea | 135 millones | EUR | Donación | Regional; incluye EUR 15 millones para el Perú |\n"
        "| BID y Banco Mundial | 170 millones | EUR | Préstamo | Países de acogida |\n"
    )
    got = [(c.actor, c.amount, c.currency, c.instrument, c.status) for c in extract(text)]
    assert got == [
        ("Alemania", 50.0, "EUR", "donación", "anunciado"),
        ("Comisión Europea", 135e6, "EUR", "donación", "anunciado"),
        ("Comisión Europea", 15e6, "EUR", "donación", "anunciado"),
    ]
    row = "| Alemania | 50 | EUR | Donación | Colombia |"
    assert extract(text)[0].sources[0].quote == row


def test_table_status_columns_and_pending_column() -> None:
    text = (
        "| Cooperante | Anunciado | Desembolsado | Pendiente |\n"
        "| Alemania | EUR 12 millones | EUR 10,5 millones | EUR 1,5 millones |\n"
    )
    got = [(c.actor, c.amount, c.status) for c in extract(text)]
    assert got == [("Alemania", 12e6, "anunciado"), ("Alemania", 10.5e6, "desembolsado")]


def test_event_and_date_detection() -> None:
    assert detect_event("en la Conferencia Internacional de Donantes del 17 de junio de 2021") == (
        "Conferencia de Canadá 2021"
    )
    assert detect_event("la conferencia celebrada en Bruselas los días 16 y 17 de marzo de 2023") == (
        "Conferencia de Bruselas 2023"
    )
    assert detect_event("En 2021 se firmó el convenio.") is None
    assert find_record_date("ACTA\nFecha: 18 de noviembre de 2021\n") == "2021-11-18"
    [c] = extract("En la Conferencia de Bruselas de 2019, la Comisión Europea anunció EUR 30 millones.")
    assert c.event == "Conferencia de Bruselas 2019"


def test_ids_are_deterministic() -> None:
    text = "Noruega anunció NOK 60 millones y Suecia SEK 10 millones."
    assert [c.id for c in extract(text)] == [c.id for c in extract(text)]
    assert len({c.id for c in extract(text)}) == 2


def test_deduplicate_table_and_prose_of_one_record() -> None:
    text = (
        "La Comisión Europea comprometió EUR 135 millones para la región.\n\n"
        "| Donante | Monto | Moneda |\n| Comisión Europea | 135 millones | EUR |\n"
    )
    merged = deduplicate(extract(text))
    assert len(merged) == 1
    assert [s.quote for s in merged[0].sources] == [
        "La Comisión Europea comprometió EUR 135 millones para la región.",
        "| Comisión Europea | 135 millones | EUR |",
    ]
    assert merged[0].status == "comprometido"


def test_deduplicate_same_event_across_records_but_not_different_stages() -> None:
    a = extract(
        "En la Conferencia de Bruselas de 2019 la Comisión Europea anunció EUR 30 millones.",
        document_id="nota",
        filename="nota.txt",
    )
    b = extract(
        "La Comisión Europea confirmó EUR 30 millones en la conferencia de Bruselas de 2019.",
        document_id="acta",
        filename="acta.txt",
    )
    c = extract("La Comisión Europea desembolsó EUR 30 millones.", document_id="informe", filename="informe.txt")
    merged = deduplicate(a + b + c)
    assert [(m.status, len(m.sources)) for m in merged] == [("comprometido", 2), ("desembolsado", 1)]


def test_two_amounts_of_one_row_never_merge() -> None:
    text = (
        "| Cooperante | Compromiso | Desembolsado o ejecutado |\n"
        "| España | € 2,5 millones | € 2,5 millones desembolsados |\n"
    )
    merged = deduplicate(extract(text))
    assert [(m.amount, m.status) for m in merged] == [(2.5e6, "comprometido"), (2.5e6, "desembolsado")]


def test_a_sentence_longer_than_the_unit_bound_is_read_in_pieces() -> None:
    from indexing.commitments.extract import MAX_UNIT_CHARS

    clause = "y Alemania anunció una donación de EUR 12 millones para el Perú "
    text = "En la reunión " + clause * (3 * MAX_UNIT_CHARS // len(clause))  # one sentence, no full stop
    got = extract(text)
    assert len(got) == text.count("EUR 12 millones")
    assert {(c.actor, c.amount, c.currency, c.status) for c in got} == {("Alemania", 12e6, "EUR", "anunciado")}
    assert all(len(c.sources[0].quote) <= MAX_UNIT_CHARS for c in got)
    assert all(text[c.sources[0].char_start : c.sources[0].char_end] == c.sources[0].quote for c in got)
