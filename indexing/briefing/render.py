"""Markdown rendering of a briefing and Spanish date / number formatting."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from indexing.briefing.model import Briefing, Citation

MONTH_NAMES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

_ISO_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_SPACES_RE = re.compile(r"\s+")

NO_RESULTS_ES = "No se encontraron pasajes pertinentes en los registros indexados."


def format_date_es(iso: str | None) -> str:
    """Spanish long date: "2023-07-17" → "17 de julio de 2023", "2023-07" → "julio de 2023", "2023" → "2023".

    A timestamp ("2023-07-17T10:00:00+00:00") is formatted by its date part. Anything else is returned unchanged.

    :param iso: ISO date (or prefix of one).
    :returns: the formatted date, "" for None or "".
    """
    if not iso:
        return ""
    m = _ISO_RE.match(iso.strip())
    if not m:
        return iso
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        return iso
    if day is None:
        return f"{MONTH_NAMES[int(month) - 1]} de {year}"
    return f"{int(day)} de {MONTH_NAMES[int(month) - 1]} de {year}"


def month_heading_es(iso: str | None) -> str:
    """Capitalized month and year of an ISO date ("2023-03-15" → "Marzo de 2023"); "Sin fecha" when unknown."""
    if not iso:
        return "Sin fecha"
    m = _ISO_RE.match(iso.strip())
    if not m:
        return "Sin fecha"
    if m.group(2) is None or not 1 <= int(m.group(2)) <= 12:
        return m.group(1)
    return f"{MONTH_NAMES[int(m.group(2)) - 1].capitalize()} de {m.group(1)}"


def format_number_es(x: int | float | Decimal | str, decimals: int | None = None) -> str:
    """Spanish number: "." groups thousands, "," separates decimals (1500000 → "1.500.000", 2.5 → "2,5").

    :param x: the number (a float is taken by its shortest representation, so 1500.5 → "1.500,5").
    :param decimals: fixed number of decimals; None keeps the significant ones.
    :returns: the formatted number.
    :raises ValueError: when `x` is not a number.
    """
    try:
        value = Decimal(str(x)) if not isinstance(x, Decimal) else x
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {x!r}") from exc
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals))
        text = format(value, "f")
    else:
        text = format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    return f"{sign}{out},{frac}" if frac else f"{sign}{out}"


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
    """(title, "(fecha), p. N") parts of a footnote, shared by Markdown and DOCX."""
    date = format_date_es(citation.date)
    where = f" ({date})" if date else ""
    return citation.title or citation.filename, f"{where}, p. {citation.page}"


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
