"""PDF bytes → one Haystack Document per page, with 1-based page numbers for citations."""

from __future__ import annotations

import logging
import warnings
from io import BytesIO
from pathlib import Path
from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict
from haystack.components.converters.utils import get_bytestream_from_source, normalize_metadata
from haystack.dataclasses import ByteStream
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from indexing.components.decoding import strip_undecodable
from indexing.components.pdf_columns import page_text
from indexing.constants import FILENAME, NEEDS_OCR, PAGE, PAGES, PDF_TITLE, SOURCE_KIND
from indexing.errors import CorruptPdf, EncryptedPdf, TooManyPages

logger = logging.getLogger(__name__)

# pypdf logs a warning for every recoverable defect ("EOF marker not found", odd xref offsets). We turn hard
# failures into domain errors ourselves, so its chatter only buries useful log lines.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _encrypted_detail(name: str) -> str:
    return f"{name} está protegido con contraseña: quite la protección y vuelva a subirlo."


def has_word_chars(text: str) -> bool:
    """Whether `text` holds a letter or a digit (a text layer worth keeping)."""
    return any(c.isalnum() for c in text)


@component
class PdfPagesConverter:
    """
    Converts PDF records into one `Document` per page, so every chunk can cite its page.

    Each page Document carries the ByteStream's meta plus `page` (1-based), `pages` (total), `pdf_title` (the
    PDF's /Title, stripped, or None) and `source_kind` = "pdf". Text comes from pypdf's `extract_text()` (default
    mode), without lone surrogates and other code points that are not text (a broken character map yields them); a
    two-column page is read column by column (`indexing.components.pdf_columns`), each page's content stream parsed
    once for both readings. A page whose text layer holds no letter or digit (a scan, or a blank page) keeps that
    text and is marked for OCR: `meta["needs_ocr"]` = True and `blob` = the PDF's ByteStream, which `OcrPages`
    renders; nothing is decided here about whether the page is blank, scanned or readable.

    ### Usage example

    ```python
    from haystack.dataclasses import ByteStream
    from indexing.components.pdf_pages_converter import PdfPagesConverter

    pages = PdfPagesConverter().run(sources=[ByteStream(data=pdf_bytes, meta={"filename": "acta.pdf"})])
    print(pages["documents"][0].meta["page"])  # 1
    ```
    """

    def __init__(self, max_pages: int | None = None) -> None:
        """
        Creates a PdfPagesConverter.

        :param max_pages: a PDF with more pages is refused with `TooManyPages` before any text is extracted;
            None = no cap.
        """
        self.max_pages = max_pages

    def to_dict(self) -> dict[str, Any]:
        """Serializes the component to a dictionary."""
        return default_to_dict(self, max_pages=self.max_pages)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PdfPagesConverter:
        """Deserializes the component from a dictionary."""
        return default_from_dict(cls, data)

    @component.output_types(documents=list[Document])
    def run(
        self, sources: list[str | Path | ByteStream], meta: dict[str, Any] | list[dict[str, Any]] | None = None
    ) -> dict[str, list[Document]]:
        """
        Converts each PDF into its page Documents, in page order.

        :param sources: PDF files as ByteStreams; their `meta` (filename, document_id, ...) is copied to every page.
        :param meta: optional extra metadata, one dict for all sources or one per source (wins over ByteStream meta).
        :returns: A dictionary with the following key:
            - `documents`: the pages of every source, in order; pages without a text layer marked for OCR.
        :raises CorruptPdf: the PDF cannot be parsed (damaged, truncated, no pages) or a page's text cannot be read.
        :raises EncryptedPdf: the PDF needs a user password (one that opens with the empty password is read).
        :raises TooManyPages: the PDF has more than `max_pages` pages.
        """
        documents: list[Document] = []
        streams = [get_bytestream_from_source(s) for s in sources]
        for source, extra in zip(streams, normalize_metadata(meta, sources_count=len(streams)), strict=True):
            documents.extend(self._convert(source, {**source.meta, **extra}))
        return {"documents": documents}

    def _convert(self, source: ByteStream, base_meta: dict[str, Any]) -> list[Document]:
        name = base_meta.get(FILENAME) or "el PDF"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = self._open(source.data, name)
            if self.max_pages is not None and len(reader.pages) > self.max_pages:
                raise TooManyPages(
                    f"{name} tiene {len(reader.pages)} páginas y el límite es {self.max_pages} por registro "
                    "(MAX_RECORD_PAGES): divídalo en varios archivos."
                )
            title = self._title(reader)
            texts = self._page_texts(reader, name)
        total = len(texts)
        pages: list[Document] = []
        for number, text in enumerate(texts, start=1):
            meta = {**base_meta, PAGE: number, PAGES: total, PDF_TITLE: title, SOURCE_KIND: "pdf"}
            if has_word_chars(text):
                pages.append(Document(content=text, meta=meta))
            else:
                pages.append(Document(content=text, meta={**meta, NEEDS_OCR: True}, blob=source))
        scanned = sum(1 for p in pages if p.meta.get(NEEDS_OCR))
        logger.debug("Converted %s: %d pages, %d without text layer", name, total, scanned)
        return pages

    @staticmethod
    def _open(data: bytes, name: str) -> PdfReader:
        try:
            reader = PdfReader(BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise EncryptedPdf(_encrypted_detail(name))
            if len(reader.pages) == 0:
                raise CorruptPdf(f"{name} no tiene páginas.")
        except (EncryptedPdf, CorruptPdf):
            raise
        except FileNotDecryptedError as exc:
            raise EncryptedPdf(_encrypted_detail(name)) from exc
        except DependencyError as exc:  # AES needs the optional `cryptography` package
            raise EncryptedPdf(
                f"{name} está cifrado con AES y este servidor no puede abrirlo: quite la protección y vuelva a subirlo."
            ) from exc
        except NotImplementedError as exc:  # an encryption algorithm pypdf cannot handle
            raise EncryptedPdf(f"{name} usa un cifrado que no se puede abrir: {exc}") from exc
        except Exception as exc:  # pypdf raises PyPdfError, but also bare ValueError/KeyError on damaged files
            raise CorruptPdf(f"{name} está dañado o incompleto y no se puede leer ({exc}).") from exc
        return reader

    @staticmethod
    def _title(reader: PdfReader) -> str | None:
        try:
            title = reader.metadata.title if reader.metadata else None
        except Exception:  # a broken /Info dictionary must not sink an otherwise readable PDF
            return None
        if not isinstance(title, str):
            return None
        return strip_undecodable(title).strip() or None

    @staticmethod
    def _page_texts(reader: PdfReader, name: str) -> list[str]:
        texts: list[str] = []
        try:
            for page in reader.pages:
                texts.append(strip_undecodable(page_text(page) or ""))
        except Exception as exc:  # damaged content streams surface here, not when opening
            raise CorruptPdf(f"No se puede extraer el texto de la página {len(texts) + 1} de {name} ({exc}).") from exc
        return texts
