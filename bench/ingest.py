"""Ingestion throughput: `python -m bench.ingest`.

Indexes the sample corpus into a fresh embedded store and prints pages/s and chunks/s, next to the embedder's own
throughput on the very same chunk texts (the ceiling: ingestion can only be as fast as embedding).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import indexing  # noqa: F401
from indexing.engine import Engine
from indexing.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    records = ROOT / "corpus" / "records"
    manifest = {r["filename"]: r for r in json.loads((ROOT / "corpus" / "manifest.json").read_text())["records"]}
    keys = ("title", "date", "conference", "doc_type", "tags")
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.open(Settings(data_dir=Path(tmp)))
        try:
            pages = chunks = 0
            t0 = time.perf_counter()
            for path in sorted(p for p in records.iterdir() if p.is_file()):
                m = manifest.get(path.name, {})
                res = engine.indexer.ingest(path.read_bytes(), path.name, {k: m[k] for k in keys if m.get(k)})
                pages += res.pages
                chunks += res.chunks
            total = time.perf_counter() - t0
            texts = [c.text for r in engine.store.all_documents() for c in engine.store.document_chunks(r.id)]
            t0 = time.perf_counter()
            for i in range(0, len(texts), 16):
                engine.backend.embed_passages(texts[i : i + 16])
            embed = time.perf_counter() - t0
        finally:
            engine.close()
    words = sum(len(t.split()) for t in texts)
    print(f"embedder            {engine.backend.name}")
    print(f"records             {len(list(records.iterdir()))}")
    print(f"pages               {pages}")
    print(f"chunks              {chunks} (avg {words / max(1, len(texts)):.0f} words)")
    print(f"ingestion           {total:.1f} s  →  {pages / total:.2f} pages/s, {chunks / total:.2f} chunks/s")
    print(f"embedder alone      {embed:.1f} s  →  {len(texts) / embed:.2f} chunks/s")
    print(f"embedding share     {100 * embed / total:.0f}% of ingestion time")


if __name__ == "__main__":
    main()
