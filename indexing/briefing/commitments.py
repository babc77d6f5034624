"""The register's commitments a briefing lists first: those of the conference or meeting its topic names.

A topic is read with the same interpretation as a question (`indexing.query.interpretation.interpret`). When it
asks about commitments ("los compromisos de la reunión del 17 de julio", "aportes anunciados en la Conferencia de
Bruselas 2023") and names an event, the register entries of that event become the briefing's first points, each
quoting its source sentence verbatim and citing it; the extractive selection fills the remaining points.

An entry belongs to the event when:

- the event names a day or a month (a meeting: "la reunión del 17 de julio", "la sesión de marzo de 2024"): one of
  its sources is a record dated that day (the year too when given) — the minutes of that meeting; named by its
  month only, a record of that month whose title names that kind of meeting ("Acta de la sesión ... de la Mesa de
  Trabajo Intersectorial");
- otherwise, when it names conferences: the entry's conference is one of them.

The actors the topic names (through the gazetteer) restrict the entries to theirs; the request's filters
(conference, dates, records) apply as they do to passages. A recipient the topic names ("con destino al Perú")
puts the entries for it first; the others follow (the register's recipients are often generic: "comunidades de
acogida").

A point must read alone: its quote names the entry's donor (a list item under a donor's heading, "- Conferencia de
Canadá, junio de 2021: US$ 407 millones.", does not) and is not a table row whose figures only its header tells
apart; an entry none of whose sources reads alone is left to the register.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from indexing.commitments.actors import find_actors
from indexing.query.interpretation import Event, Interpretation
from indexing.text.headings import is_headline
from indexing.text.tables import is_table_row, table_row
from indexing.text.tokens import fold_same_length
from indexing.types import Citation, DocumentRecord, SearchFilters

__all__ = ["COMMITMENT_TOPIC_RE", "LeadPoint", "asks_for_commitments", "event_entries", "lead_heading", "lead_points"]

COMMITMENT_TOPIC_RE = re.compile(
    r"\b(?:compromis\w*|comprometi\w*|anuncios?|anunciad[oa]s?|aportes?|promesas?|contribuciones|desembolsos?|"
    r"donaciones|financiamientos?|ofrecimientos?|montos?)\b"
)
"""Words of a topic about the register's entries (accent-folded, lower case)."""

MAX_SOURCES_PER_POINT = 2

_NOT_A_FIGURE_RE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:19|20)\d\d\b")
"""Dates and years in a cell ("Bruselas 2023", "firmado el 28/11/2023"): they name the row, they are not its figures."""


@dataclass(frozen=True)
class LeadPoint:
    """A register commitment as a briefing point: the verbatim quote of its first source, and its sources."""

    text: str
    sources: tuple[Citation, ...]


def asks_for_commitments(topic: str) -> bool:
    """:returns: True when the topic asks about commitments, pledges, contributions or disbursements."""
    return COMMITMENT_TOPIC_RE.search(fold_same_length(topic).lower()) is not None


def _date_prefix(event: Event) -> str | None:
    """The ISO date a meeting's record must match: "2023-07-17", or "-07-17" / "2024-03" / "-03" without the year
    (or day); None when the event names no month."""
    if not event.month:
        return None
    month_day = f"-{event.month:02d}" + (f"-{event.day:02d}" if event.day else "")
    return f"{event.year:04d}{month_day}" if event.year else month_day


def _meeting_words(event: Event) -> tuple[str, ...]:
    """The words of the kind of meeting ("reunion de seguimiento" → ("reunion", "seguimiento")), folded."""
    return tuple(w for w in (event.meeting or "").split() if w not in ("de", "del", "la"))


def _dated(date: str | None, prefix: str) -> bool:
    if not date:
        return False
    return date.startswith(prefix) if not prefix.startswith("-") else date[4:].startswith(prefix)


def event_entries(
    it: Interpretation,
    entries: Sequence[dict[str, Any]],
    records: Mapping[str, DocumentRecord],
    *,
    filters: SearchFilters | None = None,
    actor_entries: Callable[[str], Sequence[dict[str, Any]]] | None = None,
) -> list[dict[str, Any]]:
    """The register entries of the event (and actors) a topic names, in the register's order.

    :param it: the topic's interpretation.
    :param entries: the register's public entries (`Register.entries()`), by date then record and position.
    :param records: document id → indexed record, for the records the entries cite (their date, title and type).
    :param filters: the request's search filters, applied to the entries (conference, record type, dates,
        records).
    :param actor_entries: actor name → that actor's entries (the register's `actor` filter, with its roll-ups);
        required for topics naming actors.
    :returns: the matching entries, those for the recipient the topic names first; [] when the topic names no
        event, or no conference and no dated meeting.
    """
    event = it.event
    if event is None or event.unknown_conference:
        return []
    prefix = _date_prefix(event)
    slugs = set(event.slugs)
    if prefix is None and not slugs:
        return []
    allowed: set[str] | None = None
    if it.actors and actor_entries is not None:
        allowed = {e["id"] for actor in it.actors for e in actor_entries(actor)}
    words = _meeting_words(event) if prefix is not None and not event.day else ()

    def of_the_meeting(document_id: str) -> bool:
        record = records.get(document_id)
        if record is None or not _dated(record.date, prefix or ""):
            return False
        title = fold_same_length(record.title).lower()
        return all(re.search(rf"\b{re.escape(w)}\b", title) for w in words)

    out = []
    for e in entries:
        if allowed is not None and e["id"] not in allowed:
            continue
        if prefix is not None:
            if not any(of_the_meeting(s["document_id"]) for s in e["sources"]):
                continue
        elif e.get("event") not in slugs:
            continue
        if filters is not None and not _passes(e, filters, records):
            continue
        out.append(e)
    if it.recipient:
        out.sort(key=lambda e: e.get("recipient") != it.recipient)  # stable: the register's order otherwise
    return out


