"""Phrase matching: longest phrase first, word-bounded, whitespace-tolerant, acronyms case-sensitive."""

from __future__ import annotations

from indexing.text.gazetteer import PhraseMatcher, fold_phrase
from indexing.text.tokens import fold, fold_same_length

MATCHER = PhraseMatcher(
    [("Banco", "banco"), ("Banco Mundial", "bm"), ("Banco Mundial de Desarrollo", "bmd"), ("UE", "ue"), ("BID", "bid")]
)


def test_longest_phrase_wins_and_whitespace_runs_match() -> None:
    text = "El Banco  Mundial\nde Desarrollo y el banco mundial; la UE, el BID y la ue."
    hits = [(h.value, h.surface, h.start) for h in MATCHER.find(text)]
    assert hits == [
        ("bmd", "Banco  Mundial\nde Desarrollo", 3),
        ("bm", "banco mundial", 37),
        ("ue", "UE", 55),
        ("bid", "BID", 62),
    ]


def test_longer_phrase_that_ends_inside_a_word_falls_back_to_the_shorter_one() -> None:
    assert [(h.value, h.surface) for h in MATCHER.find("Banco Mundialista")] == [("banco", "Banco")]


def test_folding_keeps_offsets() -> None:
    assert fold_same_length("Perú İstanbul") == "peru Istanbul"  # "İ" lowercases to two characters
    assert fold("Perú İstanbul") == "peru istanbul"
    assert fold_phrase("  Banco   Mundial ") == "banco mundial"
