"""Upload validation helpers and settings checks (no model, no store)."""

from __future__ import annotations

import pytest

from indexing.errors import InvalidMetadata
from indexing.ingest import safe_filename, validate_metadata
from indexing.settings import Settings


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("acta.pdf", "acta.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ana\\nota.txt", "nota.txt"),
        ("nota\x00.txt", "nota.txt"),
        ("", "sin_nombre"),
        (None, "sin_nombre"),
        ("...", "sin_nombre"),
        (".oculto.txt", "oculto.txt"),
    ],
)
def test_safe_filename(raw: str | None, clean: str) -> None:
    assert safe_filename(raw) == clean


def test_validate_metadata_accepts_and_trims() -> None:
    got = validate_metadata({"title": " Acta ", "date": "2023-07-17", "tags": [" a ", "b"], "doc_type": "acta"})
    assert got == {"title": "Acta", "date": "2023-07-17", "tags": ["a", "b"], "doc_type": "acta"}
    assert validate_metadata(None) == {}


@pytest.mark.parametrize(
    "raw",
    [{"date": "2023-02-30"}, {"date": 20230717}, {"title": ""}, {"tags": [1]}, {"otro": 1}, {"conference": 3}],
)
def test_validate_metadata_rejects(raw: dict) -> None:
    with pytest.raises(InvalidMetadata):
        validate_metadata(raw)


def test_settings_fail_fast_on_contradictions() -> None:
    with pytest.raises(ValueError, match="CHUNK_MIN_WORDS"):
        Settings(chunk_min_words=300, chunk_max_words=250, _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="LLM_BASE_URL"):
        Settings(llm_base_url="http://127.0.0.1:9", _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="QDRANT_API_KEY"):
        Settings(qdrant_api_key="k", _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="OCR_TIMEOUT_SECONDS"):
        Settings(ocr_timeout_seconds=120, ocr_record_timeout_seconds=60, _env_file=None)  # type: ignore[call-arg]
