"""Generate the sample Word (.docx) and OpenDocument (.odt) records.

Run with ``python -m corpus.make_docx``. Writes the records of `RECORDS` into ``corpus/records`` (dev) and
``corpus/holdout/records`` (check). Output is byte-for-byte deterministic: fixed document properties and ZIP
timestamps.

A record is a list of blocks (`Block`), each a tuple whose first item says what it is:

* ``("title", text)``, ``("h1", text)``, ``("h2", text)``: the Title style and Heading 1 / Heading 2;
* ``("p", text)``: a paragraph; ``("bullet", text)``: a bulleted list item;
* ``("table", rows)``: a table, header row first (``rows`` is a list of lists of cell texts; a "\\n" in a cell is a
  second paragraph of the cell);
* ``("page",)``: a page break the author inserted (Word: ``w:br w:type="page"``; ODT: a paragraph style with
  ``fo:break-before="page"`` on the next paragraph);
* ``("rendered",)``: the next paragraph starts a page of the word processor's last layout (Word:
  ``w:lastRenderedPageBreak``; ODT: ``text:soft-page-break``), as a file saved by Word or LibreOffice stores it;
* ``("section",)``: a new section starting on a new page (Word only).

`build_docx` writes Word files with python-docx (header and footer text go in their own parts, as Word keeps them);
`build_odt` writes OpenDocument text with zipfile and XML (the header and footer go in `styles.xml`).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

CORPUS_DIR = Path(__file__).resolve().parent
DEV_DIR = CORPUS_DIR / "records"
CHECK_DIR = CORPUS_DIR / "holdout" / "records"

Block = tuple
_FIXED_TIME = (2024, 1, 1, 0, 0, 0)
_FIXED_DATETIME = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def _deterministic_zip(data: bytes) -> bytes:
    """The same archive with fixed member timestamps (python-docx stamps the time of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            member.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def _rendered_break_run() -> OxmlElement:
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:lastRenderedPageBreak"))
    return run


def build_docx(blocks: list[Block], *, header: str | None = None, footer: str | None = None) -> bytes:
    """A Word document of `blocks` (see the module docstring).

    :param blocks: the body, in order.
    :param header: text of the page header (a separate part, repeated on every page by Word).
    :param footer: text of the page footer.
    :returns: the .docx bytes, deterministic.
    """
    document = docx.Document()
    props = document.core_properties
    props.author = "APCI"
    props.last_modified_by = "APCI"
    props.created = _FIXED_DATETIME
    props.modified = _FIXED_DATETIME
    props.revision = 1
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    rendered_next = False
    for block in blocks:
        kind = block[0]
        if kind == "page":
            document.add_page_break()
            continue
        if kind == "rendered":
            rendered_next = True
            continue
        if kind == "section":
            document.add_section(WD_SECTION.NEW_PAGE)
            continue
        if kind == "table":
            rows = block[1]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            for i, row in enumerate(rows):
                for j, value in enumerate(row):
                    lines = value.split("\n")
                    cell = table.cell(i, j)
                    cell.text = lines[0]
                    for line in lines[1:]:
                        cell.add_paragraph(line)
            continue
        if kind == "title":
            paragraph = document.add_heading(block[1], level=0)
        elif kind == "h1":
            paragraph = document.add_heading(block[1], level=1)
        elif kind == "h2":
            paragraph = document.add_heading(block[1], level=2)
        elif kind == "bullet":
            paragraph = document.add_paragraph(block[1], style="List Bullet")
        elif kind == "p":
            paragraph = document.add_paragraph(block[1])
        else:
            raise ValueError(f"unknown block {kind!r}")
        if rendered_next:
            p = paragraph._p
            p.insert(1 if p.find(qn("w:pPr")) is not None else 0, _rendered_break_run())
            rendered_next = False
    buffer = io.BytesIO()
    document.save(buffer)
    return _deterministic_zip(buffer.getvalue())


_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)
_ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _odt_paragraph(tag: str, text: str, attrs: str) -> str:
    lines = [escape(line) for line in text.split("\n")]
    return f"<text:{tag}{attrs}>" + "<text:line-break/>".join(lines) + f"</text:{tag}>"


