"""OcrPages with the real Tesseract (`spa`): scanned pages read, blank pages, OCR not installed, time budget."""

from __future__ import annotations

import numpy as np
import pytest
from haystack import Document
from haystack.dataclasses import ByteStream
from PIL import Image

from corpus.ocr_eval import character_accuracy, edit_distance
from indexing.components.ocr_pages import OcrPages, ocr_progress
from indexing.components.pdf_pages_converter import PdfPagesConverter
from indexing.errors import NoText, NoTextLayer, OcrTimeout
from indexing.ocr import estimate_skew, has_ink, render_page
from tests.factories import join_pdfs, make_pdf, make_scan_pdf, make_scanned_pdf

NOTICE = (
    "# Aviso de reunión\n\n"
    "La acreditación se realizará de 8:15 a 9:00 horas en la Sala Bolognesi.\n\n"
    "Se ruega puntualidad."
)
NOTICE_WORDS = [
    "Aviso", "de", "reunión", "La", "acreditación", "se", "realizará", "de", "8:15", "a", "9:00", "horas", "en",
    "la", "Sala", "Bolognesi.", "Se", "ruega", "puntualidad.",
]  # fmt: skip
LETTER = (
    "Lima, 4 de septiembre de 2023\n\n"
    "Me dirijo a usted para confirmarle que la Misión de la OIM en el Perú pondrá a disposición de la "
    "Superintendencia Nacional de Migraciones seis unidades móviles de registro durante el periodo de octubre a "
    "diciembre de 2023. Las unidades se destinarán a las jornadas de registro en los puestos de control "
    "fronterizo de Tumbes y Tacna, y contarán con personal técnico de la OIM para el mantenimiento de los equipos."
)
MISSING = "/nonexistent/bin/tesseract"


