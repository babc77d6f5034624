"""Markdown rendering and Spanish date / number formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indexing.briefing import Briefing, Citation, Point, Section, to_markdown
from indexing.briefing.render import escape_markdown
from indexing.text.formatting import format_date_es, format_number_es


def small_briefing(**overrides) -> Briefing:
    values = dict(
        id="0123456789abcdef",
        title="Ayuda memoria: desembolsos de Canadá",
        generated_at="2023-07-17T10:00:00+00:00",
        summary_markdown="",
        sections=[
            Section(
                heading="Acta de la reunión (16 de marzo de 2023)",
                points=[
                    Point("Canadá desembolsó 30 millones de dólares.", [1, 2]),
                    Point("Se acordó una nueva reunión\nen junio.", [3]),
                ],
            )
        ],
        citations=[
            Citation(
                n=1,
                document_id="d1",
                filename="acta.pdf",
                title="Acta de la reunión",
                date="2023-03-16",
                page=2,
                quote="Canadá desembolsó 30 millones de dólares.",
            ),
            Citation(
                n=2,
                document_id="d2",
                filename="nota.txt",
                title="Nota de prensa",
                date=None,
                page=1,
                quote="Canadá desembolsó 30 millones de dólares.",
            ),
            Citation(
                n=3,
                document_id="d1",
                filename="acta.pdf",
                title="",
                date="2023-03",
                page=4,
                quote="Se acordó una nueva reunión\nen junio.",
            ),
        ],
        found=True,
    )
    values.update(overrides)
    return Briefing(**values)


def test_markdown_exact_text():
    assert to_markdown(small_briefing()) == (
        "# Ayuda memoria: desembolsos de Canadá\n"
        "\n"
        "*Generado el 17 de julio de 2023.*\n"
        "\n"
        "## Acta de la reunión (16 de marzo de 2023)\n"
        "\n"
        "- Canadá desembolsó 30 millones de dólares.[^1][^2]\n"
        "- Se acordó una nueva reunión en junio.[^3]\n"
        "\n"
        "[^1]: *Acta de la reunión* (16 de marzo de 2023), p. 2: «Canadá desembolsó 30 millones de dólares.»\n"
        "[^2]: *Nota de prensa*, p. 1: «Canadá desembolsó 30 millones de dólares.»\n"
        "[^3]: *acta.pdf* (marzo de 2023), p. 4: «Se acordó una nueva reunión en junio.»\n"
    )


def test_footnote_of_an_ocr_page_says_so():
    scanned = Citation(
        n=1,
        document_id="d3",
        filename="aviso.pdf",
        title="Aviso",
        date="2023-10-24",
        page=1,
        quote="Sala Bolognesi.",
        ocr=True,
    )
    section = Section("Aviso", [Point("Sala Bolognesi.", [1])])
    text = to_markdown(small_briefing(citations=[scanned], sections=[section]))
    assert text.endswith("[^1]: *Aviso* (24 de octubre de 2023), p. 1 (OCR): «Sala Bolognesi.»\n")


def test_markdown_lists_warnings_and_not_found_notice():
    text = to_markdown(small_briefing(sections=[], citations=[], found=False, warnings=["Se descartó algo."]))
    assert text == (
        "# Ayuda memoria: desembolsos de Canadá\n\n*Generado el 17 de julio de 2023.*\n\n"
        "No se encontraron pasajes pertinentes en los registros indexados.\n\n"
        "## Advertencias\n\n- Se descartó algo.\n"
    )


@pytest.mark.parametrize(
    ("iso", "expected"),
    [
        ("2023-07-17", "17 de julio de 2023"),
        ("2022-03-01", "1 de marzo de 2022"),
        ("2023-12", "diciembre de 2023"),
        ("2021", "2021"),
        ("2023-07-17T10:00:00+00:00", "17 de julio de 2023"),
        ("", ""),
        (None, ""),
        ("sin fecha", "sin fecha"),
    ],
)
def test_format_date_es(iso, expected):
    assert format_date_es(iso) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1500000, "1.500.000"),
        (1500.5, "1.500,5"),
        (2.5, "2,5"),
        (653, "653"),
        (0, "0"),
        (-1234567.25, "-1.234.567,25"),
        (Decimal("1500000000"), "1.500.000.000"),
        ("1000", "1.000"),
        (3.0, "3"),
    ],
)
def test_format_number_es(value, expected):
    assert format_number_es(value) == expected


def test_format_number_es_fixed_decimals():
    assert format_number_es(1500, decimals=2) == "1.500,00"
    assert format_number_es(2.456, decimals=1) == "2,5"


def test_format_number_es_rejects_text():
    with pytest.raises(ValueError):
        format_number_es("mil")


def test_markdown_escapes_markdown_and_html_from_the_records():
    b = small_briefing(
        title="Ayuda memoria: <script>alert(1)</script> *urgente*",
        sections=[Section(heading="## Acta_final [borrador]", points=[Point("Pago de **5** € <b>x</b> & más.", [1])])],
        citations=[
            Citation(
                n=1,
                document_id="d1",
                filename="a|b`c`.pdf",
                title="",
                date=None,
                page=3,
                quote="Cita con [enlace](http://x) y ~tachado~.",
            )
        ],
    )
    assert to_markdown(b) == (
        "# Ayuda memoria: &lt;script&gt;alert(1)&lt;/script&gt; \\*urgente\\*\n"
        "\n"
        "*Generado el 17 de julio de 2023.*\n"
        "\n"
        "## \\#\\# Acta\\_final \\[borrador\\]\n"
        "\n"
        "- Pago de \\*\\*5\\*\\* € &lt;b&gt;x&lt;/b&gt; &amp; más.[^1]\n"
        "\n"
        "[^1]: *a\\|b\\`c\\`.pdf*, p. 3: «Cita con \\[enlace\\](http://x) y \\~tachado\\~.»\n"
    )


def test_escape_markdown_leaves_plain_spanish_alone():
    text = "Canadá desembolsó 1.500,5 millones (USD) el 17-07-2023: «sí»."
    assert escape_markdown(text) == text


def test_a_citation_of_a_word_section_says_seccion_in_markdown_and_docx():
    import io

    from docx import Document

    from indexing.briefing import to_docx

    section = Citation(
        n=1,
        document_id="d9",
        filename="memo.docx",
        title="Memorándum",
        date="2023-11-24",
        page=2,
        quote="UNICEF desembolsó.",
        page_kind="section",
    )
    briefing = small_briefing(
        sections=[Section(heading="Memorándum", points=[Point("UNICEF desembolsó.", [1])])], citations=[section]
    )
    note = "[^1]: *Memorándum* (24 de noviembre de 2023), sección 2: «UNICEF desembolsó.»\n"
    assert to_markdown(briefing).endswith(note)
    notes = [p.text for p in Document(io.BytesIO(to_docx(briefing))).paragraphs]
    assert notes[-1] == "1. Memorándum (24 de noviembre de 2023), sección 2: «UNICEF desembolsó.»"
    assert Briefing.from_dict(briefing.to_dict()).citations == [section]
    legacy = {**briefing.to_dict(), "citations": [{k: v for k, v in vars(section).items() if k != "page_kind"}]}
    assert Briefing.from_dict(legacy).citations[0].page_kind == "page"  # briefings stored before page_kind
