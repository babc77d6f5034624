"""Word (.docx) and OpenDocument text (.odt) bytes → one Haystack Document per page, or per section when the file
stores no page breaks."""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict
from haystack.components.converters.utils import get_bytestream_from_source, normalize_metadata
from haystack.dataclasses import ByteStream
from lxml import etree

from indexing.components.decoding import strip_undecodable
from indexing.components.office_zip import (
    DOCX,
    DOCX_MAIN_PART,
    ODT,
    UnreadablePart,
    XmlBudget,
    XmlBudgetExceeded,
    open_zip,
    package_kind,
    parse_xml,
)
from indexing.constants import FILENAME, PAGE, PAGE_KIND, PAGE_KIND_PAGE, PAGE_KIND_SECTION, PAGES, SOURCE_KIND
from indexing.errors import DocumentXmlTooLarge, NoText, TooManyPages, UnreadableFile
from indexing.text.formatting import format_number_es

logger = logging.getLogger(__name__)

_LETTER_RE = re.compile(r"[^\W\d_]")
_HEADING_NAME_RE = re.compile(r"^(?:heading|t[ií]tulo|ttulo)\s*([1-9])$")
_TITLE_NAMES = frozenset({"title", "título", "titulo", "ttulo"})
_MAX_HEADING_MARKS = 6
_MAX_STYLE_CHAIN = 20
_MAX_REPEAT = 100  # ODF "number-columns-repeated" / "number-rows-repeated" beyond this is layout, not content

# Page-break modes: where pages come from.
_RENDERED = "rendered"  # page breaks the word processor stored when it last laid the document out
_EXPLICIT = "explicit"  # page breaks the author inserted
_SECTIONS = "sections"  # neither: one Document per section

_BREAK = None
"""Marker between the blocks of two pages, in the block stream of a document."""

Block = str | None


def render_markdown_table(rows: Sequence[Sequence[str]]) -> str:
    """A table as Markdown pipe-table lines: the first row as header, a `| --- |` separator, one line per row.

    Whitespace inside a cell (the cell's line breaks, its paragraphs) collapses to one space and `|` in a cell is
    escaped as `\\|`, so every row is one line and the header stays the first line. Shorter rows are padded with
    empty cells. Shared by the Word and OpenDocument readers; the table chunker may reuse it.

    :param rows: the rows, header first, each a list of cell texts; at least one row.
    :returns: the table, lines joined with "\\n" (no trailing newline).
    """
    width = max(len(row) for row in rows)

    def line(cells: Sequence[str]) -> str:
        padded = [*cells, *([""] * (width - len(cells)))]
        return "| " + " | ".join(" ".join(c.split()).replace("|", "\\|") for c in padded) + " |"

    return "\n".join([line(rows[0]), "| " + " | ".join(["---"] * width) + " |", *(line(r) for r in rows[1:])])


def _table_blocks(rows: list[list[str]], breaks: list[int]) -> Iterator[Block]:
    """Blocks of one table whose row i is preceded by breaks[i] page breaks: split at them, header repeated.

    A table of one column is a box, not a table: its cells become paragraphs.
    """
    if not any(c.strip() for row in rows for c in row):
        yield from [_BREAK] * sum(breaks)
        return
    if max(len(row) for row in rows) < 2:
        for row, n in zip(rows, breaks, strict=True):
            yield from [_BREAK] * n
            if row and row[0].strip():
                yield " ".join(row[0].split())
        return
    header = rows[0]
    yield from [_BREAK] * breaks[0]
    current = [header]
    for row, n in zip(rows[1:], breaks[1:], strict=True):
        if n:
            if len(current) > 1:
                yield render_markdown_table(current)
            yield from [_BREAK] * n
            current = [header]  # the header goes on with the rows, as Word repeats it
        current.append(row)
    yield render_markdown_table(current)


