"""The store contract, on every implementation: Qdrant Edge (`EdgeStore`, the embedded default) and qdrant-client's
local mode (`QdrantClientStore`). The same records in → the same records, chunks, search results, filters, counts,
deletes, replacements and recovery out; and both engines rank the sample corpus alike (hybrid top-10 overlap)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from haystack import Document
from haystack.dataclasses import SparseEmbedding

from indexing import constants as K
from indexing.components.sparse_encoder import Bm25SparseEncoder
from indexing.engine import Engine
from indexing.errors import EmbedderMismatch, StoreLocked, StoreNeedsMigration
from indexing.settings import Settings
from indexing.store import Store, open_store
from indexing.store.edge import EdgeStore
from indexing.store.qdrant import QdrantClientStore
from indexing.types import Chunk, DocumentRecord, SearchFilters

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
ENGINES = ["edge", "local"]


def _settings(data_dir: Path, engine: str, **kw: Any) -> Settings:
    return Settings(data_dir=data_dir, embedded_engine=engine, _env_file=None, **kw)  # type: ignore[call-arg]


def _open(data_dir: Path, engine: str, dim: int = 3) -> Store:
    store = open_store(_settings(data_dir, engine))
    store.open_collections("test", dim)
    return store


def _doc(
    document_id: str, i: int, vec: list[float], *, text: str = "", date: str | None = None, **meta: Any
) -> Document:
    text = text or f"texto {document_id} {i}"
    sparse = Bm25SparseEncoder().encode_document(text)
    return Document(
        id=f"{document_id}:{i}",
        content=text,
        embedding=vec,
        sparse_embedding=sparse if sparse.indices else None,
        meta={
            K.DOCUMENT_ID: document_id,
            K.FILENAME: f"{document_id}.txt",
            K.PAGE: 1,
            K.CHAR_START: 0,
            K.CHAR_END: len(text),
            K.CHUNK_INDEX: i,
            K.DATE: date,
            **meta,
        },
    )


def _record(document_id: str, n: int, **kw: Any) -> DocumentRecord:
    return DocumentRecord(document_id, kw.pop("filename", f"{document_id}.txt"), document_id.upper(), 1, n, **kw)


@pytest.fixture(params=ENGINES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = _open(tmp_path, request.param)
    yield s
    s.close()


class TestContract:
    def test_open_store_picks_the_engine(self, tmp_path: Path) -> None:
        edge = open_store(_settings(tmp_path / "a", "edge"))
        local = open_store(_settings(tmp_path / "b", "local"))
        try:
            assert (type(edge), type(local)) == (EdgeStore, QdrantClientStore)
            assert (tmp_path / "a" / "edge" / ".lock").exists()
            assert (tmp_path / "b" / "qdrant").is_dir()
        finally:
            edge.close()
            local.close()

    def test_a_local_mode_data_dir_says_how_to_migrate(self, tmp_path: Path) -> None:
        _open(tmp_path, "local").close()
        with pytest.raises(StoreNeedsMigration) as err:
            open_store(_settings(tmp_path, "edge"))
        assert "EMBEDDED_ENGINE=local" in err.value.detail
        assert f"python -m indexing migrate --data-dir {tmp_path}" in err.value.detail
        assert not (tmp_path / "edge").exists()
        _open(tmp_path, "local").close()  # still usable as it is

    @pytest.mark.parametrize("engine", ENGINES)
    def test_one_process_per_data_dir(self, tmp_path: Path, engine: str) -> None:
        first = open_store(_settings(tmp_path, engine))
        try:
            with pytest.raises(StoreLocked) as err:
                open_store(_settings(tmp_path, engine))
            assert "está en uso por otro proceso" in err.value.detail
        finally:
            first.close()
        open_store(_settings(tmp_path, engine)).close()  # released on close

    @pytest.mark.parametrize("engine", ENGINES)
    def test_embedder_stamp_survives_reopen_and_refuses_another(self, tmp_path: Path, engine: str) -> None:
        _open(tmp_path, engine).close()
        again = open_store(_settings(tmp_path, engine))
        try:
            again.open_collections("test", 3)  # same embedder: fine
            with pytest.raises(EmbedderMismatch) as err:
                again.open_collections("otro", 3)
            assert "«test» (dimensión 3)" in err.value.detail
        finally:
            again.close()

    def test_commit_read_count_and_search(self, store: Store) -> None:
        store.commit_document(
            _record("a", 2, date="2023-03-17", conference="Bruselas 2023", doc_type="acta"),
            [
                _doc("a", 0, [1.0, 0.0, 0.0], date="2023-03-17", conference="Bruselas 2023", doc_type="acta"),
                _doc("a", 1, [0.9, 0.1, 0.0], date="2023-03-17", conference="Bruselas 2023", doc_type="acta"),
            ],
            commitments=[{"id": "c1", "actor": "España", "amount": 5.0}],
            terms={"texto": 2},
        )
        store.commit_document(
            _record("b", 1, date="2021-06-17", conference="Canadá 2021"),
            [_doc("b", 0, [0.0, 1.0, 0.0], date="2021-06-17", conference="Canadá 2021")],
        )
        assert [r.id for r in store.all_documents()] == ["b", "a"]
        assert store.get_document("a") == _record(
            "a", 2, date="2023-03-17", conference="Bruselas 2023", doc_type="acta"
        )
        assert store.count_chunks() == 3
        assert [c.chunk_id for c in store.document_chunks("a")] == ["a:0", "a:1"]
        assert store.document_chunks("a")[0].embedding == pytest.approx([1.0, 0.0, 0.0])
        assert [(d, n, t) for d, n, t in store.document_terms() if d == "a"] == [("a", 2, {"texto": 2})]
        assert [c["actor"] for c in store.commitments_payloads("a")] == ["España"]
        assert store.commitments_payloads("b") == []
        found = store.hybrid_search([1.0, 0.0, 0.0], None, limit=3)
        assert [c.chunk_id for c in found] == ["a:0", "a:1", "b:0"]
        sparse = Bm25SparseEncoder().encode_query("texto b")
        assert store.hybrid_search([0.0, 1.0, 0.0], (sparse.indices, sparse.values), limit=1)[0].chunk_id == "b:0"

    def test_filters(self, store: Store) -> None:
        for doc_id, date, conf, kind in (
            ("a", "2019-10-29", "Bruselas 2019", "acta"),
            ("b", "2021-06-17", "Canadá 2021", "nota"),
            ("c", "2023-03-17", "Bruselas 2023", "acta"),
        ):
            meta = {"conference": conf, "doc_type": kind}
            store.commit_document(
                _record(doc_id, 1, date=date, **meta), [_doc(doc_id, 0, [1.0, 0.1, 0.0], date=date, **meta)]
            )

        def ids(f: SearchFilters) -> list[str]:
            return sorted(c.document_id for c in store.hybrid_search([1.0, 0.0, 0.0], None, filters=f, limit=10))

        assert ids(SearchFilters(conference="Bruselas 2023")) == ["c"]
        assert ids(SearchFilters(doc_type="acta")) == ["a", "c"]
        assert ids(SearchFilters(date_from="2020-01-01")) == ["b", "c"]
        assert ids(SearchFilters(date_from="2019-10-29", date_to="2021-06-17")) == ["a", "b"]
        assert ids(SearchFilters(document_ids=("a", "b"))) == ["a", "b"]
        assert ids(SearchFilters(document_ids=())) == []

    def test_replace_and_delete(self, store: Store) -> None:
        store.commit_document(
            _record("v1", 2, filename="f.txt"),
            [_doc("v1", 0, [1.0, 0.0, 0.0]), _doc("v1", 1, [0.0, 1.0, 0.0])],
            commitments=[{"id": "c-v1", "actor": "Japón"}],
        )
        store.commit_document(
            _record("v2", 1, filename="f.txt"),
            [_doc("v2", 0, [1.0, 0.0, 0.0])],
            replaces=["v1"],
            commitments=[{"id": "c-v2", "actor": "Canadá"}],
        )
        assert [r.id for r in store.documents_by_filename("f.txt")] == ["v2"]
        assert store.count_chunks() == 1
        assert [c["actor"] for c in store.commitments_payloads()] == ["Canadá"]
        assert sorted(p["id"] for p in store.payloads("chunks")) == ["v2:0"]
        state = store.index_state()
        assert store.delete_document("v2") is True
        assert store.delete_document("v2") is False
        assert (store.all_documents(), store.count_chunks(), store.commitments_payloads()) == ([], 0, [])
        assert store.payloads("chunks") == [] and store.payloads("commitments") == []
        assert store.index_state() != state

    def test_recover_removes_what_is_not_committed(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        store.commit_document(_record("keep", 1), [_doc("keep", 0, [1.0, 0.0, 0.0])])

        def power_cut(name: str) -> None:
            if name == "commit:after_pending":
                raise RuntimeError("corte de luz")

        # A write stopped after its pending points, with no chance to undo them (as a SIGKILL would).
        monkeypatch.setattr("indexing.store.qdrant.crash_point", power_cut)
        monkeypatch.setattr(store, "_undo_pending", lambda _id: None)
        with pytest.raises(RuntimeError, match="corte de luz"):
            store.commit_document(_record("gone", 1), [_doc("gone", 0, [0.0, 1.0, 0.0])], commitments=[{"id": "cg"}])
        monkeypatch.undo()
        assert sorted((p["id"], p["state"]) for p in store.payloads("chunks")) == [
            ("gone:0", "pending"),
            ("keep:0", "active"),
        ]
        assert [c.document_id for c in store.hybrid_search([0.0, 1.0, 0.0], None, limit=5)] == ["keep"]
        assert store.recover() == 1
        assert sorted(p["id"] for p in store.payloads("chunks")) == ["keep:0"]
        assert store.payloads("commitments") == []
        assert store.recover() == 0

    def test_briefings_keys_audit(self, store: Store) -> None:
        store.put_briefing("b1", {"id": "b1", "title": "Resumen"})
        assert store.get_briefing("b1") == {"id": "b1", "title": "Resumen"}
        assert store.get_briefing("b2") is None
        store.put_key({"name": "ana", "key_id": "k1", "scope": "read"})
        store.put_key({"name": "luis", "key_id": "k2", "scope": "write"})
        assert store.get_key("ana") == {"name": "ana", "key_id": "k1", "scope": "read"}
        assert store.key_by_id("k2") == {"name": "luis", "key_id": "k2", "scope": "write"}
        assert (store.count_keys(), sorted(k["name"] for k in store.all_keys())) == (2, ["ana", "luis"])
        assert (store.delete_key("ana"), store.delete_key("ana"), store.count_keys()) == (True, False, 1)
        for i in range(5):
            store.put_audit({"id": f"e{i}", "ts": float(i), "actor": "ana" if i % 2 else "luis", "action": "upload"})
        page, total = store.audit_entries(limit=2, offset=1)
        assert ([e["id"] for e in page], total) == (["e3", "e2"], 5)
        page, total = store.audit_entries(limit=10, offset=0, actor="ana")
        assert ([e["id"] for e in page], total) == (["e3", "e1"], 2)

    def test_drop_collections_keeps_keys(self, store: Store) -> None:
        store.commit_document(_record("a", 1), [_doc("a", 0, [1.0, 0.0, 0.0])])
        store.put_key({"name": "ana", "key_id": "k1"})
        store.drop_collections()
        store.open_collections("otro", 3)  # a new index, possibly by another embedder
        assert (store.all_documents(), store.count_chunks(), store.count_keys()) == ([], 0, 1)

        assert (store.term_stats().chunks, store.term_stats().documents) == (0, 0)
        assert store.index_state() == "0000000000000000"

    @pytest.mark.parametrize("engine", ENGINES)
    def test_term_stats_and_index_state_follow_commits_and_survive_reopen(self, tmp_path: Path, engine: str) -> None:
        store = _open(tmp_path, engine)
        empty = store.index_state()
        store.commit_document(
            _record("a", 2),
            [_doc("a", 0, [1.0, 0.0, 0.0]), _doc("a", 1, [0.0, 1.0, 0.0])],
            terms={"acnur": 2, "oim": 1},
        )
        store.commit_document(_record("b", 1), [_doc("b", 0, [0.0, 0.0, 1.0])], terms={"acnur": 1})
        stats = store.term_stats()
        assert (stats.chunks, stats.documents, stats.to_state()["df"]) == (3, 2, {"acnur": 3, "oim": 1})
        with_a_b = store.index_state()
        store.commit_document(
            _record("a2", 1, filename="a.txt"), [_doc("a2", 0, [1.0, 0.0, 0.0])], replaces=["a"], terms={"oim": 1}
        )
        assert (stats.chunks, stats.to_state()["df"]) == (2, {"acnur": 1, "oim": 1})
        assert store.delete_document("b") is True
        assert (stats.chunks, stats.documents, stats.to_state()["df"]) == (1, 1, {"oim": 1})
        state = store.index_state()
        assert len({empty, with_a_b, state}) == 3
        store.close()
        saved = json.loads((tmp_path / ("edge" if engine == "edge" else "qdrant") / "state.json").read_text())
        assert saved["term_stats"] == {"documents": {"a2": 1}, "df": {"oim": 1}}
        again = _open(tmp_path, engine)
        try:
            assert again.term_stats().to_state() == {"documents": {"a2": 1}, "df": {"oim": 1}}
            assert again.index_state() == state
            assert again.recover() == 0  # a clean close left nothing to recover
            again.commit_document(_record("b", 1), [_doc("b", 0, [0.0, 0.0, 1.0])], terms={"acnur": 1})
            again.commit_document(_record("a", 1, filename="x.txt"), [_doc("a", 0, [1.0, 0.0, 0.0])], terms={})
            assert again.delete_document("a2") is True
            assert again.index_state() == with_a_b  # the same set of records, the same state
        finally:
            again.close()

    @pytest.mark.parametrize("engine", ENGINES)
    def test_term_stats_rebuilt_from_the_registry_without_a_saved_state(self, tmp_path: Path, engine: str) -> None:
        store = _open(tmp_path, engine)
        store.commit_document(
            _record("a", 2), [_doc("a", 0, [1.0, 0.0, 0.0]), _doc("a", 1, [0.0, 1.0, 0.0])], terms={"acnur": 2}
        )
        state = store.index_state()
        # The state file is removed while the store is open (a crash leaves none), so it is rebuilt once.
        assert not (tmp_path / ("edge" if engine == "edge" else "qdrant") / "state.json").exists()
        store._save_state = lambda: None  # type: ignore[attr-defined]  # as a SIGKILL: nothing saved at close
        store.close()
        again = _open(tmp_path, engine)
        try:
            assert again.term_stats().to_state() == {"documents": {"a": 2}, "df": {"acnur": 2}}
            assert again.index_state() == state
        finally:
            again.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_write_failed_half_way_saves_no_state_and_the_next_start_recovers(
    tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _open(tmp_path, engine)
    store.commit_document(_record("a", 1), [_doc("a", 0, [1.0, 0.0, 0.0])], terms={"acnur": 1})
    store.commit_document(_record("b", 1), [_doc("b", 0, [0.0, 1.0, 0.0])], terms={"oim": 1})

    def power_cut(name: str) -> None:
        if name == "delete:after_registry":
            raise RuntimeError("corte de luz")

    monkeypatch.setattr("indexing.store.qdrant.crash_point", power_cut)
    with pytest.raises(RuntimeError, match="corte de luz"):
        store.delete_document("a")
    monkeypatch.undo()
    assert sorted(p["id"] for p in store.payloads("chunks")) == ["a:0", "b:0"]  # a's chunks, unlisted, are left
    store.close()
    assert not (tmp_path / ("edge" if engine == "edge" else "qdrant") / "state.json").exists()
    again = _open(tmp_path, engine)
    try:
        assert again.term_stats().to_state() == {"documents": {"b": 1}, "df": {"oim": 1}}
        assert again.recover() == 1
        assert [p["id"] for p in again.payloads("chunks")] == ["b:0"]
    finally:
        again.close()


def test_migrate_a_local_mode_data_dir_to_edge(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from indexing.__main__ import main
    from indexing.errors import MigrationNotPossible
    from indexing.store.migrate import migrate_local_to_edge

    with pytest.raises(MigrationNotPossible):
        migrate_local_to_edge(_settings(tmp_path, "edge"))
    local = _open(tmp_path, "local")
    local.commit_document(
        _record("v1", 1, filename="f.txt"),
        [_doc("v1", 0, [1.0, 0.0, 0.0])],
        commitments=[{"id": "c1", "actor": "Japón"}],
    )
    local.commit_document(
        _record("v2", 2, filename="f.txt", conference="Bruselas 2023"),
        [_doc("v2", 0, [1.0, 0.1, 0.0], conference="Bruselas 2023"), _doc("v2", 1, [0.0, 1.0, 0.0], text="ACNUR")],
        replaces=["v1"],
        commitments=[{"id": "c2", "actor": "Canadá"}],
        terms={"acnur": 1},
    )
    local.commit_document(_record("b", 1), [_doc("b", 0, [0.0, 0.0, 1.0])], terms={"texto": 1})
    local.put_key({"name": "ana", "key_id": "k1"})
    local.put_audit({"id": "e1", "ts": 1.0, "actor": "ana", "action": "document.deleted"})
    local.put_briefing("br1", {"title": "Informe"})
    sparse = Bm25SparseEncoder().encode_query("acnur")
    queries = [([1.0, 0.5, 0.2], None, None), ([0.0, 1.0, 0.0], (sparse.indices, sparse.values), None)]
    queries.append(([1.0, 0.0, 0.0], None, SearchFilters(conference="Bruselas 2023")))

    def seen(store: Store) -> tuple[Any, ...]:
        found = [[c.chunk_id for c in store.hybrid_search(d, s, filters=f)] for d, s, f in queries]
        return (
            store.all_documents(),
            [store.document_chunks(r.id) for r in store.all_documents()],
            found,
            sorted(c["id"] for c in store.commitments_payloads()),
            store.all_keys(),
            store.audit_entries(limit=10, offset=0),
            store.get_briefing("br1"),
            store.index_state(),
            store.term_stats().to_state(),
        )

    before = seen(local)
    local.close()
    assert main(["migrate", "--data-dir", str(tmp_path)]) == 0
    assert "Migrado a Qdrant Edge" in capsys.readouterr().out
    edge = open_store(_settings(tmp_path, "edge"))
    assert isinstance(edge, EdgeStore)
    try:
        edge.open_collections("test", 3)
        assert seen(edge) == before
        assert [c.chunk_id for c in edge.document_chunks("v2")] == ["v2:0", "v2:1"]
        vectors = [c.embedding for r in before[0] for c in edge.document_chunks(r.id)]
        assert vectors == [pytest.approx(c.embedding) for chunks in before[1] for c in chunks]  # not re-embedded
    finally:
        edge.close()
    with pytest.raises(MigrationNotPossible) as err:
        migrate_local_to_edge(_settings(tmp_path, "edge"))
    assert "Ya existe un almacén de Qdrant Edge" in err.value.detail
    _open(tmp_path, "local").close()  # the local-mode store is left as it was


# ----------------------------------------------------------------- congruence on real records


def _replay(source: Store, target: Store) -> None:
    """Copy every listed record of `source` (chunks with their stored vectors, commitments, terms) into `target`."""
    encoder = Bm25SparseEncoder()
    terms = {d: t for d, _, t in source.document_terms()}
    for record in source.all_documents():
        chunks = [_as_document(c, encoder) for c in source.document_chunks(record.id)]
        target.commit_document(
            record, chunks, commitments=source.commitments_payloads(record.id), terms=terms.get(record.id)
        )


def _as_document(c: Chunk, encoder: Bm25SparseEncoder) -> Document:
    sparse = encoder.encode_document(c.text)
    return Document(
        id=c.chunk_id,
        content=c.text,
        embedding=c.embedding,
        sparse_embedding=sparse if sparse.indices else None,
        meta={
            K.DOCUMENT_ID: c.document_id,
            K.FILENAME: c.filename,
            K.TITLE: c.title,
            K.PAGE: c.page,
            K.CHAR_START: c.char_start,
            K.CHAR_END: c.char_end,
            K.CHUNK_INDEX: c.chunk_index,
            K.DATE: c.date,
            K.CONFERENCE: c.conference,
            K.DOC_TYPE: c.doc_type,
            K.TAGS: list(c.tags),
        },
    )


@pytest.fixture(scope="module")
def sample(
    engine: Engine, doc_ids: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, Store, Store]]:
    """The session's real records (indexed once on the default engine, Edge), replayed into local mode: the same
    chunks, vectors, commitments and terms in both. (The full sample corpus, corpus/records, takes ~4 minutes to
    index on this machine; measured once with it: see the README.)"""
    assert isinstance(engine.store, EdgeStore)
    local = _open(tmp_path_factory.mktemp("contract"), "local", engine.backend.dim)
    _replay(engine.store, local)
    yield engine, engine.store, local
    local.close()


def _questions() -> list[str]:
    lines = (ROOT / "corpus" / "dev_eval.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()][:40]


def test_same_records_chunks_and_register(sample: tuple[Engine, Store, Store]) -> None:
    _, edge, local = sample
    assert edge.all_documents() == local.all_documents()
    assert edge.count_chunks() == local.count_chunks() == sum(r.chunks for r in edge.all_documents()) > 0
    assert edge.index_state() == local.index_state()

    def register(store: Store) -> list[dict[str, Any]]:  # as written, without the time of the write
        return sorted(
            ({k: v for k, v in c.items() if k != "written_at"} for c in store.commitments_payloads()), key=str
        )

    assert register(edge) == register(local) != []


def test_hybrid_top10_overlap_on_the_same_records(sample: tuple[Engine, Store, Store]) -> None:
    eng, edge, local = sample
    encoder = Bm25SparseEncoder()
    overlaps, filtered = [], []
    conference = next(r.conference for r in edge.all_documents() if r.conference)
    expected = min(10, edge.count_chunks())
    for q in _questions():
        dense = eng.backend.embed_query(q)
        sp: SparseEmbedding = encoder.encode_query(q)
        sparse = (sp.indices, sp.values)
        a = [c.chunk_id for c in edge.hybrid_search(dense, sparse, limit=10)]
        b = [c.chunk_id for c in local.hybrid_search(dense, sparse, limit=10)]
        assert len(a) == len(b) == expected
        overlaps.append(len(set(a) & set(b)) / expected)
        f = SearchFilters(conference=conference)
        fa = {c.chunk_id for c in edge.hybrid_search(dense, sparse, filters=f, limit=10)}
        fb = {c.chunk_id for c in local.hybrid_search(dense, sparse, filters=f, limit=10)}
        filtered.append(len(fa & fb) / max(1, len(fa | fb)))
    assert sum(overlaps) / len(overlaps) >= 0.95
    assert sum(filtered) / len(filtered) >= 0.95