def _passes(entry: dict[str, Any], f: SearchFilters, records: Mapping[str, DocumentRecord]) -> bool:
    if f.conference and entry.get("event") != f.conference:
        return False
    if f.doc_type and all(
        (r := records.get(s["document_id"])) is None or r.doc_type != f.doc_type for s in entry["sources"]
    ):
        return False
    date = entry.get("date")
    if f.date_from and (not date or date < f.date_from):
        return False
    if f.date_to and (not date or date > f.date_to):
        return False
    return not (f.document_ids is not None and all(s["document_id"] not in f.document_ids for s in entry["sources"]))


def lead_points(entries: Sequence[dict[str, Any]], records: Mapping[str, DocumentRecord]) -> list[LeadPoint]:
    """One point per source sentence of the entries (two entries stated in one sentence make one point), in the
    entries' order; conference totals first.

    :param entries: the event's entries (`event_entries`).
    :param records: document id → indexed record (the citations' title and date).
    :returns: the points, each quoting its entry's first source that reads alone (`_reads_alone`) and citing up
        to `MAX_SOURCES_PER_POINT` such sources not quoted before; an entry whose first such source is already
        quoted (or that has none) adds no point.
    """
    ordered = [e for e in entries if e.get("is_total")] + [e for e in entries if not e.get("is_total")]
    points: list[LeadPoint] = []
    seen: set[tuple[str, int, int]] = set()
    for e in ordered:
        statements = [s for s in e["sources"] if _reads_alone(s["quote"], e)]
        if not statements or _key(statements[0]) in seen:
            continue  # stated in a sentence already quoted (one sentence, two amounts): one point
        sources = [s for s in statements if _key(s) not in seen]
        cited = []
        for s in sources[:MAX_SOURCES_PER_POINT]:
            seen.add(_key(s))
            record = records.get(s["document_id"])
            title = (record.title or record.filename) if record else (s.get("title") or s["filename"])
            date = record.date if record else None
            cited.append(
                Citation(
                    document_id=s["document_id"],
                    filename=s["filename"],
                    page=int(s["page"]),
                    quote=s["quote"],
                    char_start=int(s["char_start"]),
                    char_end=int(s["char_end"]),
                    title=title,
                    date=date,
                    ocr=bool(s.get("ocr", False)),
                )
            )
        points.append(LeadPoint(text=cited[0].quote, sources=tuple(cited)))
    return points


def _reads_alone(quote: str, entry: dict[str, Any]) -> bool:
    """Whether a source's quote makes a point a reader understands without its record: not a headline, not a table
    row whose figures only its header tells apart, and naming the entry's donor (by any alias, or an agency of it)
    unless the entry is a total.

    :param quote: the source's verbatim quote.
    :param entry: the register entry it states.
    :returns: True when the quote can be the entry's point.
    """
    if is_headline(quote) or _ambiguous_row(quote):
        return False
    if entry.get("is_total"):
        return True
    donors = {entry.get("actor"), entry.get("actor_rollup"), entry.get("country")} - {None}
    return any(m.canonical in donors or m.info.country in donors for m in find_actors(quote))


def _ambiguous_row(quote: str) -> bool:
    """Whether a quote is a table row with two figures or more ("| Total | 10,5 | 25 | 2,5 |"): read without its
    header, no reader can tell which figure is the entry's, so it is no briefing point (the register keeps it).

    :param quote: a source's verbatim quote.
    :returns: True for such rows; False for prose and for rows with one figure besides dates and years.
    """
    first = quote.strip().split("\n", 1)[0]
    if not is_table_row(first):
        return False
    cells = table_row(quote).cells
    figures = [c for c in cells if any(ch.isdigit() for ch in _NOT_A_FIGURE_RE.sub("", c))]
    return len(figures) >= 2


def _key(source: dict[str, Any]) -> tuple[str, int, int]:
    return (source["document_id"], int(source["page"]), int(source["char_start"]))


def lead_heading(it: Interpretation) -> str:
    """The heading of the commitments section: "Compromisos registrados en la reunión del 17 de julio"."""
    described = it.event.describe() if it.event is not None else ""
    return f"Compromisos registrados en {described}" if described else "Compromisos registrados"
