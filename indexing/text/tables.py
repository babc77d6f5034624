"""Tables in page text: rows of "|" (or tab) separated cells under a header, found once for chunking and the register.

Every table the records hold reaches the page text as rows of cells: PDF reports draw their rows as "| Donante |
Monto | ... |" lines (pypdf keeps them), Markdown records and the Word converter write pipe tables (a header row,
a `| --- |` separator, one row per line), and the cleaner turns whitespace-aligned columns into " | " cells.

- A *row* is a line with cells ("|" separated, or two or more tabs); a row wrapped by the PDF text layer ("| BID |
  ... | Superintendencia de" + "Migraciones | Anunciado |") is one row whose text spans both lines.
- A *table* is a run of at least two consecutive rows (separator lines included). Its first row is its header
  when a Markdown separator follows it, or when at most one of its cells holds a digit and two of them name a
  column ("Donante", "Monto", "Estado", ...).
- A table continues across a page break (`link_pages`) when the first table of the next page starts in its first
  lines, has no header (or repeats the header) and has the same number of columns: it takes the header and caption
  of the table it continues.

Offsets are character offsets in the page text, so `page_text[row.start:row.end] == row.text` and a row is
quoted verbatim. Linear in the page: every line is read once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from indexing.text.sentences import split_sentences
from indexing.text.tokens import fold_same_length

__all__ = [
    "Row", "Table", "cell_spans", "find_tables", "is_separator", "is_table_row", "link_pages", "render_row", "table_row"
]

# Words that name a column in the records' tables (folded): a first row where two cells start with one is a header.
COLUMN_WORDS = (
    "donante", "cooperante", "actor", "fuente", "entidad", "pais", "organismo", "socio", "monto", "importe",
    "cantidad", "valor", "aporte", "contribucion", "compromiso", "moneda", "divisa", "instrumento", "modalidad",
    "tipo", "estado", "situacion", "fase", "destino", "beneficiario", "receptor", "destinatario", "conferencia",
    "evento", "ano", "fecha", "anunciado", "comprometido", "firmado", "desembolsado", "ejecutado", "pendiente",
    "saldo", "parte", "canal", "sector", "region", "concepto", "descripcion", "observaciones", "proyecto",
    "numero", "nombre", "cargo", "institucion", "plazo", "meta", "indicador", "avance", "responsable",
)  # fmt: skip
_SEPARATOR_RE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)*\s*:?-{3,}:?\s*\|?\s*$")
_COLUMN_WORD_RE = re.compile(r"^(?:" + "|".join(COLUMN_WORDS) + r")s?(?![^\W\d_])")
# A wrapped row ends within this many more lines; a row that never closes is read as the lines it has.
MAX_ROW_LINES = 4
# The first table of a page continues the previous page's last table when at most this many lines precede it
# (a caption such as "Cuadro 1 (continuación)", a running header the cleaner kept).
MAX_LINES_BEFORE_CONTINUATION = 2


@dataclass(frozen=True)
class Row:
    """One table row.

    :ivar cells: the cell texts, trimmed, in column order (line breaks inside a cell become spaces).
    :ivar text: the row as it appears in the page text (a wrapped row keeps its line break).
    :ivar page: 1-based page of the row, when known.
    :ivar start: offset of the row in its page text.
    :ivar end: end offset (exclusive) of the row in its page text.
    """

    cells: tuple[str, ...]
    text: str
    page: int | None
    start: int
    end: int


@dataclass(frozen=True)
class Table:
    """One table of one page.

    :ivar header: the column names; empty for a table without a header.
    :ivar rows: the data rows, in order (the header row and separator lines are not rows).
    :ivar caption: the sentence before the table ("Cuadro 2. Compromisos en millones de USD."), or "".
    :ivar page: 1-based page, when known.
    :ivar start: offset in the page text of the table's first line (its header row, or its first row).
    :ivar end: end offset (exclusive) of its last row.
    :ivar header_row: the header row as written on this page; None when the header is absent or was taken from the
        table this one continues.
    :ivar continued: it continues a table of the previous page.
    """

    header: tuple[str, ...]
    rows: tuple[Row, ...]
    caption: str
    page: int | None
    start: int
    end: int
    header_row: Row | None = None
    continued: bool = False

    @property
    def columns(self) -> int:
        """Number of columns: of the header, else of the widest row."""
        return len(self.header) or max((len(r.cells) for r in self.rows), default=0)


def is_table_row(line: str) -> bool:
    """Whether a line holds table cells: two "|" or two tabs ("| Alemania | 12 |", "Alemania | 12 | EUR").

    :param line: one line, without its newline.
    :returns: True for rows and separator lines.
    """
    return line.count("|") >= 2 or line.count("\t") >= 2


def is_separator(line: str) -> bool:
    """Whether a line is a Markdown table separator ("|---|---|", "| :--- | ---: |").

    :param line: one line, without its newline.
    :returns: True for separators.
    """
    return _SEPARATOR_RE.match(line) is not None


def cell_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a table row, relative to the line, trimmed; the empty cells outside a leading
    and a trailing "|" are not cells.

    :param line: one row (it may contain line breaks: a wrapped row).
    :returns: the cell spans, in column order.
    """
    sep = "|" if "|" in line else "\t"
    spans, pos = [], 0
    for part in line.split(sep):
        a, b = pos, pos + len(part)
        pos = b + 1
        while a < b and line[a].isspace():
            a += 1
        while b > a and line[b - 1].isspace():
            b -= 1
        spans.append((a, b))
    if sep == "|":
        if line.strip().startswith("|"):
            spans = spans[1:]
        if line.strip().endswith("|"):
            spans = spans[:-1]
    return spans