def build_odt(blocks: list[Block], *, header: str | None = None, footer: str | None = None) -> bytes:
    """An OpenDocument text file of `blocks` (see the module docstring; no sections).

    :param blocks: the body, in order.
    :param header: text of the page header (in `styles.xml`, on the master page).
    :param footer: text of the page footer.
    :returns: the .odt bytes, deterministic.
    """
    body: list[str] = []
    break_next = False
    for block in blocks:
        kind = block[0]
        if kind == "page":
            break_next = True
            continue
        if kind == "rendered":
            body.append("<text:soft-page-break/>")
            continue
        if kind == "section":
            raise ValueError("ODT records have no sections here")
        style = ' text:style-name="PB"' if break_next else ""
        if kind == "table":
            rows = block[1]
            columns = max(len(r) for r in rows)
            cells = "".join(
                "<table:table-row>"
                + "".join(
                    '<table:table-cell office:value-type="string">'
                    + "".join(_odt_paragraph("p", line, "") for line in value.split("\n"))
                    + "</table:table-cell>"
                    for value in row
                )
                + "</table:table-row>"
                for row in rows
            )
            table_style = ' table:style-name="TB"' if break_next else ""
            body.append(
                f'<table:table table:name="Tabla{len(body)}"{table_style}>'
                f'<table:table-column table:number-columns-repeated="{columns}"/>{cells}</table:table>'
            )
        elif kind == "title":
            body.append(_odt_paragraph("p", block[1], style or ' text:style-name="Title"'))
        elif kind in ("h1", "h2"):
            level = 1 if kind == "h1" else 2
            body.append(_odt_paragraph("h", block[1], f'{style} text:outline-level="{level}"'))
        elif kind == "bullet":
            item = _odt_paragraph("p", block[1], style)
            body.append(f"<text:list><text:list-item>{item}</text:list-item></text:list>")
        elif kind == "p":
            body.append(_odt_paragraph("p", block[1], style))
        else:
            raise ValueError(f"unknown block {kind!r}")
        break_next = False
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODT_NS} office:version="1.2">'
        "<office:automatic-styles>"
        '<style:style style:name="PB" style:family="paragraph" style:parent-style-name="Standard">'
        '<style:paragraph-properties fo:break-before="page"/></style:style>'
        '<style:style style:name="TB" style:family="table"><style:table-properties fo:break-before="page"/>'
        "</style:style></office:automatic-styles>"
        "<office:body><office:text>" + "".join(body) + "</office:text></office:body></office:document-content>"
    )
    page_header = f"<style:header><text:p>{escape(header)}</text:p></style:header>" if header is not None else ""
    page_footer = f"<style:footer><text:p>{escape(footer)}</text:p></style:footer>" if footer is not None else ""
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_ODT_NS} office:version="1.2">'
        '<office:styles><style:style style:name="Standard" style:family="paragraph"/>'
        '<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard"/>'
        "</office:styles>"
        '<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">'
        f"{page_header}{page_footer}</style:master-page></office:master-styles></office:document-styles>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", date_time=_FIXED_TIME), "application/vnd.oasis.opendocument.text")
        for name, text in (("content.xml", content), ("styles.xml", styles), ("META-INF/manifest.xml", _ODT_MANIFEST)):
            archive.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), text.encode("utf-8"))
    return _deterministic_zip(buffer.getvalue())


HEADER_APCI = "Agencia Peruana de Cooperación Internacional — Dirección de Gestión y Negociación"
FOOTER_INTERNAL = "Documento de trabajo — uso interno"

# --- dev records -----------------------------------------------------------------------------------------------

