"""Deduplication: statements of one commitment (a table row and the prose repeating it; the press release and the
minutes of one conference) become one commitment with several sources."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import replace

from indexing.commitments.actors import actor_info, rollup_name, same_family
from indexing.commitments.model import PLEDGE_STATUSES, STAGE_GROUP, STATUS_ORDER, Commitment

__all__ = ["deduplicate", "instruments_compatible", "recipients_conflict"]


def recipients_conflict(a: str | None, b: str | None) -> bool:
    """True when two stated recipients cannot be the same: two different countries. Channels (ACNUR, GIZ) and
    generic recipients ("países de acogida") never conflict."""
    if not a or not b or a == b:
        return False
    ia, ib = actor_info(a), actor_info(b)
    return bool(ia and ib and ia.type == "país" and ib.type == "país")


def instruments_compatible(a: str, b: str) -> bool:
    """Equal, one side unknown, or an in-kind donation described as a donation."""
    return a == b or "unknown" in (a, b) or {a, b} == {"donación", "en especie"}


def _compatible(a: Commitment, b: Commitment) -> bool:
    if a.currency != b.currency or a.is_total != b.is_total or a.kind != b.kind:
        return False
    if abs(a.amount - b.amount) > 1e-6 * max(a.amount, b.amount, 1.0):
        return False
    spans = {(x.document_id, x.page, x.char_start, x.char_end) for x in a.sources}
    if any((x.document_id, x.page, x.char_start, x.char_end) in spans for x in b.sources):
        return False  # two amounts of one sentence or row are two statements
    same_doc = bool({x.document_id for x in a.sources} & {x.document_id for x in b.sources})
    if not (a.actor == b.actor or (same_doc and same_family(a.actor, b.actor))):
        return False
    if a.status_explicit and b.status_explicit and a.status != b.status:
        if same_doc and STAGE_GROUP[a.status] != STAGE_GROUP[b.status]:
            return False
        if not same_doc and not (a.status in PLEDGE_STATUSES and b.status in PLEDGE_STATUSES):
            return False
    if not instruments_compatible(a.instrument, b.instrument):
        return False
    if recipients_conflict(a.recipient, b.recipient):
        return False
    return same_doc or (a.event is not None and a.event == b.event)


def deduplicate(commitments: list[Commitment]) -> list[Commitment]:
    """Merge statements of the same commitment into one commitment with several sources.

    Two statements merge when amount and currency are equal, instrument and recipient compatible, and either
    they come from the same record (a table and the prose; the actor may then be named at two levels, "Comisión
    Europea" and "Unión Europea", and the first name is kept) or they name the same actor and event (a press
    release and the minutes of one conference). Statuses must agree unless one was only inferred: within a record,
    announced/committed/signed merge with each other and disbursed/executed with each other; across records only
    announced/committed merge. Two amounts of one sentence or table row never merge. The merged commitment keeps
    the most advanced explicit status and the first statement's id.

    Time: n log n plus the candidates actually compared. Only a commitment of the same currency, kind, total-ness
    and actor family (rollup) and an equal amount can merge, so merged commitments are indexed by those fields
    (amounts kept sorted per group) and each statement is compared with the few that share them, never with all.

    :param commitments: extracted commitments, in document order.
    :returns: merged commitments, in order of first appearance.
    """
    merged: list[Commitment] = []
    # (currency, is_total, kind, actor family) -> sorted [(amount, position in merged)]
    index: dict[tuple[str | None, bool, str, str], list[tuple[float, int]]] = {}
    families: dict[str, str] = {}
    for c in commitments:
        family = families.get(c.actor)
        if family is None:
            family = families[c.actor] = rollup_name(c.actor)
        group = index.setdefault((c.currency, c.is_total, c.kind, family), [])
        # A superset of the amounts `_compatible` accepts (equal within 1e-6); it then decides exactly.
        tol = 2e-6 * max(abs(c.amount), 1.0) + 1e-9
        lo, hi = bisect_left(group, (c.amount - tol, -1)), bisect_right(group, (c.amount + tol, len(merged)))
        positions = sorted(pos for _, pos in group[lo:hi])
        candidates = [merged[pos] for pos in positions if _compatible(merged[pos], c)]
        if not candidates:
            insort(group, (c.amount, len(merged)))
            merged.append(replace(c, sources=list(c.sources)))
            continue
        docs = {x.document_id for x in c.sources}
        target = next((m for m in candidates if docs & {x.document_id for x in m.sources}), None)
        target = target or candidates[0]
        for src in c.sources:
            if src not in target.sources:
                target.sources.append(src)
        if c.status_explicit and (
            not target.status_explicit or STATUS_ORDER.index(c.status) > STATUS_ORDER.index(target.status)
        ):
            target.status, target.status_explicit = c.status, True
        if target.instrument == "unknown":
            target.instrument = c.instrument
        target.recipient = target.recipient or c.recipient
        target.purpose = target.purpose or c.purpose
        if target.event is None or (c.event_explicit and not target.event_explicit and c.event == target.event):
            target.event, target.event_explicit = c.event, c.event_explicit
        target.equivalents = target.equivalents or c.equivalents
        target.qualifier = target.qualifier or c.qualifier
        target.date = min(d for d in (target.date, c.date) if d) if (target.date or c.date) else None
    return merged
