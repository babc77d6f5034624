"""Linking: the stages of one commitment across records (announced in Brussels, signed later, partly disbursed
in a follow-up report) are grouped into a `Chain`.

A commitment joins the chain it fits best, in date order:

- same actor family (the actor, its agencies, its parent body: "AECID" and "España", "Comisión Europea" and
  "Unión Europea") and the same currency; never a conference total; two bodies of one family that are not one
  another's parent ("GIZ" and "KfW") are two actors;
- compatible recipient (not two different countries; channels such as ACNUR never conflict) and instrument
  (equal, or one side "unknown");
- amount: a pledge or signature equal to the chain's pledge (±1 %); a disbursement or execution no larger than it
  (up to 25 % more for a pledge of "más de", 10 % for "alrededor de");
- dates ordered (a stage is not older than the chain's pledge); no two pledges of different conferences, and no
  stage whose conference is stated (by its sentence, its table, or its own conference record: `event_explicit`)
  joins a pledge of another stated conference.

Preference among fitting chains: a pledge in the same sentence or table row, same canonical actor, exactly the
pledged amount, a signed stage already (disbursements follow signatures), a shared record, equal recipient and
instrument, then the closest amount. A disbursement that several of a donor's pledges could explain (or a chain
with no pledge at all) joins only a chain the records tie it to — same sentence or record, recipient, instrument,
stated conference, a signature, or exactly the pledged amount — else it starts its own chain: a payment is not
guessed onto a pledge. `disbursement_status` is "desembolsado" when the largest disbursed amount reaches the
pledge, "desembolso parcial" when some is recorded, and "sin registro de desembolso" otherwise — a pledge without a
disbursement record is not assumed unpaid.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field

from indexing.commitments.actors import actor_info, rollup_name
from indexing.commitments.dedup import instruments_compatible, recipients_conflict
from indexing.commitments.extract import NEW_FLAG, REVISED_FLAG, event_date
from indexing.commitments.model import PLEDGE_STATUSES, STATUS_ORDER, Commitment

__all__ = ["Chain", "link_commitments"]

DISBURSED = frozenset({"desembolsado", "ejecutado"})


@dataclass
class Chain:
    """The known stages of one commitment, oldest first."""

    id: str
    stages: list[Commitment] = field(default_factory=list)

    @property
    def actor(self) -> str:
        """Actor of the first stage."""
        return self.stages[0].actor

    @property
    def currency(self) -> str | None:
        """Currency shared by every stage."""
        return self.stages[0].currency

    @property
    def pledged(self) -> float | None:
        """Amount pledged or signed (largest non-disbursement stage; the latest revised amount when the pledge was
        raised or reduced), or None if only disbursements are known."""
        revised = [c.amount for c in self.stages if c.status not in DISBURSED and REVISED_FLAG in c.flags]
        if revised:
            return revised[-1]
        amounts = [c.amount for c in self.stages if c.status not in DISBURSED]
        return max(amounts) if amounts else None

    @property
    def disbursed(self) -> float:
        """Largest disbursed or executed amount reported (reports are cumulative, so never summed)."""
        return max((c.amount for c in self.stages if c.status in DISBURSED), default=0.0)

    @property
    def disbursement_status(self) -> str:
        """ "desembolsado", "desembolso parcial" or "sin registro de desembolso"."""
        pledged, disbursed = self.pledged, self.disbursed
        if disbursed <= 0:
            return "sin registro de desembolso"
        if pledged is None or disbursed >= pledged * 0.99:
            return "desembolsado"
        return "desembolso parcial"

    def to_dict(self) -> dict:
        """Plain JSON-ready dict."""
        return {
            "id": self.id,
            "actor": self.actor,
            "currency": self.currency,
            "pledged": self.pledged,
            "disbursed": self.disbursed,
            "disbursement_status": self.disbursement_status,
            "stages": [c.to_dict() for c in self.stages],
        }


def _when(c: Commitment) -> str:
    return c.date or event_date(c.event) or "9999-12-31"


def _documents(c: Commitment) -> set[str]:
    return {s.document_id for s in c.sources}


def _spans(c: Commitment) -> set[tuple[str, int, int]]:
    return {(s.document_id, s.char_start, s.char_end) for s in c.sources}


def _close(a: float, b: float, tol: float = 0.01) -> bool:
    return abs(a - b) <= tol * max(a, b)


# How far a disbursement may exceed the pledge it pays, by the pledge's qualifier: "más de EUR 4 millones" is a
# lower bound (EUR 4,3 millones disbursed pays it), "alrededor de" an approximation; a plain amount is exact.
_HEADROOM = {"más de": 1.25, "alrededor de": 1.10}


def _headroom(chain: Chain, anchor: float) -> float:
    qualifiers = {c.qualifier for c in chain.stages if c.status not in DISBURSED and _close(c.amount, anchor)}
    return max([1.01, *(_HEADROOM.get(q or "", 1.01) for q in qualifiers)])


# How far (characters, same page) the revised amount may stand from the pledge it revises: the same sentence or the
# next ("Qatar anunció US$ 10 millones. ... el aporte se reducía a US$ 7 millones").
_REVISION_REACH = 600


def _distance(a: Commitment, b: Commitment) -> int | None:
    """Characters between the nearest sources of `a` and `b` on one page of one record (0 when they overlap), or
    None when no two are on the same page."""
    gaps = [
        max(0, max(x.char_start, y.char_start) - min(x.char_end, y.char_end))
        for x in a.sources
        for y in b.sources
        if x.document_id == y.document_id and x.page == y.page
    ]
    return min(gaps) if gaps else None


def _near(a: Commitment, b: Commitment) -> bool:
    """Whether a source of `a` and one of `b` are on the same page of one record, at most `_REVISION_REACH` apart."""
    gap = _distance(a, b)
    return gap is not None and gap <= _REVISION_REACH


def _revision_gap(chain: Chain, c: Commitment) -> int:
    """How far `c` stands from the nearest pledge stage of the chain it revises (the pledge named closest to the new
    amount is the one revised); a large number when it revises none."""
    if not _revises(chain, c):
        return 1 << 30
    gaps = [_distance(s, c) for s in chain.stages if s.status not in DISBURSED]
    return min(g for g in gaps if g is not None)


def _revises(chain: Chain, c: Commitment) -> bool:
    """Whether `c` restates the chain's pledge at a new amount: flagged as revised ("elevó su compromiso a ...")
    next to one of the chain's pledge stages (the pledge it revises, named in the same or the previous sentence)."""
    return REVISED_FLAG in c.flags and any(s.status not in DISBURSED and _near(s, c) for s in chain.stages)


