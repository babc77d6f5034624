"""Cleans the page texts of one record: running headers and footers, page numbers, hyphenation, hard wraps."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict

from indexing.constants import SOURCE_KIND
from indexing.text.sentences import is_bullet_line, is_table_line

# Word and OpenDocument keep headers and footers in parts the converter does not read: their pages have none to
# remove, and a line repeated at the top of their pages is content (a table header repeated after a page break).
_NO_RUNNING_EDGES = frozenset({"docx", "odt"})

_PAGE_NUMBER_RES = (
    re.compile(r"^[-–—\s]*\d{1,4}[-–—\s]*$"),
    re.compile(r"^(?:p[áa]gina|p[áa]g\.?|p\.)\s*\d{1,4}(?:\s*(?:de|/)\s*\d{1,4})?$", re.IGNORECASE),
    re.compile(r"^\d{1,4}\s*(?:/|de)\s*\d{1,4}$", re.IGNORECASE),
)
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "\u00ad": "", "\u00a0": " "})
_HYPHEN_END_RE = re.compile(r"[^\W\d_]-$")
_TABLE_GAP_RE = re.compile(r"\t+| {3,}")
_SPACES_RE = re.compile(r"[ \t\u2000-\u200a\u202f\u3000]+")
_PARAGRAPH_END_CHARS = '.!?:;»”"…)'
# A line shorter than this share of the page's usual line length ends its paragraph (when it ends a sentence).
_SHORT_LINE_SHARE = 0.75
_MIN_LINE_WIDTH = 60
# Articles, prepositions and conjunctions: a line ending in one of them continues on the next line.
_DANGLING_WORDS = frozenset(
    {"a", "al", "con", "de", "del", "e", "el", "en", "entre", "la", "las", "los", "o", "para", "por", "que", "su"}
    | {"sus", "sobre", "u", "un", "una", "y"}
)


def _edge_key(line: str) -> str:
    return " ".join(re.sub(r"\d+", "#", line).casefold().split())


def _is_page_number(line: str) -> bool:
    stripped = line.strip()
    return any(pattern.match(stripped) for pattern in _PAGE_NUMBER_RES)


def _edge_indexes(lines: list[str], edge_lines: int) -> list[int]:
    non_empty = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(non_empty[:edge_lines] + non_empty[-edge_lines:]))


def _normalize_line(line: str) -> str:
    stripped = line.strip()
    if "|" not in stripped and is_table_line(stripped):
        stripped = _TABLE_GAP_RE.sub(" | ", stripped)  # keep the columns visible once spaces are collapsed
    return _SPACES_RE.sub(" ", stripped).strip()


def _join_hyphenated(lines: list[str]) -> list[str]:
    """Re-join words split at line ends: "coope-" + "ración" → "cooperación"; "franco-" + "Alemán" keeps the hyphen."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if i + 1 < len(lines) and _HYPHEN_END_RE.search(line[-2:]):
            # A run of joins builds one line: collect its characters instead of re-copying (and re-searching) the
            # growing line at every join ("ab-\n" repeated is one word, read once).
            chars = list(line)
            while i + 1 < len(lines) and _HYPHEN_END_RE.search("".join(chars[-2:])):
                following = lines[i + 1].lstrip()
                if not following or not (following[0].isalpha() or following[0].isdigit()):
                    break
                if following[0].islower():
                    chars.pop()
                chars.extend(following.rstrip())
                i += 1
            line = "".join(chars)
        out.append(line)
        i += 1
    return out


def _typical_width(lines: list[str]) -> int:
    lengths = sorted(len(line.strip()) for line in lines if line.strip() and not is_table_line(line))
    usual = lengths[int(0.8 * (len(lengths) - 1))] if lengths else 0
    # Printed pages run 60+ characters a line; the floor keeps short pages from calling every line "long".
    return max(usual, _MIN_LINE_WIDTH)


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _separator(line: str, following: str, width: int) -> str:
    """What replaces the line break between two non-blank lines of a page."""
    if is_bullet_line(following) or is_table_line(following) or is_table_line(line):
        return "\n"
    stripped = line.strip()
    last_word = stripped.rsplit(" ", 1)[-1]
    if last_word.lower() in _DANGLING_WORDS or (_is_upper(stripped) and _is_upper(following)):
        return " "  # the line cannot end there ("... EN" / "SOLIDARIDAD"): a wrapped heading or sentence
    if len(stripped) < _SHORT_LINE_SHARE * width:
        if stripped[-1] in _PARAGRAPH_END_CHARS:
            return "\n\n"
        if following.lstrip()[:1].isupper() and not is_bullet_line(line):
            return "\n\n"  # a heading: short, unpunctuated, followed by a capitalised line
    return " "


