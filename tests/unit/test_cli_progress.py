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
    progress.embedding("embedding", 3, 10)  # not a terminal: nothing shown in place
    assert out.getvalue().splitlines() == [
        "[1/3] informe.pdf: indexado, 12 págs., 25 pasajes | total: 12 págs., 25 pasajes, 2,5 pasajes/s, "
        "quedan ~30 s",
        "[2/3] escaneo.pdf: rechazado (needs_ocr) | total: 12 págs., 25 pasajes, 1,7 pasajes/s, quedan ~15 s",
        "[3/3] acta.txt: duplicado | total: 12 págs., 25 pasajes, 0,2 pasajes/s, quedan ~0 s",
    ]
    assert progress.summary() == "3 archivos, 12 páginas, 25 pasajes en 1 min 40 s (0,2 pasajes/s)"
