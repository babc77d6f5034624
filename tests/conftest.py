"""Shared test set-up: offline, no telemetry, every path under pytest's temp dirs."""

from __future__ import annotations

import os

os.environ["HAYSTACK_TELEMETRY_ENABLED"] = "False"
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pytest  # noqa: E402

import indexing  # noqa: E402,F401


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    # Nothing a test does may read the developer's .env or write to ./data.
    monkeypatch.chdir(tmp_path)
    for var in (
        "DATA_DIR",
        "QDRANT_URL",
        "QDRANT_API_KEY",
        "EMBEDDER",
        "E5_MODEL_DIR",
        "E5_PRECISION",
        "ONNX_THREADS",
        "ST_MODEL",
        "LLM_BASE_URL",
        "LLM_MODEL",
        "ADMIN_API_KEY",
    ):
        monkeypatch.delenv(var, raising=False)
