"""Record caps: pages in the converters (before text extraction), characters and passages between stages, and the
characters that are not text stripped by the converters."""

from __future__ import annotations

import pytest
from haystack import Document
from haystack.dataclasses import ByteStream

from indexing.components import pdf_pages_converter
from indexing.components.decoding import decode_text, strip_undecodable
from indexing.components.pdf_pages_converter import PdfPagesConverter
from indexing.components.record_limits import RecordLimits
from indexing.components.text_pages_converter import TextPagesConverter
from indexing.errors import TooManyChars, TooManyChunks, TooManyPages
from tests.factories import make_pdf, make_surrogate_pdf

CHILE = "El Gobierno de Chile aporta fondos para la respuesta regional en 2023 #"


def stream(data: bytes, name: str = "acta.pdf") -> ByteStream:
    return ByteStream(data=data, meta={"filename": name, "document_id": "abc"})


class TestRecordLimits:
    def test_under_the_caps_passes_the_same_documents(self) -> None:
        docs = [Document(content="a" * 600), Document(content="b" * 400)]
        assert RecordLimits(max_chars=1000, max_chunks=2).run(documents=docs) == {"documents": docs}

    def test_too_many_chars_names_the_limit(self) -> None:
        docs = [Document(content="a" * 600, meta={"filename": "largo, muy largo.txt"}), Document(content="b" * 401)]
        with pytest.raises(TooManyChars) as err:
            RecordLimits(max_chars=1000).run(documents=docs)
        assert err.value.code == "too_many_chars"
        assert err.value.status == 413
        assert err.value.detail == (
            "largo, muy largo.txt tiene 1.001 caracteres y el límite es 1.000 por registro (MAX_RECORD_CHARS): "
            "divídalo en varios archivos."
        )

    def test_too_many_chunks_names_the_limit(self) -> None:
        docs = [Document(content="x", meta={"filename": "acta.txt"}) for _ in range(3)]
        with pytest.raises(TooManyChunks) as err:
            RecordLimits(max_chunks=2).run(documents=docs)
        assert (err.value.code, err.value.status) == ("too_many_chunks", 413)
        assert err.value.detail == (
            "acta.txt se divide en 3 pasajes y el límite es 2 por registro (MAX_RECORD_CHUNKS): "
            "divídalo en varios archivos."
        )

    def test_no_cap_checks_nothing(self) -> None:
        docs = [Document(content="a" * 5000)] * 5
        assert RecordLimits().run(documents=docs)["documents"] == docs

    def test_round_trip(self) -> None:
        limits = RecordLimits(max_chars=10, max_chunks=3)
        again = RecordLimits.from_dict(limits.to_dict())
        assert (again.max_chars, again.max_chunks) == (10, 3)


class TestPageCaps:
    def test_pdf_with_more_pages_than_the_cap_is_refused_before_extraction(self, monkeypatch) -> None:
        extracted: list[int] = []
        real = PdfPagesConverter._page_texts
        monkeypatch.setattr(
            PdfPagesConverter, "_page_texts", staticmethod(lambda r, n: extracted.append(1) or real(r, n))
        )
        with pytest.raises(TooManyPages) as err:
            PdfPagesConverter(max_pages=2).run(sources=[stream(make_pdf(["Uno.", "Dos.", "Tres."]))])
        assert (err.value.code, err.value.status) == ("too_many_pages", 413)
        assert err.value.detail == (
            "acta.pdf tiene 3 páginas y el límite es 2 por registro (MAX_RECORD_PAGES): divídalo en varios archivos."
        )
        assert extracted == []

    def test_pdf_at_the_cap_is_read(self) -> None:
        docs = PdfPagesConverter(max_pages=2).run(sources=[stream(make_pdf(["Primera página.", "Segunda."]))])
        assert [d.meta["page"] for d in docs["documents"]] == [1, 2]

    def test_text_with_more_pages_than_the_cap_is_refused(self) -> None:
        with pytest.raises(TooManyPages) as err:
            TextPagesConverter(max_pages=2).run(sources=[stream(b"Uno\fDos\fTres", "acta.txt")])
        assert err.value.detail == (
            "acta.txt tiene 3 páginas y el límite es 2 por registro (MAX_RECORD_PAGES): divídalo en varios archivos."
        )

    def test_text_final_form_feed_does_not_count(self) -> None:
        docs = TextPagesConverter(max_pages=2).run(sources=[stream(b"Uno\fDos\f", "acta.txt")])
        assert [d.content for d in docs["documents"]] == ["Uno", "Dos"]


class TestUndecodable:
    def test_strip_removes_surrogates_nul_and_noncharacters(self) -> None:
        assert strip_undecodable("a\ud800b\udfffc\x00d\ufffde\ufffef\uffffg") == "abcdefg"

    def test_strip_keeps_spanish_text(self) -> None:
        text = "Reunión en Bogotá: «compromiso» de 5 € — señal ñ"
        assert strip_undecodable(text) == text

    def test_decode_text_strips_what_a_bom_decode_replaced(self) -> None:
        # UTF-16 with an unpaired surrogate: decoded with "replace", the U+FFFD does not reach the index.
        data = "\ufeffHola".encode("utf-16-le") + b"\x00\xd8" + " mundo".encode("utf-16-le")
        assert decode_text(data) == "Hola mundo"

    def test_pdf_lone_surrogate_is_stripped(self) -> None:
        docs = PdfPagesConverter().run(sources=[stream(make_surrogate_pdf(CHILE, "#"))])["documents"]
        assert docs[0].content == "El Gobierno de Chile aporta fondos para la respuesta regional en 2023 "
        docs[0].content.encode("utf-8")  # and Haystack can hash it into an id
        assert docs[0].id

    def test_the_factory_really_yields_a_surrogate(self, monkeypatch) -> None:
        monkeypatch.setattr(pdf_pages_converter, "strip_undecodable", lambda text: text)
        with pytest.raises(UnicodeEncodeError):
            PdfPagesConverter().run(sources=[stream(make_surrogate_pdf(CHILE, "#"))])