def _exhaustive_skew(image: Image.Image) -> float:
    """The projection-profile search over every candidate angle (what `estimate_skew` did before coarse to fine)."""
    small = image.resize((1000, max(1, round(image.height * 1000 / image.width))), Image.Resampling.BILINEAR)
    ink = Image.fromarray(np.where(np.asarray(small) < 128, 255, 0).astype(np.uint8))
    best_angle, best_score = 0.0, -1.0
    for i in range(-30, 31):
        rows = np.asarray(ink.rotate(i * 0.1, resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        if float(np.var(rows)) > best_score:
            best_angle, best_score = i * 0.1, float(np.var(rows))
    return round(best_angle, 2)


def pages_of(data: bytes, ocr: OcrPages | None = None, name: str = "aviso.pdf") -> list[Document]:
    stream = ByteStream(data=data, meta={"filename": name, "document_id": "abc"})
    docs = PdfPagesConverter().run(sources=[stream])["documents"]
    return (ocr or OcrPages()).run(documents=docs)["documents"]


class TestOcrPages:
    def test_clean_scan_reads_the_exact_words(self) -> None:
        [page] = pages_of(make_scan_pdf(NOTICE))
        assert page.content.split() == NOTICE_WORDS
        assert page.meta["ocr"] is True
        assert 0.9 <= page.meta["ocr_confidence"] <= 1.0
        assert "needs_ocr" not in page.meta
        assert page.blob is None
        assert (page.meta["page"], page.meta["pages"], page.meta["filename"]) == (1, 1, "aviso.pdf")

    def test_noisy_rotated_scan_reads_at_least_95_percent_of_characters(self) -> None:
        [page] = pages_of(make_scan_pdf(LETTER, rotate=1.5, noisy=True, seed=3))
        reference = " ".join(LETTER.split())
        assert character_accuracy(page.content, reference) >= 0.95
        assert page.meta["ocr"] is True

    def test_deskew_estimates_the_rotation(self) -> None:
        image = render_page(make_scan_pdf(LETTER, rotate=1.5, noisy=True, seed=3), 0, 300)
        assert abs(estimate_skew(image) - -1.5) <= 0.1
        assert estimate_skew(render_page(make_scan_pdf(LETTER), 0, 300)) == 0.0

    def test_ink_is_counted_over_the_whole_page_until_there_is_enough(self) -> None:
        pixels = np.full((3000, 2000), 255, dtype=np.uint8)
        assert has_ink(Image.fromarray(pixels)) is False
        pixels[2990:, :299] = 0  # 2,990 dark pixels in the last rows: under 0.05 % of 6 million (3,000)
        assert has_ink(Image.fromarray(pixels)) is False
        pixels[2989, :10] = 0  # 3,000: inked
        assert has_ink(Image.fromarray(pixels)) is True
        pixels[2989, :10] = 127
        assert has_ink(Image.fromarray(pixels)) is True
        pixels[2989, :10] = 128  # not dark
        assert has_ink(Image.fromarray(pixels)) is False

    @pytest.mark.parametrize("rotate", [-2.9, -1.7, -0.6, 0.4, 1.1, 2.6])
    def test_coarse_to_fine_skew_search_finds_the_exhaustive_search_angle(self, rotate: float) -> None:
        image = render_page(make_scan_pdf(LETTER, rotate=rotate, noisy=True, seed=5), 0, 200)
        assert estimate_skew(image) == _exhaustive_skew(image)

    def test_ocr_not_installed_is_needs_ocr_with_how_to_install(self) -> None:
        with pytest.raises(NoTextLayer) as excinfo:
            pages_of(make_scan_pdf(NOTICE), OcrPages(command=MISSING))
        assert excinfo.value.code == "needs_ocr"
        assert excinfo.value.status == 422
        assert excinfo.value.detail == (
            "La página 1 de aviso.pdf no tiene capa de texto (parece escaneada) y necesita OCR, pero Tesseract no "
            f"está instalado en este servidor (no se encuentra «{MISSING}»). Para leer documentos escaneados "
            "instale Tesseract con los datos del español (apt-get install tesseract-ocr tesseract-ocr-spa) y vuelva "
            "a subirlo, o suba un PDF con capa de texto."
        )

    def test_missing_language_data_is_needs_ocr(self) -> None:
        with pytest.raises(NoTextLayer) as excinfo:
            pages_of(make_scan_pdf(NOTICE), OcrPages(language="xyz"))
        assert "Tesseract está instalado sin los datos del idioma «xyz»" in excinfo.value.detail

    def test_text_pdf_needs_no_tesseract(self) -> None:
        docs = pages_of(make_pdf(["Compromisos anunciados por los donantes."], footer=None), OcrPages(command=MISSING))
        assert [(d.content.strip(), "ocr" in d.meta) for d in docs] == [
            ("Compromisos anunciados por los donantes.", False)
        ]

    @pytest.mark.parametrize("command", ["tesseract", MISSING])
    def test_blank_page_is_no_text(self, command: str) -> None:
        with pytest.raises(NoText) as excinfo:
            pages_of(make_pdf([""], footer=None), OcrPages(command=command), name="blanco.pdf")
        assert excinfo.value.code == "no_text"
        assert excinfo.value.detail == (
            "blanco.pdf no contiene texto indexable: sus páginas no tienen capa de texto ni nada que el OCR pueda leer."
        )

    def test_drawings_without_words_are_no_text(self) -> None:
        with pytest.raises(NoText):
            pages_of(make_scanned_pdf(2))

    def test_blank_page_between_text_pages_stays_empty(self) -> None:
        docs = pages_of(make_pdf(["Apertura de la conferencia.", "", "Clausura y próximos pasos."], footer=None))
        assert [(d.meta["page"], d.content.strip(), d.meta.get("ocr")) for d in docs] == [
            (1, "Apertura de la conferencia.", None),
            (2, "", None),
            (3, "Clausura y próximos pasos.", None),
        ]

    def test_mixed_pdf_keeps_the_text_layer_and_reads_the_scan(self) -> None:
        text_page = make_pdf(["Compromisos anunciados por los donantes en Bruselas."], footer=None)
        docs = pages_of(join_pdfs(text_page, make_scan_pdf(NOTICE)))
        assert docs[0].content == "Compromisos anunciados por los donantes en Bruselas.\n"  # pypdf's layer, as is
        assert "ocr" not in docs[0].meta
        assert docs[1].content.split() == NOTICE_WORDS
        assert (docs[1].meta["page"], docs[1].meta["pages"], docs[1].meta["ocr"]) == (2, 2, True)

    def test_page_time_budget(self) -> None:
        with pytest.raises(OcrTimeout) as excinfo:
            pages_of(make_scan_pdf(NOTICE), OcrPages(page_timeout=0.001))
        assert (excinfo.value.code, excinfo.value.status) == ("ocr_timeout", 422)
        assert excinfo.value.detail == (
            "El OCR de la página 1 de aviso.pdf superó el tiempo máximo (OCR_TIMEOUT_SECONDS): suba un PDF con capa "
            "de texto o divida el documento."
        )

    def test_record_time_budget(self) -> None:
        two_scans = join_pdfs(make_scan_pdf(NOTICE), make_scan_pdf(NOTICE))
        with pytest.raises(OcrTimeout) as excinfo:
            pages_of(two_scans, OcrPages(page_timeout=0.0005, record_timeout=0.0005))
        assert "(OCR_RECORD_TIMEOUT_SECONDS)" not in excinfo.value.detail  # both budgets equal: the page's is named
        assert excinfo.value.code == "ocr_timeout"

    def test_serialization_round_trip(self) -> None:
        ocr = OcrPages(command="/usr/bin/tesseract", dpi=200, page_timeout=5.0, record_timeout=50.0, deskew=False)
        again = OcrPages.from_dict(ocr.to_dict())
        assert again.config == ocr.config
        assert again.min_text_chars == 20


class TestCharacterAccuracy:
    def test_edit_distance(self) -> None:
        assert edit_distance("kitten", "sitting") == 3
        assert edit_distance("", "abc") == 3
        assert edit_distance("Sala Bolognesi", "Sala Bolognesi") == 0

    def test_accuracy_folds_whitespace(self) -> None:
        assert character_accuracy("Sala\n  Bolognesi", "Sala Bolognesi") == 1.0
        assert character_accuracy("Sala Bo1ognesi", "Sala Bolognesi") == pytest.approx(1 - 1 / 14)


def test_ocr_config_comes_from_settings() -> None:
    from indexing.ocr import OcrConfig, ocr_config
    from indexing.settings import Settings

    settings = Settings(  # type: ignore[call-arg]
        ocr_command="/opt/tesseract", ocr_dpi=200, ocr_timeout_seconds=5, ocr_deskew=False, _env_file=None
    )
    assert ocr_config(settings) == OcrConfig(
        command="/opt/tesseract", language="spa", dpi=200, page_timeout=5.0, record_timeout=600.0, deskew=False
    )


def test_huge_page_is_rendered_within_the_pixel_cap() -> None:
    from io import BytesIO

    from reportlab.pdfgen.canvas import Canvas

    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(14400, 14400), invariant=1)  # 5 m x 5 m, the largest page PDF allows
    canvas.showPage()
    canvas.save()
    image = render_page(buffer.getvalue(), 0, 300)
    assert image.width * image.height <= 50_000_000
    assert image.width == image.height == 7064  # about 35 dpi instead of 300


def test_ocr_progress_counts_the_scanned_pages_only_inside_its_block() -> None:
    text = make_pdf(["Acta de la reunión de seguimiento con las delegaciones de los países de acogida."], footer=None)
    data = join_pdfs(text, make_scan_pdf(NOTICE), make_scanned_pdf(1))
    seen: list[tuple[str, int, int]] = []
    outside: list[tuple[str, int, int]] = []
    with ocr_progress(lambda *a: outside.append(a)):
        with ocr_progress(lambda *a: seen.append(a)):
            pages = pages_of(data)
        pages_of(make_pdf(["Una página con capa de texto y nada que leer con OCR en ella."], footer=None))
    pages_of(data)
    assert [p.meta.get("ocr", False) for p in pages] == [False, True, False]  # the blank scan stays empty
    assert seen == [("ocr", 0, 2), ("ocr", 1, 2), ("ocr", 2, 2)]
    assert outside == []
