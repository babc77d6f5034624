"""Content-derived identifiers: the same bytes always get the same ids, so re-ingestion is idempotent."""

from __future__ import annotations

import hashlib
import uuid

# Fixed namespace for chunk point ids; changing it would re-key every stored chunk.
_CHUNK_NAMESPACE = uuid.UUID("6f1d2c1e-4b7a-5c3e-9a51-2f0e8d7c6b5a")


def document_id(data: bytes) -> str:
    """Id of a record: the first 32 hex characters (128 bits) of the SHA-256 of its bytes.

    :param data: the file's bytes, exactly as uploaded.
    :returns: 32 lowercase hex characters.
    """
    return hashlib.sha256(data).hexdigest()[:32]


def chunk_point_id(document_id: str, chunk_index: int) -> str:
    """Id of one chunk of a record: a UUID (version 5) of f"{document_id}:{chunk_index}".

    Qdrant point ids must be UUIDs or integers; deriving them from the record id and the chunk position makes
    rewriting a record overwrite the same points.

    :param document_id: the record id (see `document_id`).
    :param chunk_index: 0-based position of the chunk in the record.
    :returns: the UUID as a canonical string ("xxxxxxxx-xxxx-5xxx-...").
    """
    return str(uuid.uuid5(_CHUNK_NAMESPACE, f"{document_id}:{chunk_index}"))
