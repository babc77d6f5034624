"""Shipped gazetteers (JSON under `data/`), loaded once. Edit the JSON files to extend them; no code change."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=8)
def load(name: str) -> dict[str, Any]:
    """Parsed content of ``data/<name>.json`` shipped with this package.

    :param name: file stem, e.g. "actors".
    :returns: the JSON object.
    """
    text = resources.files(__package__).joinpath("data").joinpath(f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)
