"""sniff_content_type: PDF / text / Markdown by content, with the right refusal for everything else."""

from __future__ import annotations

import pytest

from indexing.components.sniffer import sniff_content_type
from indexing.errors import EmptyFile, UnsupportedFileType
from tests.factories import make_pdf

TEXT = "Acta de la reunión de Bruselas.\n".encode()


class TestSniffContentType:
    def test_pdf_by_content_whatever_the_name(self) -> None:
        pdf = make_pdf(["Hola"])
        assert sniff_content_type(pdf, "acta.pdf") == "application/pdf"
        assert sniff_content_type(pdf, "acta.txt") == "application/pdf"
        assert sniff_content_type(b"\xef\xbb\xbf\n  " + pdf, "acta") == "application/pdf"

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("acta.txt", "text/plain"),
            ("ACTA.TXT", "text/plain"),
            ("acta.text", "text/plain"),
            ("acta", "text/plain"),
            ("Acta 17.07.2023", "text/plain"),
            ("notas.md", "text/markdown"),
            ("notas.markdown", "text/markdown"),
        ],
    )
    def test_text_names(self, name: str, expected: str) -> None:
        assert sniff_content_type(TEXT, name) == expected

    def test_utf16_text_with_bom_is_text(self) -> None:
        assert sniff_content_type("Reunión".encode("utf-16"), "acta.txt") == "text/plain"

    @pytest.mark.parametrize(
        ("data", "fragment"),
        [
            (b"\x7fELF\x02\x01\x01" + b"\x00" * 40, "ejecutable (ELF)"),
            (b"MZ\x90\x00\x03" + b"\x00" * 60, "ejecutable de Windows"),
            (b"PK\x03\x04\x14\x00\x06\x00xl/workbook.xml", "Excel (.xlsx)"),
            (b"PK\x03\x04\x14\x00", "ZIP"),
            (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
            (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
            (b"GIF89a\x01\x00", "GIF"),
            (b"\x1f\x8b\x08\x00", "gzip"),
            (b"7z\xbc\xaf\x27\x1c\x00\x04", "7z"),
            (b"Rar!\x1a\x07\x00", "RAR"),
            (b"\xcf\xfa\xed\xfe\x07\x00", "Mach-O"),
            (b"\xca\xfe\xba\xbe\x00\x00\x00\x34", "clase Java"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "Office antiguo"),
            (b"texto\x00con nulos", "bytes nulos"),
            (bytes(range(1, 9)) * 20, "caracteres de control"),
        ],
    )
    def test_binary_content_is_refused(self, data: bytes, fragment: str) -> None:
        with pytest.raises(UnsupportedFileType) as excinfo:
            sniff_content_type(data, "archivo.txt")
        assert excinfo.value.code == "unsupported_type"
        assert fragment in excinfo.value.detail

    def test_pdf_name_without_pdf_content(self) -> None:
        with pytest.raises(UnsupportedFileType) as excinfo:
            sniff_content_type(TEXT, "acta.pdf")
        assert excinfo.value.detail == "El archivo se llama .pdf pero su contenido no es un PDF."

    @pytest.mark.parametrize("name", ["acta.docx", "programa.exe", "datos.csv"])
    def test_text_under_another_extension(self, name: str) -> None:
        with pytest.raises(UnsupportedFileType) as excinfo:
            sniff_content_type(TEXT, name)
        assert excinfo.value.code == "unsupported_type"
        assert "PDF, TXT, MD, DOCX u ODT" in excinfo.value.detail

    @pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", "\ufeff  \n".encode()])
    def test_empty(self, data: bytes) -> None:
        with pytest.raises(EmptyFile) as excinfo:
            sniff_content_type(data, "acta.txt")
        assert excinfo.value.code == "empty_file"
