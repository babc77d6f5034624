"""Record-level metadata (title, date, conference, type, tags) set on every page of one record."""

from __future__ import annotations

import datetime
import re
from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict

from indexing.constants import CONFERENCE, DATE, DOC_TYPE, FILENAME, PDF_TITLE, TAGS, TITLE
from indexing.errors import InvalidMetadata
from indexing.text.dates import first_spanish_date

MAX_TITLE_CHARS = 200
_MARKUP_PREFIX_RE = re.compile(r"^\s*(?:#{1,6}\s+|[*_=]+\s*)")  # Markdown heading or emphasis marks
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OFFICE_PREFIX_RE = re.compile(r"^(?:microsoft\s+(?:word|excel|powerpoint)|word|powerpoint)\s*-\s*", re.IGNORECASE)
_FILE_EXTENSION_RE = re.compile(r"\.(?:docx?|xlsx?|pptx?|odt|rtf|pdf|txt)$", re.IGNORECASE)
# Titles that authoring tools write when the author wrote none.
_JUNK_TITLE_RE = re.compile(
    r"^(?:untitled(?:\s*document)?|sin\s+t[íi]tulo|documento?\s*\d*|title|t[íi]tulo|presentaci[óo]n\s*\d*"
    r"|diapositiva\s*\d*|anonymous|unknown|desconocido|none|null|[\W\d_]*)$",
    re.IGNORECASE,
)


def _clean_pdf_title(raw: Any) -> str | None:
    """The PDF /Title when it is a real title ("Microsoft Word - Acta.docx" → "Acta"); None for tool defaults."""
    if not isinstance(raw, str):
        return None
    title = _FILE_EXTENSION_RE.sub("", _OFFICE_PREFIX_RE.sub("", raw.strip())).strip()
    if _JUNK_TITLE_RE.match(title) or re.match(r"^[a-z]:\\|^/", title, re.IGNORECASE):
        return None
    return title


def _trim_title(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MAX_TITLE_CHARS:
        return text
    cut = text[:MAX_TITLE_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > MAX_TITLE_CHARS // 2 else cut).rstrip(" ,;:-")


def _optional_text(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidMetadata(f"El campo «{key}» debe ser un texto.")
    return value.strip() or None


def _tags(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(tag, str) for tag in value):
        raise InvalidMetadata("El campo «tags» debe ser una lista de textos.")
    return list(dict.fromkeys(tag.strip() for tag in value if tag.strip()))


def _date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _ISO_DATE_RE.match(value.strip()):
        raise InvalidMetadata(f"La fecha «{value}» no es válida: use el formato AAAA-MM-DD (por ejemplo, 2023-07-17).")
    try:
        return datetime.date.fromisoformat(value.strip()).isoformat()
    except ValueError as exc:
        raise InvalidMetadata(f"La fecha «{value}» no existe en el calendario.") from exc


@component
class RecordMetadataExtractor:
    """
    Sets the record-level metadata on every page Document of ONE record.

    - `title`: the caller's title > the PDF /Title (`pdf_title`) unless it is a tool default ("Untitled",
      "Documento1"; a "Microsoft Word - " prefix and a file extension are stripped) > the first non-empty line of
      the record (Markdown "#" marks removed) > the filename; at most 200 characters, whitespace collapsed.
    - `date` (ISO "YYYY-MM-DD"): the caller's date (validated) > the first full Spanish date of the record's text
      (else its first month-year mention) > None.
    - `conference`, `doc_type` (text or None) and `tags` (list of text) from the caller's metadata.

    The caller's metadata is the `meta` argument, falling back to the same keys already on the first page (for
    instance carried by the ByteStream).

    ### Usage example

    ```python
    from haystack import Document
    from indexing.components.metadata_extractor import RecordMetadataExtractor

    pages = [Document(content="Acta final\\nBruselas, 29 de octubre de 2019")]
    pages = RecordMetadataExtractor().run(documents=pages, meta={"tags": ["UE"]})["documents"]
    print(pages[0].meta["title"], pages[0].meta["date"])  # Acta final 2019-10-29
    ```
    """

    def to_dict(self) -> dict[str, Any]:
        """Serializes the component to a dictionary."""
        return default_to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RecordMetadataExtractor:
        """Deserializes the component from a dictionary."""
        return default_from_dict(cls, data)

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document], meta: dict[str, Any] | None = None) -> dict[str, list[Document]]:
        """
        Adds title, date, conference, doc_type and tags to every page of one record.

        :param documents: the (cleaned) page Documents of one record, in page order.
        :param meta: metadata given at upload time (keys `title`, `date`, `conference`, `doc_type`, `tags`).
        :returns: A dictionary with the following key:
            - `documents`: the same pages, in order, with the record metadata set.
        :raises InvalidMetadata: the given date is not an existing YYYY-MM-DD date, or a field has the wrong type.
        """
        if not documents:
            return {"documents": []}
        first_meta = documents[0].meta
        given = {key: first_meta[key] for key in (TITLE, DATE, CONFERENCE, DOC_TYPE, TAGS) if key in first_meta}
        given.update(meta or {})
        record = {
            TITLE: self._title(documents, given),
            DATE: self._record_date(documents, given),
            CONFERENCE: _optional_text(given, CONFERENCE),
            DOC_TYPE: _optional_text(given, DOC_TYPE),
            TAGS: _tags(given.get(TAGS)),
        }
        return {
            "documents": [
                Document(content=doc.content, meta={**doc.meta, **record, TAGS: list(record[TAGS] or [])})
                for doc in documents
            ]
        }

    @staticmethod
    def _title(documents: list[Document], given: dict[str, Any]) -> str:
        title = _optional_text(given, TITLE) or _clean_pdf_title(documents[0].meta.get(PDF_TITLE))
        if not title:
            first_line = next(
                (line for doc in documents for line in (doc.content or "").split("\n") if line.strip()), None
            )
            title = _MARKUP_PREFIX_RE.sub("", first_line or "") or str(documents[0].meta.get(FILENAME) or "Sin título")
        return _trim_title(title)

    @staticmethod
    def _record_date(documents: list[Document], given: dict[str, Any]) -> str | None:
        date = _date(given.get(DATE))
        if date:
            return date
        found = first_spanish_date("\n\n".join(doc.content or "" for doc in documents))
        return found.isoformat() if found else None
