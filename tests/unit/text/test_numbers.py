"""Number parsing, number words and canonical values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indexing.text.numbers import canonical_decimal, find_number_words, parse_number, words_value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.500", (Decimal(1500), True)),
        ("1,5", (Decimal("1.5"), False)),
        ("1.500,5", (Decimal("1500.5"), False)),
        ("1\u00a0500\u00a0000", (Decimal(1_500_000), False)),
        ("0,500", (Decimal("0.5"), False)),
        ("1.2,3.4", None),
    ],
)
def test_parse_number(raw: str, expected: tuple[Decimal, bool] | None) -> None:
    assert parse_number(raw) == expected


def test_words_value_and_runs() -> None:
    assert words_value(["mil", "quinientos", "millones"]) == Decimal(1_500_000_000)
    assert words_value(["dos", "millones", "medio"]) == Decimal("2000000.5")
    text = "llegaron treinta y cinco delegaciones y mil quinientos millones"
    assert [(text[s:e], str(v), scaled) for s, e, v, scaled in find_number_words(text)] == [
        ("treinta y cinco", "35", False),
        ("mil quinientos millones", "1500000000", True),
    ]


def test_canonical_decimal_of_absurdly_long_numbers() -> None:
    assert canonical_decimal(Decimal("1500.0")) == "1500"
    assert canonical_decimal(Decimal("2.50")) == "2.5"
    assert canonical_decimal(Decimal("9" * 5000)) == "1" + "0" * 5000  # rounded by the decimal context, no error
