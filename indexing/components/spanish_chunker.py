"""Cleaned pages → sentence-aligned chunks whose text is an exact slice of the page."""

from __future__ import annotations

import re
from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict

from indexing.constants import (
    CHAR_END,
    CHAR_START,
    CHUNK_INDEX,
    DOCUMENT_ID,
    PAGE,
    TABLE_HEADER,
    TABLE_ROWS,
    TABLE_TEXT,
)
from indexing.ids import chunk_point_id
from indexing.text.sentences import SpanIndex, protected_spans, split_sentences
from indexing.text.tables import Row, Table, find_tables, link_pages, render_row

_WORD_RE = re.compile(r"\S+")
_SOFT_BREAK_RE = re.compile(r"[;:,](?=\s)")

Span = tuple[int, int]


def _word_spans(text: str, start: int, end: int) -> list[Span]:
    return [m.span() for m in _WORD_RE.finditer(text, start, end)]


def _count_words(text: str, start: int, end: int) -> int:
    return sum(1 for _ in _WORD_RE.finditer(text, start, end))


def search_text(doc: Document) -> str:
    """The text a passage is embedded and BM25-encoded from: a table passage's rows read with their header
    (`meta["table_text"]`), otherwise its content.

    :param doc: a chunk.
    :returns: the text to encode.
    """
    return str(doc.meta.get(TABLE_TEXT) or doc.content or "")


def table_text(table: Table, rows: list[Row]) -> str:
    """A table passage as a person reads it: the caption, then one "Columna: celda | ..." line per row.

    :param table: the table (its header and caption).
    :param rows: the rows of the passage.
    :returns: the lines joined by newlines.
    """
    lines = [table.caption] if table.caption else []
    lines.extend(render_row(table.header, r) for r in rows)
    return "\n".join(lines)


