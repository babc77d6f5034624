"""Candidate ranking: BM25 with the store's IDF, normalized score fusion, event boost, the sentence-vector cache."""

from __future__ import annotations

import math

import numpy as np
import pytest

from indexing.query.interpretation import interpret
from indexing.query.retrieval import (
    EVENT_BOOST,
    YEAR_BOOST,
    SentenceVectors,
    bm25_idf,
    bm25_scores,
    event_boost,
    passage_terms,
    query_terms,
    rank_chunks,
)
from indexing.term_stats import TermStats
from indexing.types import Chunk


def _chunk(
    chunk_id: str,
    text: str,
    embedding: list[float] | None,
    *,
    title: str = "Informe",
    conference: str | None = None,
    date: str | None = None,
) -> Chunk:
    return Chunk(
        chunk_id,
        f"doc-{chunk_id}",
        f"{chunk_id}.txt",
        title,
        1,
        text,
        0,
        len(text),
        date=date,
        conference=conference,
        embedding=embedding,
    )


def _stats(chunks: int, df: dict[str, int]) -> TermStats:
    stats = TermStats()
    stats.add("corpus", chunks, df)
    return stats


def test_bm25_idf_is_the_okapi_form_over_the_store_chunks() -> None:
    stats = _stats(10, {"noruega": 2})
    assert bm25_idf(stats, "noruega") == math.log(1 + (10 - 2 + 0.5) / (2 + 0.5))
    assert bm25_idf(stats, "australi") == math.log(1 + 10.5 / 0.5)  # no chunk holds it: highest weight
    assert bm25_idf(TermStats(), "x") == math.log(1 + 0.5 / 0.5)  # empty store: finite, never negative


def test_bm25_scores_saturate_term_frequency_and_normalize_length() -> None:
    stats = _stats(4, {"acnur": 1, "oim": 4})
    idf = math.log(1 + 3.5 / 1.5)
    idf_oim = math.log(1 + 0.5 / 4.5)
    passages = [{"acnur": 1, "oim": 1}, {"acnur": 2, "oim": 0, "otro": 2}, {"oim": 1, "x": 1}]
    # lengths 2, 4, 2: mean 8/3
    scores = bm25_scores(frozenset({"acnur", "oim"}), passages, stats)
    norm = [1.2 * (1 - 0.75 + 0.75 * n / (8 / 3)) for n in (2, 4, 2)]
    assert scores == pytest.approx(
        [
            idf * 2.2 / (1 + norm[0]) + idf_oim * 2.2 / (1 + norm[0]),
            idf * 2 * 2.2 / (2 + norm[1]),
            idf_oim * 2.2 / (1 + norm[2]),
        ]
    )
    assert bm25_scores(frozenset({"acnur"}), [], stats) == []


def test_query_terms_and_passage_terms_read_the_title_and_table_header() -> None:
    assert query_terms("¿Cuánto aportó Noruega?") == frozenset({"aport", "norueg"})
    c = Chunk("c", "d", "d.pdf", "Informe de Noruega", 1, "Aporte anual", 0, 12, table_header=("Donante",))
    assert passage_terms(c) == {"inform": 1, "norueg": 1, "donant": 1, "aport": 1, "anual": 1}


def test_event_boost_uses_record_metadata_never_filters() -> None:
    it = interpret("¿Cuánto anunció Noruega en la conferencia de Bruselas de 2023?")
    assert it.event is not None and it.event.slugs == ("bruselas-2023",)
    assert event_boost(it, _chunk("a", "x", None, conference="bruselas-2023")) == EVENT_BOOST
    assert event_boost(it, _chunk("b", "x", None, date="2023-06-14")) == YEAR_BOOST
    assert event_boost(it, _chunk("c", "x", None, title="Nota de 2023")) == YEAR_BOOST
    assert event_boost(it, _chunk("d", "x", None, conference="bruselas-2019", date="2019-10-28")) == 0.0
    assert event_boost(interpret("¿Qué es el ACNUR?"), _chunk("e", "x", None, conference="bruselas-2023")) == 0.0
    assert event_boost(None, _chunk("f", "x", None, conference="bruselas-2023")) == 0.0
    # A record dated in the month and year the question names is that meeting's record: as strong as its conference.
    meeting = interpret("¿Qué se acordó en la reunión de coordinación de diciembre de 2022?")
    assert meeting.event is not None and (meeting.event.year, meeting.event.month) == (2022, 12)
    assert event_boost(meeting, _chunk("g", "x", None, date="2022-12-13")) == EVENT_BOOST
    assert event_boost(meeting, _chunk("h", "x", None, date="2022-11-21")) == YEAR_BOOST
    assert event_boost(meeting, _chunk("i", "x", None, date="2021-12-13")) == 0.0


