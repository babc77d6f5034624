"""Per-donor comparison across conferences: one row per event with what was pledged, signed and disbursed, in
each currency (currencies are never added together), each row linked to its entries.

Within one event and currency, the entries are linked into chains (`link_commitments`: the stages of one
commitment) and each chain counts once: `pledged` adds each chain's pledged amount, `signed` the largest signed
amount of each chain, `disbursed` the largest disbursed or executed amount of each chain (reports are cumulative).
A breakdown of a pledge is part of it, not added to it: a chain for one country ("6 millones para el Perú") next
to a larger chain of the same event and currency stated for another or no recipient (the regional pledge it comes
from) is counted in the larger one. Conference totals (`is_total`) are never rows' amounts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from indexing.commitments.link import DISBURSED, Chain, link_commitments
from indexing.commitments.model import Commitment

__all__ = ["CompareAmount", "CompareRow", "Comparison", "compare_rows"]


@dataclass(frozen=True)
class CompareAmount:
    """An amount in one currency; `qualifier` is "más de", "alrededor de" or "hasta" when a part is stated so."""

    currency: str
    amount: float
    qualifier: str | None = None


@dataclass
class CompareRow:
    """What one actor pledged, signed and disbursed for one event (None: stated without a conference)."""

    event: str | None
    event_label: str | None
    date: str | None
    pledged: list[CompareAmount] = field(default_factory=list)
    signed: list[CompareAmount] = field(default_factory=list)
    disbursed: list[CompareAmount] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Comparison:
    """The rows of one actor, oldest event first (rows without event last)."""

    actor: str
    rows: list[CompareRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return asdict(self)


def _qualifier(chains: list[Chain]) -> str | None:
    found = {c.qualifier for ch in chains for c in ch.stages if c.qualifier and c.status not in DISBURSED}
    if not found:
        return None
    return found.pop() if len(found) == 1 else "alrededor de"


def _is_part(ch: Chain, others: list[Chain]) -> bool:
    """Whether `ch` is a national share of a larger pledge of the same event and currency."""
    pledged, recipient = ch.pledged, ch.stages[0].recipient
    if pledged is None or recipient is None:
        return False
    return any(
        o is not ch and o.pledged is not None and o.pledged > pledged and o.stages[0].recipient != recipient
        for o in others
    )


def _signed(ch: Chain) -> float:
    return max((c.amount for c in ch.stages if c.status == "firmado"), default=0.0)


def compare_rows(
    actor: str, entries: list[dict[str, Any]], commitments: dict[str, Commitment], event_dates: dict[str, str]
) -> Comparison:
    """One row per event of `entries` (the register entries of one actor).

    :param actor: the actor as asked for (shown as is).
    :param entries: the actor's public register entries ({"id", "event", "event_label", "date", "currency",
        "is_total", "sources"}).
    :param commitments: the register's commitments by id (to link stages).
    :param event_dates: ISO date of each event slug (conference day), for ordering and the rows' `date`.
    :returns: the comparison, rows ordered by event date.
    """
    by_event: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for e in entries:
        if not e.get("is_total") and e.get("currency"):
            by_event[e.get("event")].append(e)
    rows = []
    for event, members in by_event.items():
        by_currency: dict[str, list[Commitment]] = defaultdict(list)
        for e in members:
            by_currency[e["currency"]].append(commitments[e["id"]])
        row = CompareRow(
            event=event,
            event_label=members[0].get("event_label"),
            date=event_dates.get(event or "") or min((e.get("date") or "9999" for e in members), default=None),
            entries=[e["id"] for e in members],
            sources=[s for e in members for s in e.get("sources") or []],
        )
        for currency in sorted(by_currency):
            chains = link_commitments(by_currency[currency])
            counted = [ch for ch in chains if not _is_part(ch, chains)]
            pledged = sum(ch.pledged or 0.0 for ch in counted)
            pledging = [ch for ch in counted if ch.pledged]
            if pledged:
                row.pledged.append(CompareAmount(currency, pledged, _qualifier(pledging)))
            signed = sum(_signed(ch) for ch in counted)
            if signed:
                row.signed.append(CompareAmount(currency, signed))
            disbursed = sum(ch.disbursed for ch in chains)
            if disbursed:
                row.disbursed.append(CompareAmount(currency, disbursed))
        if row.date == "9999":
            row.date = None
        rows.append(row)
    rows.sort(key=lambda r: (r.event is None, r.date or "", r.event or ""))
    return Comparison(actor=actor, rows=rows)
