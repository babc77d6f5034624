"""`python -m service --host H --port P --data-dir D`: serve the API on an embedded store (or QDRANT_URL).

`python -m service briefing "tema" [--filters JSON] [--group-by document|date|actor] [--max-points N]
[--mode extractive|abstractive] --format docx|md|json --out FILE [--data-dir D]`: draft a briefing from a script.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import indexing  # noqa: F401
from indexing.errors import CompromisosError
from indexing.logs import configure
from indexing.settings import Settings


def briefing_main(argv: list[str]) -> int:
    import json

    from pydantic import ValidationError

    from indexing.briefing import BriefingRequest, to_docx, to_markdown
    from indexing.engine import Engine
    from service.schemas import Filters

    parser = argparse.ArgumentParser(prog="python -m service briefing", description="Redacta una ayuda memoria.")
    parser.add_argument("topic", help="Tema de la ayuda memoria.")
    parser.add_argument("--filters", default=None, help='JSON, p. ej. \'{"conference": "bruselas-2023"}\'')
    parser.add_argument("--group-by", choices=["document", "date", "actor"], default="document")
    parser.add_argument("--max-points", type=int, default=8)
    parser.add_argument("--mode", choices=["extractive", "abstractive"], default="extractive")
    parser.add_argument("--format", choices=["docx", "md", "json"], default="docx")
    parser.add_argument("--out", type=Path, required=True, help="Archivo de salida.")
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        filters = Filters.model_validate(json.loads(args.filters)) if args.filters else None
    except (json.JSONDecodeError, ValidationError) as exc:
        print(f"--filters no es válido: {exc}", file=sys.stderr)
        return 2
    if not 1 <= args.max_points <= 30:
        print("--max-points debe estar entre 1 y 30.", file=sys.stderr)
        return 2
    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    configure("WARNING")
    try:
        engine = Engine.open(settings)
    except CompromisosError as exc:
        print(f"No se pudo abrir el índice: {exc.detail}", file=sys.stderr)
        return 3
    try:
        request = BriefingRequest(
            topic=args.topic,
            filters=filters.model_dump(mode="json", exclude_none=True) if filters else {},
            max_points=args.max_points,
            group_by=args.group_by,
            mode=args.mode,
        )
        briefing = engine.briefing(request, filters.to_domain() if filters else None)
    except CompromisosError as exc:
        print(f"Error: {exc.detail}", file=sys.stderr)
        return 3
    finally:
        engine.close()
    if args.format == "docx":
        args.out.write_bytes(to_docx(briefing))
    elif args.format == "md":
        args.out.write_text(to_markdown(briefing), encoding="utf-8")
    else:
        args.out.write_text(json.dumps(briefing.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    points = sum(len(s.points) for s in briefing.sections)
    if not briefing.found:
        print(f"Ningún registro indexado trata «{args.topic}»; se escribió {args.out} sin puntos.")
    else:
        print(f"Ayuda memoria {briefing.id}: {points} puntos, {len(briefing.citations)} citas → {args.out}")
    for warning in briefing.warnings:
        print(f"Aviso: {warning}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "briefing":
        return briefing_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m service", description="Servicio HTTP de Compromisos.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--data-dir", type=Path, default=None, help="Directorio del almacén embebido (DATA_DIR).")
    args = parser.parse_args(argv)

    try:
        settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    except ValueError as exc:
        print(f"Configuración no válida: {exc}", file=sys.stderr)
        return 2
    configure(settings.log_level)

    import uvicorn

    from indexing.engine import Engine
    from service.app import create_app

    try:
        engine = Engine.open(settings)
    except CompromisosError as exc:
        print(f"No se pudo arrancar: {exc.detail}", file=sys.stderr)
        return 1
    try:
        uvicorn.run(create_app(settings, engine), host=args.host, port=args.port, log_level="info")
    finally:
        engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
