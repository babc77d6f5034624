"""Spanish text utilities: sentences, dates, amounts, terms."""

from __future__ import annotations

import datetime

import pytest

from indexing.spanish import (
    STOPWORDS,
    content_terms,
    find_amounts,
    find_spanish_dates,
    first_spanish_date,
    fold,
    is_bullet_line,
    is_table_line,
    split_sentences,
    tokens,
)


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


class TestSplitSentences:
    @pytest.mark.parametrize(
        "text",
        [
            "El Sr. Pérez y la Sra. Gómez llegaron juntos.",
            "La Dra. Ruiz y el Dr. Soto hablaron.",
            "El Excmo. Sr. Embajador y el Embaj. Díaz firmaron.",
            "Véase el núm. 3, el art. 5 y la pág. 12 del informe.",
            "Hubo alimentos, salud, etc. Todo llegó a tiempo.",
            "Asistieron aprox. 300 personas.",
            "El apoyo de EE.UU. Fue decisivo.",
            "La empresa Acme S.A. Donó equipos.",
            "Como Ud. sabe, y como Uds. saben, hubo acuerdo.",
            "La resolución No. 5 fue aprobada.",
            "El informe Nº 12 fue aprobado.",
            "El 1.º de junio y la 2.ª reunión.",
            "Lo dijo J. Pérez en la sesión.",
        ],
    )
    def test_does_not_split_after_abbreviations(self, text: str) -> None:
        assert sentences(text) == [text]

    def test_splits_on_terminal_punctuation(self) -> None:
        text = "Se anunciaron US$ 1.500 millones. ¿Cuánto aportó Perú? ¡Mucho! Luego… Hubo acuerdo."
        assert sentences(text) == [
            "Se anunciaron US$ 1.500 millones.",
            "¿Cuánto aportó Perú?",
            "¡Mucho!",
            "Luego…",
            "Hubo acuerdo.",
        ]

    def test_numbers_and_dates_stay_whole(self) -> None:
        text = "El Perú recibió S/. 18,6 millones y 1,5 mil millones de dólares. El 17.07.2023 se firmó el acta."
        assert sentences(text) == [
            "El Perú recibió S/. 18,6 millones y 1,5 mil millones de dólares.",
            "El 17.07.2023 se firmó el acta.",
        ]

    def test_no_split_inside_parentheses_or_quotes(self) -> None:
        text = "La OIM (con apoyo del ACNUR. Y de la UE) habló. Dijo: «Seguiremos. Sin pausa.» Luego votaron."
        assert sentences(text) == [
            "La OIM (con apoyo del ACNUR. Y de la UE) habló.",
            "Dijo: «Seguiremos. Sin pausa.»",
            "Luego votaron.",
        ]

    def test_paragraphs_bullets_and_table_rows(self) -> None:
        text = (
            "Compromisos\n\nLos donantes anunciaron\nfondos nuevos.\n- Alemania: EUR 50 M\n- Canadá: CAD 30 millones\n"
            "1. Primer punto\nAlemania | 50 | EUR\nFrancia | 30 | EUR\nFin"
        )
        assert sentences(text) == [
            "Compromisos",
            "Los donantes anunciaron\nfondos nuevos.",
            "- Alemania: EUR 50 M",
            "- Canadá: CAD 30 millones",
            "1. Primer punto",
            "Alemania | 50 | EUR",
            "Francia | 30 | EUR",
            "Fin",
        ]

    def test_spans_are_offsets_into_the_text(self) -> None:
        text = "  Uno dos.  Tres cuatro.\n\n"
        assert split_sentences(text) == [(2, 10), (12, 24)]

    def test_blank_text(self) -> None:
        assert split_sentences(" \n\n ") == []

    def test_line_kinds(self) -> None:
        assert is_bullet_line("• Punto") and is_bullet_line("2) Punto") and is_bullet_line("a) Punto")
        assert not is_bullet_line("1.500 millones")
        assert is_table_line("Alemania | 50 | EUR") and is_table_line("Alemania    50    EUR")
        assert not is_table_line("Alemania aportó 50 EUR")


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


class TestAmounts:
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
        assert [text[s:e] for s, e in find_amounts(text)] == [amount]

    def test_plain_numbers_are_not_amounts(self) -> None:
        assert find_amounts("Asistieron 120 países en 2023.") == []


class TestTerms:
    def test_fold_and_tokens(self) -> None:
        assert fold("Reunión en Perú, Ñuñoa") == "reunion en peru, nunoa"
        assert tokens("La UE aportó 1.500 millones") == ["La", "UE", "aportó", "1.500", "millones"]

    def test_content_terms_drop_stopwords_and_stem(self) -> None:
        assert content_terms("Los Estados Unidos anunciaron US$ 1.500 millones para la reunión") == [
            "estad",
            "unid",
            "anunci",
            "us",
            "1.500",
            "millon",
            "reunion",
        ]

    def test_stopwords_are_folded(self) -> None:
        assert {"mas", "tambien", "segun", "estan"} <= STOPWORDS
        assert all(word == fold(word) for word in STOPWORDS)
        assert "estados" not in STOPWORDS
