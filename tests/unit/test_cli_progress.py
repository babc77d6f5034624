"""The bulk-load progress lines of `python -m indexing ingest`, with a fake clock."""

from __future__ import annotations

import io

from indexing.__main__ import BulkProgress
from indexing.errors import NoTextLayer
from indexing.ingest import IngestResult


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_lines_per_file_and_overall() -> None:
    clock, out = Clock(), io.StringIO()
    progress = BulkProgress(3, 4000, out, clock=clock)
    clock.now += 10
    progress.file_done("informe.pdf", 1000, IngestResult("a" * 16, "informe.pdf", "Informe", 12, 25, "indexed"))
    clock.now += 5
    progress.file_done("escaneo.pdf", 1000, NoTextLayer("El PDF no tiene capa de texto."))
    clock.now += 85
    progress.file_done("acta.txt", 2000, IngestResult("b" * 16, "acta.txt", "Acta", 1, 2, "duplicate"))
    progress.stage("embedding", 3, 10)  # not a terminal: nothing shown in place
    assert out.getvalue().splitlines() == [
        "[1/3] informe.pdf: indexado, 12 págs., 25 pasajes | total: 12 págs., 25 pasajes, 2,5 pasajes/s, "
        "quedan ~30 s",
        "[2/3] escaneo.pdf: rechazado (needs_ocr) | total: 12 págs., 25 pasajes, 1,7 pasajes/s, quedan ~15 s",
        "[3/3] acta.txt: duplicado | total: 12 págs., 25 pasajes, 0,2 pasajes/s, quedan ~0 s",
    ]
    assert progress.summary() == "3 archivos, 12 páginas, 25 pasajes en 1 min 40 s (0,2 pasajes/s)"


def test_ocr_pages_are_counted_across_files_and_shown_in_the_lines() -> None:
    clock, out = Clock(), io.StringIO()
    progress = BulkProgress(2, 2000, out, clock=clock)
    for done in range(3):  # the first file: 2 scanned pages
        progress.stage("ocr", done, 2)
    progress.stage("embedding", 0, 4)
    progress.stage("ocr", 0, 3)  # the second file's OCR starts while the first one embeds
    progress.stage("ocr", 1, 3)
    clock.now += 10
    progress.file_done("escaneo.pdf", 1000, IngestResult("a" * 16, "escaneo.pdf", "Escaneo", 2, 4, "indexed"))
    progress.stage("ocr", 2, 3)
    progress.stage("ocr", 3, 3)
    clock.now += 10
    progress.file_done("otro.pdf", 1000, IngestResult("b" * 16, "otro.pdf", "Otro", 3, 6, "indexed"))
    assert (progress.ocr_done, progress.ocr_total) == (5, 5)
    assert out.getvalue().splitlines() == [
        "[1/2] escaneo.pdf: indexado, 2 págs., 4 pasajes | total: 2 págs., 4 pasajes, 0,4 pasajes/s, "
        "OCR 3/5 págs., quedan ~10 s",
        "[2/2] otro.pdf: indexado, 3 págs., 6 pasajes | total: 5 págs., 10 pasajes, 0,5 pasajes/s, "
        "OCR 5/5 págs., quedan ~0 s",
    ]
    assert progress.summary() == "2 archivos, 5 páginas, 5 con OCR, 10 pasajes en 20 s (0,5 pasajes/s)"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_ocr_and_embedding_show_in_place() -> None:
    out = Terminal()
    progress = BulkProgress(1, 10, out, clock=Clock())
    progress.stage("ocr", 1, 2)
    progress.stage("embedding", 3, 8)
    assert out.getvalue() == "\r\x1b[K  ocr: 1/2 páginas\r\x1b[K  embedding: 3/8 pasajes"