def _format_paragraph(text: str, level: int | None, is_list: bool) -> str:
    """One paragraph as a block: a heading line ("## Compromisos"), a list item ("- …") or its lines."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    if level is not None:
        return "#" * min(max(level, 1), _MAX_HEADING_MARKS) + " " + " ".join(lines)
    body = "\n".join(lines)
    return "- " + body if is_list else body


def _pages(blocks: Iterator[Block]) -> list[str]:
    pages: list[list[str]] = [[]]
    for block in blocks:
        if block is _BREAK:
            pages.append([])
        elif block:
            pages[-1].append(block)
    texts = [strip_undecodable("\n\n".join(page)) for page in pages]
    while len(texts) > 1 and not texts[-1].strip():
        texts.pop()  # a break at the very end opens no page with content
    return texts


def _on(element: etree._Element | None, val: str) -> bool:
    """A WordprocessingML on/off property: present and not "0"/"false"/"off"."""
    return element is not None and element.get(val, "true").lower() not in ("0", "false", "off")


class _DocxReader:
    """Reads the body of `word/document.xml` into blocks, in body order. Headers, footers, footnotes, comments and
    text boxes live in other parts or inside drawings and are not read; deleted tracked changes are skipped."""

    def __init__(self, root: etree._Element, styles: etree._Element | None) -> None:
        self.ns = etree.QName(root).namespace or ""
        q = self.q
        self.val = q("val")
        self.levels, self.list_styles = self._paragraph_styles(styles)
        if next(root.iter(q("lastRenderedPageBreak")), None) is not None:
            self.mode = _RENDERED
        elif any(br.get(q("type")) == "page" for br in root.iter(q("br"))) or any(
            _on(e, self.val) for e in root.iter(q("pageBreakBefore"))
        ):
            self.mode = _EXPLICIT
        else:
            self.mode = _SECTIONS
        self.body = root.find(q("body"))
        self._inline_containers = {
            q(t) for t in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "customXml", "bdo", "dir")
        }
        self._block_containers = {q(t) for t in ("customXml", "ins", "moveTo")}

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"

    @property
    def page_kind(self) -> str:
        return PAGE_KIND_SECTION if self.mode == _SECTIONS else PAGE_KIND_PAGE

    def _paragraph_styles(self, styles: etree._Element | None) -> tuple[dict[str, int], set[str]]:
        """Paragraph style id → heading level (1 = title, 2 = heading 1…), and the ids of list styles (numbered
        or bulleted), both inherited through `basedOn`."""
        q = self.q
        own: dict[str, int] = {}
        own_list: set[str] = set()
        parent: dict[str, str] = {}
        if styles is not None:
            for style in styles.iter(q("style")):
                sid = style.get(q("styleId")) or ""
                if style.get(q("type")) != "paragraph" or not sid:
                    continue
                name_el = style.find(q("name"))
                level = _name_level((name_el.get(self.val) or "") if name_el is not None else "")
                outline = style.find(f"{q('pPr')}/{q('outlineLvl')}")
                if level is None and outline is not None:
                    level = _outline_level(outline.get(self.val))
                if level is not None:
                    own[sid] = level
                num = style.find(f"{q('pPr')}/{q('numPr')}/{q('numId')}")
                if num is not None and num.get(self.val) not in (None, "0"):
                    own_list.add(sid)
                based = style.find(q("basedOn"))
                if based is not None and based.get(self.val):
                    parent[sid] = based.get(self.val) or ""
        levels = dict(own)
        lists = set(own_list)
        for sid in parent:
            current, depth = sid, 0
            while current not in own and current not in own_list and current in parent and depth < _MAX_STYLE_CHAIN:
                current, depth = parent[current], depth + 1
            if current in own:
                levels[sid] = own[current]
            if current in own_list:
                lists.add(sid)
        return levels, lists

    def _heading_level(self, ppr: etree._Element | None) -> int | None:
        if ppr is None:
            return None
        outline = ppr.find(self.q("outlineLvl"))
        if outline is not None:
            return _outline_level(outline.get(self.val))
        style = ppr.find(self.q("pStyle"))
        if style is None:
            return None
        sid = style.get(self.val) or ""
        return self.levels.get(sid, _name_level(sid))

    def _is_list(self, ppr: etree._Element | None) -> bool:
        if ppr is None:
            return False
        num = ppr.find(f"{self.q('numPr')}/{self.q('numId')}")
        if num is not None:
            return num.get(self.val) not in (None, "0")  # numId 0 switches a list style's numbering off
        style = ppr.find(self.q("pStyle"))
        return style is not None and (style.get(self.val) or "") in self.list_styles

    def blocks(self) -> Iterator[Block]:
        if self.body is not None:
            yield from self._blocks(self.body)

    def _blocks(self, container: etree._Element) -> Iterator[Block]:
        q = self.q
        for child in container:
            tag = child.tag
            if tag == q("p"):
                yield from self._paragraph(child)
            elif tag == q("tbl"):
                yield from self._table(child)
            elif tag == q("sdt"):
                content = child.find(q("sdtContent"))
                if content is not None:
                    yield from self._blocks(content)
            elif tag in self._block_containers:
                yield from self._blocks(child)

    def _paragraph(self, p: etree._Element) -> Iterator[Block]:
        q = self.q
        ppr = p.find(q("pPr"))
        level = self._heading_level(ppr)
        is_list = level is None and self._is_list(ppr)
        explicit = self.mode == _EXPLICIT and ppr is not None
        before = 1 if explicit and _on(ppr.find(q("pageBreakBefore")), self.val) else 0
        segments, rendered_before, deferred = self._segments(p)
        yield from [_BREAK] * (before + rendered_before)
        for i, text in enumerate(segments):
            if i:
                yield _BREAK
            yield _format_paragraph(text, level, is_list)
        yield from [_BREAK] * deferred
        sect = ppr.find(q("sectPr")) if ppr is not None else None
        if sect is not None and self._section_breaks_page(sect):
            yield _BREAK

    def _section_breaks_page(self, sect: etree._Element) -> bool:
        if self.mode == _SECTIONS:
            return True
        if self.mode == _RENDERED:
            return False  # the stored rendering already marks where the next page starts
        kind = sect.find(self.q("type"))
        return (kind.get(self.val) if kind is not None else "nextPage") in ("nextPage", "oddPage", "evenPage")

    def _segments(self, p: etree._Element) -> tuple[list[str], int, int]:
        """The paragraph's text split at explicit page breaks, and its rendered page breaks: those met before any
        text (the paragraph starts a page) and those met after (the paragraph runs onto the next page: the break
        is taken after it, so a paragraph is never cut)."""
        segments: list[list[str]] = [[]]
        before = after = 0
        seen_text = False  # kept as a flag, not searched for at every break: linear in the paragraph
        for piece in self._inline(p):
            if piece is _PAGE_BREAK:
                segments.append([])
            elif piece is _RENDERED_BREAK:
                if seen_text:
                    after += 1
                else:
                    before += 1
            else:
                segments[-1].append(piece)
                seen_text = seen_text or bool(piece.strip())
        return ["".join(seg) for seg in segments], before, after

    def _inline(self, element: etree._Element) -> Iterator[str]:
        q = self.q
        for child in element:
            tag = child.tag
            if tag == q("r"):
                yield from self._run(child)
            elif tag in self._inline_containers:
                yield from self._inline(child)
            elif tag == q("sdt"):
                content = child.find(q("sdtContent"))
                if content is not None:
                    yield from self._inline(content)

    def _run(self, run: etree._Element) -> Iterator[str]:
        q = self.q
        for child in run:
            tag = child.tag
            if tag == q("t"):
                yield child.text or ""
            elif tag in (q("tab"), q("ptab")):
                yield " "
            elif tag == q("br"):
                kind = child.get(q("type"))
                if kind == "page":
                    if self.mode == _EXPLICIT:
                        yield _PAGE_BREAK
                elif kind == "column":
                    yield " "
                else:
                    yield "\n"
            elif tag == q("cr"):
                yield "\n"
            elif tag == q("lastRenderedPageBreak"):
                yield _RENDERED_BREAK
            elif tag == q("noBreakHyphen"):
                yield "-"

    def _table(self, tbl: etree._Element) -> Iterator[Block]:
        q = self.q
        rows: list[list[str]] = []
        breaks: list[int] = []
        carried: dict[int, str] = {}  # grid column → text of the vertically merged cell that covers it
        for tr in self._children(tbl, "tr"):
            cells: list[str] = []
            grid_before = tr.find(f"{q('trPr')}/{q('gridBefore')}")
            cells.extend([""] * _int(grid_before.get(self.val) if grid_before is not None else None, 0, 64))
            n_breaks = 0
            for tc in self._children(tr, "tc"):
                tcpr = tc.find(q("tcPr"))
                span_el = tcpr.find(q("gridSpan")) if tcpr is not None else None
                span = _int(span_el.get(self.val) if span_el is not None else None, 1, 64)
                merge = tcpr.find(q("vMerge")) if tcpr is not None else None
                text, found = self._cell_text(tc)
                n_breaks += found
                column = len(cells)
                if merge is not None and merge.get(self.val) != "restart":
                    text = carried.get(column, text)  # a merged cell reads the same in every row it spans
                elif merge is not None:
                    carried[column] = text
                else:
                    carried.pop(column, None)
                cells.append(text)
                cells.extend([""] * (span - 1))
            rows.append(cells)
            breaks.append(n_breaks)
        if rows:
            yield from _table_blocks(rows, breaks)

    def _children(self, element: etree._Element, tag: str) -> Iterator[etree._Element]:
        """Rows of a table / cells of a row, also when wrapped in content controls or custom XML."""
        q = self.q
        for child in element:
            if child.tag == q(tag):
                yield child
            elif child.tag == q("sdt"):
                content = child.find(q("sdtContent"))
                if content is not None:
                    yield from self._children(content, tag)
            elif child.tag == q("customXml"):
                yield from self._children(child, tag)

    def _cell_text(self, container: etree._Element) -> tuple[str, int]:
        """A cell's text on one line (paragraphs and nested tables joined by spaces) and the page breaks in it."""
        q = self.q
        parts: list[str] = []
        breaks = 0
        for child in container:
            if child.tag == q("p"):
                segments, before, after = self._segments(child)
                breaks += before + after + len(segments) - 1
                parts.extend(segments)
            elif child.tag == q("tbl"):
                for tr in self._children(child, "tr"):
                    for tc in self._children(tr, "tc"):
                        text, found = self._cell_text(tc)
                        parts.append(text)
                        breaks += found
            elif child.tag == q("sdt"):
                content = child.find(q("sdtContent"))
                if content is not None:
                    text, found = self._cell_text(content)
                    parts.append(text)
                    breaks += found
            elif child.tag in self._block_containers:
                text, found = self._cell_text(child)
                parts.append(text)
                breaks += found
        return " ".join(" ".join(parts).split()), breaks