ACTA_SALUD_2024_06: list[Block] = [
    ("title", "Acta de la reunión técnica de seguimiento con los cooperantes del sector salud"),
    ("p", "Lima, 20 de junio de 2024"),
    ("h1", "1. Asistentes"),
    (
        "p",
        "La reunión se celebró en la sala Raúl Porras Barrenechea de la APCI, en Miraflores, y fue presidida por la "
        "Dirección de Gestión y Negociación de la Cooperación Internacional. Participaron representantes del "
        "Ministerio de Salud, del Seguro Integral de Salud, de la Organización Panamericana de la Salud (OPS), del "
        "Gobierno de Luxemburgo y de la Embajada de Italia.",
    ),
    ("h1", "2. Agenda"),
    ("bullet", "Avance de la vacunación de la población migrante en las regiones de frontera."),
    ("bullet", "Estado de los compromisos de cooperación en salud."),
    ("bullet", "Acuerdos y próxima reunión."),
    ("rendered",),
    ("h1", "3. Avance de la vacunación en frontera"),
    (
        "p",
        "La OPS informó que la campaña de vacunación para la población migrante y refugiada en Tumbes y Piura aplicó "
        "48.600 dosis entre enero y mayo de 2024, con brigadas móviles en el Centro Binacional de Atención en "
        "Frontera.",
    ),
    (
        "p",
        "El Ministerio de Salud señaló que la afiliación temporal al Seguro Integral de Salud de las gestantes "
        "migrantes se amplió a las regiones de La Libertad y Arequipa.",
    ),
    ("h1", "4. Estado de los compromisos en salud"),
    ("p", "Los cooperantes presentaron el estado de sus compromisos, que se resume en el cuadro siguiente."),
    (
        "table",
        [
            ["Cooperante", "Monto (millones)", "Moneda", "Estado", "Destino"],
            ["OPS", "1,8", "USD", "desembolsado", "Vacunación de población migrante en Tumbes y Piura"],
            ["Luxemburgo", "2,6", "EUR", "firmado", "Atención primaria en Lima Norte"],
            ["Italia", "1,2", "EUR", "comprometido", "Salud mental de\nniñas y niños migrantes"],
        ],
    ),
    ("rendered",),
    ("h1", "5. Acuerdos"),
    (
        "p",
        "Los participantes acordaron que la próxima reunión técnica de salud se realizará el 12 de septiembre de "
        "2024 en la sede del Ministerio de Salud, en Jesús María, y que la OPS presentará entonces el balance de la "
        "campaña de vacunación.",
    ),
    ("p", "Elaborado por la Dirección de Gestión y Negociación de la Cooperación Internacional."),
]

MEMO_EDUCACION_2023_11: list[Block] = [
    ("title", "Memorándum N.º 112-2023-APCI/DGNC"),
    ("p", "Para: Dirección Ejecutiva\nDe: Dirección de Gestión y Negociación de la Cooperación Internacional"),
    ("p", "Asunto: Seguimiento de los compromisos de cooperación en educación para la niñez migrante"),
    ("p", "Lima, 24 de noviembre de 2023"),
    ("h1", "Antecedentes"),
    (
        "p",
        "En la mesa de educación del 16 de noviembre de 2023, el Ministerio de Educación informó que se habilitaron "
        "37 aulas temporales en Lima Norte y el Callao para recibir a estudiantes venezolanos que llegaron después "
        "del inicio del año escolar.",
    ),
    (
        "p",
        "UNICEF propuso ampliar el programa de nivelación escolar a Tumbes en 2024, sujeto a la confirmación de "
        "fondos de sus donantes.",
    ),
    ("section",),
    ("h1", "Anexo: cuadro de compromisos en educación"),
    (
        "table",
        [
            ["Cooperante", "Monto (millones)", "Moneda", "Estado"],
            ["UNICEF", "4,2", "USD", "desembolsado"],
            ["Países Bajos", "3,5", "EUR", "firmado"],
            ["Plan International", "0,9", "USD", "comprometido"],
        ],
    ),
    (
        "p",
        "Los Países Bajos firmaron su convenio el 9 de octubre de 2023 para financiar la formación de 1.200 docentes "
        "en la acogida de estudiantes migrantes.",
    ),
]

ACTA_PROTECCION_2024_04: list[Block] = [
    ("title", "Acta de la mesa técnica de protección de la niñez migrante"),
    ("p", "Lima, 11 de abril de 2024"),
    ("h1", "Participantes"),
    (
        "p",
        "Participaron el Ministerio de la Mujer y Poblaciones Vulnerables, la Defensoría del Pueblo, Save the "
        "Children y la Embajada de Francia, con la APCI como secretaría técnica de la mesa.",
    ),
    ("h1", "Temas tratados"),
    (
        "p",
        "Save the Children presentó los resultados de los espacios amigables para la niñez en Tacna, que atendieron "
        "a 2.350 niñas, niños y adolescentes en el primer trimestre de 2024.",
    ),
    ("page",),
    ("h1", "Compromisos"),
    (
        "table",
        [
            ["Cooperante", "Monto (millones)", "Moneda", "Estado"],
            ["Francia", "1,5", "EUR", "firmado"],
            ["Save the Children", "0,7", "USD", "desembolsado"],
        ],
    ),
    (
        "p",
        "La Defensoría del Pueblo se comprometió a publicar en junio de 2024 un protocolo de atención a niñas y "
        "niños no acompañados en los puestos de control fronterizo de Tacna y Tumbes.",
    ),
]

