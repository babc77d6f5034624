"""Metadata keys shared by ingestion, the store and the API.

Every key that ends up in a citation lives here, so a rename is one edit.
"""

from typing import Final, Literal

DOCUMENT_ID = "document_id"
FILENAME = "filename"
TITLE = "title"
PAGE = "page"
CHAR_START = "char_start"
CHAR_END = "char_end"
DATE = "date"
CONFERENCE = "conference"
DOC_TYPE = "doc_type"
TAGS = "tags"
CHUNK_INDEX = "chunk_index"
PAGES = "pages"
PDF_TITLE = "pdf_title"
SOURCE_KIND = "source_kind"  # "pdf", "text", "docx" or "odt"
# What `page` counts: "page" (a printed page) or "section" (a Word section, for documents that store no page
# breaks). Citations say "p. 3" or "sección 2" accordingly.
PAGE_KIND = "page_kind"
PageKind = Literal["page", "section"]
PAGE_KIND_PAGE: Final = "page"
PAGE_KIND_SECTION: Final = "section"
OCR = "ocr"  # True on pages (and their chunks) whose text was read by OCR from a scanned image
OCR_CONFIDENCE = "ocr_confidence"  # mean word confidence of that page's OCR, 0-1
# Set by the PDF converter on pages without a text layer, for the OCR component (which removes it).
NEEDS_OCR = "needs_ocr"
OWNER = "owner"  # the API key name that uploaded a record
# Content hash of the text a passage was embedded from + the embedder name: an unchanged passage of a re-uploaded
# record reuses its stored vector instead of being embedded again.
EMBEDDING_KEY = "embedding_key"
# Table passages (`indexing.text.tables`): the column names, the [start, end] page offsets of each whole row the
# passage holds (what a quote of a row is cut from), and the rows as read with their header ("Donante: Alemania |
# Monto: 22,2"), which is what the passage is embedded and BM25-encoded from.
TABLE_HEADER = "table_header"
TABLE_ROWS = "table_rows"
TABLE_TEXT = "table_text"

# Owner of the records uploaded with authentication off (and of records indexed before owners existed).
LOCAL_OWNER = "local"

# Keys a caller may set at upload time (the `metadata` JSON of POST /v1/documents).
UPLOAD_METADATA_KEYS = (TITLE, DATE, CONFERENCE, DOC_TYPE, TAGS)
