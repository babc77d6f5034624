"""`Store.commit_many`, the bulk commit, on both embedded engines: the same records in as one `commit_document`
per record → the same store out (records, chunks, search results, commitments, term statistics, index state); and
a write stopped at any step leaves, per record, the old state or the new one once `recover()` has run. Also the
packed payloads: chunks written before packing (every key at the top) are still read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from indexing import constants as K
from indexing.store import RecordCommit, Store
from indexing.store.qdrant import chunk_payload, terms_payload
from indexing.types import SearchFilters
from tests.integration.test_store_contract import ENGINES, _doc, _open, _record

pytestmark = pytest.mark.integration


def _batch() -> list[RecordCommit]:
    return [
        RecordCommit(
            _record("a2", 2, filename="a.txt", date="2023-03-17", conference="Bruselas 2023"),
            [
                _doc("a2", 0, [1.0, 0.0, 0.0], text="España anuncia fondos", conference="Bruselas 2023"),
                _doc("a2", 1, [0.9, 0.1, 0.0], text="Colombia recibe apoyo", conference="Bruselas 2023"),
            ],
            replaces=["a"],
            commitments=[{"id": "ca2", "actor": "España", "amount": 7.0}],
            terms={"españa": 1, "colombia": 1},
        ),
        RecordCommit(
            _record("b", 1, date="2021-06-17", conference="Canadá 2021"),
            [_doc("b", 0, [0.0, 1.0, 0.0], text="Canadá promete fondos", conference="Canadá 2021")],
            commitments=[{"id": "cb", "actor": "Canadá", "amount": 3.0}],
            terms={"canadá": 1},
        ),
        RecordCommit(_record("c", 1), [_doc("c", 0, [0.0, 0.0, 1.0], text="texto de c")], terms={"texto": 1}),
    ]


def _seed(store: Store) -> None:
    store.commit_document(
        _record("a", 1, filename="a.txt"),
        [_doc("a", 0, [1.0, 0.0, 0.0], text="España anuncia")],
        commitments=[{"id": "ca", "actor": "España", "amount": 5.0}],
        terms={"españa": 1},
    )


def _view(store: Store) -> dict[str, Any]:
    return {
        "records": store.all_documents(),
        "chunks": {
            r.id: [(c.chunk_id, c.text, c.embedding) for c in store.document_chunks(r.id)]
            for r in store.all_documents()
        },
        "count": store.count_chunks(),
        "search": [c.chunk_id for c in store.hybrid_search([1.0, 0.2, 0.0], ([1, 2], [1.0, 1.0]), limit=10)],
        "filtered": [
            c.chunk_id
            for c in store.hybrid_search([1.0, 0.2, 0.0], None, filters=SearchFilters(conference="Canadá 2021"))
        ],
        "commitments": sorted(p["id"] for p in store.commitments_payloads()),
        "stats": store.term_stats().to_state(),
        "state": store.index_state(),
        "stored": sorted((p["id"], p["state"]) for p in store.payloads("chunks")),
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_commit_many_is_commit_document_for_each_record(tmp_path: Path, engine: str) -> None:
    bulk, one = _open(tmp_path / "bulk", engine), _open(tmp_path / "one", engine)
    try:
        _seed(bulk)
        _seed(one)
        bulk.commit_many(_batch())
        for c in _batch():
            one.commit_document(c.record, c.chunks, replaces=c.replaces, commitments=c.commitments, terms=c.terms)
        got = _view(bulk)
        assert got == _view(one)
        assert [r.id for r in got["records"]] == ["b", "a2", "c"]
        assert got["stored"] == [("a2:0", "active"), ("a2:1", "active"), ("b:0", "active"), ("c:0", "active")]
        assert got["commitments"] == ["ca2", "cb"]
        assert got["filtered"] == ["b:0"]
        assert got["stats"] == {
            "documents": {"a2": 2, "b": 1, "c": 1},
            "df": {"españa": 1, "colombia": 1, "canadá": 1, "texto": 1},
        }
        assert bulk.payloads("documents")[0]["replaces"] == []
    finally:
        bulk.close()
        one.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_commit_many_refuses_a_record_twice_or_replacing_another_of_the_call(tmp_path: Path, engine: str) -> None:
    store = _open(tmp_path, engine)
    try:
        c = RecordCommit(_record("x", 1), [_doc("x", 0, [1.0, 0.0, 0.0])])
        with pytest.raises(ValueError, match="appears twice"):
            store.commit_many([c, c])
        with pytest.raises(ValueError, match="replaces another"):
            store.commit_many([c, RecordCommit(_record("y", 1), [_doc("y", 0, [0.0, 1.0, 0.0])], replaces=["x"])])
        assert (store.all_documents(), store.payloads("chunks")) == ([], [])
    finally:
        store.close()


# (crash point, whether the batch is committed when the write stops there)
STEPS = [
    ("commit:after_chunk_batch", False),
    ("commit:after_pending", False),
    ("commit:after_registry", True),
    ("commit:after_flip_chunks", True),
    ("commit:after_flip", True),
    ("commit:after_unlist_old", True),
    ("remove:after_chunks", True),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("point", "committed"), STEPS, ids=[s[0] for s in STEPS])
def test_a_bulk_write_stopped_at_any_step_is_old_or_new_after_recover(
    tmp_path: Path, engine: str, point: str, committed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _open(tmp_path, engine)
    try:
        _seed(store)

        def power_cut(name: str) -> None:
            if name == point:
                raise RuntimeError("corte de luz")

        # Stopped there with no chance to undo (as a SIGKILL would), and nothing saved at close.
        monkeypatch.setattr("indexing.store.qdrant.crash_point", power_cut)
        monkeypatch.setattr(store, "_undo_pending", lambda _ids: None)
        monkeypatch.setattr(store, "_save_state", lambda: None)
        with pytest.raises(RuntimeError, match="corte de luz"):
            store.commit_many(_batch())
    finally:
        store.close()
        monkeypatch.undo()
    again = _open(tmp_path, engine)
    try:
        assert again.recover() >= 1
        got = _view(again)
        if committed:
            assert [r.id for r in got["records"]] == ["b", "a2", "c"]
            assert got["stored"] == [("a2:0", "active"), ("a2:1", "active"), ("b:0", "active"), ("c:0", "active")]
            assert got["commitments"] == ["ca2", "cb"]
        else:
            assert [r.id for r in got["records"]] == ["a"]
            assert got["stored"] == [("a:0", "active")]
            assert got["commitments"] == ["ca"]
        assert sorted(got["stats"]["documents"]) == [r.id for r in sorted(got["records"], key=lambda r: r.id)]
        assert again.recover() == 0
    finally:
        again.close()


def test_packed_payloads_read_back_and_older_layouts_still_read() -> None:
    old = {"id": "a:0", "content": "texto", "meta": {K.DOCUMENT_ID: "a"}, "state": "active", "written_at": 1.0}
    assert chunk_payload(old) is old
    packed = {
        "state": "active",
        "written_at": 2.0,
        "meta": {K.DOCUMENT_ID: "a"},
        "packed": json.dumps(
            {"id": "a:0", "content": "texto", "blob": None, "meta": {"document_id": "a", "page": 3}, "score": None}
        ),
    }
    assert chunk_payload(packed) == {
        "id": "a:0",
        "content": "texto",
        "blob": None,
        "meta": {"document_id": "a", "page": 3},
        "score": None,
        "state": "active",
        "written_at": 2.0,
    }
    assert terms_payload('{"acnur": 2}') == {"acnur": 2}
    assert terms_payload({"acnur": 2}) == {"acnur": 2}
    assert terms_payload(None) == {}
