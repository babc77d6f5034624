"""Hang guards: every routine that reads uploaded text finishes adversarial and very long inputs quickly.

Not speed tests: each budget is at least 10x the time measured by `python -m bench.text` on the shared 2-core
development machine under load (the slowest adversarial 50 KB input took under 1 s, the 1 MB line the figures in
`LINE_BUDGETS` divided by 10 or more). The code before this guard took 54 s on 50 KB of dots, 85 s on 50 KB of
"dos dos …" and more than 600 s on a 2 MiB single-line record.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from bench.text import ADVERSARIAL, ROUTINES, adversarial, ordinary_line

ADVERSARIAL_SIZE = 50_000
ADVERSARIAL_BUDGET = 10.0  # seconds; measured at most ~1 s
LINE_SIZE = 1_000_000
# Seconds for the 1 MB single-line record; measured (under load): commitments 4.6, chunker 1.5, split_sentences
# 1.0, extract_facts 1.1, content_terms 0.7, the others 0.6 or less.
LINE_BUDGETS = {
    "split_sentences": 15.0,
    "amount_spans": 10.0,
    "find_amounts": 10.0,
    "find_dates": 10.0,
    "extract_facts": 15.0,
    "content_terms": 10.0,
    "headings": 10.0,
    "cleaner": 10.0,
    "metadata": 10.0,
    "chunker": 20.0,
    "tables": 10.0,
    "commitments": 60.0,
}


@pytest.fixture(scope="module")
def line() -> str:
    return ordinary_line(LINE_SIZE)


def elapsed(fn: Callable[[str], Any], text: str) -> float:
    t0 = time.perf_counter()
    fn(text)
    return time.perf_counter() - t0


def test_every_routine_has_a_line_budget() -> None:
    assert set(LINE_BUDGETS) == set(ROUTINES)


@pytest.mark.parametrize("routine", sorted(ROUTINES))
@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_50kb_finishes(routine: str, name: str) -> None:
    text = adversarial(name, ADVERSARIAL_SIZE)
    assert len(text) == ADVERSARIAL_SIZE
    assert elapsed(ROUTINES[routine], text) < ADVERSARIAL_BUDGET


@pytest.mark.parametrize("routine", sorted(ROUTINES))
def test_ordinary_1mb_single_line_finishes(routine: str, line: str) -> None:
    assert len(line) == LINE_SIZE and "\n" not in line
    assert elapsed(ROUTINES[routine], line) < LINE_BUDGETS[routine]
