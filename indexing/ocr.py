"""Optical character recognition of scanned PDF pages: render (pypdfium2), deskew (numpy), read (Tesseract).

Tesseract runs as a subprocess (`tesseract IMAGE BASE -l spa txt tsv`) with `OMP_THREAD_LIMIT=1`, so one page never
takes more than one core from searches, and with a timeout per page. `image_to_data`-style TSV gives the word
confidences; the text output keeps Tesseract's own line and paragraph breaks.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from indexing.settings import Settings

logger = logging.getLogger(__name__)

# pypdfium2 (PDFium) is not thread-safe: one call at a time in this process (OCR and the web page views share it).
PDFIUM_LOCK = threading.Lock()

# A page is blank when fewer than this share of its pixels is darker than _INK_LEVEL.
_INK_LEVEL = 128
_MIN_INK_SHARE = 0.0005
# Rows of pixels counted at a time (the count stops at the first band that makes the page inked).
_INK_BAND = 256
# Skew search: ±_MAX_SKEW degrees in _SKEW_STEP steps, on a copy scaled to _SKEW_WIDTH pixels.
_MAX_SKEW = 3.0
_SKEW_STEP = 0.1
_SKEW_WIDTH = 1000
# Coarse pass of the skew search: every _SKEW_COARSE-th candidate, then the candidates around the best one.
_SKEW_COARSE = 4
# Below this estimated skew (degrees) the page is read as it is.
_MIN_SKEW = 0.15

# Largest bitmap rendered for OCR: A3 at 300 dpi is 17 million pixels.
_MAX_PIXELS = 50_000_000

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-spa"


@dataclass(frozen=True)
class OcrConfig:
    """How pages are OCR'd.

    :param command: the Tesseract executable (a name on PATH or a path).
    :param language: Tesseract language data to read with.
    :param dpi: resolution pages are rendered at.
    :param page_timeout: seconds Tesseract may take per page before it is stopped.
    :param record_timeout: seconds all OCR of one record may take.
    :param deskew: estimate and undo a small rotation before reading.
    """

    command: str = "tesseract"
    language: str = "spa"
    dpi: int = 300
    page_timeout: float = 60.0
    record_timeout: float = 600.0
    deskew: bool = True


def ocr_config(settings: Settings) -> OcrConfig:
    """The OCR configuration of `settings` (OCR_COMMAND, OCR_LANGUAGE, OCR_DPI, OCR_*TIMEOUT_SECONDS, OCR_DESKEW)."""
    return OcrConfig(
        command=settings.ocr_command,
        language=settings.ocr_language,
        dpi=settings.ocr_dpi,
        page_timeout=settings.ocr_timeout_seconds,
        record_timeout=settings.ocr_record_timeout_seconds,
        deskew=settings.ocr_deskew,
    )


@dataclass(frozen=True)
class OcrResult:
    """What Tesseract read on one page.

    :param text: the page text, lines and paragraphs as Tesseract found them.
    :param confidence: mean word confidence, 0-1 (0 when no word was read).
    :param words: number of words read.
    :param skew: rotation corrected before reading, in degrees.
    """

    text: str
    confidence: float
    words: int
    skew: float


class OcrTimeoutExpired(Exception):
    """Tesseract did not finish one page within its timeout."""


class OcrFailed(Exception):
    """Tesseract exited with an error on one page."""


@functools.lru_cache(maxsize=8)
def unavailable_reason(command: str, language: str) -> str | None:
    """Why OCR cannot run here, or None when it can: the executable is missing or lacks the language data.

    :param command: the Tesseract executable.
    :param language: the language data it needs.
    :returns: None, or a Spanish sentence naming what is missing.
    """
    path = shutil.which(command)
    if path is None:
        return f"Tesseract no está instalado en este servidor (no se encuentra «{command}»)"
    try:
        out = subprocess.run(
            [path, "--list-langs"], capture_output=True, text=True, timeout=30, env=_tesseract_env(), check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"Tesseract no se puede ejecutar en este servidor ({exc})"
    languages = {line.strip() for line in out.stdout.splitlines()[1:]}
    if language not in languages:
        return f"Tesseract está instalado sin los datos del idioma «{language}»"
    return None


def _tesseract_env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def render_page(pdf: bytes, index: int, dpi: int) -> Image.Image:
    """Renders one page of a PDF to a grayscale image.

    :param pdf: the PDF bytes.
    :param index: 0-based page index.
    :param dpi: resolution (lowered for pages so large that the bitmap would pass 50 million pixels).
    :returns: the page as a PIL image, mode "L".
    """
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            page = doc[index]
            try:
                width, height = page.get_size()
                # A page of several square metres (legal in PDF) would need gigabytes at 300 dpi: cap the bitmap.
                scale = min(dpi / 72, 0.999 * (_MAX_PIXELS / max(1.0, width * height)) ** 0.5)
                bitmap = page.render(scale=scale, grayscale=True)
                image = bitmap.to_pil().convert("L")
            finally:
                page.close()
        finally:
            doc.close()
    return image


def has_ink(image: Image.Image) -> bool:
    """Whether a page image holds anything but paper: a blank page needs no OCR.

    :param image: a grayscale page image.
    :returns: True when at least 0.05 % of its pixels are dark.
    """
    pixels = np.asarray(image)
    needed = _MIN_INK_SHARE * pixels.size
    found = 0
    # Band by band, stopping once there is enough ink: a page of text has it within its first bands.
    for start in range(0, pixels.shape[0], _INK_BAND):
        found += int(np.count_nonzero(pixels[start : start + _INK_BAND] < _INK_LEVEL))
        if found >= needed:
            return True
    return found >= needed


def estimate_skew(image: Image.Image) -> float:
    """The small rotation of a scanned page, in degrees (counter-clockwise positive, as `Image.rotate`).

    Projection-profile search: the page is rotated by each candidate angle and the one whose row sums of ink vary
    most (text lines aligned with the pixel rows) wins. Coarse to fine, on a copy scaled to 1000 pixels wide: every
    `_SKEW_COARSE`-th candidate first, then every candidate within `_SKEW_COARSE` - 1 steps of the best of those
    (the profile's peak is about a line height over the page width wide, ~0.9 degree at that width, wider than the
    coarse step); at most 22 rotations instead of 61, each linear in the pixels.

    :param image: a grayscale page image.
    :returns: the angle that makes text lines horizontal when applied with `Image.rotate`, in [-3, 3].
    """
    scale = _SKEW_WIDTH / image.width
    small = image.resize((_SKEW_WIDTH, max(1, round(image.height * scale))), Image.Resampling.BILINEAR)
    ink = Image.fromarray(np.where(np.asarray(small) < _INK_LEVEL, 255, 0).astype(np.uint8))
    steps = round(_MAX_SKEW / _SKEW_STEP)
    scores: dict[int, float] = {}

    def score(i: int) -> float:
        if i not in scores:
            rotated = ink.rotate(i * _SKEW_STEP, resample=Image.Resampling.NEAREST)
            scores[i] = float(np.var(np.asarray(rotated, dtype=np.float32).sum(axis=1)))
        return scores[i]

    coarse = list(range(-steps, steps + 1, _SKEW_COARSE))
    if coarse[-1] != steps:
        coarse.append(steps)
    best, best_score = coarse[0], -1.0
    for i in coarse:
        if score(i) > best_score:
            best, best_score = i, score(i)
    for i in range(max(-steps, best - _SKEW_COARSE + 1), min(steps, best + _SKEW_COARSE - 1) + 1):
        score(i)
    # The first of the highest in ascending angle order, as a search over every candidate would pick.
    best, best_score = 0, -1.0
    for i in sorted(scores):
        if scores[i] > best_score:
            best, best_score = i, scores[i]
    return round(best * _SKEW_STEP, 2)


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    """The page turned upright, and the angle it was turned by (0 when under 0.15 degrees).

    :param image: a grayscale page image.
    :returns: (image, angle in degrees).
    """
    angle = estimate_skew(image)
    if abs(angle) < _MIN_SKEW:
        return image, 0.0
    return image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255), angle


def read_image(image: Image.Image, config: OcrConfig, skew: float = 0.0) -> OcrResult:
    """Runs Tesseract on one page image.

    :param image: the page (upright).
    :param config: executable, language, resolution and timeout.
    :param skew: the rotation already corrected, reported back in the result.
    :returns: the text and the mean word confidence.
    :raises OcrTimeoutExpired: Tesseract took longer than `config.page_timeout`.
    :raises OcrFailed: Tesseract exited with an error.
    """
    with tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
        src, base = Path(tmp) / "page.bmp", Path(tmp) / "out"
        # Uncompressed: a PNG's compression costs more CPU (~0.2 s for an A4 page at 300 dpi) than writing and
        # reading the bitmap as it is, and Tesseract reads the very same pixels.
        image.save(src, "BMP")
        cmd = [config.command, str(src), str(base), "-l", config.language, "--dpi", str(config.dpi), "txt", "tsv"]
        try:
            done = subprocess.run(
                cmd, capture_output=True, timeout=config.page_timeout, env=_tesseract_env(), check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise OcrTimeoutExpired(f"tesseract took more than {config.page_timeout} s") from exc
        except OSError as exc:
            raise OcrFailed(str(exc)) from exc
        if done.returncode != 0:
            raise OcrFailed(done.stderr.decode("utf-8", "replace").strip()[-500:])
        text = (base.with_suffix(".txt")).read_text(encoding="utf-8")
        confidences = _word_confidences((base.with_suffix(".tsv")).read_text(encoding="utf-8"))
    confidence = round(sum(confidences) / len(confidences) / 100.0, 4) if confidences else 0.0
    return OcrResult(text=_tidy(text), confidence=confidence, words=len(confidences), skew=skew)


def _word_confidences(tsv: str) -> list[float]:
    """Confidences (0-100) of the words of Tesseract's TSV output (level 5 rows with text)."""
    out: list[float] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") == "5" and (row.get("text") or "").strip():
            try:
                conf = float(row.get("conf") or -1)
            except ValueError:
                continue
            if conf >= 0:
                out.append(conf)
    return out


def _tidy(text: str) -> str:
    """Tesseract's text without the form feed it ends a page with and without trailing spaces on lines."""
    lines = [line.rstrip() for line in text.replace("\f", "").splitlines()]
    return "\n".join(lines).strip("\n")


def ocr_page(image: Image.Image, config: OcrConfig) -> OcrResult:
    """Deskews (when configured) and reads one rendered page.

    :param image: the rendered page.
    :param config: how to read it.
    :returns: what was read.
    :raises OcrTimeoutExpired, OcrFailed: as `read_image`.
    """
    skew = 0.0
    if config.deskew:
        image, skew = deskew(image)
    result = read_image(image, config, skew)
    logger.debug("OCR: %d words, confidence %.3f, skew %.2f", result.words, result.confidence, skew)
    return result
