"""Size caps of one record, checked between pipeline stages so an oversized record stops before the costly ones."""

from __future__ import annotations

from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict

from indexing.constants import FILENAME
from indexing.errors import TooManyChars, TooManyChunks


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _name(documents: list[Document]) -> str:
    return (documents[0].meta.get(FILENAME) if documents else None) or "El registro"


@component
class RecordLimits:
    """
    Passes documents through unchanged, or refuses the record when it exceeds a cap.

    Put one instance after cleaning (`max_chars`: the record's characters over all its pages, so a huge record is
    refused before sentence splitting and embedding) and one after chunking (`max_chunks`: the number of passages,
    so an unusual text that splits into very many passages is refused before embedding). A cap of None is not
    checked. Pages are capped by the converters themselves, before they extract any text.

    ### Usage example

    ```python
    from indexing.components.record_limits import RecordLimits

    RecordLimits(max_chars=1_000_000).run(documents=pages)  # {"documents": pages}, or raises TooManyChars
    ```
    """

    def __init__(self, max_chars: int | None = None, max_chunks: int | None = None) -> None:
        """
        Creates a RecordLimits.

        :param max_chars: most characters of the record (all documents together).
        :param max_chunks: most documents (passages) of the record.
        """
        self.max_chars = max_chars
        self.max_chunks = max_chunks

    def to_dict(self) -> dict[str, Any]:
        """Serializes the component to a dictionary."""
        return default_to_dict(self, max_chars=self.max_chars, max_chunks=self.max_chunks)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RecordLimits:
        """Deserializes the component from a dictionary."""
        return default_from_dict(cls, data)

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        """
        Checks the caps.

        :param documents: the pages (or passages) of one record.
        :returns: A dictionary with the following key:
            - `documents`: the same documents.
        :raises TooManyChars: the documents hold more than `max_chars` characters.
        :raises TooManyChunks: there are more than `max_chunks` documents.
        """
        if self.max_chars is not None:
            chars = sum(len(d.content or "") for d in documents)
            if chars > self.max_chars:
                raise TooManyChars(
                    f"{_name(documents)} tiene {_n(chars)} caracteres y el límite es {_n(self.max_chars)} por "
                    "registro (MAX_RECORD_CHARS): divídalo en varios archivos."
                )
        if self.max_chunks is not None and len(documents) > self.max_chunks:
            raise TooManyChunks(
                f"{_name(documents)} se divide en {_n(len(documents))} pasajes y el límite es {_n(self.max_chunks)} "
                "por registro (MAX_RECORD_CHUNKS): divídalo en varios archivos."
            )
        return {"documents": documents}