class _PageBreakMark(str):
    """A page-break marker in a stream of text pieces (compared by identity)."""

    __slots__ = ()


_PAGE_BREAK = _PageBreakMark("")
_RENDERED_BREAK = _PageBreakMark("")


def _name_level(name: str) -> int | None:
    """Heading level of a built-in style name or a localized style id: "Title" 1, "heading 1" / "Ttulo1" 2…"""
    key = name.strip().lower()
    if key in _TITLE_NAMES:
        return 1
    match = _HEADING_NAME_RE.match(key)
    return int(match.group(1)) + 1 if match else None


def _outline_level(value: str | None) -> int | None:
    """Heading level of a WordprocessingML outline level (0-8 → 2-10, capped at 6 marks; 9 is body text)."""
    level = _int(value, 9, 9)
    return level + 2 if level < 9 else None  # outline level 0 is "heading 1", below the title


def _int(value: str | None, default: int, cap: int) -> int:
    try:
        number = int(value) if value is not None else default
    except ValueError:
        return default
    return max(0, min(number, cap))


# OpenDocument namespaces.
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"


def _t(tag: str) -> str:
    return f"{{{_TEXT}}}{tag}"


def _tb(tag: str) -> str:
    return f"{{{_TABLE}}}{tag}"


_ODT_SPANS = frozenset(_t(t) for t in ("span", "a", "meta", "ruby", "ruby-base", "bookmark-ref", "reference-ref"))
_ODT_ROW_GROUPS = frozenset(_tb(t) for t in ("table-header-rows", "table-rows", "table-row-group"))