def _reflow(lines: list[str]) -> str:
    width = _typical_width(lines)
    parts: list[str] = []
    pending_break = False
    for i, line in enumerate(lines):
        if not line.strip():
            pending_break = bool(parts)
            continue
        if parts:
            parts.append("\n\n" if pending_break else _separator(lines[i - 1], line, width))
        parts.append(_normalize_line(line))
        pending_break = False
    return "".join(parts)


@component
class SpanishDocumentCleaner:
    """
    Cleans the pages of ONE record (given in page order) so chunks and quotes read like the printed text.

    Steps, per page: Unicode NFC and ligature folding; removal of running headers and footers (a line among the
    first or last `edge_lines` non-empty lines of a page whose digit-insensitive, case-insensitive form repeats in
    those positions on at least `min_repeat_share` of the non-empty pages, and on at least 2); removal of standalone
    page numbers in those positions ("- 3 -", "Página 3 de 5", "3") — not on Word / OpenDocument pages
    (`source_kind` "docx" / "odt"), whose headers and footers the converter never reads; re-joining of words
    hyphenated at line ends ("coope-\\nración" → "cooperación", "Franco-\\nAlemán" → "Franco-Alemán"); joining of
    hard-wrapped lines into paragraphs (a break stays only before list items and table rows, after short lines that
    end a sentence or are headings, and at blank lines, which become "\\n\\n"); runs of spaces and tabs collapse to
    one space (column gaps of table rows become " | "). Deterministic; every output page keeps its input meta.

    ### Usage example

    ```python
    from haystack import Document
    from indexing.components.spanish_cleaner import SpanishDocumentCleaner

    pages = [Document(content="Acta\\ncoope-\\nración\\n- 1 -"), Document(content="Acta\\nfin\\n- 2 -")]
    cleaned = SpanishDocumentCleaner().run(documents=pages)["documents"]
    print(cleaned[0].content)  # "cooperación"
    ```
    """

    def __init__(self, edge_lines: int = 3, min_repeat_share: float = 0.5) -> None:
        """
        Creates a SpanishDocumentCleaner.

        :param edge_lines: how many non-empty lines at the top and at the bottom of a page may be headers/footers.
        :param min_repeat_share: share of the record's non-empty pages a line must repeat on to be a header/footer.
        """
        self.edge_lines = edge_lines
        self.min_repeat_share = min_repeat_share

    def to_dict(self) -> dict[str, Any]:
        """Serializes the component to a dictionary."""
        return default_to_dict(self, edge_lines=self.edge_lines, min_repeat_share=self.min_repeat_share)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SpanishDocumentCleaner:
        """Deserializes the component from a dictionary."""
        return default_from_dict(cls, data)

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        """
        Cleans the pages of one record.

        :param documents: the page Documents of one record, in page order.
        :returns: A dictionary with the following key:
            - `documents`: one cleaned Document per input page, same order, same meta (empty pages stay empty).
        """
        pages = [
            unicodedata.normalize("NFC", (doc.content or "").translate(_LIGATURES)).replace("\r", "").split("\n")
            for doc in documents
        ]
        repeated = self._repeated_edge_keys(pages)
        cleaned = []
        for doc, lines in zip(documents, pages, strict=True):
            own_edges = doc.meta.get(SOURCE_KIND) not in _NO_RUNNING_EDGES
            edges = set(_edge_indexes(lines, self.edge_lines)) if own_edges else set()
            kept = [
                line
                for i, line in enumerate(lines)
                if i not in edges or not (_edge_key(line) in repeated or _is_page_number(line))
            ]
            text = _reflow(_join_hyphenated(kept)).strip()
            cleaned.append(Document(content=unicodedata.normalize("NFC", text), meta=dict(doc.meta)))
        return {"documents": cleaned}

    def _repeated_edge_keys(self, pages: list[list[str]]) -> set[str]:
        non_empty_pages = [lines for lines in pages if any(line.strip() for line in lines)]
        if len(non_empty_pages) < 2:
            return set()
        counts: Counter[str] = Counter()
        for lines in non_empty_pages:
            counts.update({_edge_key(lines[i]) for i in _edge_indexes(lines, self.edge_lines)})
        needed = max(2, math.ceil(self.min_repeat_share * len(non_empty_pages)))
        return {key for key, count in counts.items() if count >= needed and key}
