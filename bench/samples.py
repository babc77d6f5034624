"""The sample corpus as the embedder sees it: every passage text the ingestion pipeline embeds, and every question.

Shared by `bench.ingest` and the tests that compare embedders on the sample corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

from haystack.dataclasses import ByteStream

from indexing import constants as K
from indexing.components.dense_embedders import DenseDocumentEmbedder
from indexing.components.sniffer import sniff_content_type
from indexing.ids import document_id
from indexing.pipelines import build_ingestion_pipeline

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "corpus" / "records"
DEV = ROOT / "corpus" / "dev_eval.jsonl"
_KEYS = ("title", "date", "conference", "doc_type", "tags")


class _RecordingBackend:
    """Stands in for the dense model: remembers the texts it is asked to embed."""

    name = "recording"
    dim = 384

    def __init__(self) -> None:
        self.texts: list[str] = []

    def warm_up(self) -> None:
        return None

    def embed_query(self, text: str) -> list[float]:
        return [0.0] * self.dim

    def embed_passages(self, texts: list[str], *, query_time: bool = False) -> list[list[float]]:
        self.texts.extend(texts)
        return [[0.0] * self.dim for _ in texts]


def passage_texts() -> list[str]:
    """The exact strings the ingestion pipeline passes to `embed_passages` for every record of corpus/records.

    :returns: one string per chunk (title line + chunk text), in file then chunk order.
    """
    manifest = {r["filename"]: r for r in json.loads((ROOT / "corpus" / "manifest.json").read_text())["records"]}
    backend = _RecordingBackend()
    pipeline = build_ingestion_pipeline()
    dense = DenseDocumentEmbedder(backend, meta_fields_to_embed=["title"])
    texts: list[str] = []
    for path in sorted(p for p in RECORDS.iterdir() if p.is_file()):
        data = path.read_bytes()
        m = manifest.get(path.name, {})
        meta = {k: m[k] for k in _KEYS if m.get(k)}
        stream = ByteStream(
            data=data,
            mime_type=sniff_content_type(data, path.name),
            meta={K.FILENAME: path.name, K.DOCUMENT_ID: document_id(data)},
        )
        out = pipeline.run({"router": {"sources": [stream]}, "metadata": {"meta": meta}})
        texts.extend(dense._text(doc) for doc in out["sparse"]["documents"])
    return texts


def questions() -> list[str]:
    """Every question of the dev evaluation (corpus/dev_eval.jsonl)."""
    lines = DEV.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]
