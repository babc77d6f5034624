"""`python -m service --host H --port P --data-dir D`: serve the API on an embedded store (or QDRANT_URL)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import indexing  # noqa: F401
from indexing.errors import CompromisosError
from indexing.logs import configure
from indexing.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service", description="Servicio HTTP de Compromisos.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--data-dir", type=Path, default=None, help="Directorio del almacén embebido (DATA_DIR).")
    args = parser.parse_args(argv)

    overrides = {"data_dir": args.data_dir} if args.data_dir else {}
    try:
        settings = Settings(**overrides)
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
