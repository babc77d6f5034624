"""Plain-text bytes → one Haystack Document per page (pages separated by form feeds)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict
from haystack.components.converters.utils import get_bytestream_from_source, normalize_metadata
from haystack.dataclasses import ByteStream

from indexing.components.decoding import decode_text
from indexing.constants import FILENAME, PAGE, PAGES, SOURCE_KIND
from indexing.errors import NoText, TooManyPages

_LETTER_RE = re.compile(r"[^\W\d_]")


@component
class TextPagesConverter:
    """
    Converts plain-text (and Markdown) records into one `Document` per page.

    Bytes are decoded with `decode_text` (BOM, UTF-8, cp1252, latin-1; NFC; "\\n" line ends). A form feed ("\\f")
    separates pages, as `pdftotext` writes them (a final form feed does not open an empty page); without one the
    record is a single page. Each Document carries the
    ByteStream's meta plus `page` (1-based), `pages` (total) and `source_kind` = "text". Lone surrogates and other
    code points that are not text are removed by `decode_text`.

    ### Usage example

    ```python
    from haystack.dataclasses import ByteStream
    from indexing.components.text_pages_converter import TextPagesConverter

    pages = TextPagesConverter().run(sources=[ByteStream(data="Uno\\fDos".encode(), meta={"filename": "a.txt"})])
    print([d.content for d in pages["documents"]])  # ['Uno', 'Dos']
    ```
    """

    def __init__(self, max_pages: int | None = None) -> None:
        """
        Creates a TextPagesConverter.

        :param max_pages: a record with more pages (form feeds) is refused with `TooManyPages`; None = no cap.
        """
        self.max_pages = max_pages

    def to_dict(self) -> dict[str, Any]:
        """Serializes the component to a dictionary."""
        return default_to_dict(self, max_pages=self.max_pages)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextPagesConverter:
        """Deserializes the component from a dictionary."""
        return default_from_dict(cls, data)

    @component.output_types(documents=list[Document])
    def run(
        self, sources: list[str | Path | ByteStream], meta: dict[str, Any] | list[dict[str, Any]] | None = None
    ) -> dict[str, list[Document]]:
        """
        Converts each text record into its page Documents, in page order.

        :param sources: text files as ByteStreams; their `meta` (filename, document_id, ...) is copied to every page.
        :param meta: optional extra metadata, one dict for all sources or one per source (wins over ByteStream meta).
        :returns: A dictionary with the following key:
            - `documents`: the pages of every source, in order.
        :raises NoText: a record decodes but holds no word at all (not a single letter).
        :raises TooManyPages: a record has more than `max_pages` pages.
        """
        documents: list[Document] = []
        streams = [get_bytestream_from_source(s) for s in sources]
        for source, extra in zip(streams, normalize_metadata(meta, sources_count=len(streams)), strict=True):
            base_meta = {**source.meta, **extra}
            text = decode_text(source.data)
            if not _LETTER_RE.search(text):
                name = base_meta.get(FILENAME) or "El archivo"
                raise NoText(f"{name} no contiene ninguna palabra que indexar.")
            pages = text.split("\f")
            if len(pages) > 1 and not pages[-1].strip():
                pages.pop()  # pdftotext ends every page, the last one included, with a form feed
            total = len(pages)
            if self.max_pages is not None and total > self.max_pages:
                name = base_meta.get(FILENAME) or "El archivo"
                raise TooManyPages(
                    f"{name} tiene {total} páginas y el límite es {self.max_pages} por registro "
                    "(MAX_RECORD_PAGES): divídalo en varios archivos."
                )
            documents.extend(
                Document(content=page, meta={**base_meta, PAGE: number, PAGES: total, SOURCE_KIND: "text"})
                for number, page in enumerate(pages, start=1)
            )
        return {"documents": documents}
