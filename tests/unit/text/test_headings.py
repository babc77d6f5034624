"""A numbered section title glued to the first sentence of its section (`numbered_heading_end`)."""

from __future__ import annotations

import pytest

from indexing.text.headings import numbered_heading_end


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        ("1. Antecedentes La Conferencia de Bruselas concluyó.", "La Conferencia de Bruselas concluyó."),
        ("4. Anuncios de los donantes 4.1 Según el balance, hubo anuncios.", "Según el balance, hubo anuncios."),
        (
            "2. Síntesis Al cierre de 2022, los compromisos suman US$ 45 millones.",
            "Al cierre de 2022, los compromisos suman US$ 45 millones.",
        ),
        ("II. Desarrollo El Viceministro abrió la sesión.", "El Viceministro abrió la sesión."),
        ("1. Objeto\nEl presente informe da cuenta del estado.", "El presente informe da cuenta del estado."),
    ],
)
def test_the_title_is_peeled(text: str, statement: str) -> None:
    assert text[numbered_heading_end(text) :] == statement


@pytest.mark.parametrize(
    "text",
    [
        "2. Alemania anunció EUR 31 millones.",  # the subject and verb are the statement
        "1. El Viceministro abrió la sesión.",  # no title: the sentence starts after the number
        "3.4 Sobre la cooperación española, la APCI recordó el convenio.",
        "5. Brecha de financiamiento Migraciones estimó una brecha.",  # a name may follow a title: kept whole
        "La Conferencia de Bruselas concluyó.",
        "",
    ],
)
def test_nothing_is_peeled(text: str) -> None:
    assert numbered_heading_end(text) == 0
