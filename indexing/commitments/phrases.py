"""Shipped phrase tables of the register (status verbs, instruments, conferences) and what they tell about a
text: its conference (`detect_event`), a conference's date, a record's date."""

from __future__ import annotations

import re
from functools import lru_cache

from indexing.commitments._data import load
from indexing.text.dates import first_written_date
from indexing.text.gazetteer import PhraseMatcher
from indexing.text.tokens import fold_same_length

__all__ = ["YEAR_RE", "detect_event", "event_date", "events_table", "find_record_date", "instrument_matcher",
           "status_matcher"]


@lru_cache(maxsize=1)
def status_matcher() -> PhraseMatcher:
    return PhraseMatcher(load("status_verbs")["phrases"].items())


@lru_cache(maxsize=1)
def instrument_matcher() -> PhraseMatcher:
    return PhraseMatcher(load("instruments")["phrases"].items())


@lru_cache(maxsize=1)
def events_table() -> tuple[dict[str, str], dict[str, str], re.Pattern[str]]:
    data = load("events")
    by_year = {e["year"]: e["name"] for e in data["events"]}
    dates = {e["name"]: e["date"] for e in data["events"]}
    keywords = "|".join(re.escape(fold_same_length(k)) for k in data["keywords"])
    return by_year, dates, re.compile(rf"\b(?:{keywords})\b")


def event_date(event: str | None) -> str | None:
    """ISO date of a known conference, or None."""
    if not event:
        return None
    return events_table()[1].get(event)


YEAR_RE = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def detect_event(text: str, window: int = 160) -> str | None:
    """The conference a text names: a conference year within `window` characters after a conference keyword.

    :param text: a sentence or the head of a page.
    :returns: e.g. "Conferencia de Bruselas 2023", or None.
    """
    by_year, _, keywords = events_table()
    folded = fold_same_length(text)
    for m in YEAR_RE.finditer(folded):
        name = by_year.get(m.group(1))
        if not name:
            continue
        before = folded[max(0, m.start() - window) : m.start()]
        if keywords.search(before):
            return name
    return None


_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre")
_CONFERENCE_MONTH_RE = re.compile(
    r"\bconferencia\b[^.;\d]{0,60}?\b(?:de|en)\s+(" + "|".join(_MONTHS) + r"|setiembre)\b(?!\s+(?:de\s+|del\s+)?\d)"
)


def detect_event_by_month(text: str, record_date: str | None) -> str | None:
    """The conference a text names by its month only ("tras la Conferencia de Donantes de junio"), read with the
    record's date: the conference held in that month of the record's year, or of the year before when that month
    is still to come.

    :param text: a sentence.
    :param record_date: ISO date of the record, or None (then None).
    :returns: e.g. "Conferencia de Canadá 2021", or None.
    """
    if not record_date or len(record_date) < 7:
        return None
    m = _CONFERENCE_MONTH_RE.search(fold_same_length(text[:2000]))
    if m is None:
        return None
    month = 9 if m.group(1) == "setiembre" else _MONTHS.index(m.group(1)) + 1
    year, record_month = int(record_date[:4]), int(record_date[5:7])
    if month > record_month:
        year -= 1
    for name, iso in events_table()[1].items():
        if iso.startswith(f"{year:04d}-{month:02d}"):
            return name
    return None


def find_record_date(text: str, head_chars: int = 600) -> str | None:
    """ISO date of a record from the first "17 de julio de 2023" in its first `head_chars` characters."""
    return first_written_date(text[:head_chars])
