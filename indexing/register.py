"""Glue between ingestion and the commitments register: extracts a record's commitments at indexing time."""

from __future__ import annotations

from typing import Any

from haystack import Document

from indexing.types import DocumentRecord


def extract_for_record(pages: list[Document], record: DocumentRecord) -> list[dict[str, Any]]:
    """Commitment entries (JSON-able, each with an "id") found in the cleaned pages of one record."""
    return []