class _OdtReader:
    """Reads `office:text` of an OpenDocument `content.xml` into blocks, in body order. Headers and footers live in
    `styles.xml` (master pages) and are not read; notes, annotations, frames and indexes are skipped."""

    def __init__(self, content: etree._Element, styles: etree._Element | None) -> None:
        roots = [content, *([styles] if styles is not None else [])]
        self.breaks = self._break_styles(roots)
        self.title_styles = self._title_styles(roots)
        self.body = content.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}text")
        if next(content.iter(_t("soft-page-break")), None) is not None:
            self.mode = _RENDERED
        elif self.breaks and any(
            e.get(_t("style-name")) in self.breaks or e.get(_tb("style-name")) in self.breaks
            for e in content.iter(_t("p"), _t("h"), _tb("table"))
        ):
            self.mode = _EXPLICIT
        else:
            self.mode = _SECTIONS

    @property
    def page_kind(self) -> str:
        return PAGE_KIND_SECTION if self.mode == _SECTIONS else PAGE_KIND_PAGE

    @staticmethod
    def _break_styles(roots: list[etree._Element]) -> dict[str, tuple[bool, bool]]:
        """Style name → (page break before, page break after), inherited through parent styles."""
        own: dict[str, tuple[bool, bool]] = {}
        parent: dict[str, str] = {}
        for root in roots:
            for style in root.iter(f"{{{_STYLE}}}style"):
                name = style.get(f"{{{_STYLE}}}name")
                if not name:
                    continue
                if style.get(f"{{{_STYLE}}}parent-style-name"):
                    parent[name] = style.get(f"{{{_STYLE}}}parent-style-name") or ""
                for props in style:
                    if props.tag in (f"{{{_STYLE}}}paragraph-properties", f"{{{_STYLE}}}table-properties"):
                        before = props.get(f"{{{_FO}}}break-before") == "page"
                        after = props.get(f"{{{_FO}}}break-after") == "page"
                        if before or after:
                            own[name] = (before, after)
        out = dict(own)
        for name in parent:
            current, depth = name, 0
            while current not in own and current in parent and depth < _MAX_STYLE_CHAIN:
                current, depth = parent[current], depth + 1
            if current in own:
                out[name] = own[current]
        return out

    @staticmethod
    def _title_styles(roots: list[etree._Element]) -> set[str]:
        """Names of the paragraph styles that are the "Title" style or derive from it (one level: automatic styles)."""
        out: set[str] = set()
        for root in roots:
            for style in root.iter(f"{{{_STYLE}}}style"):
                name = style.get(f"{{{_STYLE}}}name") or ""
                parent = style.get(f"{{{_STYLE}}}parent-style-name") or ""
                if _name_level(name) == 1 or _name_level(parent) == 1:
                    out.add(name)
        return out

    def _style_breaks(self, element: etree._Element) -> tuple[int, int]:
        if self.mode == _SECTIONS:
            return 0, 0  # soft page breaks mark automatic breaks only: the author's breaks count beside them
        name = element.get(_t("style-name")) or element.get(_tb("style-name"))
        before, after = self.breaks.get(name or "", (False, False))
        return int(before), int(after)

    def blocks(self) -> Iterator[Block]:
        if self.body is not None:
            yield from self._blocks(self.body, in_list=False)

    def _blocks(self, container: etree._Element, *, in_list: bool) -> Iterator[Block]:
        for child in container:
            tag = child.tag
            if tag in (_t("p"), _t("h")):
                yield from self._paragraph(child, in_list=in_list)
            elif tag == _t("list"):
                for item in child:
                    if item.tag in (_t("list-item"), _t("list-header")):
                        yield from self._blocks(item, in_list=True)
            elif tag == _tb("table"):
                yield from self._table(child)
            elif tag == _t("section"):
                yield from self._blocks(child, in_list=in_list)
            elif tag == _t("soft-page-break") and self.mode == _RENDERED:
                yield _BREAK

    def _paragraph(self, p: etree._Element, *, in_list: bool) -> Iterator[Block]:
        level = None
        if p.tag == _t("h"):  # outline level 1 is "heading 1", below the title, as in Word documents
            level = (_int(p.get(_t("outline-level")), 1, _MAX_HEADING_MARKS) or 1) + 1
        elif (p.get(_t("style-name")) or "") in self.title_styles:
            level = 1
        before, after = self._style_breaks(p)
        segments, rendered_before, deferred = self._segments(p)
        yield from [_BREAK] * (before + rendered_before)
        yield _format_paragraph(segments, level, in_list)
        yield from [_BREAK] * (deferred + after)

    def _segments(self, p: etree._Element) -> tuple[str, int, int]:
        pieces: list[str] = []
        before = after = 0
        seen_text = False
        for piece in self._inline(p):
            if piece is _RENDERED_BREAK:
                if seen_text:
                    after += 1
                else:
                    before += 1
            else:
                pieces.append(piece)
                seen_text = seen_text or bool(piece.strip())
        return "".join(pieces), before, after

    def _inline(self, element: etree._Element) -> Iterator[str]:
        if element.text:
            yield _odf_text(element.text)
        for child in element:
            tag = child.tag
            if tag in _ODT_SPANS:
                yield from self._inline(child)
            elif tag == _t("s"):
                yield " " * _int(child.get(_t("c")), 1, _MAX_REPEAT)
            elif tag == _t("tab"):
                yield " "
            elif tag == _t("line-break"):
                yield "\n"
            elif tag == _t("soft-page-break") and self.mode == _RENDERED:
                yield _RENDERED_BREAK
            if child.tail:
                yield _odf_text(child.tail)

    def _table(self, table: etree._Element) -> Iterator[Block]:
        rows: list[list[str]] = []
        breaks: list[int] = []
        before, after = self._style_breaks(table)
        for row, n_breaks in self._rows(table):
            cells: list[str] = []
            for cell in row:
                if cell.tag not in (_tb("table-cell"), _tb("covered-table-cell")):
                    continue
                repeat = _int(cell.get(_tb("number-columns-repeated")), 1, _MAX_REPEAT)
                span = _int(cell.get(_tb("number-columns-spanned")), 1, _MAX_REPEAT)
                text = self._cell_text(cell) if cell.tag == _tb("table-cell") else ""
                for _ in range(max(repeat, 1)):
                    cells.append(text)
                    cells.extend([""] * (span - 1))
            repeat_rows = _int(row.get(_tb("number-rows-repeated")), 1, _MAX_REPEAT)
            for i in range(max(repeat_rows, 1)):
                rows.append(cells)
                breaks.append(n_breaks if i == 0 else 0)
        yield from [_BREAK] * before
        if rows:
            yield from _table_blocks(rows, breaks)
        yield from [_BREAK] * after

    def _rows(self, container: etree._Element) -> Iterator[tuple[etree._Element, int]]:
        """Rows in order, each with the rendered page breaks met just before it (LibreOffice marks them between
        rows) or inside it."""
        pending = 0
        for child in container:
            if child.tag == _tb("table-row"):
                inside = sum(1 for _ in child.iter(_t("soft-page-break"))) if self.mode == _RENDERED else 0
                yield child, pending + inside
                pending = 0
            elif child.tag in _ODT_ROW_GROUPS:
                for row, n in self._rows(child):
                    yield row, n + pending
                    pending = 0
            elif child.tag == _t("soft-page-break") and self.mode == _RENDERED:
                pending += 1

    def _cell_text(self, cell: etree._Element) -> str:
        parts: list[str] = []
        for child in cell:
            if child.tag in (_t("p"), _t("h")):
                parts.append(self._segments(child)[0])
            elif child.tag == _t("list"):
                for item in child:
                    parts.append(self._cell_text(item))
            elif child.tag == _tb("table"):
                for row, _n in self._rows(child):
                    parts.extend(self._cell_text(c) for c in row)
            elif child.tag == _t("section"):
                parts.append(self._cell_text(child))
        return " ".join(" ".join(parts).split())


