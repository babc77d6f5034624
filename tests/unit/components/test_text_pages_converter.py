"""TextPagesConverter: decoding and form-feed pages."""

from __future__ import annotations

import pytest
from haystack.dataclasses import ByteStream

from indexing.components.text_pages_converter import TextPagesConverter
from indexing.errors import NoText


def convert(data: bytes) -> list:
    source = ByteStream(data=data, meta={"filename": "nota.txt", "document_id": "abc"})
    return TextPagesConverter().run(sources=[source])["documents"]


class TestTextPagesConverter:
    def test_single_page_without_form_feed(self) -> None:
        docs = convert("Reunión en Perú.\r\nSegunda línea.".encode("cp1252"))
        assert [(d.content, d.meta) for d in docs] == [
            (
                "Reunión en Perú.\nSegunda línea.",
                {"filename": "nota.txt", "document_id": "abc", "page": 1, "pages": 1, "source_kind": "text"},
            )
        ]

    def test_form_feeds_split_pages(self) -> None:
        docs = convert("Página uno.\fPágina dos.\f\fPágina cuatro.\f".encode())
        assert [(d.meta["page"], d.meta["pages"], d.content) for d in docs] == [
            (1, 4, "Página uno."),
            (2, 4, "Página dos."),
            (3, 4, ""),
            (4, 4, "Página cuatro."),
        ]

    def test_meta_argument_wins(self) -> None:
        source = ByteStream(data=b"Hola", meta={"filename": "a.txt"})
        docs = TextPagesConverter().run(sources=[source], meta={"filename": "b.txt"})["documents"]
        assert docs[0].meta["filename"] == "b.txt"

    @pytest.mark.parametrize("data", [b"1234 5678\n--- ***", b"\f\f  \n"])
    def test_no_words_is_no_text(self, data: bytes) -> None:
        with pytest.raises(NoText) as excinfo:
            convert(data)
        assert excinfo.value.code == "no_text"
        assert excinfo.value.detail == "nota.txt no contiene ninguna palabra que indexar."