def _fits(chain: Chain, c: Commitment) -> bool:
    # Same actor family: guaranteed by the caller, which only offers chains of c's family (`_ChainIndex`).
    if chain.currency != c.currency:
        return False
    if c.status not in DISBURSED and _revises(chain, c):
        return _compatible(chain, c)  # the pledge raised or reduced: a new amount, no equality asked
    if NEW_FLAG in c.flags and not any(_near(s, c) for s in chain.stages):
        return False  # "un nuevo aporte de US$ 2 millones": not an older pledge of that amount restated
    anchor = chain.pledged
    if c.status in DISBURSED:
        if anchor is not None and c.amount > anchor * _headroom(chain, anchor):
            return False
    elif anchor is not None and not _close(anchor, c.amount) or anchor is None and c.amount < chain.disbursed * 0.99:
        return False
    return _compatible(chain, c)


def _compatible(chain: Chain, c: Commitment) -> bool:
    """Actor, recipient, instrument, conference and dates of `c` agree with every stage of the chain."""
    anchor = chain.pledged
    for s in chain.stages:
        if not _same_actor(s.actor, c.actor):
            return False
        if recipients_conflict(s.recipient, c.recipient):
            return False
        if not instruments_compatible(s.instrument, c.instrument):
            return False
        if s.event and c.event and s.event != c.event and (
            (s.status in PLEDGE_STATUSES and c.status in PLEDGE_STATUSES) or (s.event_explicit and c.event_explicit)
        ):
            # two pledges of different conferences, or a stage its sentence or table ties to another conference
            # (a 2019 loan disbursed is not the 2023 pledge); a record's own conference alone does not decide
            return False
        if (
            s.status == "firmado"
            and c.status == "firmado"
            and s.date
            and c.date
            and s.date != c.date
            and (_documents(s) & _documents(c))
        ):
            return False
    first = min(_when(s) for s in chain.stages if s.status not in DISBURSED) if anchor is not None else None
    return not (first and c.date and c.status not in PLEDGE_STATUSES and c.date < first)