# --- check records ---------------------------------------------------------------------------------------------

ACTA_VIVIENDA_2025_03: list[Block] = [
    ("title", "Acta de la reunión de seguimiento de la cooperación en vivienda y albergues"),
    ("p", "Trujillo, 6 de marzo de 2025"),
    ("h1", "1. Asistentes"),
    (
        "p",
        "La reunión se realizó en el auditorio del Gobierno Regional de La Libertad. Participaron el Ministerio de "
        "Vivienda, Construcción y Saneamiento, el Gobierno Regional de La Libertad, la Embajada de Irlanda, la "
        "Embajada de Finlandia y la APCI.",
    ),
    ("h1", "2. Situación de los albergues"),
    (
        "p",
        "El Gobierno Regional informó que los cuatro albergues temporales de Trujillo ofrecen 310 plazas y que su "
        "ocupación media fue del 86 % en enero de 2025.",
    ),
    ("page",),
    ("h1", "3. Compromisos de los cooperantes"),
    (
        "table",
        [
            ["Cooperante", "Monto (millones)", "Moneda", "Estado"],
            ["Irlanda", "1,1", "EUR", "desembolsado"],
            ["Finlandia", "2,3", "EUR", "firmado"],
        ],
    ),
    (
        "p",
        "La Embajada de Finlandia indicó que su aporte financiará la rehabilitación de dos albergues en El Porvenir "
        "y en La Esperanza durante el segundo semestre de 2025.",
    ),
    ("page",),
    ("h1", "4. Acuerdos"),
    (
        "p",
        "Se acordó que el Ministerio de Vivienda presentará el 15 de mayo de 2025 un plan de salida de los albergues "
        "hacia el alquiler social para las familias con más de seis meses de estadía.",
    ),
]

MEMO_MEDIOS_VIDA_2024_10: list[Block] = [
    ("title", "Memorándum N.º 087-2024-APCI/DGNC"),
    ("p", "Asunto: Estado de los desembolsos para medios de vida de la población migrante"),
    ("p", "Lima, 18 de octubre de 2024"),
    ("h1", "Resumen"),
    (
        "p",
        "El programa de emprendimiento para migrantes en Arequipa entregó capital semilla a 640 negocios familiares "
        "entre marzo y septiembre de 2024, con el acompañamiento de la Cámara de Comercio de Arequipa.",
    ),
    ("section",),
    ("h1", "Cuadro de desembolsos"),
    (
        "table",
        [
            ["Cooperante", "Monto (millones)", "Moneda", "Estado"],
            ["Suecia", "3,2", "SEK", "desembolsado"],
            ["Francia", "0,8", "EUR", "comprometido"],
        ],
    ),
    ("section",),
    ("h1", "Recomendación"),
    (
        "p",
        "Se recomienda solicitar a la Embajada de Suecia que el segundo tramo se destine a la certificación de "
        "competencias laborales de 900 personas migrantes en Arequipa y Cusco.",
    ),
]

RECORDS: tuple[tuple[Path, str, str, list[Block]], ...] = (
    (DEV_DIR, "acta_reunion_salud_2024_06_20.docx", "docx", ACTA_SALUD_2024_06),
    (DEV_DIR, "memo_apci_educacion_2023_11.docx", "docx", MEMO_EDUCACION_2023_11),
    (DEV_DIR, "acta_mesa_proteccion_ninez_2024_04.odt", "odt", ACTA_PROTECCION_2024_04),
    (CHECK_DIR, "acta_reunion_vivienda_2025_03_06.docx", "docx", ACTA_VIVIENDA_2025_03),
    (CHECK_DIR, "memo_apci_medios_vida_2024_10.docx", "docx", MEMO_MEDIOS_VIDA_2024_10),
)


def main() -> int:
    for folder, name, kind, blocks in RECORDS:
        build = build_docx if kind == "docx" else build_odt
        data = build(blocks, header=HEADER_APCI, footer=FOOTER_INTERNAL)
        (folder / name).write_bytes(data)
        print(f"{folder.relative_to(CORPUS_DIR)}/{name}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
