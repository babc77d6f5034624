"""`Engine` is the composition root: the service (routes, web pages, middleware) and the CLI call its methods and
never reach into the parts behind it (store, indexer, register, originals, model...)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from indexing.engine import Engine

ROOT = Path(__file__).resolve().parents[3]
CALLERS = sorted((ROOT / "service").rglob("*.py")) + [ROOT / "indexing" / "__main__.py"]
# Parts of the engine no caller may touch, whatever holds them (`engine.store`, `getattr(app.state, "engine").store`).
PARTS = frozenset({"store", "indexer", "register", "originals", "backend", "answerer", "search_pipeline", "access"})
# What may be read from an engine: its public methods, and its settings (plain configuration values).
ALLOWED = frozenset(
    name
    for name, value in vars(Engine).items()
    if not name.startswith("_") and (inspect.isfunction(value) or isinstance(value, classmethod | staticmethod))
) | {"settings"}


def _holds_engine(node: ast.expr) -> bool:
    """`engine`, `eng`, `app.state.engine`, `self.engine`..."""
    if isinstance(node, ast.Name):
        return node.id in ("engine", "eng")
    return isinstance(node, ast.Attribute) and node.attr == "engine"


def reaches_behind(source: str) -> list[tuple[int, str]]:
    """(line, expression) of every attribute read that reaches behind the engine's methods."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and (
            node.attr in PARTS or (_holds_engine(node.value) and node.attr not in ALLOWED)
        ):
            found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


def test_the_service_and_the_cli_only_call_engine_methods() -> None:
    offending = {
        str(path.relative_to(ROOT)): hits for path in CALLERS if (hits := reaches_behind(path.read_text("utf-8")))
    }
    assert offending == {}


def test_the_check_catches_every_way_of_reaching_in() -> None:
    source = (
        "engine.store.all_documents()\n"
        "ticket = engine.indexer.ticket()\n"
        "eng.register.entries(None)\n"
        "request.app.state.engine.originals.path('d1')\n"
        "engine.term_stats\n"
        "engine.documents()\n"
        "engine.settings.max_upload_bytes\n"
        "get_engine(request).commitments()\n"
        "getattr(app.state, 'engine').indexer.max_bytes\n"
    )
    assert reaches_behind(source) == [
        (1, "engine.store"),
        (2, "engine.indexer"),
        (3, "eng.register"),
        (4, "request.app.state.engine.originals"),
        (5, "engine.term_stats"),
        (9, "getattr(app.state, 'engine').indexer"),
    ]


def test_the_allowed_names_are_engine_methods() -> None:
    assert {
        "documents",
        "find_document",
        "document",
        "page_chunks",
        "original_path",
        "page_image_path",
        "max_upload_bytes",
        "upload_ticket",
        "embedder_name",
        "key_exists",
        "commitments",
        "commitments_summary",
        "commitments_csv",
        "compare_commitments",
        "commitment_timeline",
    } <= ALLOWED
    assert not PARTS & ALLOWED