def _cells(line: str) -> tuple[str, ...]:
    return tuple(" ".join(line[a:b].split()) for a, b in cell_spans(line))


def table_row(text: str, page: int | None = None, start: int = 0) -> Row:
    """The `Row` of one row's text (as stored in a table passage's `table_rows`).

    :param text: the row as in the page text.
    :param page: its page.
    :param start: its offset in the page text.
    :returns: the row with its cells.
    """
    return Row(_cells(text), text, page, start, start + len(text))


def _looks_like_header(cells: tuple[str, ...]) -> bool:
    """Column names: at most one cell with a digit ("Avance a diciembre de 2023") and two cells (every cell of a
    narrower table) naming a column; a data row rarely names two ("| Reino Unido | ... | Anunciado |")."""
    if not cells or sum(any(ch.isdigit() for ch in c) for c in cells) > 1:
        return False
    named = sum(1 for c in cells if _COLUMN_WORD_RE.match(fold_same_length(c).lower()))
    return named >= min(2, len(cells))


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    return out


def _caption(text: str, lines: list[tuple[int, int]], index: int) -> str:
    """The last sentence of the non-blank line before line `index`, when it is not a table row."""
    if index == 0:
        return ""
    start, end = lines[index - 1]
    before = text[start:end]
    if not before.strip() or is_table_row(before):
        return ""
    spans = split_sentences(before[-600:])
    if not spans:
        return ""
    s, e = spans[-1]
    return before[-600:][s:e]


def find_tables(text: str, page: int | None = None) -> list[Table]:
    """The tables of one page text, in order.

    :param text: the page text (cleaned, as stored).
    :param page: its 1-based page number, copied to the tables and rows.
    :returns: every run of two or more rows, with its header when it has one.
    """
    lines = _lines(text)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        start, end = lines[i]
        if not is_table_row(text[start:end]):
            i += 1
            continue
        first = i
        rows: list[Row] = []
        separators: list[int] = []  # indexes into `rows` after which a separator line stood
        while i < len(lines) and is_table_row(text[lines[i][0] : lines[i][1]]):
            a, b = lines[i]
            line = text[a:b]
            i += 1
            if is_separator(line):
                separators.append(len(rows))
                continue
            # A row the text layer wrapped: it opens with "|" and closes on a later line that does not open one.
            if line.strip().startswith("|") and not line.strip().endswith("|"):
                k = i
                while k < len(lines) and k - i < MAX_ROW_LINES - 1:
                    nxt = text[lines[k][0] : lines[k][1]].strip()
                    if not nxt or nxt.startswith("|"):
                        break
                    k += 1
                    if nxt.endswith("|"):
                        b = lines[k - 1][1]
                        i = k
                        break
            rows.append(Row(_cells(text[a:b]), text[a:b], page, a, b))
        if len(rows) + len(separators) < 2:
            continue
        header_row: Row | None = None
        if rows and (1 in separators or (not separators and _looks_like_header(rows[0].cells))):
            header_row = rows[0]
        body = tuple(rows[1:] if header_row else rows)
        if not body:
            continue
        tables.append(
            Table(
                header=header_row.cells if header_row else (),
                rows=body,
                caption=_caption(text, lines, first),
                page=page,
                start=lines[first][0],
                end=body[-1].end,
                header_row=header_row,
            )
        )
    return tables


def link_pages(pages: list[list[Table]], texts: list[str]) -> list[list[Table]]:
    """Tables continuing across page breaks take the header and caption of the table they continue.

    The first table of a page continues the last table of the page before when at most
    `MAX_LINES_BEFORE_CONTINUATION` non-blank lines precede it, it has no header or repeats the header, and its rows
    have the header's number of columns.

    :param pages: `find_tables` of each page of one record, in page order.
    :param texts: the page texts, in the same order.
    :returns: the same tables, continuations with `continued=True` and the inherited header and caption.
    """
    out: list[list[Table]] = []
    previous: Table | None = None
    for tables, text in zip(pages, texts, strict=True):
        tables = list(tables)
        if tables and previous is not None and previous.header:
            first = tables[0]
            lead = [line for line in text[: first.start].split("\n") if line.strip()]
            same_shape = all(len(r.cells) == len(previous.header) for r in first.rows)
            header_ok = not first.header or first.header == previous.header
            if len(lead) <= MAX_LINES_BEFORE_CONTINUATION and same_shape and header_ok:
                tables[0] = replace(
                    first, header=previous.header, caption=first.caption or previous.caption, continued=True
                )
        out.append(tables)
        previous = tables[-1] if tables else None
    return out


def render_row(header: tuple[str, ...], row: Row) -> str:
    """A row as a person reads it with its header: "Donante: Alemania | Monto: 22,2 | Moneda: EUR".

    :param header: the column names (empty: the cells alone).
    :param row: the row.
    :returns: "name: cell" pairs joined by " | "; cells past the header, and empty cells, are written bare or left
        out.
    """
    parts = []
    for k, cell in enumerate(row.cells):
        if not cell:
            continue
        name = header[k] if k < len(header) else ""
        parts.append(f"{name}: {cell}" if name else cell)
    return " | ".join(parts)
