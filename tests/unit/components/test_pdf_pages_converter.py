"""PdfPagesConverter: one Document per page, domain errors for damaged and encrypted PDFs, scans marked for OCR."""

from __future__ import annotations

from io import BytesIO

import pytest
from haystack.dataclasses import ByteStream
from pypdf import PdfReader, PdfWriter

from indexing.components.pdf_pages_converter import PdfPagesConverter
from indexing.errors import CorruptPdf, EncryptedPdf
from tests.factories import make_pdf, make_scanned_pdf, truncate

PAGES = [
    "Apertura de la Conferencia Internacional de Solidaridad.",
    "Compromisos anunciados por los donantes.",
    "Clausura y próximos pasos.",
]


def convert(data: bytes, **meta: object) -> list:
    source = ByteStream(data=data, meta={"filename": "acta.pdf", "document_id": "abc", **meta})
    return PdfPagesConverter().run(sources=[source])["documents"]


class TestPdfPagesConverter:
    def test_one_document_per_page_with_meta(self) -> None:
        docs = convert(make_pdf(PAGES, title="  Acta de Bruselas  ", footer=None))
        assert [d.meta["page"] for d in docs] == [1, 2, 3]
        assert [d.content.split()[0] for d in docs] == ["Apertura", "Compromisos", "Clausura"]
        assert docs[1].content.strip() == "Compromisos anunciados por los donantes."
        assert docs[0].meta == {
            "filename": "acta.pdf",
            "document_id": "abc",
            "page": 1,
            "pages": 3,
            "pdf_title": "Acta de Bruselas",
            "source_kind": "pdf",
        }

    def test_footer_is_extracted_as_page_text(self) -> None:
        docs = convert(make_pdf(PAGES[:2]))
        assert docs[1].content.split("\n")[-2:] == ["Página 2 de 2", ""]

    def test_blank_page_keeps_numbering(self) -> None:
        docs = convert(make_pdf([PAGES[0], "", PAGES[2]], footer=None))
        assert [(d.meta["page"], d.content.strip()) for d in docs] == [
            (1, PAGES[0]),
            (2, ""),
            (3, PAGES[2]),
        ]

    def test_untitled_pdf_title_is_passed_as_is(self) -> None:
        docs = convert(make_pdf(PAGES[:1]))
        assert docs[0].meta["pdf_title"] == "untitled"

    @pytest.mark.parametrize("keep", [10, 200, 1000])
    def test_truncated_pdf_is_corrupt(self, keep: int) -> None:
        with pytest.raises(CorruptPdf) as excinfo:
            convert(truncate(make_pdf(PAGES), keep))
        assert excinfo.value.code == "corrupt_pdf"
        assert "acta.pdf está dañado o incompleto" in excinfo.value.detail

    def test_garbage_after_header_is_corrupt(self) -> None:
        with pytest.raises(CorruptPdf):
            convert(b"%PDF-1.7\n" + b"basura " * 50)

    def test_pdf_without_pages_is_corrupt(self) -> None:
        buffer = BytesIO()
        PdfWriter().write(buffer)
        with pytest.raises(CorruptPdf) as excinfo:
            convert(buffer.getvalue())
        assert excinfo.value.detail == "acta.pdf no tiene páginas."

    def test_user_password_is_encrypted_error(self) -> None:
        with pytest.raises(EncryptedPdf) as excinfo:
            convert(make_pdf(PAGES, encrypt_password="secreto"))
        assert excinfo.value.code == "encrypted_pdf"
        assert "protegido con contraseña" in excinfo.value.detail

    def test_empty_user_password_is_read(self) -> None:
        writer = PdfWriter(clone_from=PdfReader(BytesIO(make_pdf(PAGES, footer=None))))
        writer.encrypt(user_password="", owner_password="dueño", algorithm="RC4-128")
        buffer = BytesIO()
        writer.write(buffer)
        docs = convert(buffer.getvalue())
        assert [d.content.split()[0] for d in docs] == ["Apertura", "Compromisos", "Clausura"]

    def test_pages_without_text_layer_are_marked_for_ocr(self) -> None:
        data = make_scanned_pdf(2)
        docs = convert(data)
        assert [(d.content, d.meta["page"], d.meta["needs_ocr"]) for d in docs] == [("", 1, True), ("", 2, True)]
        assert all(d.blob is not None and d.blob.data == data for d in docs)

    def test_pages_with_text_are_not_marked(self) -> None:
        docs = convert(make_pdf(PAGES[:1], footer=None))
        assert ("needs_ocr" in docs[0].meta, docs[0].blob) == (False, None)

    def test_serialization_round_trip(self) -> None:
        converter = PdfPagesConverter(max_pages=5)
        assert PdfPagesConverter.from_dict(converter.to_dict()).max_pages == 5
