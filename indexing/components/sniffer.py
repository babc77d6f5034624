"""Decide by content whether an upload is a PDF, Word (.docx), OpenDocument text (.odt), plain text or Markdown,
before any converter sees it."""

from __future__ import annotations

import re
import unicodedata
import zipfile

from indexing.components.decoding import bom_encoding, decode_text
from indexing.components.office_zip import DOCX, ODT, ODT_MIMETYPE_PART, open_zip, package_kind, read_small
from indexing.errors import EmptyFile, UnreadableFile, UnsupportedFileType

PDF = "application/pdf"
TEXT = "text/plain"
MARKDOWN = "text/markdown"
__all__ = ["ACCEPTED", "DOCX", "MARKDOWN", "ODT", "PDF", "TEXT", "sniff_content_type"]

TEXT_EXTENSIONS = frozenset({"", ".txt", ".text", ".md", ".markdown"})
MARKDOWN_EXTENSIONS = frozenset({".md", ".markdown"})
ACCEPTED = "PDF, TXT, MD, DOCX u ODT"
ACCEPTED_EXTENSIONS = ".pdf, .txt, .md, .docx, .odt"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in an OLE2 directory (UTF-16LE): a Word 97-2003 document, or an encrypted OOXML package.
_OLE2_WORD = "WordDocument".encode("utf-16-le")
_OLE2_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")

# Leading bytes of formats people upload by mistake, with how to name them in the message.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "un ejecutable (ELF)"),
    (b"\x89PNG\r\n\x1a\n", "una imagen PNG"),
    (b"\xff\xd8\xff", "una imagen JPEG"),
    (b"GIF87a", "una imagen GIF"),
    (b"GIF89a", "una imagen GIF"),
    (b"II*\x00", "una imagen TIFF"),
    (b"MM\x00*", "una imagen TIFF"),
    (b"\x1f\x8b", "un archivo comprimido gzip"),
    (b"7z\xbc\xaf\x27\x1c", "un archivo comprimido 7z"),
    (b"Rar!\x1a\x07", "un archivo comprimido RAR"),
    (b"\xfe\xed\xfa\xce", "un ejecutable Mach-O"),
    (b"\xfe\xed\xfa\xcf", "un ejecutable Mach-O"),
    (b"\xce\xfa\xed\xfe", "un ejecutable Mach-O"),
    (b"\xcf\xfa\xed\xfe", "un ejecutable Mach-O"),
    (b"\xca\xfe\xba\xbe", "un binario Mach-O o una clase Java"),
    (_OLE2, "un documento de Office antiguo (.doc/.xls/.ppt)"),
)
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_PDF_PREFIX_JUNK = b" \t\r\n\x00\x0c" + b"\xef\xbb\xbf\xfe\xff"
_EXTENSION_RE = re.compile(r"\.[a-z][a-z0-9]{0,9}$")
_MAX_CONTROL_SHARE = 0.02


