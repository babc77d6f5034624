"""sniff_content_type: PDF / Word / OpenDocument / text / Markdown by content, the right refusal for the rest."""

from __future__ import annotations

import io
import zipfile

import pytest

from corpus.make_docx import build_docx, build_odt
from indexing.components.office_zip import MAX_ZIP_ENTRIES, open_zip, zip_entry_count
from indexing.components.sniffer import DOCX, ODT, sniff_content_type
from indexing.errors import EmptyFile, UnreadableFile, UnsupportedFileType
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


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class TestOfficeDocuments:
    def test_word_by_content_whatever_the_name(self) -> None:
        data = build_docx([("p", "Acta de la reunión.")])
        for name in ("acta.docx", "acta.pdf", "acta.txt", "acta"):
            assert sniff_content_type(data, name) == DOCX

    def test_a_zip_with_word_document_xml_is_docx(self) -> None:
        assert sniff_content_type(_zip({"word/document.xml": b"<w:document/>"}), "x.zip") == DOCX

    def test_opendocument_text_by_its_mimetype_member(self) -> None:
        assert sniff_content_type(build_odt([("p", "Acta.")]), "acta.pdf") == ODT

    @pytest.mark.parametrize(
        ("members", "fragment"),
        [
            ({"notas.txt": b"hola"}, "un archivo comprimido ZIP"),
            ({"word/styles.xml": b"<w:styles/>"}, "sin el documento principal (word/document.xml)"),
            ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}, "OpenDocument que no es de texto"),
        ],
    )
    def test_other_zips_are_refused_even_named_docx(self, members: dict[str, bytes], fragment: str) -> None:
        with pytest.raises(UnsupportedFileType) as excinfo:
            sniff_content_type(_zip(members), "acta.docx")
        assert excinfo.value.code == "unsupported_type"
        assert excinfo.value.detail.startswith("El contenido del archivo es ")
        assert fragment in excinfo.value.detail
        assert excinfo.value.detail.endswith("solo se aceptan PDF, TXT, MD, DOCX u ODT.")

    def test_old_binary_word_is_refused_with_advice(self) -> None:
        data = OLE2 + bytes(500) + "WordDocument".encode("utf-16-le") + bytes(100)
        with pytest.raises(UnsupportedFileType) as excinfo:
            sniff_content_type(data, "acta.doc")
        assert (excinfo.value.code, excinfo.value.status) == ("unsupported_type", 415)
        assert excinfo.value.detail == (
            "El archivo es un documento de Word antiguo (.doc), que no se admite: ábralo en Word o LibreOffice, "
            "guárdelo como .docx o PDF y vuelva a subirlo."
        )

    def test_a_password_protected_docx_is_refused_with_advice(self) -> None:
        data = OLE2 + bytes(500) + "EncryptedPackage".encode("utf-16-le") + bytes(100)
        with pytest.raises(UnsupportedFileType) as excinfo:
            sniff_content_type(data, "acta.docx")
        assert "protegido con contraseña" in excinfo.value.detail

    def test_a_truncated_docx_is_unreadable(self) -> None:
        data = build_docx([("p", "Acta.")])
        with pytest.raises(UnreadableFile) as excinfo:
            sniff_content_type(data[: len(data) // 2], "acta.docx")
        assert (excinfo.value.code, excinfo.value.status) == ("unreadable_file", 422)

    def test_a_zip_declaring_too_many_entries_is_not_opened(self) -> None:
        data = _zip({f"f{i}.xml": b"" for i in range(MAX_ZIP_ENTRIES + 1)} | {"word/document.xml": b"<w/>"})
        assert zip_entry_count(data) == MAX_ZIP_ENTRIES + 2
        assert open_zip(data) is None
        with pytest.raises(UnsupportedFileType):
            sniff_content_type(data, "acta.docx")