def test_rank_chunks_fuses_z_scores_and_boosts_the_event() -> None:
    stats = _stats(3, {"norueg": 1, "aport": 3})
    q = [1.0, 0.0]
    pool = [
        _chunk("dense", "Un aporte para la región.", [0.9, math.sqrt(1 - 0.81)]),  # closest vector, no "Noruega"
        _chunk("lexical", "Noruega anunció su aporte.", [0.6, 0.8]),
        _chunk("neither", "Otra cosa.", [0.0, 1.0]),
    ]
    ranked = rank_chunks("aporte de Noruega", q, pool, stats, top_k=3)
    dense = np.array([0.9, 0.6, 0.0])
    lexical = np.array(bm25_scores(query_terms("aporte de Noruega"), [passage_terms(c) for c in pool], stats))
    fused = (dense - dense.mean()) / dense.std() + (lexical - lexical.mean()) / lexical.std()
    assert [c.chunk_id for c in ranked] == ["lexical", "dense", "neither"]
    assert [c.score for c in ranked] == pytest.approx([float(fused[i]) for i in (1, 0, 2)], abs=1e-6)
    assert [c.dense_score for c in ranked] == pytest.approx([0.6, 0.9, 0.0])
    # The event named boosts the record of that conference past the other one (equal otherwise).
    twins = [
        _chunk("2019", "Noruega anunció su aporte.", [0.6, 0.8], conference="bruselas-2019"),
        _chunk("2023", "Noruega anunció su aporte.", [0.6, 0.8], conference="bruselas-2023"),
    ]
    question = "¿Cuánto aportó Noruega en la conferencia de Bruselas de 2023?"
    assert [c.chunk_id for c in rank_chunks(question, q, twins, stats)] == ["2019", "2023"]
    boosted = rank_chunks(question, q, twins, stats, interpretation=interpret(question), top_k=1)
    assert [(c.chunk_id, c.score) for c in boosted] == [("2023", EVENT_BOOST)]
    assert rank_chunks(question, q, [], stats) == []


class _CountingBackend:
    name = "fake"
    dim = 2

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def warm_up(self) -> None: ...

    def embed_query(self, text: str) -> list[float]:
        return [1.0, 0.0]

    def embed_passages(self, texts: list[str], *, query_time: bool = False) -> list[list[float]]:
        assert query_time
        self.calls.append(list(texts))
        return [[float(len(t)), 1.0] for t in texts]


def test_sentence_vectors_embed_misses_once_in_one_batch_and_evict_oldest() -> None:
    backend = _CountingBackend()
    cache = SentenceVectors(backend, size=2)  # type: ignore[arg-type]
    first = cache.embed(["uno", "dos", "uno"])
    assert [v.tolist() for v in first] == [[3.0, 1.0], [3.0, 1.0], [3.0, 1.0]]
    assert backend.calls == [["uno", "dos"]]
    assert [v.tolist() for v in cache.embed(["dos", "tres"])] == [[3.0, 1.0], [4.0, 1.0]]
    assert backend.calls == [["uno", "dos"], ["tres"]]  # "dos" was cached
    assert len(cache) == 2
    cache.embed(["uno"])  # evicted (the least recently used): embedded again
    assert backend.calls[-1] == ["uno"]
    assert first[0].dtype == np.float32