def _extension(filename: str) -> str:
    """Lowercase extension of the name's last component ("" when there is none, or it is not a real one)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip().lower()
    match = _EXTENSION_RE.search(name)
    return match.group(0) if match and match.start() > 0 else ""


def _is_pdf(data: bytes, extension: str) -> bool:
    head = data[:1024]
    index = head.find(b"%PDF-")
    if index < 0:
        return False
    # Readers accept junk before the header; we accept it when it is whitespace/BOM, or when the name agrees.
    return not head[:index].strip(_PDF_PREFIX_JUNK) or extension == ".pdf"


_ZIP_KINDS = (
    ("word/", "un archivo ZIP con partes de Word pero sin el documento principal (word/document.xml)"),
    ("xl/", "una hoja de cálculo de Excel (.xlsx)"),
    ("ppt/", "una presentación de PowerPoint (.pptx)"),
)


def _binary_kind(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data.startswith(_ZIP_SIGNATURES):
        head = data[:8192]
        for prefix, kind in _ZIP_KINDS:
            if prefix.encode("ascii") in head:
                return kind
        if b"opendocument" in head:
            return "un documento de OpenDocument que no es de texto (hoja de cálculo, presentación…)"
        return "un archivo comprimido ZIP"
    if data.startswith(b"MZ") and b"\x00" in data[:256]:
        return "un ejecutable de Windows"
    return None


def _old_office(data: bytes) -> None:
    """Refuse an OLE2 compound file with the advice that fits it (Word 97-2003, or a password-protected package).

    :raises UnsupportedFileType: always, for an OLE2 file; returns for anything else.
    """
    if not data.startswith(_OLE2):
        return
    if _OLE2_ENCRYPTED in data:
        raise UnsupportedFileType(
            "El documento de Office está protegido con contraseña: quite la protección, guárdelo como .docx o PDF "
            "y vuelva a subirlo."
        )
    if _OLE2_WORD in data:
        raise UnsupportedFileType(
            "El archivo es un documento de Word antiguo (.doc), que no se admite: ábralo en Word o LibreOffice, "
            "guárdelo como .docx o PDF y vuelva a subirlo."
        )


def _office_package(data: bytes) -> str | None:
    """DOCX or ODT when `data` is a ZIP holding a word-processor document; None when it is not a readable ZIP.

    :raises UnreadableFile: the bytes start like a Word or OpenDocument text package but the archive is damaged.
    :raises UnsupportedFileType: a readable ZIP that holds no word-processor document (named by what it holds).
    """
    if not data.startswith(b"PK\x03\x04"):
        return None
    archive = open_zip(data)
    if archive is None:
        head = data[:8192]
        if b"word/" in head or ODT.encode("ascii") in head:
            raise UnreadableFile(
                "El archivo parece un documento de Word u OpenDocument, pero está dañado o incompleto y no se puede "
                "abrir: vuelva a guardarlo (como .docx o PDF) y súbalo de nuevo."
            )
        return None
    with archive:
        kind = package_kind(archive)
        if kind is not None:
            return kind
        raise UnsupportedFileType(f"El contenido del archivo es {_zip_kind(archive)}; solo se aceptan {ACCEPTED}.")


def _zip_kind(archive: zipfile.ZipFile) -> str:
    """How to name a ZIP that holds no word-processor document, from its part names and ODF `mimetype`."""
    names = archive.namelist()
    mimetype = read_small(archive, ODT_MIMETYPE_PART, 128) if ODT_MIMETYPE_PART in names else None
    if mimetype is not None and mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return "un documento de OpenDocument que no es de texto (hoja de cálculo, presentación…)"
    for prefix, kind in _ZIP_KINDS:
        if any(name.startswith(prefix) for name in names):
            return kind
    return "un archivo comprimido ZIP"


def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    controls = sum(1 for c in sample if c not in "\t\n\f\v" and unicodedata.category(c) in ("Cc", "Cs", "Co"))
    return controls / len(sample)


def sniff_content_type(data: bytes, filename: str) -> str:
    """The MIME type of an upload, decided by its bytes (the name only tells text from Markdown).

    A `%PDF-` header in the first 1024 bytes (after a BOM or whitespace) means PDF. A ZIP archive with
    `word/document.xml` is a Word document (DOCX, also .docm/.dotx); one whose `mimetype` member is
    `application/vnd.oasis.opendocument.text` is OpenDocument text (ODT): whatever the name. An old binary Word
    document (.doc) is refused with the advice to save it as .docx or PDF. Anything else must be text: known binary
    formats (executables, images, other archives and Office files), NUL bytes or a high share of control characters
    are refused. Text is accepted with the extensions .txt, .text, .md, .markdown or none.

    :param data: the upload's bytes.
    :param filename: the upload's name, used only for the extension.
    :returns: "application/pdf", the DOCX or ODT MIME type, "text/plain" or "text/markdown" (text named .md /
        .markdown).
    :raises EmptyFile: no bytes, or only whitespace.
    :raises UnreadableFile: a Word or OpenDocument package whose archive is damaged.
    :raises UnsupportedFileType: the content is none of the accepted formats, a ".pdf" whose content is not a PDF
        (nor a Word or OpenDocument document), or text under an extension that is not accepted. `detail` says
        which, in Spanish.
    """
    if not data:
        raise EmptyFile("El archivo está vacío (0 bytes).")
    extension = _extension(filename)
    if _is_pdf(data, extension):
        return PDF
    package = _office_package(data)
    if package is not None:
        return package
    _old_office(data)
    if extension == ".pdf":
        raise UnsupportedFileType("El archivo se llama .pdf pero su contenido no es un PDF.")
    kind = _binary_kind(data)
    if kind:
        raise UnsupportedFileType(f"El contenido del archivo es {kind}; solo se aceptan {ACCEPTED}.")
    if bom_encoding(data) is None and b"\x00" in data[:65536]:
        raise UnsupportedFileType(
            f"El contenido del archivo es binario (contiene bytes nulos); solo se aceptan {ACCEPTED}."
        )
    text = decode_text(data[:65536])
    if not text.strip():
        raise EmptyFile("El archivo solo contiene espacios en blanco: no hay texto que indexar.")
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise UnsupportedFileType(
            f"El contenido del archivo parece binario (demasiados caracteres de control); solo se aceptan {ACCEPTED}."
        )
    if extension not in TEXT_EXTENSIONS:
        raise UnsupportedFileType(
            f"La extensión «{extension}» no se admite: los tipos aceptados son {ACCEPTED} ({ACCEPTED_EXTENSIONS})."
        )
    return MARKDOWN if extension in MARKDOWN_EXTENSIONS else TEXT
