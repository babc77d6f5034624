"""What an embedded store reads at open and on a search: after a clean close, opening it and searching loads the
chunks shard only (the registry shard waits until a read needs it), since the listed records a search checks are
the ones its term statistics count; after a write failed half-way in this process, searches check the registry
again. Both engines answer the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexing.store import RecordCommit, Store
from indexing.store.edge import EdgeStore
from tests.integration.test_store_contract import ENGINES, _doc, _open, _record

pytestmark = pytest.mark.integration

VECS = {"a": [1.0, 0.0, 0.0], "b": [0.9, 0.1, 0.0], "c": [0.0, 1.0, 0.0]}


def _fill(store: Store) -> None:
    store.commit_many(
        [RecordCommit(_record(r, 2), [_doc(r, k, v) for k in range(2)], terms={"texto": 2}) for r, v in VECS.items()]
    )


def _found(store: Store) -> list[str]:
    return sorted(c.chunk_id for c in store.hybrid_search([1.0, 0.0, 0.0], None, limit=10))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_search_after_a_clean_reopen_sees_exactly_the_listed_records(tmp_path: Path, engine: str) -> None:
    store = _open(tmp_path, engine)
    _fill(store)
    assert store.delete_document("b")
    before = _found(store)
    store.close()
    again = _open(tmp_path, engine)
    try:
        again.recover()
        assert _found(again) == before == ["a:0", "a:1", "c:0", "c:1"]
    finally:
        again.close()


def test_edge_loads_only_the_chunks_shard_to_answer_a_search_after_a_clean_reopen(tmp_path: Path) -> None:
    store = _open(tmp_path, "edge")
    _fill(store)
    store.close()
    again = _open(tmp_path, "edge")
    assert isinstance(again, EdgeStore)
    try:
        again.recover()
        assert _found(again) == ["a:0", "a:1", "b:0", "b:1", "c:0", "c:1"]
        shards = again.client._shards  # type: ignore[attr-defined]
        assert sorted(shards) == [again.chunks]
        assert sorted(shards[again.chunks].info().payload_schema) == [
            "meta.conference",
            "meta.date_int",
            "meta.doc_type",
            "meta.document_id",
            "state",
        ]
        assert [r.id for r in again.all_documents()] == ["a", "b", "c"]  # the registry, loaded when read
        assert sorted(again.client._shards) == sorted([again.chunks, again.documents])  # type: ignore[attr-defined]
    finally:
        again.close()


def test_after_a_failed_write_searches_check_the_registry_until_recover(tmp_path: Path) -> None:
    store = _open(tmp_path, "edge")
    assert isinstance(store, EdgeStore)
    try:
        _fill(store)
        # A registry entry the statistics do not count (as a registry write that failed after it landed leaves
        # it): with the failure flagged, searches read the registry and still return the record's chunks.
        store._stats.remove("b", {"texto": 2})  # type: ignore[union-attr]
        assert "b:0" not in _found(store)
        store._dirty = True
        assert _found(store) == ["a:0", "a:1", "b:0", "b:1", "c:0", "c:1"]
        # recover() counts the registry again: the statistics hold the record, and searches use them again.
        assert store.recover() == 0
        assert store._dirty is False
        assert "b" in store.term_stats() and store.term_stats().documents == 3
        assert _found(store) == ["a:0", "a:1", "b:0", "b:1", "c:0", "c:1"]
    finally:
        store.close()