def _lineage(name: str) -> tuple[str, ...]:
    """An actor and the bodies it belongs to, nearest first: ECHO → Comisión Europea → Unión Europea; GIZ → Alemania."""
    out = [name]
    info = actor_info(name)
    while info is not None and len(out) < 6:
        up = info.country or info.parent
        if not up or up in out:
            break
        out.append(up)
        info = actor_info(up)
    return tuple(out)


def _same_actor(a: str, b: str) -> bool:
    """One actor named at two levels (AECID and España, Comisión Europea and Unión Europea), not two bodies of one
    family (GIZ and KfW are two German commitments)."""
    return a == b or a in _lineage(b) or b in _lineage(a)


def _score(chain: Chain, c: Commitment) -> tuple:
    exact = any(s.actor == c.actor for s in chain.stages)
    signed = any(s.status == "firmado" for s in chain.stages)
    same_unit = any(_spans(s) & _spans(c) for s in chain.stages)
    shared = any(_documents(s) & _documents(c) for s in chain.stages)
    recipient = any(s.recipient and s.recipient == c.recipient for s in chain.stages)
    instrument = any(s.instrument != "unknown" and s.instrument == c.instrument for s in chain.stages)
    gap = abs((chain.pledged or chain.disbursed) - c.amount)
    equal = chain.pledged is not None and _close(chain.pledged, c.amount)
    paid_after_signature = signed and c.status in DISBURSED
    revision = -_revision_gap(chain, c)
    # in one record, the stage written closest to `c` ("Qatar anunció US$ 10 millones ... se habían desembolsado
    # US$ 4 millones"): a report states a pledge and then what came of it
    gaps = [g for g in (_distance(s, c) for s in chain.stages) if g is not None]
    closest = -min(gaps) if gaps else -(1 << 30)
    return (revision, same_unit, exact, equal, paid_after_signature, shared, closest, recipient, instrument, -gap)


def _evidence(chain: Chain, c: Commitment) -> bool:
    """Whether something besides donor, currency and a smaller amount ties a disbursement to a chain: the same
    sentence or record, the same recipient or instrument, the same conference, or exactly the pledged amount."""
    if chain.pledged is not None and _close(chain.pledged, c.amount):
        return True
    for s in chain.stages:
        if _spans(s) & _spans(c) or _documents(s) & _documents(c):
            return True
        if s.recipient and s.recipient == c.recipient:
            return True
        if s.instrument != "unknown" and s.instrument == c.instrument:
            return True
        if s.event and s.event == c.event and s.event_explicit and c.event_explicit:
            return True
        if s.status == "firmado":
            return True  # disbursements follow signatures
    return False


