"""Two-column PDF pages read column by column; single-column pages keep pypdf's default text; generated table
reports give their exact tables, continued across the page break."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from haystack.dataclasses import ByteStream
from pypdf import PdfReader
from pypdf.generic import ContentStream

from corpus.make_pdfs import parse_source, render
from indexing.components.pdf_columns import column_lines, column_text, page_text
from indexing.components.pdf_pages_converter import PdfPagesConverter
from indexing.components.spanish_cleaner import SpanishDocumentCleaner
from indexing.text.tables import find_tables, link_pages

ROOT = Path(__file__).resolve().parents[3]
LEFT = ["Primera línea izquierda", "segunda línea de la", "columna de la izquierda.", "Cuarta línea izquierda"]
RIGHT = ["Primera línea derecha", "segunda línea de la", "columna de la derecha.", "Cuarta línea derecha"]

TWO_COLUMNS = """TITLE: Boletín de prueba
COLUMNS: {order}
HEADER: Cabecera del boletín
FOOTER: Pie del boletín
=== PAGE ===
# BOLETÍN DE PRUEBA

Un párrafo de introducción que ocupa todo el ancho de la página antes de las dos columnas del boletín.
=== COLUMN ===
# Izquierda

El texto de la columna izquierda trata de la salud mental en Lima Norte, de las consultas individuales
y de la formación de promotores comunitarios, y continúa en varias líneas hasta terminar.
=== COLUMN ===
# Derecha

El texto de la columna derecha trata de la protección de la niñez en Tumbes y en Tacna, de los espacios
de apoyo en la frontera y de los niños no acompañados, y continúa hasta el final.
"""
READ = [
    "Cabecera del boletín",
    "BOLETÍN DE PRUEBA",
    "Un párrafo de introducción que ocupa todo el ancho de la página antes de las dos columnas del",
    "boletín.",
    "Izquierda",
    "El texto de la columna izquierda trata de la",
    "salud mental en Lima Norte, de las consultas",
    "individuales y de la formación de promotores",
    "comunitarios, y continúa en varias líneas",
    "hasta terminar.",
    "Derecha",
    "El texto de la columna derecha trata de la",
    "protección de la niñez en Tumbes y en",
    "Tacna, de los espacios de apoyo en la",
    "frontera y de los niños no acompañados, y",
    "continúa hasta el final.",
    "Pie del boletín — Página 1 de 1",
]

TABLE_REPORT = """HEADER: Cabecera del cuadro
FOOTER: Pie del cuadro
=== PAGE ===
# CUADRO DE APORTES

Montos en millones, en la moneda del anuncio.

| Donante | Sector | Monto (millones) | Moneda | Estado |
| Italia (AICS) | Salud | 1,8 | EUR | Firmado |
| Francia (AFD) | Integración económica | 4,2 | EUR | En negociación |
=== PAGE ===
| Finlandia | Salud mental y apoyo psicosocial | 1,4 | EUR | Firmado |
| Luxemburgo | Seguridad alimentaria | 1,2 | EUR | Desembolsado |

# Notas

