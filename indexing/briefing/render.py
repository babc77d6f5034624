"""Markdown rendering of a briefing (Spanish dates and numbers are formatted by `indexing.text.formatting`)."""

from __future__ import annotations

import re

from indexing.briefing.model import Briefing, Citation
from indexing.text.formatting import format_date_es, page_label_es

_SPACES_RE = re.compile(r"\s+")

NO_RESULTS_ES = "No se encontraron pasajes pertinentes en los registros indexados."


_MD_ESCAPES = {c: "\\" + c for c in "\\`*_[]|~#"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_SPECIAL_RE = re.compile("[" + re.escape("".join(_MD_ESCAPES)) + "]")


def escape_markdown(text: str) -> str:
    """Text from the records (titles, quotes, filenames, headings) made inert in Markdown and HTML.

    Emphasis, code, links, tables, strikethrough and headings marks get a backslash; `&`, `<` and `>` become
    entities, so no tag (`<script>`) or autolink reaches a renderer. Linear time.

    :param text: the text, already on one line.
    :returns: the escaped text; it renders as the original text.
    """
    return _MD_SPECIAL_RE.sub(lambda m: _MD_ESCAPES[m.group(0)], text)


def one_line(text: str) -> str:
    """Collapse whitespace (page line breaks) so a quote fits on one Markdown or DOCX line."""
    return _SPACES_RE.sub(" ", text).strip()


def citation_source_es(citation: Citation) -> tuple[str, str]:
    """(title, "(fecha), p. N") parts of a footnote, shared by Markdown and DOCX: "p. N (OCR)" for a scanned page,
    "sección N" for a Word record without page breaks."""
    date = format_date_es(citation.date)
    where = f" ({date})" if date else ""
    ocr = " (OCR)" if citation.ocr else ""
    return citation.title or citation.filename, f"{where}, {page_label_es(citation.page, citation.page_kind)}{ocr}"


def to_markdown(briefing: Briefing) -> str:
    """Markdown of a briefing with `[^n]` footnotes.

    Layout::

        # Ayuda memoria: tema

        *Generado el 17 de julio de 2023.*

        ## Encabezado

        - Texto del punto.[^1][^2]

        [^1]: *Título* (17 de julio de 2023), p. 3: «cita»

    Every text that comes from the records or the request (title, headings, points, quotes, source titles and
    filenames, warnings) goes through `escape_markdown`.

    :param briefing: the briefing.
    :returns: the Markdown text, ending with a newline.
    """
    lines = [f"# {escape_markdown(one_line(briefing.title))}", ""]
    generated = format_date_es(briefing.generated_at)
    if generated:
        lines += [f"*Generado el {generated}.*", ""]
    if not briefing.found:
        lines += [NO_RESULTS_ES, ""]
    for section in briefing.sections:
        lines += [f"## {escape_markdown(one_line(section.heading))}", ""]
        for point in section.points:
            markers = "".join(f"[^{n}]" for n in point.citations)
            lines.append(f"- {escape_markdown(one_line(point.text))}{markers}")
        lines.append("")
    if briefing.warnings:
        lines += ["## Advertencias", ""]
        lines += [f"- {escape_markdown(one_line(w))}" for w in briefing.warnings]
        lines.append("")
    for citation in briefing.citations:
        title, where = citation_source_es(citation)
        lines.append(
            f"[^{citation.n}]: *{escape_markdown(one_line(title))}*{escape_markdown(where)}: "
            f"«{escape_markdown(one_line(citation.quote))}»"
        )
    return "\n".join(lines).rstrip("\n") + "\n"
