"""The writer processes of the fault-injection tests: `python -m tests.integration.crash_writer CASES.json`.

CASES.json is a list of `[data_dir, action, crash point]`. The script imports everything and loads the model once,
then forks one child per case (a real process each, run one after the other): the child sets
`COMPROMISOS_FAULT=<crash point>`, opens an Engine on its data directory and runs one write (`ingest-v1`,
`ingest-v2`, `delete-v1`); the store SIGKILLs it at that point (see `indexing.store.qdrant.crash_point`). The
parent prints, as its last line, the JSON list of the children's exit codes (negative: killed by that signal).
Forking after the model is loaded, but before it ever runs, keeps the children cheap (no OpenMP threads exist yet).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import indexing  # noqa: F401
from indexing.embedders import EmbeddingBackend, make_backend
from indexing.engine import Engine
from indexing.ids import document_id
from indexing.settings import Settings

FILENAME = "acta_seguimiento.txt"
V1 = (
    "Acta de la reunión de seguimiento\n\n"
    "El 12 de marzo de 2024, en Madrid, España anunció una contribución de 5 millones de euros para la integración "
    "de refugiados y migrantes venezolanos en Colombia.\n\n"
    "La reunión examinó además el avance de los programas de documentación."
).encode()
V2 = (
    "Acta de la reunión de seguimiento (versión corregida)\n\n"
    "El 12 de marzo de 2024, en Madrid, España anunció una contribución de 7 millones de euros para la integración "
    "de refugiados y migrantes venezolanos en Colombia.\n\n"
    "La reunión examinó además el avance de los programas de documentación y salud."
).encode()


def write(backend: EmbeddingBackend, data_dir: str, action: str) -> None:
    # Conversion in this process: the steps under test (commit, replace, delete) run here either way, and an
    # ingestion worker per forked child would start a fresh interpreter for each case.
    settings = Settings(data_dir=Path(data_dir), ingest_worker="inline", _env_file=None)  # type: ignore[call-arg]
    engine = Engine.open(settings, backend=backend)
    try:
        if action == "ingest-v1":
            engine.indexer.ingest(V1, FILENAME)
        elif action == "ingest-v2":
            engine.indexer.ingest(V2, FILENAME)
        elif action == "delete-v1":
            engine.delete_document(document_id(V1))
        else:
            raise SystemExit(f"unknown action {action}")
    finally:
        engine.close()


def main(cases_file: str) -> None:
    cases = json.loads(Path(cases_file).read_text(encoding="utf-8"))
    backend = make_backend(Settings(_env_file=None))  # type: ignore[call-arg]
    backend.warm_up()
    codes = []
    for data_dir, action, fault in cases:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                os.environ["COMPROMISOS_FAULT"] = fault
                write(backend, data_dir, action)
            except BaseException:
                code = 1
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        codes.append(-os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))
    sys.stdout.write(json.dumps(codes) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
