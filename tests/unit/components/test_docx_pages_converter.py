"""DocxPagesConverter: Word and OpenDocument records → page (or section) Documents, tables as Markdown pipe tables."""

from __future__ import annotations

import io
import zipfile

import pytest
from haystack.dataclasses import ByteStream

from corpus.make_docx import build_docx, build_odt
from indexing.components.docx_pages_converter import DocxPagesConverter, render_markdown_table
from indexing.errors import DocumentXmlTooLarge, NoText, TooManyPages, UnreadableFile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_from_body(body: str, *, styles: str | None = None, header: str | None = None) -> bytes:
    """A minimal .docx whose `w:body` is `body` (raw WordprocessingML), with optional styles and header parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        document = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
        archive.writestr("word/document.xml", document)
        if styles is not None:
            archive.writestr("word/styles.xml", f'<?xml version="1.0"?><w:styles xmlns:w="{W}">{styles}</w:styles>')
        if header is not None:
            part = f'<w:hdr xmlns:w="{W}"><w:p><w:r><w:t>{header}</w:t></w:r></w:p></w:hdr>'
            archive.writestr("word/header1.xml", part)
    return buffer.getvalue()


def p(text: str, *, style: str | None = None, before: str = "", after: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{before}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>{after}</w:p>"


RENDERED = "<w:r><w:lastRenderedPageBreak/></w:r>"


def convert(data: bytes, **kwargs: int) -> list[tuple[int, str, str, str]]:
    docs = DocxPagesConverter(**kwargs).run(sources=[ByteStream(data=data, meta={"filename": "acta.docx"})])
    return [(d.meta["page"], d.meta["page_kind"], d.meta["source_kind"], d.content) for d in docs["documents"]]


TABLE = [["Cooperante", "Monto", "Moneda", "Estado"], ["Alemania", "22,2", "EUR", "desembolsado"]]


class TestDocxPages:
    def test_explicit_page_breaks_split_pages_with_headings_lists_and_tables_in_body_order(self) -> None:
        data = build_docx(
            [
                ("title", "Acta de seguimiento"),
                ("h1", "Asistentes"),
                ("p", "Participaron la APCI y la Cancillería."),
                ("bullet", "Primer punto de agenda."),
                ("table", TABLE),
                ("p", "Texto tras el cuadro."),
                ("page",),
                ("h2", "Acuerdos"),
                ("p", "La próxima reunión será en Lima."),
            ],
            header="ENCABEZADO DE LA APCI",
            footer="Pie de página confidencial",
        )
        pages = convert(data)
        assert pages == [
            (
                1,
                "page",
                "docx",
                "# Acta de seguimiento\n\n## Asistentes\n\nParticiparon la APCI y la Cancillería.\n\n"
                "- Primer punto de agenda.\n\n"
                "| Cooperante | Monto | Moneda | Estado |\n| --- | --- | --- | --- |\n"
                "| Alemania | 22,2 | EUR | desembolsado |\n\nTexto tras el cuadro.",
            ),
            (2, "page", "docx", "### Acuerdos\n\nLa próxima reunión será en Lima."),
        ]

    def test_headers_and_footers_are_not_read(self) -> None:
        data = build_docx([("p", "Cuerpo del acta.")], header="ENCABEZADO DE LA APCI", footer="Pie confidencial")
        assert [content for *_, content in convert(data)] == ["Cuerpo del acta."]
        with zipfile.ZipFile(io.BytesIO(data)) as archive:  # they are in the file, in their own parts
            parts = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("word/header"))
        assert b"ENCABEZADO DE LA APCI" in parts

    def test_without_page_breaks_each_section_is_a_page_marked_section(self) -> None:
        data = build_docx([("p", "Sección uno."), ("section",), ("p", "Sección dos."), ("section",), ("p", "Tres.")])
        assert convert(data) == [
            (1, "section", "docx", "Sección uno."),
            (2, "section", "docx", "Sección dos."),
            (3, "section", "docx", "Tres."),
        ]

    def test_a_single_section_document_is_section_one(self) -> None:
        assert convert(build_docx([("p", "Única sección.")])) == [(1, "section", "docx", "Única sección.")]

    def test_rendered_breaks_win_over_explicit_ones_and_never_cut_a_paragraph(self) -> None:
        body = (
            p("Primera página.")
            + '<w:p><w:r><w:t xml:space="preserve">Un párrafo que empieza </w:t><w:lastRenderedPageBreak/>'
            '<w:t>y sigue en la página dos.</w:t></w:r></w:p>'
            + p("Ya en la página dos.")
            + '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
            + p("Página tres.", before=RENDERED)
        )
        assert convert(docx_from_body(body)) == [
            (1, "page", "docx", "Primera página.\n\nUn párrafo que empieza y sigue en la página dos."),
            (2, "page", "docx", "Ya en la página dos."),
            (3, "page", "docx", "Página tres."),
        ]

    def test_page_break_before_and_an_explicit_break_inside_a_paragraph(self) -> None:
        body = (
            '<w:p><w:r><w:t>Antes.</w:t><w:br w:type="page"/><w:t>Después.</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>Tercera.</w:t></w:r></w:p>'
        )
        assert [c for *_, c in convert(docx_from_body(body))] == ["Antes.", "Después.", "Tercera."]

    def test_a_rendered_break_inside_a_table_splits_it_before_that_row_and_repeats_the_header(self) -> None:
        def row(*cells: str, brk: bool = False) -> str:
            tcs = "".join(
                f"<w:tc><w:p>{RENDERED if brk and i == 0 else ''}<w:r><w:t>{c}</w:t></w:r></w:p></w:tc>"
                for i, c in enumerate(cells)
            )
            return f"<w:tr>{tcs}</w:tr>"

        body = (
            p("Cuadro de compromisos.")
            + "<w:tbl>"
            + row("Donante", "Monto")
            + row("Alemania", "22,2")
            + row("Canadá", "5", brk=True)
            + "</w:tbl>"
        )
        assert [c for *_, c in convert(docx_from_body(body))] == [
            "Cuadro de compromisos.\n\n| Donante | Monto |\n| --- | --- |\n| Alemania | 22,2 |",
            "| Donante | Monto |\n| --- | --- |\n| Canadá | 5 |",
        ]

    def test_table_cells_merged_escaped_and_one_column_boxes(self) -> None:
        def tc(text: str, props: str = "") -> str:
            return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

        restart, span = '<w:vMerge w:val="restart"/>', '<w:gridSpan w:val="2"/>'
        body = (
            "<w:tbl>"
            f"<w:tr>{tc('Donante')}{tc('Monto')}{tc('Estado')}</w:tr>"
            f"<w:tr>{tc('Unión Europea', restart)}{tc('10 | 12')}{tc('firmado')}</w:tr>"
            f"<w:tr>{tc('', '<w:vMerge/>')}{tc('Total', span)}</w:tr>"
            "</w:tbl>"
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Recuadro</w:t></w:r></w:p>"
            "<w:p><w:r><w:t>de dos líneas.</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        )
        assert [c for *_, c in convert(docx_from_body(body))] == [
            "| Donante | Monto | Estado |\n| --- | --- | --- |\n| Unión Europea | 10 \\| 12 | firmado |\n"
            "| Unión Europea | Total |  |\n\nRecuadro de dos líneas."
        ]

    def test_headings_from_localized_style_ids_and_outline_levels(self) -> None:
        styles = (
            '<w:style w:type="paragraph" w:styleId="Ttulo1"><w:name w:val="heading 1"/></w:style>'
            '<w:style w:type="paragraph" w:styleId="MiTitulo"><w:name w:val="Mi título"/>'
            '<w:basedOn w:val="Ttulo1"/></w:style>'
            '<w:style w:type="paragraph" w:styleId="Esquema"><w:name w:val="Esquema"/>'
            '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
        )
        body = p("Compromisos", style="Ttulo1") + p("Derivado", style="MiTitulo") + p("Nivel dos", style="Esquema")
        body += p("Texto normal.", style="Normal")
        assert [c for *_, c in convert(docx_from_body(body, styles=styles))] == [
            "## Compromisos\n\n## Derivado\n\n### Nivel dos\n\nTexto normal."
        ]

    def test_deleted_changes_field_codes_and_drawings_are_skipped(self) -> None:
        body = (
            '<w:p><w:r><w:t xml:space="preserve">Monto </w:t></w:r>'
            "<w:del><w:r><w:delText>antiguo </w:delText></w:r></w:del>"
            '<w:ins><w:r><w:t xml:space="preserve">vigente </w:t></w:r></w:ins>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>de 5 millones</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            "<w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>cuadro flotante</w:t></w:r></w:p></w:txbxContent>"
            "</w:drawing></w:r>"
            '<w:hyperlink><w:r><w:t xml:space="preserve"> (ver anexo).</w:t></w:r></w:hyperlink></w:p>'
        )
        assert [c for *_, c in convert(docx_from_body(body))] == ["Monto vigente de 5 millones (ver anexo)."]

    def test_entities_are_not_expanded_nor_external_ones_loaded(self) -> None:
        doctype = (
            '<!DOCTYPE w:document [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        )
        xml = (
            f'<?xml version="1.0"?>{doctype}<w:document xmlns:w="{W}"><w:body>'
            "<w:p><w:r><w:t>Acta &b; &ext; fin.</w:t></w:r></w:p></w:body></w:document>"
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", xml)
        (page,) = convert(buffer.getvalue())
        assert "AAAA" not in page[3] and "root:" not in page[3]
        assert page[3].startswith("Acta")

    def test_xml_beyond_the_budget_is_refused_before_parsing(self) -> None:
        data = docx_from_body(p("x" * 50_000))
        with pytest.raises(DocumentXmlTooLarge) as excinfo:
            convert(data, max_xml_bytes=10_000)
        assert (excinfo.value.code, excinfo.value.status) == ("xml_too_large", 413)
        assert "MAX_DOCUMENT_XML_MB" in excinfo.value.detail
        assert convert(data, max_xml_bytes=100_000)[0][3] == "x" * 50_000

    def test_a_lying_declared_size_is_caught_while_reading(self) -> None:
        data = bytearray(docx_from_body(p("y" * 50_000)))
        # Shrink the declared uncompressed size of document.xml in the central directory: reading stops there.
        index = data.rfind(b"PK\x01\x02")
        while data[index + 46 : index + 46 + 17] != b"word/document.xml":
            index = data.rfind(b"PK\x01\x02", 0, index)
        data[index + 24 : index + 28] = (100).to_bytes(4, "little")
        with pytest.raises(UnreadableFile):  # zipfile yields 100 bytes, then the CRC check fails: damaged
            convert(bytes(data), max_xml_bytes=1_000)

    def test_too_many_pages(self) -> None:
        data = build_docx([("p", "Uno."), ("page",), ("p", "Dos."), ("page",), ("p", "Tres.")])
        with pytest.raises(TooManyPages) as excinfo:
            convert(data, max_pages=2)
        assert excinfo.value.detail == (
            "acta.docx tiene 3 páginas y el límite es 2 por registro (MAX_RECORD_PAGES): divídalo en varios archivos."
        )

    def test_no_words(self) -> None:
        with pytest.raises(NoText):
            convert(build_docx([("p", "12 34"), ("table", [["1", "2"], ["3", "4"]])]))

    def test_a_damaged_archive_is_unreadable(self) -> None:
        with pytest.raises(UnreadableFile):
            convert(b"PK\x03\x04 no es un zip")

    def test_invalid_xml_is_unreadable(self) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document><w:body><w:p>")
        with pytest.raises(UnreadableFile) as excinfo:
            convert(buffer.getvalue())
        assert excinfo.value.detail.startswith("acta.docx está dañado o incompleto")

    def test_serialization_round_trip(self) -> None:
        converter = DocxPagesConverter(max_pages=7, max_xml_bytes=1234)
        again = DocxPagesConverter.from_dict(converter.to_dict())
        assert (again.max_pages, again.max_xml_bytes) == (7, 1234)


class TestOdtPages:
    def test_explicit_and_soft_page_breaks_headings_lists_tables_without_header_or_footer(self) -> None:
        data = build_odt(
            [
                ("title", "Acta de la mesa técnica"),
                ("h1", "Participantes"),
                ("p", "Participaron la APCI\ny la Defensoría."),
                ("bullet", "Un punto."),
                ("rendered",),
                ("p", "Tras el salto automático."),
                ("page",),
                ("table", [["Cooperante", "Monto"], ["Francia", "1,5"]]),
            ],
            header="ENCABEZADO ODT",
            footer="PIE ODT",
        )
        docs = DocxPagesConverter().run(sources=[ByteStream(data=data)])["documents"]
        assert [(d.meta["page"], d.meta["page_kind"], d.meta["source_kind"], d.content) for d in docs] == [
            (
                1,
                "page",
                "odt",
                "# Acta de la mesa técnica\n\n## Participantes\n\n"
                "Participaron la APCI\ny la Defensoría.\n\n- Un punto.",
            ),
            (2, "page", "odt", "Tras el salto automático."),
            (3, "page", "odt", "| Cooperante | Monto |\n| --- | --- |\n| Francia | 1,5 |"),
        ]

    def test_without_breaks_an_odt_is_one_section(self) -> None:
        docs = DocxPagesConverter().run(sources=[ByteStream(data=build_odt([("p", "Solo texto.")]))])["documents"]
        assert [(d.meta["page"], d.meta["page_kind"], d.content) for d in docs] == [(1, "section", "Solo texto.")]


class TestRenderMarkdownTable:
    def test_header_separator_rows_escaping_and_padding(self) -> None:
        assert render_markdown_table([["A", "B | C"], ["uno\ndos", "  tres  "], ["solo"]]) == (
            "| A | B \\| C |\n| --- | --- |\n| uno dos | tres |\n| solo |  |"
        )