1. Sin conversión a dólares.
"""


def pdf(tmp_path: Path, source: str) -> bytes:
    out = tmp_path / "informe.pdf"
    render(parse_source(source, "informe.txt"), out)
    return out.read_bytes()


def page_texts(data: bytes) -> list[str]:
    docs = PdfPagesConverter().run(sources=[ByteStream(data=data, meta={"filename": "informe.pdf"})])["documents"]
    return [d.content for d in docs]


class TestColumnLines:
    def test_left_column_then_right_column(self) -> None:
        lines = ["Título a todo el ancho de la página, que cruza el medio", ""]
        lines += [f"{left:<30}{right}" for left, right in zip(LEFT, RIGHT, strict=True)]
        lines += ["", "", "", "Pie"]
        assert column_lines(lines) == [lines[0], *LEFT, *RIGHT, "Pie"]

    def test_single_column_and_aligned_tables_are_not_columns(self) -> None:
        prose = ["Un párrafo a todo el ancho de la página con muchas palabras"] * 8
        table = [f"{'Alemania':<15}{'12 millones':<15}{'EUR':<15}Firmado"] * 8
        assert column_lines(prose) is None
        assert column_lines(table) is None


class TestTwoColumnPdf:
    def test_columns_drawn_line_across_are_read_column_by_column(self, tmp_path: Path) -> None:
        data = pdf(tmp_path, TWO_COLUMNS.format(order="across"))
        default = PdfReader(tmp_path / "informe.pdf").pages[0].extract_text()
        # What pypdf alone reads: line across line.
        across = "Izquierda\nDerecha\nEl texto de la columna izquierda trata de la\nEl texto de la columna derecha"
        assert across in default
        assert page_texts(data) == ["\n".join(READ) + "\n"]

    def test_columns_drawn_whole_read_the_same(self, tmp_path: Path) -> None:
        assert page_texts(pdf(tmp_path, TWO_COLUMNS.format(order="down"))) == ["\n".join(READ) + "\n"]


@pytest.mark.parametrize("part", ["records", "holdout/records"])
def test_corpus_pdfs_keep_pypdf_default_text(part: str) -> None:
    """Every page of the corpus PDFs reads as pypdf's default extraction, except the two-column pages drawn line
    across (the three bulletins); the two-column pages drawn column by column read the same either way."""
    across = {
        "boletin_cooperacion_europea_peru_2023.pdf",
        "boletin_mesa_cooperantes_sur_2022.pdf",
        "boletin_cooperantes_norte_2025_08.pdf",
    }
    paths = sorted((ROOT / "corpus" / part).glob("*.pdf"))
    assert paths
    for path in paths:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            default = [p.extract_text() for p in PdfReader(path).pages]
        converted = page_texts(path.read_bytes())
        if path.name in across:
            assert converted != default
        else:
            assert converted == default, path.name


class TestGeneratedTableReport:
    def test_exact_tables_continued_across_the_page_break(self, tmp_path: Path) -> None:
        data = pdf(tmp_path, TABLE_REPORT)
        docs = PdfPagesConverter().run(sources=[ByteStream(data=data, meta={"filename": "c.pdf"})])["documents"]
        texts = [d.content for d in SpanishDocumentCleaner().run(documents=docs)["documents"]]
        first, second = link_pages([find_tables(t, n) for n, t in enumerate(texts, start=1)], texts)
        header = ("Donante", "Sector", "Monto (millones)", "Moneda", "Estado")
        assert first[0].header == header and first[0].caption == "Montos en millones, en la moneda del anuncio."
        assert [r.text for r in first[0].rows] == [
            "| Italia (AICS) | Salud | 1,8 | EUR | Firmado |",
            "| Francia (AFD) | Integración económica | 4,2 | EUR | En negociación |",
        ]
        assert second[0].continued and second[0].header == header and second[0].header_row is None
        assert [r.cells for r in second[0].rows] == [
            ("Finlandia", "Salud mental y apoyo psicosocial", "1,4", "EUR", "Firmado"),
            ("Luxemburgo", "Seguridad alimentaria", "1,2", "EUR", "Desembolsado"),
        ]
        assert all(texts[1][r.start : r.end] == r.text for r in second[0].rows)


def _public_reading(path: Path) -> list[str]:
    """Each page as the converter read it before `page_text`: layout mode and, without a gutter, default mode."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [column_text(p) or p.extract_text() for p in PdfReader(path).pages]


class TestOneParsePerPage:
    def test_each_page_content_stream_is_parsed_once(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        one = pdf(tmp_path, TABLE_REPORT)
        (tmp_path / "dos.pdf").write_bytes(pdf(tmp_path, TWO_COLUMNS.format(order="across")))
        calls: list[int] = []
        parse = ContentStream._parse_content_stream

        def counting(self: ContentStream, stream: Any) -> None:
            calls.append(1)
            parse(self, stream)

        monkeypatch.setattr(ContentStream, "_parse_content_stream", counting)
        assert len(page_texts(one)) == 2
        assert len(calls) == 2
        calls.clear()
        assert page_texts((tmp_path / "dos.pdf").read_bytes()) == ["\n".join(READ) + "\n"]
        assert len(calls) == 1

    @pytest.mark.parametrize("part", ["records", "holdout/records"])
    def test_corpus_pages_read_as_the_two_public_extractions(self, part: str) -> None:
        paths = sorted((ROOT / "corpus" / part).glob("*.pdf"))
        assert paths
        for path in paths:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                texts = [page_text(p) for p in PdfReader(path).pages]
            assert texts == _public_reading(path), path.name
