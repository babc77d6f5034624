"""Spanish dates: full dates, numeric dates, month-year mentions."""

from __future__ import annotations

import datetime

import pytest

from indexing.text.dates import find_spanish_dates, first_spanish_date


class TestDates:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("el 17 de julio de 2023", datetime.date(2023, 7, 17)),
            ("el 17 de julio del 2023", datetime.date(2023, 7, 17)),
            ("el 1.º de junio de 2021", datetime.date(2021, 6, 1)),
            ("el 1 de junio de 2021", datetime.date(2021, 6, 1)),
            ("el 17 de JULIO de 2023", datetime.date(2023, 7, 17)),
            ("el 5 de setiembre de 2022", datetime.date(2022, 9, 5)),
            ("fecha 17/07/2023", datetime.date(2023, 7, 17)),
            ("fecha 2023-07-17", datetime.date(2023, 7, 17)),
        ],
    )
    def test_full_dates(self, text: str, expected: datetime.date) -> None:
        assert first_spanish_date(text) == expected

    def test_spans_include_the_weekday(self) -> None:
        text = "Bruselas, martes 17 de julio de 2023."
        assert find_spanish_dates(text) == [(datetime.date(2023, 7, 17), 10, 36)]
        assert text[10:36] == "martes 17 de julio de 2023"

    def test_month_year_is_first_of_month_and_lower_priority(self) -> None:
        text = "En julio de 2023 se revisó lo acordado el 29 de octubre de 2019."
        assert find_spanish_dates(text) == [
            (datetime.date(2023, 7, 1), 3, 16),
            (datetime.date(2019, 10, 29), 42, 63),
        ]
        assert find_spanish_dates(text, include_month_year=False) == [(datetime.date(2019, 10, 29), 42, 63)]
        assert first_spanish_date(text) == datetime.date(2019, 10, 29)
        assert first_spanish_date("Informe de julio de 2023") == datetime.date(2023, 7, 1)

    def test_invalid_and_missing(self) -> None:
        assert find_spanish_dates("el 31 de febrero de 2023", include_month_year=False) == []
        assert first_spanish_date("sin fecha") is None
