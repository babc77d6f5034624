"""Sentence spans: abbreviations, initials, amounts, dates, brackets, list items and table rows."""

from __future__ import annotations

import pytest

from indexing.text.sentences import is_bullet_line, is_table_line, split_sentences


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


def test_a_full_stop_after_a_very_long_token_ends_the_sentence() -> None:
    text = "x" * 100 + ". Sigue otra frase."
    assert sentences(text) == ["x" * 100 + ".", "Sigue otra frase."]


def test_span_index() -> None:
    from indexing.text.sentences import SpanIndex

    index = SpanIndex([(10, 20), (0, 5), (12, 30)])
    assert [p for p in range(32) if index.strictly_inside(p)] == [1, 2, 3, 4, *range(11, 30)]
    assert index.inside_or_at_end(30) and not index.inside_or_at_end(31) and not index.inside_or_at_end(0)


def test_cached_split_matches_the_uncached_split_and_is_not_shared() -> None:
    from indexing.text.sentences import SpanIndex, protected_spans

    text = "El Sr. Pérez firmó el 17.07.2023 por US$ 1.500 millones. La APCI lo registró.\n\n- Un punto."
    spans = split_sentences(text)
    assert spans == split_sentences(text, SpanIndex(protected_spans(text)))
    assert [text[a:b] for a, b in spans] == [
        "El Sr. Pérez firmó el 17.07.2023 por US$ 1.500 millones.",
        "La APCI lo registró.",
        "- Un punto.",
    ]
    spans.append((0, 1))  # a caller's list is its own
    assert split_sentences(text) == spans[:-1]
