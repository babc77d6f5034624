"""SpanishDocumentCleaner: headers, footers, page numbers, hyphenation, hard wraps."""

from __future__ import annotations

from haystack import Document
from haystack.dataclasses import ByteStream

from indexing.components.pdf_pages_converter import PdfPagesConverter
from indexing.components.spanish_cleaner import SpanishDocumentCleaner
from tests.factories import make_pdf


def clean(*pages: str) -> list[str]:
    docs = [Document(content=page, meta={"page": n}) for n, page in enumerate(pages, start=1)]
    return [d.content for d in SpanishDocumentCleaner().run(documents=docs)["documents"]]


class TestSpanishDocumentCleaner:
    def test_pdf_headers_and_footers_are_removed(self) -> None:
        pdf = make_pdf(
            [
                "ACTA DE LA REUNIÓN\nLos donantes anunciaron contribuciones por US$ 1.500 millones para la respuesta "
                "regional, con el apoyo de la coope-\nración internacional.",
                "El Gobierno franco-\nAlemán expresó su apoyo.",
                "La reunión terminó el 17 de julio de 2023.",
            ],
            header="Conferencia de Solidaridad 2023 — Sesión {n}",
        )
        pages = PdfPagesConverter().run(sources=[ByteStream(data=pdf, meta={"filename": "acta.pdf"})])["documents"]
        cleaned = SpanishDocumentCleaner().run(documents=pages)["documents"]
        assert [d.content for d in cleaned] == [
            "ACTA DE LA REUNIÓN\n\nLos donantes anunciaron contribuciones por US$ 1.500 millones para la respuesta "
            "regional, con el apoyo de la cooperación internacional.",
            "El Gobierno franco-Alemán expresó su apoyo.",
            "La reunión terminó el 17 de julio de 2023.",
        ]
        assert [d.meta["page"] for d in cleaned] == [1, 2, 3]
        assert cleaned[0].meta["filename"] == "acta.pdf"

    def test_two_page_record_removes_lines_repeated_on_both(self) -> None:
        assert clean("Informe ACNUR\nPrimera parte.\n- 1 -", "Informe ACNUR\nSegunda parte.\n- 2 -") == [
            "Primera parte.",
            "Segunda parte.",
        ]

    def test_single_page_keeps_its_first_line_but_drops_page_number(self) -> None:
        assert clean("Informe ACNUR\n\nPrimera parte.\nPágina 1 de 1") == ["Informe ACNUR\n\nPrimera parte."]

    def test_lines_repeated_only_once_are_kept(self) -> None:
        pages = clean("Anexo\nUno.", "Otra cosa\nDos.", "Algo más\nTres.")
        assert pages == ["Anexo\n\nUno.", "Otra cosa\n\nDos.", "Algo más\n\nTres."]

    def test_hyphenation(self) -> None:
        assert clean("La coope-\nración y el acuerdo franco-\nAlemán del sub-\n17.") == [
            "La cooperación y el acuerdo franco-Alemán del sub-17."
        ]

    def test_hard_wraps_paragraphs_bullets_and_tables(self) -> None:
        text = (
            "Los países anunciaron   fondos\nnuevos para la región y reafirmaron su compromiso con los\n"
            "migrantes venezolanos.\n\n\nCompromisos:\n- Alemania: EUR 50 M\n- Canadá: CAD 30\nmillones\n"
            "Alemania    50    EUR\nFrancia\t30\tEUR"
        )
        assert clean(text) == [
            "Los países anunciaron fondos nuevos para la región y reafirmaron su compromiso con los migrantes "
            "venezolanos.\n\nCompromisos:\n- Alemania: EUR 50 M\n- Canadá: CAD 30 millones\n"
            "Alemania | 50 | EUR\nFrancia | 30 | EUR"
        ]

    def test_wrapped_heading_is_joined(self) -> None:
        assert clean("CUADRO DE COMPROMISOS DE LA CONFERENCIA EN\nSOLIDARIDAD (BRUSELAS)\nConferencia convocada.") == [
            "CUADRO DE COMPROMISOS DE LA CONFERENCIA EN SOLIDARIDAD (BRUSELAS)\n\nConferencia convocada."
        ]

    def test_nfc_ligatures_and_empty_pages(self) -> None:
        assert clean("Reunio\u0301n de ﬁnanciación", "  \n ") == ["Reunión de financiación", ""]

    def test_serialization_round_trip(self) -> None:
        cleaner = SpanishDocumentCleaner.from_dict(SpanishDocumentCleaner(edge_lines=2).to_dict())
        assert (cleaner.edge_lines, cleaner.min_repeat_share) == (2, 0.5)


def test_word_pages_keep_lines_repeated_at_their_top() -> None:
    header = "| Cooperante | Monto |\n| --- | --- |"
    pages = [f"{header}\n| Alemania | 22,2 |", f"{header}\n| Canadá | 5 |", "3"]
    for kind, expected in (("docx", pages), ("pdf", ["| Alemania | 22,2 |", "| Canadá | 5 |", ""])):
        docs = [Document(content=text, meta={"source_kind": kind}) for text in pages]
        assert [d.content for d in SpanishDocumentCleaner().run(documents=docs)["documents"]] == expected
