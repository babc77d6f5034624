"""OCR of the PDF pages that have no text layer (scans), in Spanish, with Tesseract."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict

from indexing.constants import DOCUMENT_ID, FILENAME, NEEDS_OCR, OCR, OCR_CONFIDENCE, PAGE
from indexing.errors import NoText, NoTextLayer, OcrTimeout, UnreadableFile
from indexing.ocr import (
    INSTALL_HINT,
    OcrConfig,
    OcrFailed,
    OcrTimeoutExpired,
    has_ink,
    ocr_page,
    render_page,
    unavailable_reason,
)
from indexing.types import Progress

logger = logging.getLogger(__name__)

_reporting = threading.local()


@contextmanager
def ocr_progress(progress: Progress | None) -> Iterator[None]:
    """Within the block, `OcrPages` runs in this thread tell `progress` ("ocr", pages read, pages to read).

    A pipeline's components take no callback, so the pipeline's caller (the ingestion worker, or `Indexer.prepare`
    in process) sets one around the run.

    :param progress: the callback (None: nothing is told).
    """
    previous = getattr(_reporting, "progress", None)
    _reporting.progress = progress
    try:
        yield
    finally:
        _reporting.progress = previous


def _word_chars(text: str, enough: int | None = None) -> int:
    """The letters and digits of `text`; with `enough`, counted until there are that many (then `enough`)."""
    if enough is None:
        return sum(1 for c in text if c.isalnum())
    n = 0
    for c in text:
        if c.isalnum():
            n += 1
            if n >= enough:
                break
    return n


@component
class OcrPages:
    """
    Fills the pages `PdfPagesConverter` marked as having no text layer with what Tesseract reads on them.

    A marked page (`meta["needs_ocr"]`, the PDF in `blob`) is rendered with pypdfium2 at `dpi`; a page without ink
    (blank) stays empty; otherwise it is straightened (projection-profile deskew) and read with Tesseract in
    `language`. Its Document then has the OCR text, `meta["ocr"]` = True and `meta["ocr_confidence"]` (mean word
    confidence, 0-1). Marked pages leave without the mark and the blob; pages with a text layer pass through
    unchanged (no `ocr` key: read as False). A record with fewer than `min_text_chars` letters and
    digits in the end (text layer plus OCR) is refused with `NoText`.

    Whether Tesseract and its language data are installed is checked when a page first needs them, so a service
    without them starts and indexes every PDF with a text layer.

    ### Usage example

    ```python
    from indexing.components.ocr_pages import OcrPages
    from indexing.components.pdf_pages_converter import PdfPagesConverter

    pages = PdfPagesConverter().run(sources=[stream])["documents"]
    pages = OcrPages().run(documents=pages)["documents"]
    print(pages[0].meta["ocr"], pages[0].meta.get("ocr_confidence"))  # True 0.95
    ```
    """

    def __init__(
        self,
        command: str = "tesseract",
        language: str = "spa",
        dpi: int = 300,
        page_timeout: float = 60.0,
        record_timeout: float = 600.0,
        deskew: bool = True,
        min_text_chars: int = 20,
    ) -> None:
        """
        Creates an OcrPages component.

        :param command: the Tesseract executable (a name on PATH or a path).
        :param language: Tesseract language data.
        :param dpi: resolution pages are rendered at.
        :param page_timeout: seconds Tesseract may take per page (`OcrTimeout` beyond).
        :param record_timeout: seconds all OCR of one record may take (`OcrTimeout` beyond).
        :param deskew: straighten slightly rotated scans before reading.
        :param min_text_chars: a record with fewer letters and digits, text layer and OCR together, is refused.
        """
        self.command = command
        self.language = language
        self.dpi = dpi
        self.page_timeout = page_timeout
        self.record_timeout = record_timeout
        self.deskew = deskew
        self.min_text_chars = min_text_chars

    @property
    def config(self) -> OcrConfig:
        """The OCR settings as one value."""
        return OcrConfig(
            command=self.command,
            language=self.language,
            dpi=self.dpi,
            page_timeout=self.page_timeout,
            record_timeout=self.record_timeout,
            deskew=self.deskew,
        )

    def to_dict(self) -> dict[str, Any]:
        """Serializes the component to a dictionary."""
        return default_to_dict(
            self,
            command=self.command,
            language=self.language,
            dpi=self.dpi,
            page_timeout=self.page_timeout,
            record_timeout=self.record_timeout,
            deskew=self.deskew,
            min_text_chars=self.min_text_chars,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OcrPages:
        """Deserializes the component from a dictionary."""
        return default_from_dict(cls, data)

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        """
        OCRs the marked pages, in order; one record's pages are consecutive. Within `ocr_progress(callback)`, tells
        the callback ("ocr", 0, pages to read) before the first and ("ocr", n, pages to read) after each.

        :param documents: PDF pages from `PdfPagesConverter`.
        :returns: A dictionary with the following key:
            - `documents`: the same pages, in order, scanned ones filled with their OCR text.
        :raises NoTextLayer: a page is a scan (it has ink) and Tesseract or its language data is not installed.
        :raises OcrTimeout: a page, or all the scanned pages of a record, took longer than the time budget.
        :raises NoText: a record has no text layer and nothing OCR can read.
        :raises UnreadableFile: Tesseract failed on a page.
        """
        out: list[Document] = []
        spent: dict[str, float] = {}
        progress: Progress | None = getattr(_reporting, "progress", None)
        total = sum(1 for doc in documents if doc.meta.get(NEEDS_OCR) and doc.blob is not None)
        done = 0
        if progress is not None and total:
            progress("ocr", 0, total)
        for doc in documents:
            if doc.meta.get(NEEDS_OCR) and doc.blob is not None:
                out.append(self._page(doc, spent))
                done += 1
                if progress is not None:
                    progress("ocr", done, total)
            else:
                out.append(doc)
        self._check_text(out)
        return {"documents": out}

    def _page(self, doc: Document, spent: dict[str, float]) -> Document:
        meta = {k: v for k, v in doc.meta.items() if k != NEEDS_OCR}
        name = meta.get(FILENAME) or "el PDF"
        number = int(meta.get(PAGE) or 1)
        record = str(meta.get(DOCUMENT_ID) or name)
        assert doc.blob is not None  # checked by run()
        started = time.monotonic()
        image = render_page(doc.blob.data, number - 1, self.dpi)
        if not has_ink(image):
            spent[record] = spent.get(record, 0.0) + time.monotonic() - started
            return Document(content=doc.content or "", meta=meta)
        reason = unavailable_reason(self.command, self.language)
        if reason is not None:
            raise NoTextLayer(
                f"La página {number} de {name} no tiene capa de texto (parece escaneada) y necesita OCR, pero "
                f"{reason}. Para leer documentos escaneados instale Tesseract con los datos del español "
                f"({INSTALL_HINT}) y vuelva a subirlo, o suba un PDF con capa de texto."
            )
        budget = self.record_timeout - spent.get(record, 0.0)
        config = self.config
        if budget < config.page_timeout:
            config = replace(config, page_timeout=max(budget, 0.001))
        try:
            result = ocr_page(image, config)
        except OcrTimeoutExpired as exc:
            limit = "OCR_TIMEOUT_SECONDS" if config.page_timeout == self.page_timeout else "OCR_RECORD_TIMEOUT_SECONDS"
            raise OcrTimeout(
                f"El OCR de la página {number} de {name} superó el tiempo máximo ({limit}): suba un PDF con capa "
                "de texto o divida el documento."
            ) from exc
        except OcrFailed as exc:
            logger.warning("OCR failed on page %d of %s: %s", number, name, exc)
            raise UnreadableFile(f"No se pudo leer con OCR la página {number} de {name}.") from exc
        spent[record] = spent.get(record, 0.0) + time.monotonic() - started
        logger.info(
            "OCR of page %d of %s: %d words, confidence %.3f, skew %.2f°",
            number,
            name,
            result.words,
            result.confidence,
            result.skew,
        )
        if _word_chars(result.text) <= _word_chars(doc.content or ""):
            return Document(content=doc.content or "", meta=meta)
        return Document(content=result.text, meta={**meta, OCR: True, OCR_CONFIDENCE: result.confidence})

    def _check_text(self, pages: list[Document]) -> None:
        chars: dict[str, int] = {}
        names: dict[str, str] = {}
        for page in pages:
            record = str(page.meta.get(DOCUMENT_ID) or page.meta.get(FILENAME) or "")
            names[record] = str(page.meta.get(FILENAME) or "El PDF")
            so_far = chars.get(record, 0)
            if so_far < self.min_text_chars:  # enough is enough: the rest of a long record is not counted
                chars[record] = so_far + _word_chars(page.content or "", self.min_text_chars - so_far)
        for record, n in chars.items():
            if n < self.min_text_chars:
                raise NoText(
                    f"{names[record]} no contiene texto indexable: sus páginas no tienen capa de texto ni nada que "
                    "el OCR pueda leer."
                )
