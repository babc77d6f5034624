"""Amounts: parsing of real-world Spanish formats, both separator conventions, what is not money, and the
spans of amount-like expressions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indexing.text.amounts import amount_spans, find_amounts, parse_amount
from indexing.text.numbers import parse_number

M = Decimal(1_000_000)


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("US$ 1.500 millones", 1500 * M, "USD"),
        ("1,5 mil millones de dólares", Decimal("1.5") * 1000 * M, "USD"),
        ("USD 12.300.000", Decimal(12_300_000), "USD"),
        ("USD 12,300,000.50", Decimal("12300000.50"), "USD"),
        ("12.300.000,50 euros", Decimal("12300000.50"), "EUR"),
        ("EUR 50 M", 50 * M, "EUR"),
        ("€ 2,5 millones", Decimal("2.5") * M, "EUR"),
        ("2,5 M€", Decimal("2.5") * M, "EUR"),
        ("S/ 18,6 millones", Decimal("18.6") * M, "PEN"),
        ("S/. 18.6 millones", Decimal("18.6") * M, "PEN"),
        ("cincuenta millones de euros", 50 * M, "EUR"),
        ("mil quinientos millones", 1500 * M, None),
        ("doscientos mil dólares", Decimal(200_000), "USD"),
        ("un millón de dólares", M, "USD"),
        ("CAD 30 millones", 30 * M, "CAD"),
        ("30 millones de dólares canadienses", 30 * M, "CAD"),
        ("US$ 653 millones", 653 * M, "USD"),
        ("653 millones de dólares estadounidenses", 653 * M, "USD"),
        ("USD 1.554 millones", 1554 * M, "USD"),
        ("2.790 millones de dólares", 2790 * M, "USD"),
        ("1.000 millones", 1000 * M, None),
        ("MM US$ 20", 20 * M, "USD"),
        ("US$ 20 MM", 20 * M, "USD"),
        ("20 mil dólares", Decimal(20_000), "USD"),
        ("USD 3 mil millones", 3000 * M, "USD"),
        ("1 billón", Decimal(10) ** 12, None),
        ("0,8 millones", Decimal("0.8") * M, None),
        ("EUR 1.2 million", Decimal("1.2") * M, "EUR"),
        ("CHF 4,5 millones", Decimal("4.5") * M, "CHF"),
        ("JPY 300 millones", 300 * M, "JPY"),
        ("EUR 144,2 millones", Decimal("144.2") * M, "EUR"),
        ("quince millones de euros", 15 * M, "EUR"),
        ("treinta y cinco millones de dólares", 35 * M, "USD"),
        ("medio millón de euros", Decimal("0.5") * M, "EUR"),
        ("GBP 8 millones", 8 * M, "GBP"),
        ("60 millones de coronas noruegas", 60 * M, "NOK"),
        ("USD 2.137 millones", 2137 * M, "USD"),
        ("US$ 38,5 millones", Decimal("38.5") * M, "USD"),
        ("EUR 10,5 millones", Decimal("10.5") * M, "EUR"),
        ("€ 1 millón", M, "EUR"),
        ("1.234.567,89 soles", Decimal("1234567.89"), "PEN"),
        ("1,234,567.89 dólares", Decimal("1234567.89"), "USD"),
        ("2 millardos de euros", 2000 * M, "EUR"),
        ("EUR 2 bn", 2000 * M, "EUR"),
        ("US$ 800\nmillones", 800 * M, "USD"),
    ],
)
def test_parse_amount_formats(text: str, value: Decimal, currency: str | None) -> None:
    parsed = parse_amount(text)
    assert parsed is not None
    assert parsed.value == value
    assert parsed.currency == currency
    assert parsed.text == text


@pytest.mark.parametrize(
    "text",
    [
        "45 %",
        "el 80 por ciento",
        "2023",
        "1.500 migrantes",
        "1,7 millones de venezolanos",
        "más de 160.000 personas",
        "N.º 04-2021",
        "unos 3,1 millones de personas",
        "el 29 de octubre de 2021",
        "una donación",
        "mil personas",
        "50 m de altura",
    ],
)
def test_non_monetary_numbers_are_not_amounts(text: str) -> None:
    assert parse_amount(text) is None


def test_spanish_billon_is_long_scale_and_flagged() -> None:
    parsed = parse_amount("1 billón")
    assert parsed is not None
    assert parsed.value == Decimal(10) ** 12
    assert "billon_escala_larga" in parsed.flags


def test_bare_dollar_sign_needs_dollar_context() -> None:
    alone = parse_amount("$ 50 millones")
    assert alone is not None and alone.currency is None and "moneda_ambigua" in alone.flags
    in_context = find_amounts("El aporte, en dólares, fue de $ 50 millones")[0]
    assert in_context.currency == "USD"


def test_year_next_to_prefix_symbol_is_not_an_amount() -> None:
    amounts = find_amounts("Migraciones destinó en 2022 S/\n18,6 millones de su presupuesto")
    assert [(a.value, a.currency) for a in amounts] == [(Decimal("18.6") * M, "PEN")]


def test_find_amounts_spans_index_the_text() -> None:
    text = "Alemania aportó EUR 50 millones y Francia EUR 20 millones, el 20 % del total."
    amounts = find_amounts(text)
    assert [text[a.start : a.end] for a in amounts] == ["EUR 50 millones", "EUR 20 millones"]


@pytest.mark.parametrize(
    ("raw", "value", "ambiguous"),
    [
        ("1.500", Decimal(1500), True),
        ("1,5", Decimal("1.5"), False),
        ("0,500", Decimal("0.5"), False),
        ("12.300.000", Decimal(12_300_000), False),
        ("12,300,000.50", Decimal("12300000.50"), False),
        ("1.234,5", Decimal("1234.5"), False),
        ("18.6", Decimal("18.6"), False),
        ("1.2345", Decimal("1.2345"), False),
    ],
)
def test_separator_rule(raw: str, value: Decimal, ambiguous: bool) -> None:
    assert parse_number(raw) == (value, ambiguous)


class TestAmountSpans:
    @pytest.mark.parametrize(
        "amount",
        [
            "US$ 1.500 millones",
            "USD 12.300.000",
            "1,5 mil millones de dólares",
            "EUR 50 M",
            "€ 2,5 millones",
            "S/ 18,6 millones",
            "S/. 18,6 millones",
            "cincuenta millones de euros",
            "CAD 30 millones",
            "653 millones de dólares",
            "un millón de dólares estadounidenses",
        ],
    )
    def test_whole_amount_is_one_span(self, amount: str) -> None:
        text = f"Se anunció {amount} para la región."
        assert [text[s:e] for s, e in amount_spans(text)] == [amount]

    def test_plain_numbers_are_not_amounts(self) -> None:
        assert amount_spans("Asistieron 120 países en 2023.") == []


def test_malformed_separators_are_not_an_amount_and_do_not_fail() -> None:
    assert find_amounts("US$ 1.2,3.4 millones") == []


def test_long_runs_of_number_words_are_read_in_bounded_pieces() -> None:
    text = "dos " * 40 + "millones de euros"
    amounts = find_amounts(text)
    # Runs of 16 words: "dos" x 16, "dos" x 16 (no scale, no currency: not money), then the last 8 and the scale.
    assert [(a.text, a.value, a.currency) for a in amounts] == [
        (text[-len("dos " * 8 + "millones de euros") :], 16 * M, "EUR")
    ]
    assert amount_spans(text) == [(len(text) - len("dos " * 16 + "millones de euros"), len(text))]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # Thousands grouped with plain spaces (the RAE and ISO style) next to a currency.
        ("Suecia aportará EUR 500 000 al programa.", [("500000", "EUR", "EUR 500 000")]),
        ("un aporte de 1 500 000 euros", [("1500000", "EUR", "1 500 000 euros")]),
        ("US$ 2 500 millones", [("2500000000", "USD", "US$ 2 500 millones")]),
        ("S/ 3 750,50", [("3750.50", "PEN", "S/ 3 750,50")]),
        ("USD 1 000 000.", [("1000000", "USD", "USD 1 000 000")]),
        (
            "aportó USD 250 000, y Francia EUR 3 millones.",
            [("250000", "USD", "USD 250 000"), ("3000000", "EUR", "EUR 3 millones")],
        ),
        # Without a currency on either side, spaced digits stay separate numbers (years, table columns).
        ("En 2019 500 personas", []),
        ("Alemania 100 200 Desembolsado", []),
        ("12 500 beneficiarios recibieron USD 3 millones", [("3000000", "USD", "USD 3 millones")]),
        # A group that is not three digits ends the number.
        ("EUR 500 0000", [("500", "EUR", "EUR 500")]),
    ],
)
def test_space_grouped_thousands_next_to_a_currency(text: str, found: list[tuple[str, str, str]]) -> None:
    assert [(str(a.value), a.currency, text[a.start : a.end]) for a in find_amounts(text)] == found


def test_parse_number_drops_plain_space_group_separators() -> None:
    assert parse_number("1 500 000") == (Decimal("1500000"), False)
