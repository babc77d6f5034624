"""EdgeStore's HNSW build off the request path: a write above `exact_below` only marks the chunks as needing a build;
the build runs once the store has been idle for `optimize_idle_s` seconds, or at once by `wait_optimized()` /
`python -m indexing optimize`; a build left pending at close is scheduled again at the next open. Searches answer
the same before the build (exact) and after it (HNSW with a high `hnsw_ef`)."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from indexing.__main__ import main
from indexing.settings import Settings
from indexing.store import RecordCommit, open_store
from indexing.store.edge import EdgeIndexInfo, EdgeStore, HnswBuild
from tests.integration.test_store_contract import _doc, _record

pytestmark = pytest.mark.integration

DIM = 8
RECORDS = 12
PER_RECORD = 10
POINTS = RECORDS * PER_RECORD


def _vec(i: int) -> list[float]:
    v = [math.sin(i * (k + 1) * 0.7) + (1.0 if k == i % DIM else 0.0) for k in range(DIM)]
    norm = math.sqrt(sum(x * x for x in v))
    return [x / norm for x in v]


def _commits() -> list[RecordCommit]:
    return [
        RecordCommit(
            _record(f"r{r}", PER_RECORD),
            [_doc(f"r{r}", k, _vec(r * PER_RECORD + k)) for k in range(PER_RECORD)],
            terms={"texto": PER_RECORD},
        )
        for r in range(RECORDS)
    ]


def _edge(path: Path, idle_s: float, exact_below: int = 50) -> EdgeStore:
    store = EdgeStore(path=path / "edge", exact_below=exact_below, hnsw_ef=512, optimize_idle_s=idle_s)
    store.open_collections("test", DIM)
    return store


def _top(store: EdgeStore) -> list[list[str]]:
    return [[c.chunk_id for c in store.hybrid_search(_vec(q), None, limit=10)] for q in (3, 40, 77, 111)]


def test_a_write_above_the_threshold_builds_nothing_until_asked(tmp_path: Path) -> None:
    store = _edge(tmp_path, idle_s=3600)
    try:
        store.commit_many(_commits())
        # Only the sparse vectors are indexed: the dense HNSW waits for an idle moment that does not come here.
        assert store.index_info() == EdgeIndexInfo(POINTS, POINTS, True)
        exact = _top(store)
        store.wait_optimized()
        assert store.index_info() == EdgeIndexInfo(POINTS, 2 * POINTS, False)
        assert _top(store) == exact
        store.wait_optimized()  # nothing left: returns at once
        assert store.index_info() == EdgeIndexInfo(POINTS, 2 * POINTS, False)
    finally:
        store.close()


def test_below_the_threshold_nothing_is_pending(tmp_path: Path) -> None:
    store = _edge(tmp_path, idle_s=0.0, exact_below=POINTS + 1)
    try:
        store.commit_many(_commits())
        assert store.index_info() == EdgeIndexInfo(POINTS, POINTS, False)
    finally:
        store.close()


def test_the_build_runs_in_the_background_once_the_store_is_idle(tmp_path: Path) -> None:
    store = _edge(tmp_path, idle_s=0.2)
    try:
        store.commit_many(_commits())
        deadline = time.monotonic() + 120  # hang guard: the build takes well under a second
        while store.index_info().pending and time.monotonic() < deadline:
            time.sleep(0.05)
        store.wait_optimized()  # waits for a build still running, if any
        assert store.index_info() == EdgeIndexInfo(POINTS, 2 * POINTS, False)
    finally:
        store.close()


def test_a_build_left_pending_at_close_is_scheduled_at_the_next_open(tmp_path: Path) -> None:
    store = _edge(tmp_path, idle_s=3600)
    store.commit_many(_commits())
    exact = _top(store)
    store.close()
    again = _edge(tmp_path, idle_s=3600)
    try:
        assert again.index_info() == EdgeIndexInfo(POINTS, POINTS, True)
        assert _top(again) == exact
        again.wait_optimized()
        assert again.index_info() == EdgeIndexInfo(POINTS, 2 * POINTS, False)
        assert _top(again) == exact
    finally:
        again.close()


def test_optimize_command(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["optimize", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "No hay índice que optimizar.\n"
    store = _edge(tmp_path, idle_s=3600)
    store.commit_many(_commits())
    store.close()
    monkeypatch.setenv("EXACT_SEARCH_BELOW", "50")
    assert main(["optimize", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Índice optimizado en ") and out.endswith(f" s ({POINTS} pasajes).\n")
    again = _edge(tmp_path, idle_s=3600)
    try:
        assert again.index_info() == EdgeIndexInfo(POINTS, 2 * POINTS, True)  # pending until checked: a no-op
        again.wait_optimized()
        assert again.index_info() == EdgeIndexInfo(POINTS, 2 * POINTS, False)
    finally:
        again.close()


def test_the_build_parameters_are_fixed_when_the_chunks_shard_is_created(tmp_path: Path) -> None:
    def settings(m: int, ef_construct: int) -> Settings:
        return Settings(  # type: ignore[call-arg]
            data_dir=tmp_path, hnsw_m=m, hnsw_ef_construct=ef_construct, exact_search_below=50, _env_file=None
        )

    store = open_store(settings(32, 200))
    assert isinstance(store, EdgeStore)
    assert store.hnsw_build() is None  # no chunks shard yet
    store.open_collections("test", DIM)
    store.commit_many(_commits())
    exact = _top(store)
    assert store.hnsw_build() == HnswBuild(m=32, ef_construct=200, full_scan_kb=10_000)
    store.close()
    # Other settings at the next open: the existing shard keeps (and builds with) its own parameters.
    again = open_store(settings(8, 40))
    assert isinstance(again, EdgeStore)
    try:
        again.open_collections("test", DIM, create=False)
        again.wait_optimized()
        assert again.hnsw_build() == HnswBuild(m=32, ef_construct=200, full_scan_kb=10_000)
        assert again.index_info() == EdgeIndexInfo(POINTS, 2 * POINTS, False)
        assert _top(again) == exact
    finally:
        again.close()


def test_settings_default_to_qdrants_build_parameters(tmp_path: Path) -> None:
    store = EdgeStore(path=tmp_path / "edge")
    try:
        store.open_collections("test", DIM)
        assert store.hnsw_build() == HnswBuild(m=16, ef_construct=100, full_scan_kb=10_000)
    finally:
        store.close()
