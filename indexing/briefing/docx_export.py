"""Word (DOCX) export of a briefing with python-docx. No network, no template files."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

from docx import Document

from indexing.briefing.model import Briefing
from indexing.briefing.render import NO_RESULTS_ES, citation_source_es, one_line
from indexing.text.formatting import format_date_es

# Characters XML 1.0 forbids (python-docx refuses them): C0 controls other than tab/newline/CR, and non-characters.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: Any) -> Any:
    if isinstance(value, str):
        return _XML_UNSAFE.sub("", value)
    if isinstance(value, list):
        return [_xml_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _xml_safe(v) for k, v in value.items()}
    return value


def to_docx(briefing: Briefing) -> bytes:
    """DOCX bytes of a briefing.

    Title (heading level 0), "Generado el …" line, one heading per section, one paragraph per point followed by
    superscript footnote numbers, an "Advertencias" list when there are warnings, and a "Notas" section with one
    numbered endnote per citation: record title, date, page and «quote».

    :param briefing: the briefing.
    :returns: the .docx file content.
    """
    briefing = Briefing.from_dict(_xml_safe(briefing.to_dict()))
    doc = Document()
    props = doc.core_properties
    props.title = briefing.title
    props.language = "es-ES"
    props.subject = "Ayuda memoria"
    props.identifier = briefing.id
    try:
        created = datetime.fromisoformat(briefing.generated_at)
        props.created = created
        props.modified = created
    except ValueError:
        pass

    doc.add_heading(briefing.title, level=0)
    generated = format_date_es(briefing.generated_at)
    if generated:
        doc.add_paragraph().add_run(f"Generado el {generated}.").italic = True
    if not briefing.found:
        doc.add_paragraph(NO_RESULTS_ES)

    for section in briefing.sections:
        doc.add_heading(section.heading, level=1)
        for point in section.points:
            paragraph = doc.add_paragraph()
            paragraph.add_run(one_line(point.text))
            for i, n in enumerate(point.citations):
                marker = paragraph.add_run(f",{n}" if i else str(n))
                marker.font.superscript = True

    if briefing.warnings:
        doc.add_heading("Advertencias", level=1)
        for warning in briefing.warnings:
            doc.add_paragraph(one_line(warning), style="List Bullet")

    if briefing.citations:
        doc.add_heading("Notas", level=1)
        for citation in briefing.citations:
            title, where = citation_source_es(citation)
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"{citation.n}. ")
            paragraph.add_run(title).italic = True
            paragraph.add_run(f"{where}: «{one_line(citation.quote)}»")

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
