"""Corpus term statistics."""

from __future__ import annotations

import math

from indexing.term_stats import TermStats, chunk_term_counts


def test_chunk_term_counts_counts_chunks_not_occurrences() -> None:
    counts = chunk_term_counts(["ACNUR y ACNUR", "ACNUR con la OIM", "Banco Mundial"])
    assert counts == {"acnur": 2, "oim": 1, "banc": 1, "mundial": 1}


def test_add_remove_and_idf() -> None:
    stats = TermStats()
    stats.add("a", 2, {"acnur": 2, "oim": 1})
    stats.add("b", 2, {"acnur": 1})
    stats.add("b", 2, {"acnur": 1})  # same record twice: counted once
    assert stats.chunks == 4
    assert stats.idf("acnur") == math.log(5 / 3.5)
    assert stats.idf("australi") == math.log(5 / 0.5)
    assert stats.remove("a", {"acnur": 2, "oim": 1})
    assert not stats.remove("a")  # no longer counted
    assert stats.chunks == 2
    assert stats.idf("oim") == math.log(3 / 0.5)


def test_weighted_coverage_favours_rare_terms() -> None:
    stats = TermStats()
    stats.add("a", 10, {"cooper": 10, "jica": 1})
    assert stats.weighted_coverage({"cooper", "jica"}, {"jica"}) > 0.9
    assert stats.weighted_coverage({"cooper", "jica"}, {"cooper"}) < 0.1
    assert stats.weighted_coverage(set(), {"x"}) == 1.0
