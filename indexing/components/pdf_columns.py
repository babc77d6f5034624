"""Two-column PDF pages read column by column: the left column whole, then the right one.

pypdf's default extraction follows the content stream. Word processors draw each column whole, so their pages
already read in order; producers that draw line by line across the page (left line, right line at the same height)
come out as "left line right line", mixing both columns in every sentence. pypdf's layout mode places every
character at its position on a character grid, so a gutter is visible there as a column of blanks down the page:

- a *two-sided* line has exactly one wide gap (`MIN_GAP` blanks or more) between text on both sides; the gutter is
  the grid column inside the gaps of most two-sided lines, near the middle of the page;
- the page is cut into stretches of lines with nothing on the gutter column, ended by a line crossing it (a
  full-width line) or by a tall vertical gap (`MAX_BLANK_RUN` blank lines: the footer, a new section);
- a stretch with at least `MIN_TWO_SIDED` two-sided lines is read as two columns (every line's part left of the
  gutter, then every line's part right of it); the rest of the page is read line by line.

A page without such a gutter gives None, and its text stays pypdf's default extraction, unchanged. Whitespace-aligned
tables are not columns: their rows have two or more gaps. Linear in the page: every line is scanned once per pass.

`page_text` reads a page once: its content stream is parsed a single time (the parse is ~40% of either extraction)
and both readings, the layout one and, for a page without a gutter, the default one, run on those operations; the
texts are exactly those of `extract_text(extraction_mode="layout")` and `extract_text()`.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from pypdf import PageObject
from pypdf._text_extraction import _has_text_operator as has_text_operator
from pypdf._text_extraction import _layout_mode
from pypdf.generic import ArrayObject, ContentStream, NameObject, StreamObject

__all__ = ["column_lines", "column_text", "page_text"]

MIN_GAP = 3
MIN_TWO_SIDED = 4
MIN_SIDE_CHARS = 8
MAX_BLANK_RUN = 3
_GAP_RE = re.compile(r"(?<=\S) {" + str(MIN_GAP) + r",}(?=\S)")


def _two_sided_gap(line: str) -> tuple[int, int] | None:
    """The one wide interior gap of a line with enough text on both sides, else None."""
    gaps = list(_GAP_RE.finditer(line))
    if len(gaps) != 1:
        return None
    a, b = gaps[0].span()
    if len(line[:a].strip()) < MIN_SIDE_CHARS or len(line[b:].strip()) < MIN_SIDE_CHARS:
        return None
    return a, b


def _gutter(lines: list[str]) -> int | None:
    """The grid column of the gutter: inside the gap of the most two-sided lines, in the middle half of the page."""
    width = max((len(line.rstrip()) for line in lines), default=0)
    votes: Counter[int] = Counter()
    for line in lines:
        gap = _two_sided_gap(line)
        if gap is not None:
            votes.update(range(gap[0] + 1, gap[1] - 1))
    middle = [(n, c) for c, n in votes.items() if width * 0.25 <= c <= width * 0.75]
    if not middle:
        return None
    best = max(n for n, _ in middle)
    if best < MIN_TWO_SIDED:
        return None
    plateau = sorted(c for n, c in middle if n == best)
    return plateau[len(plateau) // 2]


def _crosses(line: str, gutter: int) -> bool:
    return bool(line[max(0, gutter - 1) : gutter + 2].strip())


def _clean(part: str) -> str:
    return " ".join(part.split())


def column_lines(lines: list[str]) -> list[str] | None:
    """The lines of a page laid out on a character grid (pypdf layout mode), read column by column.

    :param lines: the layout-mode lines of one page.
    :returns: the non-blank lines in reading order, spaces collapsed; None when the page has no two-column stretch.
    """
    gutter = _gutter(lines)
    if gutter is None:
        return None
    stretches: list[list[str]] = [[]]
    blanks = 0
    for line in lines:
        if not line.strip():
            blanks += 1
            if blanks == MAX_BLANK_RUN and stretches[-1]:
                stretches.append([])
            continue
        blanks = 0
        if _crosses(line, gutter):
            if stretches[-1]:
                stretches.append([])
            stretches[-1].append(line)
            stretches.append([])
            continue
        stretches[-1].append(line)
    out: list[str] = []
    two_columns = False
    for stretch in stretches:
        if sum(1 for line in stretch if _two_sided_gap(line)) >= MIN_TWO_SIDED:
            two_columns = True
            out.extend(_clean(line[:gutter]) for line in stretch if line[:gutter].strip())
            out.extend(_clean(line[gutter:]) for line in stretch if line[gutter:].strip())
        else:
            out.extend(_clean(line) for line in stretch)
    return out if two_columns else None


def _joined(found: list[str] | None) -> str | None:
    # Ends with a line break, as pypdf's default extraction of a page does.
    return "".join(f"{line}\n" for line in found) if found is not None else None


def _layout_text(page: PageObject, operations: list[tuple[Any, bytes]]) -> str:
    """pypdf's layout-mode text of `page` (`PageObject._layout_mode_text` with its defaults) from parsed operations."""
    bt_groups = _layout_mode.text_show_operations(iter(operations), page._layout_mode_fonts(), True, None)
    if not bt_groups:
        return ""
    ty_groups = _layout_mode.y_coordinate_groups(bt_groups, None)
    char_width = _layout_mode.fixed_char_width(bt_groups, 1.25)
    return _layout_mode.fixed_width_page(ty_groups, char_width, True, 1)


def _see(operator: Any, operands: Any, cm: Any, tm: Any) -> None:
    """An operator visitor that does nothing: with a visitor, pypdf reads the operations it is given as they are."""


def page_text(page: PageObject) -> str:
    """A page's text, its content stream parsed once: read column by column when it has two columns, else pypdf's
    default extraction (both exactly as `column_text(page) or page.extract_text()`).

    :param page: a pypdf page (its `/Contents` is replaced by the parsed stream: read it from a reader of its own).
    :returns: the page text.
    :raises Exception: whatever pypdf raises when the page cannot be read (a damaged content stream).
    """
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if not isinstance(contents, ArrayObject | StreamObject):  # no content stream: nothing to lay out
        return page.extract_text()
    try:
        stream = ContentStream(contents, page.pdf, "bytes")
        has_text = has_text_operator(stream.get_data())
        operations = stream.operations
    except Exception:  # the default extraction raises (or reads around) the defect, as it did without the reuse
        return page.extract_text()
    try:
        found = _joined(column_lines(_layout_text(page, operations).split("\n")))
    except Exception:  # layout mode is an extra reading: a page it cannot lay out keeps the default extraction
        found = None
    if found:
        return found
    if not has_text:  # what the default extraction answers for a stream without text-showing operators
        return ""
    # The parsed stream in place of the page's /Contents: the default extraction reuses its operations (with a
    # visitor it skips the text-operator check on the re-serialized bytes, made above on the original ones).
    page[NameObject("/Contents")] = stream
    return page.extract_text(visitor_operand_before=_see)


def column_text(page: PageObject) -> str | None:
    """A two-column page's text read column by column, or None for any other page (or when layout mode fails).

    :param page: a pypdf page.
    :returns: the text, one line per laid-out line, each ended by a line break; None when the page has no
        two-column stretch.
    """
    try:
        laid_out = page.extract_text(extraction_mode="layout")
    except Exception:  # layout mode is an extra reading: a page it cannot lay out keeps the default extraction
        return None
    return _joined(column_lines(laid_out.split("\n")))
