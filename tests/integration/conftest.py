"""One indexed corpus for all integration tests: the real embedded Qdrant and the real bundled model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexing.engine import Engine
from indexing.settings import Settings
from service.app import create_app
from tests.integration.records import shared_records


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store")


@pytest.fixture(scope="session")
def engine(store_dir: Path) -> Iterator[Engine]:
    eng = Engine.open(Settings(data_dir=store_dir, _env_file=None))  # type: ignore[call-arg]
    yield eng
    eng.close()


@pytest.fixture(scope="session")
def doc_ids(engine: Engine) -> dict[str, str]:
    """filename → document id of the shared records, indexed once."""
    ids = {}
    for name, data, meta in shared_records():
        ids[name] = engine.indexer.ingest(data, name, meta).id
    return ids


@pytest.fixture(scope="session")
def client(engine: Engine, doc_ids: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(engine=engine), raise_server_exceptions=False) as c:
        yield c
