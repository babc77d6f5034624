"""Quote location on a page (folded matching) and page text rebuilt from passages."""

from __future__ import annotations

from indexing.types import Chunk
from service.web.record_pages import fold_indexed, locate, page_text


def chunk(page: int, start: int, text: str) -> Chunk:
    return Chunk("c", "d", "f.txt", "t", page, text, start, start + len(text))


def test_fold_keeps_letters_and_digits_with_their_source_index() -> None:
    assert fold_indexed("Perú, 2023") == ("peru2023", [0, 1, 2, 3, 6, 7, 8, 9])
    assert fold_indexed("ﬁnanciación")[0] == "financiacion"  # the ligature becomes two letters


def test_locate_exact_then_across_line_breaks_hyphens_and_accents() -> None:
    text = "Inicio. El convenio fue firmado el 14 de\r\noctubre de 2020. Fin."
    assert locate(text, "Fin.") == (len(text) - 4, len(text))
    start, end = locate(text, "El convenio fue firmado el 14 de octubre de 2020.")  # type: ignore[misc]
    assert text[start:end] == "El convenio fue firmado el 14 de\r\noctubre de 2020"
    hyphen = "se hizo efectivo el desem-\r\nbolso de € 1 millón"
    assert locate(hyphen, "efectivo el desembolso de € 1 millon") == (8, len(hyphen))
    assert locate(text, "no está") is None
    assert locate(text, "") is None
    assert locate(text, " ... ") is None


def test_page_text_is_rebuilt_from_the_slices_of_its_passages() -> None:
    page = "Primera frase del acta. Segunda frase del acta. Tercera frase."
    chunks = [
        chunk(1, 24, page[24:47]),
        chunk(1, 0, page[0:23]),
        chunk(1, 10, page[10:30]),  # overlapping passage
        chunk(1, 48, page[48:]),
        chunk(2, 0, "Otra página."),
    ]
    assert page_text(chunks, 1) == page
    assert page_text(chunks, 2) == "Otra página."
    assert page_text(chunks, 3) == ""
