"""Backup and restore through the store interface: a portable archive of the committed records.

Qdrant Edge (qdrant-edge-py 0.9) cannot write a snapshot of a shard (it only unpacks a server's), so a backup is
not a copy of engine files but of what the store holds, read through `Store`: every listed record whole (its
registry entry, its chunks with their stored dense and sparse vectors, its commitments and term counts), the
briefings, the API keys and the audit trail, and the embedder stamp. It restores into either engine (Edge
embedded, a Qdrant server, local mode) without re-embedding, so it is also the way to move an archive from Edge to a
server.

Format: gzip-compressed JSON lines. The first line is the header (`format`, `version`, `embedder`, `dim`,
`created_at`); then one line per record (`{"kind": "record", ...}`), briefing, key and audit entry; the last line
is the trailer (`{"kind": "end", ...}` with the counts), so a truncated file is refused.

Consistency while the service runs: each record is read whole or not at all (`Store.record_commit`: embedded under
the store lock, one record at a time, so writes interleave; on a server by the registry as the commit point). A
record deleted or replaced during the backup is left out; its new version is in it if it was listed when the backup
began reading the registry.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import IO, Any

from haystack import Document
from haystack.dataclasses import ByteStream, SparseEmbedding

from indexing.errors import EmbedderMismatch, RestoreTargetNotEmpty, SnapshotInvalid
from indexing.store.base import RecordCommit, Store
from indexing.types import DocumentRecord

FORMAT = "compromisos-snapshot"
VERSION = 1
# Records per `commit_many` call on restore.
_RESTORE_BATCH = 500


@dataclass(frozen=True)
class SnapshotSummary:
    """What a backup holds (or a restore wrote).

    :param embedder: embedder name of the chunk vectors.
    :param dim: their dimension.
    :param records: listed records.
    :param chunks: their chunks.
    :param commitments: their commitment entries.
    :param briefings: stored briefings.
    :param keys: API keys.
    :param audit: audit entries.
    """

    embedder: str
    dim: int
    records: int = 0
    chunks: int = 0
    commitments: int = 0
    briefings: int = 0
    keys: int = 0
    audit: int = 0


def _document_json(doc: Document) -> dict[str, Any]:
    sparse = doc.sparse_embedding
    return {
        "id": doc.id,
        "content": doc.content,
        "blob": doc.blob.to_dict() if doc.blob is not None else None,
        "meta": doc.meta,
        "score": doc.score,
        "dense": doc.embedding,
        "sparse": [list(sparse.indices), list(sparse.values)] if sparse is not None else None,
    }


def _document(data: dict[str, Any]) -> Document:
    sparse = data.get("sparse")
    blob = data.get("blob")
    return Document(
        id=data["id"],
        content=data.get("content"),
        blob=ByteStream.from_dict(blob) if blob else None,
        meta=dict(data.get("meta") or {}),
        score=data.get("score"),
        embedding=data.get("dense"),
        sparse_embedding=SparseEmbedding(indices=sparse[0], values=sparse[1]) if sparse else None,
    )


def _record_json(commit: RecordCommit) -> dict[str, Any]:
    return {
        "kind": "record",
        "record": {**asdict(commit.record), "tags": list(commit.record.tags)},
        "terms": commit.terms or {},
        "chunks": [_document_json(d) for d in commit.chunks],
        "commitments": commit.commitments,
    }


def _record_commit(line: dict[str, Any]) -> RecordCommit:
    r = dict(line["record"])
    r["tags"] = tuple(r.get("tags") or ())
    return RecordCommit(
        DocumentRecord(**r),
        [_document(d) for d in line.get("chunks") or []],
        commitments=list(line.get("commitments") or []),
        terms=dict(line.get("terms") or {}),
    )


def write_snapshot(store: Store, out: IO[bytes]) -> SnapshotSummary:
    """Write a backup of the store to `out` (a binary file or stream; gzip JSON lines, see the module docstring).

    :param store: an opened store (`open_collections` ran).
    :param out: where the archive goes.
    :returns: what it holds.
    :raises SnapshotInvalid: the store has no collections (nothing was ever indexed there).
    """
    stamp = store.embedder_stamp()
    if stamp is None:
        raise SnapshotInvalid("El almacén no tiene colecciones: no hay nada que copiar.")
    embedder, dim = stamp
    counts = {"records": 0, "chunks": 0, "commitments": 0, "briefings": 0, "keys": 0, "audit": 0}
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6) as gz:

        def put(obj: dict[str, Any]) -> None:
            gz.write(json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n")

        created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        put({"format": FORMAT, "version": VERSION, "embedder": embedder, "dim": dim, "created_at": created})
        for record in store.all_documents():
            commit = store.record_commit(record.id)
            if commit is None:  # deleted or replaced meanwhile
                continue
            put(_record_json(commit))
            counts["records"] += 1
            counts["chunks"] += len(commit.chunks)
            counts["commitments"] += len(commit.commitments)
        for payload in store.payloads("briefings"):
            put({"kind": "briefing", "payload": payload})
            counts["briefings"] += 1
        for payload in store.all_keys():
            put({"kind": "key", "payload": payload})
            counts["keys"] += 1
        for payload in store.payloads("audit"):
            put({"kind": "audit", "payload": payload})
            counts["audit"] += 1
        put({"kind": "end", **counts})
    return SnapshotSummary(embedder, dim, **counts)


def _lines(src: IO[bytes]) -> Iterator[dict[str, Any]]:
    try:
        with gzip.GzipFile(fileobj=src, mode="rb") as gz:
            for raw in gz:
                yield json.loads(raw)
    except (OSError, EOFError, ValueError) as exc:
        raise SnapshotInvalid(f"La copia de seguridad está dañada o incompleta ({exc}).") from exc


def restore_snapshot(src: IO[bytes], store: Store, *, embedder: str | None = None) -> SnapshotSummary:
    """Restore a backup into an empty store: records (their chunks' stored vectors, no re-embedding), commitments,
    briefings, keys, audit entries; term statistics and the index state follow from the records.

    :param src: the archive (binary, from the start).
    :param store: the target store, not yet opened (`open_collections` runs here with the archive's stamp).
    :param embedder: the configured embedder's name; the archive must have been built with it (None: not checked).
    :returns: what was restored.
    :raises SnapshotInvalid: not a backup, or damaged or truncated (what was restored until then stays: delete it).
    :raises EmbedderMismatch: the archive was built with another embedder than the configured one.
    :raises RestoreTargetNotEmpty: the target store already holds records or keys.
    """
    lines = _lines(src)
    header = next(lines, None)
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("version") != VERSION:
        raise SnapshotInvalid(
            "El archivo no es una copia de seguridad de Compromisos de esta versión (python -m indexing snapshot)."
        )
    stamp, dim = str(header["embedder"]), int(header["dim"])
    if embedder is not None and embedder != stamp:
        raise EmbedderMismatch(
            f"La copia de seguridad se hizo con el embedder «{stamp}» (dimensión {dim}), pero el configurado es "
            f"«{embedder}». Restablezca EMBEDDER al de la copia para restaurarla; o vuelva a indexar los originales "
            "con el embedder nuevo."
        )
    store.open_collections(stamp, dim)
    if store.all_documents() or store.count_keys():
        raise RestoreTargetNotEmpty(
            "El almacén de destino ya contiene registros o claves: una copia de seguridad solo se restaura en un "
            "almacén vacío (otro --data-dir, o un servidor Qdrant con otro COLLECTION_PREFIX)."
        )
    counts = {"records": 0, "chunks": 0, "commitments": 0, "briefings": 0, "keys": 0, "audit": 0}
    batch: list[RecordCommit] = []

    def flush() -> None:
        if batch:
            store.commit_many(batch)
            batch.clear()

    trailer: dict[str, Any] | None = None
    for line in lines:
        kind = line.get("kind")
        if kind == "record":
            commit = _record_commit(line)
            batch.append(commit)
            counts["records"] += 1
            counts["chunks"] += len(commit.chunks)
            counts["commitments"] += len(commit.commitments)
            if len(batch) >= _RESTORE_BATCH:
                flush()
        elif kind == "briefing":
            payload = line["payload"]
            store.put_briefing(str(payload["id"]), payload)
            counts["briefings"] += 1
        elif kind == "key":
            store.put_key(line["payload"])
            counts["keys"] += 1
        elif kind == "audit":
            store.put_audit(line["payload"])
            counts["audit"] += 1
        elif kind == "end":
            trailer = line
            break
    flush()
    if trailer is None or any(trailer.get(k) != v for k, v in counts.items()):
        raise SnapshotInvalid(
            "La copia de seguridad está incompleta (falta su final o no cuadran los recuentos): lo restaurado hasta "
            "ahora queda en el destino; bórrelo y repita con una copia completa."
        )
    return SnapshotSummary(stamp, dim, **counts)


__all__ = ["FORMAT", "VERSION", "SnapshotSummary", "restore_snapshot", "write_snapshot"]