class _ChainIndex:
    """The chains of one actor family and currency, indexed by the amount a new stage is compared with.

    `_fits` needs the same family and currency (the index key), and then an amount near the chain's pledge (pledge
    or signature) or not above it (disbursement), or a chain without pledge. So a stage is compared with the
    chains whose pledge lies in that range and with the pledge-less ones, never with every chain.
    """

    def __init__(self) -> None:
        self.by_pledge: list[tuple[float, int]] = []  # sorted (pledged, chain position)
        self.no_pledge: list[int] = []  # positions of chains with only disbursements

    def candidates(self, c: Commitment) -> list[int]:
        """Positions of the chains that may fit `c` (a superset; `_fits` decides), in chain order."""
        if c.status in DISBURSED:
            lo = bisect_left(self.by_pledge, (c.amount / max(_HEADROOM.values()) * (1 - 1e-9), -1))
            hits = [pos for _, pos in self.by_pledge[lo:]]
        else:
            lo = bisect_left(self.by_pledge, (c.amount * 0.99 * (1 - 1e-9), -1))
            hi = bisect_right(self.by_pledge, (c.amount / 0.99 * (1 + 1e-9), 1 << 62))
            hits = [pos for _, pos in self.by_pledge[lo:hi]]
        return sorted(hits + self.no_pledge)

    def everyone(self) -> list[int]:
        """Every chain of the index, in chain order (for a revised pledge, whose amount is new)."""
        return sorted([pos for _, pos in self.by_pledge] + self.no_pledge)

    def add(self, pos: int, pledged: float | None) -> None:
        if pledged is None:
            self.no_pledge.append(pos)
        else:
            insort(self.by_pledge, (pledged, pos))

    def move(self, pos: int, before: float | None, after: float | None) -> None:
        """A stage changed the chain's pledge from `before` to `after`."""
        if before == after:
            return
        if before is None:
            self.no_pledge.remove(pos)
        else:
            del self.by_pledge[bisect_left(self.by_pledge, (before, pos))]
        self.add(pos, after)


def link_commitments(commitments: list[Commitment]) -> list[Chain]:
    """Group deduplicated commitments into chains of stages of the same commitment.

    Time: n log n plus the candidate chains compared — those of the same actor family and currency whose pledge
    the stage's amount can match (see `_ChainIndex`), not all chains.

    :param commitments: commitments from any number of records (conference totals and requirements are skipped).
    :returns: chains in order of their first stage; every eligible commitment is in exactly one chain.
    """
    eligible = [c for c in commitments if not c.is_total and c.kind == "compromiso"]
    ordered = sorted(
        eligible, key=lambda c: (_when(c), STATUS_ORDER.index(c.status) if c.status in STATUS_ORDER else 0, c.id)
    )
    chains: list[Chain] = []
    indexes: dict[tuple[str, str | None], _ChainIndex] = {}
    families: dict[str, str] = {}
    for c in ordered:
        # Same family = same rollup (`same_family`); every stage of a chain is of its first stage's family.
        family = families.get(c.actor)
        if family is None:
            family = families[c.actor] = rollup_name(c.actor)
        index = indexes.setdefault((family, c.currency), _ChainIndex())
        candidates = index.everyone() if REVISED_FLAG in c.flags else index.candidates(c)
        fitting = [pos for pos in candidates if _fits(chains[pos], c)]
        if c.status in DISBURSED and (len(fitting) > 1 or any(chains[pos].pledged is None for pos in fitting)):
            # several pledges of this donor could have been paid: only one the record ties it to, else its own
            fitting = [pos for pos in fitting if _evidence(chains[pos], c)]
        if fitting:
            # The first best in chain order, as a scan of all chains would pick.
            pos = max(fitting, key=lambda p: _score(chains[p], c))
            before = chains[pos].pledged
            chains[pos].stages.append(c)
            index.move(pos, before, chains[pos].pledged)
            continue
        chains.append(Chain(id="", stages=[c]))
        index.add(len(chains) - 1, chains[-1].pledged)
    for ch in chains:
        ch.stages.sort(key=lambda c: (_when(c), STATUS_ORDER.index(c.status)))
        ch.id = hashlib.sha256("|".join(sorted(c.id for c in ch.stages)).encode()).hexdigest()[:16]
    return chains
