"""Plain value types passed between retrieval, answering, briefings and the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from indexing.constants import LOCAL_OWNER, PAGE_KIND_PAGE, PageKind

Progress = Callable[[str, int, int], None]
"""Progress of one ingestion: (stage, done, total); stage is "converting", "ocr", "embedding" or "committing"."""


@dataclass(frozen=True)
class SearchFilters:
    """Optional restrictions on a search. Dates are ISO strings (YYYY-MM-DD), inclusive."""

    conference: str | None = None
    doc_type: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    document_ids: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Chunk:
    """One indexed passage of one page of one record, as returned by the store.

    `text` is the cleaned page text between `char_start` and `char_end` of that page, so any substring of it
    is a verbatim quote of the record's page.
    """

    chunk_id: str
    document_id: str
    filename: str
    title: str
    page: int
    text: str
    char_start: int
    char_end: int
    chunk_index: int = 0
    date: str | None = None
    conference: str | None = None
    doc_type: str | None = None
    tags: tuple[str, ...] = ()
    score: float = 0.0
    dense_score: float | None = None
    embedding: list[float] | None = field(default=None, repr=False, compare=False)
    embedding_key: str | None = field(default=None, repr=False, compare=False)
    """Hash of the embedded text and the embedder's name (`DenseDocumentEmbedder.key`), when stored."""
    table_header: tuple[str, ...] = ()
    """Column names, for a passage of table rows (the header row may be on an earlier page)."""
    table_rows: tuple[tuple[int, int], ...] = ()
    """(start, end) page offsets of each whole row of a table passage, in order."""
    ocr: bool = False
    """The page's text was read by OCR from a scanned image (the quote is what OCR read; the page is the proof)."""
    ocr_confidence: float | None = None
    """Mean word confidence of that page's OCR, 0-1; None for a text layer."""
    page_kind: PageKind = PAGE_KIND_PAGE
    """What `page` counts: "page", or "section" for a Word document that stores no page breaks."""


@dataclass(frozen=True)
class Citation:
    """Where a quote comes from: one type for answers, briefings and the register's sources.

    `quote` is verbatim from page `page` of record `document_id`, between `char_start` and `char_end` of that
    page's cleaned text. The first six fields are what a register source knows (positional, as the extractor
    builds them); the others default to "not known here".
    """

    document_id: str
    filename: str
    page: int
    quote: str
    char_start: int = 0
    char_end: int = 0
    n: int = 0
    """Footnote number within its answer or briefing (1, 2...); 0 for a register source."""
    title: str = ""
    date: str | None = None
    """The record's date (ISO), where shown with the citation (briefings)."""
    score: float = 0.0
    """Ranking score of the quoted sentence (answers); 0.0 elsewhere."""
    table_header: tuple[str, ...] = ()
    """For a quoted table row: the column names it is read with. Context, not part of the verbatim quote."""
    ocr: bool = False
    """The page was read by OCR (the quote is what OCR read)."""
    page_kind: PageKind = PAGE_KIND_PAGE
    """"section" when `page` numbers a Word section rather than a printed page (see `constants.PAGE_KIND`)."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Citation:
        """Inverse of `dataclasses.asdict` (after a JSON round trip: lists back to tuples, unknown keys ignored)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if "table_header" in values:
            values["table_header"] = tuple(values["table_header"] or ())
        return cls(**values)


@dataclass(frozen=True)
class DocumentRecord:
    """One indexed record (a file), as listed by the API."""

    id: str
    filename: str
    title: str
    pages: int
    chunks: int
    date: str | None = None
    conference: str | None = None
    doc_type: str | None = None
    tags: tuple[str, ...] = ()
    indexed_at: str | None = None
    size_bytes: int = 0
    owner: str = LOCAL_OWNER
    arrival: int = 0
    """Arrival ticket of the upload that wrote it (`Indexer.ticket`): among versions of one file, the last to
    arrive wins."""