@component
class SpanishSentenceChunker:
    """
    Splits the cleaned pages of one record into chunks of whole sentences, never across pages.

    Sentences (`indexing.text.sentences.split_sentences`) are packed greedily: when adding the next one would exceed
    `max_words`, the chunk is emitted and the next one starts with its last `overlap_sentences` sentences. A short
    final remainder (fewer than `min_words / 2` new words) is merged into the previous chunk when that stays within
    `max_words * 1.2`. A sentence longer than `max_words` is cut at the last ";", ":" or "," before the limit, else
    at a word boundary, and never inside an amount ("US$ 1.500 millones") or a date ("17 de julio de 2023").

    Tables with a header (`indexing.text.tables`, a table continuing from the previous page takes its header) are
    chunked apart from the prose: a table chunk holds whole rows only, at most `max_words` words of them (a single
    longer row is a chunk of its own), the header row first when it is on that part of the page, and its meta has
    `table_header` (the column names, also when the header row is on an earlier page or chunk), `table_rows` (the
    [start, end] page offsets of each row) and `table_text` (the caption and the rows as "Donante: Alemania |
    Monto: 22,2", what the chunk is embedded and encoded from: `search_text`). The prose around a table is chunked
    as above, each stretch on its own.

    A chunk's `content` is exactly `page_text[char_start:char_end]`, so any part of it is a verbatim quote of the
    cleaned page. Meta: the page's meta plus `page`, `char_start`, `char_end` and `chunk_index` (0-based over the
    whole record, in order). With a `document_id` in the meta, the Document id is `chunk_point_id(...)`.

    ### Usage example

    ```python
    from haystack import Document
    from indexing.components.spanish_chunker import SpanishSentenceChunker

    page = Document(content="Primera frase. Segunda frase.", meta={"page": 1})
    chunks = SpanishSentenceChunker().run(documents=[page])["documents"]
    print(chunks[0].meta["char_start"], chunks[0].meta["char_end"])  # 0 29
    ```
    """

    def __init__(self, min_words: int = 120, max_words: int = 250, overlap_sentences: int = 1) -> None:
        """
        Creates a SpanishSentenceChunker.

        :param min_words: target minimum words per chunk (governs merging of short remainders).
        :param max_words: maximum words per chunk (a merged remainder may reach `max_words * 1.2`).
        :param overlap_sentences: how many trailing sentences of a chunk open the next chunk of the same page.
        :raises ValueError: on non-positive sizes or `min_words > max_words`.
        """
        if min_words < 1 or max_words < 1 or overlap_sentences < 0 or min_words > max_words:
            raise ValueError("Need 1 <= min_words <= max_words and overlap_sentences >= 0.")
        self.min_words = min_words
        self.max_words = max_words
        self.overlap_sentences = overlap_sentences

    def to_dict(self) -> dict[str, Any]:
        """Serializes the component to a dictionary."""
        return default_to_dict(
            self, min_words=self.min_words, max_words=self.max_words, overlap_sentences=self.overlap_sentences
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SpanishSentenceChunker:
        """Deserializes the component from a dictionary."""
        return default_from_dict(cls, data)

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        """
        Chunks the cleaned pages of one record.

        :param documents: the cleaned page Documents of one record, in page order (empty pages are skipped).
        :returns: A dictionary with the following key:
            - `documents`: the chunks, in record order.
        """
        chunks: list[Document] = []
        texts = [page.content or "" for page in documents]
        found = [find_tables(t, page.meta.get(PAGE)) for t, page in zip(texts, documents, strict=True)]
        for page, text, tables in zip(documents, texts, link_pages(found, texts), strict=True):
            for start, end, extra in self._page_pieces(text, [t for t in tables if t.header]):
                index = len(chunks)
                meta = {
                    **page.meta,
                    CHAR_START: start,
                    CHAR_END: end,
                    CHUNK_INDEX: index,
                    PAGE: page.meta.get(PAGE),
                    **extra,
                }
                doc_id = meta.get(DOCUMENT_ID)
                chunks.append(
                    Document(
                        id=chunk_point_id(doc_id, index) if doc_id else "",
                        content=text[start:end],
                        meta=meta,
                    )
                )
        return {"documents": chunks}

    def _page_pieces(self, text: str, tables: list[Table]) -> list[tuple[int, int, dict[str, Any]]]:
        """(start, end, extra meta) of the chunks of one page: prose stretches by sentences, tables by rows."""
        pieces: list[tuple[int, int, dict[str, Any]]] = []
        pos = 0
        for table in tables:
            pieces.extend((pos + s, pos + e, {}) for s, e in self.chunk_spans(text[pos : table.start]))
            pieces.extend(self.table_pieces(table))
            pos = table.end
        pieces.extend((pos + s, pos + e, {}) for s, e in self.chunk_spans(text[pos:]))
        return pieces

    def table_pieces(self, table: Table) -> list[tuple[int, int, dict[str, Any]]]:
        """(start, end, table meta) of the chunks of one table: whole rows, at most `max_words` words each.

        :param table: a table with a header (its own or inherited).
        :returns: the chunks' page spans and their `table_header`, `table_rows` and `table_text` meta.
        """
        groups: list[list[Row]] = []
        words = _count_words(table.header_row.text, 0, len(table.header_row.text)) if table.header_row else 0
        for row in table.rows:
            n = _count_words(row.text, 0, len(row.text))
            if groups and groups[-1] and words + n > self.max_words:
                groups.append([])
                words = 0
            if not groups:
                groups.append([])
            groups[-1].append(row)
            words += n
        out = []
        for k, rows in enumerate(groups):
            start = table.header_row.start if (k == 0 and table.header_row) else rows[0].start
            meta = {
                TABLE_HEADER: list(table.header),
                TABLE_ROWS: [[r.start, r.end] for r in rows],
                TABLE_TEXT: table_text(table, rows),
            }
            out.append((start, rows[-1].end, meta))
        return out

    def chunk_spans(self, text: str) -> list[Span]:
        """(char_start, char_end) of the chunks of one page text, in order.

        :param text: the cleaned text of one page.
        :returns: spans; empty for a blank page.
        """
        if not text.strip():
            return []
        units = self._units(text)
        words = [_count_words(text, s, e) for s, e in units]
        groups: list[list[int]] = []  # indexes into units
        current: list[int] = []
        current_words = 0  # words of `current`, kept as a running sum so packing is linear
        fresh_start = 0  # position in `current` where the sentences not shared with the previous chunk begin
        for i in range(len(units)):
            if current and current_words + words[i] > self.max_words:
                groups.append(current)
                overlap = current[-self.overlap_sentences :] if self.overlap_sentences else []
                while overlap and sum(words[j] for j in overlap) + words[i] > self.max_words:
                    overlap = overlap[1:]
                current = list(overlap)
                current_words = sum(words[j] for j in current)
                fresh_start = len(current)
            current.append(i)
            current_words += words[i]
        if current:
            fresh = current[fresh_start:]
            fresh_words = sum(words[j] for j in fresh)
            if (
                groups
                and fresh_words < self.min_words / 2
                and sum(words[j] for j in groups[-1]) + fresh_words <= self.max_words * 1.2
            ):
                groups[-1] = groups[-1] + fresh
            else:
                groups.append(current)
        return [(units[g[0]][0], units[g[-1]][1]) for g in groups]

    def _units(self, text: str) -> list[Span]:
        """Sentence spans, with sentences longer than `max_words` cut into pieces."""
        protected = SpanIndex(protected_spans(text))
        units: list[Span] = []
        for start, end in split_sentences(text, protected):
            units.extend(self._split_long(text, start, end, protected))
        return units

    def _split_long(self, text: str, start: int, end: int, protected: SpanIndex) -> list[Span]:
        pieces: list[Span] = []
        # The words of the sentence are read once; each piece starts at a word start, so the words of the rest
        # are a suffix of them (from `first`), and no piece re-reads the sentence.
        spans = _word_spans(text, start, end)
        first = 0
        while True:
            if len(spans) - first <= self.max_words:
                pieces.append((start, end))
                return pieces
            limit = spans[first + self.max_words - 1][1]  # end of the last word that still fits
            floor = spans[first + self.max_words // 2][0]  # pieces keep at least half the limit, not a stray clause
            cut = self._soft_cut(text, floor, limit, protected) or self._word_cut(spans, first, protected)
            pieces.append((start, cut))
            start = cut
            while start < end and text[start].isspace():
                start += 1
            while first < len(spans) and spans[first][0] < start:
                first += 1

    @staticmethod
    def _soft_cut(text: str, floor: int, limit: int, protected: SpanIndex) -> int | None:
        """End (after the punctuation) of the last ";", ":" or "," in [floor, limit] outside protected spans."""
        for m in reversed(list(_SOFT_BREAK_RE.finditer(text, floor, limit + 1))):
            if not protected.strictly_inside(m.start()) and not protected.strictly_inside(m.end()):
                return m.end()
        return None

    def _word_cut(self, spans: list[Span], first: int, protected: SpanIndex) -> int:
        """End of the last word within `max_words` (counting from word `first`) not inside a protected span; past
        the limit if there is none.

        An amount or date longer than the whole limit still stays in one piece: the piece grows to its end.
        """
        for index in range(first + self.max_words - 1, first, -1):
            if not protected.strictly_inside(spans[index][1]):
                return spans[index][1]
        for index in range(first + self.max_words, len(spans)):
            if not protected.strictly_inside(spans[index][1]):
                return spans[index][1]
        return spans[-1][1]
