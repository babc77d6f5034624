"""The register's typed entry: a commitment statement with its sources, equivalents and qualifier, and the
ordered commitment stages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from indexing.types import Citation

__all__ = [
    "NO_ACTOR",
    "PLEDGE_STATUSES",
    "STAGE_GROUP",
    "STATUS_ORDER",
    "TOTAL_ACTOR",
    "Commitment",
    "Equivalent",
    "Source",
]

STATUS_ORDER = ("anunciado", "comprometido", "firmado", "desembolsado", "ejecutado")
PLEDGE_STATUSES = frozenset({"anunciado", "comprometido"})
TOTAL_ACTOR = "Comunidad internacional"
NO_ACTOR = "sin actor"  # a funding need stated without who needs it


Source = Citation
"""Where a commitment is stated: a verbatim quote of a page and its character offsets in that page (the shared
`indexing.types.Citation`, built positionally from those six fields)."""


@dataclass(frozen=True)
class Equivalent:
    """The same amount stated in another currency, in parentheses after it ("(unos 160 millones de euros)")."""

    amount: float
    currency: str


@dataclass
class Commitment:
    """One statement of a funding commitment (after deduplication: one commitment, several sources).

    `id` is a hash of the first source (document id, page, quote offsets) and of the amount's offset in the quote.
    """

    id: str
    actor: str
    amount: float
    currency: str | None
    instrument: str = "unknown"
    recipient: str | None = None
    purpose: str | None = None
    status: str = "comprometido"
    event: str | None = None
    date: str | None = None
    sources: list[Source] = field(default_factory=list)
    kind: str = "compromiso"
    is_total: bool = False
    status_explicit: bool = True
    actor_rollup: str | None = None
    amount_text: str = ""
    flags: tuple[str, ...] = ()
    equivalents: tuple[Equivalent, ...] = ()
    qualifier: str | None = None
    # The conference is stated by the sentence or the table ("en la conferencia de 2019", a `Conferencia` column) or
    # is the conference of its own record, not only guessed from the head of a follow-up page.
    event_explicit: bool = False

    def to_dict(self) -> dict:
        """Plain JSON-ready dict."""
        out = asdict(self)
        out["flags"] = list(self.flags)
        out["equivalents"] = [asdict(e) for e in self.equivalents]
        return out


# Stages of one commitment within a record: announced/committed/signed are the pledge, disbursed/executed what
# came out of it.
STAGE_GROUP = {
    "anunciado": "pledge",
    "comprometido": "pledge",
    "firmado": "pledge",
    "desembolsado": "out",
    "ejecutado": "out",
}