def _odf_text(text: str) -> str:
    # In ODF, line ends and tabs in the XML text are white space; the spaces that matter are <text:s>/<text:tab>.
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


@component
class DocxPagesConverter:
    """
    Converts Word (.docx) and OpenDocument text (.odt) records into one `Document` per page, or per section.

    The body is read in order: paragraphs, headings as Markdown heading lines ("# Título", "## Subtítulo"; from
    the built-in heading/title styles, styles based on them and outline levels), list items as "- …", and each
    table where it stands, as a Markdown pipe table (`render_markdown_table`; a one-column table is read as
    paragraphs, a vertically merged cell repeats its text in every row it covers). Blocks are separated by a blank
    line. Headers, footers, footnotes, comments, text boxes and deleted tracked changes are not read (they live in
    other parts or inside drawings).

    Pages: where the word processor stored the page breaks of its last layout (Word `w:lastRenderedPageBreak`,
    LibreOffice `text:soft-page-break`) the record is split there; else at the author's page breaks (`w:br
    w:type="page"`, "page break before", new-page section breaks; ODF `fo:break-before/after="page"`); in both
    cases `page_kind` = "page". A rendered break inside a paragraph is taken after it (a paragraph is never cut);
    inside a table, before the row it falls in, and the header row is repeated on the next page. A file with no
    page breaks at all gives one Document per Word section (an .odt: one), with `page_kind` = "section".

    Each Document carries the ByteStream's meta plus `page` (1-based), `pages` (total), `page_kind` and
    `source_kind` = "docx" or "odt". Only `word/document.xml` and `word/styles.xml` (`content.xml` and
    `styles.xml` for ODT) are read, within `max_xml_bytes` of uncompressed XML, with a parser that resolves no
    entities and loads nothing.

    ### Usage example

    ```python
    from haystack.dataclasses import ByteStream
    from indexing.components.docx_pages_converter import DocxPagesConverter

    pages = DocxPagesConverter().run(sources=[ByteStream(data=docx_bytes, meta={"filename": "acta.docx"})])
    print(pages["documents"][0].meta["page_kind"])  # "page" or "section"
    ```
    """

    def __init__(self, max_pages: int | None = None, max_xml_bytes: int = 64 * 1024 * 1024) -> None:
        """
        Creates a DocxPagesConverter.

        :param max_pages: a record with more pages (or sections) is refused with `TooManyPages`; None = no cap.
        :param max_xml_bytes: most bytes of uncompressed XML read from one record (`MAX_DOCUMENT_XML_MB`); beyond
            it the record is refused with `DocumentXmlTooLarge` before the XML is parsed.
        """
        self.max_pages = max_pages
        self.max_xml_bytes = max_xml_bytes

    def to_dict(self) -> dict[str, Any]:
        """Serializes the component to a dictionary."""
        return default_to_dict(self, max_pages=self.max_pages, max_xml_bytes=self.max_xml_bytes)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocxPagesConverter:
        """Deserializes the component from a dictionary."""
        return default_from_dict(cls, data)

    @component.output_types(documents=list[Document])
    def run(
        self, sources: list[str | Path | ByteStream], meta: dict[str, Any] | list[dict[str, Any]] | None = None
    ) -> dict[str, list[Document]]:
        """
        Converts each Word or OpenDocument record into its page Documents, in page order.

        :param sources: .docx / .odt files as ByteStreams (the kind is read from the content, not the name); their
            `meta` (filename, document_id, ...) is copied to every page.
        :param meta: optional extra metadata, one dict for all sources or one per source (wins over ByteStream meta).
        :returns: A dictionary with the following key:
            - `documents`: the pages of every source, in order.
        :raises DocumentXmlTooLarge: the XML parts read expand beyond `max_xml_bytes`.
        :raises NoText: the document holds no word at all.
        :raises TooManyPages: the document has more than `max_pages` pages (or sections).
        :raises UnreadableFile: the archive is not a Word or OpenDocument text package, or it is damaged.
        """
        documents: list[Document] = []
        streams = [get_bytestream_from_source(s) for s in sources]
        for source, extra in zip(streams, normalize_metadata(meta, sources_count=len(streams)), strict=True):
            documents.extend(self._convert(source, {**source.meta, **extra}))
        return {"documents": documents}

    def _convert(self, source: ByteStream, base_meta: dict[str, Any]) -> list[Document]:
        name = base_meta.get(FILENAME) or "El documento"
        archive = open_zip(source.data)
        if archive is None:
            raise UnreadableFile(
                f"{name} no es un documento de Word u OpenDocument legible (el archivo ZIP está dañado)."
            )
        budget = XmlBudget(self.max_xml_bytes)
        try:
            with archive:
                kind = package_kind(archive)
                if kind == DOCX:
                    reader: _DocxReader | _OdtReader = self._docx(archive, budget, name)
                elif kind == ODT:
                    reader = self._odt(archive, budget, name)
                else:
                    raise UnreadableFile(f"{name} no es un documento de Word (.docx) ni de OpenDocument (.odt).")
                texts = _pages(reader.blocks())
        except XmlBudgetExceeded as exc:
            raise DocumentXmlTooLarge(
                f"{name} se descomprime en más de {format_number_es(round(exc.limit / 1048576, 2))} MB de XML (el "
                "límite, MAX_DOCUMENT_XML_MB): divídalo en varios archivos o expórtelo a PDF."
            ) from None
        except (UnreadablePart, zipfile.BadZipFile, RecursionError) as exc:
            logger.warning("Could not read %s: %s", name, exc)
            raise UnreadableFile(
                f"{name} está dañado o incompleto y no se puede leer: vuelva a guardarlo (como .docx o PDF) y "
                "súbalo de nuevo."
            ) from None
        if not any(_LETTER_RE.search(t) for t in texts):
            raise NoText(f"{name} no contiene ninguna palabra que indexar.")
        total = len(texts)
        if self.max_pages is not None and total > self.max_pages:
            unit = "páginas" if reader.page_kind == PAGE_KIND_PAGE else "secciones"
            raise TooManyPages(
                f"{name} tiene {total} {unit} y el límite es {self.max_pages} por registro "
                "(MAX_RECORD_PAGES): divídalo en varios archivos."
            )
        source_kind = "docx" if kind == DOCX else "odt"
        logger.debug("Converted %s: %d %s (%s)", name, total, reader.page_kind, reader.mode)
        return [
            Document(
                content=text,
                meta={**base_meta, PAGE: n, PAGES: total, PAGE_KIND: reader.page_kind, SOURCE_KIND: source_kind},
            )
            for n, text in enumerate(texts, start=1)
        ]

    @staticmethod
    def _docx(archive: zipfile.ZipFile, budget: XmlBudget, name: str) -> _DocxReader:
        data = budget.read(archive, DOCX_MAIN_PART)
        if data is None:
            raise UnreadableFile(f"{name} no tiene el documento principal (word/document.xml).")
        styles_data = budget.read(archive, "word/styles.xml")  # both read (and budgeted) before any parsing
        root = parse_xml(data, DOCX_MAIN_PART)
        styles = parse_xml(styles_data, "word/styles.xml") if styles_data else None
        return _DocxReader(root, styles)

    @staticmethod
    def _odt(archive: zipfile.ZipFile, budget: XmlBudget, name: str) -> _OdtReader:
        data = budget.read(archive, "content.xml")
        if data is None:
            raise UnreadableFile(f"{name} no tiene el contenido del documento (content.xml).")
        styles_data = budget.read(archive, "styles.xml")
        content = parse_xml(data, "content.xml")
        styles = parse_xml(styles_data, "styles.xml") if styles_data else None
        return _OdtReader(content, styles)
