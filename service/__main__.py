"""`python -m service --host H --port P --data-dir D`: serve the API on an embedded store (or QDRANT_URL).

`python -m service briefing "tema" [--filters JSON] [--group-by document|date|actor] [--max-points N]
[--mode extractive|abstractive] --format docx|md|json --out FILE [--data-dir D]`: draft a briefing from a script.

`python -m service keys create --name N --scope read|write|admin [--data-dir D]` (the key on the last line),
`keys list`, `keys revoke --name N`: manage API keys offline (the embedded store must not be in use).

Without ADMIN_API_KEY or a stored key the service binds only a loopback address.
"""

from __future__ import annotations

import argparse
import ipaddress
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


def keys_main(argv: list[str]) -> int:
    from indexing.keys import LOCAL, Access, Caller
    from indexing.store import open_store

    parser = argparse.ArgumentParser(prog="python -m service keys", description="Gestiona las claves de API.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="Crea una clave (se muestra una sola vez, en la última línea).")
    create.add_argument("--name", required=True, help="Nombre: 1-64 caracteres entre a-z, 0-9, «.», «_» y «-».")
    create.add_argument("--scope", choices=["read", "write", "admin"], required=True)
    listing = commands.add_parser("list", help="Lista las claves (sin secretos).")
    revoke = commands.add_parser("revoke", help="Revoca una clave.")
    revoke.add_argument("--name", required=True)
    for sub in (create, listing, revoke):
        sub.add_argument("--data-dir", type=Path, default=None, help="Directorio del almacén embebido (DATA_DIR).")
    args = parser.parse_args(argv)
    try:
        settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    except ValueError as exc:
        print(f"Configuración no válida: {exc}", file=sys.stderr)
        return 2
    configure("WARNING")
    try:
        store = open_store(settings)
    except CompromisosError as exc:
        print(f"No se pudo abrir el almacén: {exc.detail}", file=sys.stderr)
        return 3
    caller = Caller(LOCAL, client="cli")
    try:
        store.open_access_collections()
        access = Access(store)
        if args.command == "create":
            stored, key = access.create_key(args.name, args.scope, caller)
            print(f"Clave «{stored.name}» creada con ámbito «{stored.scope.value}». Guárdela: no se volverá a mostrar.")
            print(key)
        elif args.command == "list":
            keys = access.keys.list()
            if not keys:
                print("No hay claves guardadas.")
            for k in keys:
                print(f"{k.name}\t{k.scope.value}\t{k.created_at}")
        else:
            access.revoke_key(args.name, caller)
            print(f"Clave «{args.name}» revocada.")
    except CompromisosError as exc:
        print(f"Error: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def is_loopback(host: str) -> bool:
    """:returns: True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _refuse_open_bind(settings: Settings, host: str) -> str | None:
    """:returns: why the service must not start on `host` (no key configured, not loopback), or None."""
    if settings.admin_api_key or is_loopback(host):
        return None
    from indexing.store import open_store

    store = open_store(settings)
    try:
        if store.count_keys() > 0:
            return None
    finally:
        store.close()
    where = f" --data-dir {settings.data_dir}" if settings.embedded else ""
    return (
        f"No se arranca en {host}: sin claves de API cualquiera que alcance el puerto podría subir y borrar registros. "
        "Sin claves el servicio solo escucha en una dirección local (--host 127.0.0.1). Para abrirlo a la red, cree "
        "una clave: defina ADMIN_API_KEY (por ejemplo ADMIN_API_KEY=$(openssl rand -hex 32)) o ejecute "
        f"`python -m service keys create --name operador --scope admin{where}`, y vuelva a arrancar."
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "briefing":
        return briefing_main(argv[1:])
    if argv and argv[0] == "keys":
        return keys_main(argv[1:])
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
    try:
        refusal = _refuse_open_bind(settings, args.host)
    except CompromisosError as exc:
        print(f"No se pudo arrancar: {exc.detail}", file=sys.stderr)
        return 1
    if refusal:
        print(refusal, file=sys.stderr)
        return 2

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
