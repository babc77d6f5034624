"""Canonical numeric facts of Spanish text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indexing.text.facts import amount_values, extract_facts, normalize_numbers
from indexing.text.numbers import parse_number


@pytest.mark.parametrize(
    "text",
    [
        "1.500 millones",
        "1500 millones",
        "mil quinientos millones",
        "1,5 mil millones",
        "US$ 1.500 millones",
        "1.500.000.000 de dólares",
        "1500 millones de dólares",
    ],
)
def test_equivalent_spellings_of_fifteen_hundred_million(text):
    assert normalize_numbers(text) == {"1500000000"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("US$ 653 millones", {"653000000"}),
        ("US$ 653 M", {"653000000"}),
        ("2,5 millones de personas", {"2500000"}),
        ("doscientos mil refugiados", {"200000"}),
        ("treinta y cinco países", {"35"}),
        ("un millón quinientos mil", {"1500000"}),
        ("dos mil millones de euros", {"2000000000"}),
        ("el 25 % de los fondos", {"25%"}),
        ("el 25 por ciento de los fondos", {"25%"}),
        ("1.500,5 toneladas", {"1500.5"}),
        ("entre 2019 y 2023", {"2019", "2023"}),
        ("un acuerdo firmado", set()),
        ("una contribución", set()),
    ],
)
def test_normalize_numbers(text, expected):
    assert normalize_numbers(text) == expected


@pytest.mark.parametrize(
    "text",
    ["el 17 de julio de 2023", "el 17 de julio del 2023", "el 17/07/2023", "el 2023-07-17", "el 17º de julio de 2023"],
)
def test_dates_become_iso_with_their_month_year_and_year(text):
    assert normalize_numbers(text) == {"2023-07-17", "2023-07", "2023", "--07-17"}


def test_month_year_and_day_month():
    assert normalize_numbers("en marzo de 2022") == {"2022-03", "2022"}
    assert normalize_numbers("el 1 de septiembre") == {"--09-01"}


def test_date_day_is_not_also_a_number():
    facts = extract_facts("Canadá desembolsó 30 millones el 17 de julio de 2023.")
    assert [(f.kind, f.surface) for f in facts if f.kind != "date"] == [("amount", "30 millones")]


def test_amounts_only_keeps_money_like_values():
    assert amount_values("En 2023, Canadá aportó US$ 30 millones a 4 agencias.") == {"30000000"}


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1.500", "1500"), ("1,5", "1.5"), ("1.500,5", "1500.5"), ("1,500.5", "1500.5"), ("1.500.000", "1500000")],
)
def test_parse_number_separators(raw, value):
    assert parse_number(raw) == (Decimal(value), raw in ("1.500", "1,500"))


def test_weekday_is_part_of_the_date_span():
    facts = extract_facts("Lima, martes 22 de marzo de 2022.")
    assert {(f.surface, f.value) for f in facts} == {
        ("martes 22 de marzo de 2022", v) for v in ("2022-03-22", "2022-03", "2022", "--03-22")
    }


def test_impossible_dates_and_day_zero_are_not_dates():
    assert normalize_numbers("el 0/1/2023") == {"0", "1", "2023"}
    assert normalize_numbers("el 31 de junio") == {"31"}


def test_absurd_numbers_do_not_fail():
    assert normalize_numbers("9" * 5000) == {"1" + "0" * 5000}
