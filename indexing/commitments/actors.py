"""Actor gazetteer: finds donors, banks and agencies in Spanish text and normalizes their names.

"la República Federal de Alemania", "Alemania", "el Gobierno alemán" → "Alemania". Bodies the records
distinguish stay distinct ("Unión Europea", "Comisión Europea", "Equipo Europa"); agencies of a country
("AECID", "GIZ", "USAID", "COSUDE", "JICA") keep their own name and carry a `country` so totals can roll up.
The gazetteer is `data/actors.json` (editable without code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from indexing.commitments._data import load
from indexing.text.gazetteer import PhraseMatcher
from indexing.text.tokens import fold_same_length

__all__ = [
    "ActorInfo",
    "ActorMention",
    "actor_info",
    "find_actors",
    "find_recipient_phrases",
    "normalize_actor",
    "rollup_name",
    "same_family",
]


@dataclass(frozen=True)
class ActorInfo:
    """Gazetteer entry of one canonical actor."""

    name: str
    type: str
    country: str | None = None
    parent: str | None = None
    host: bool = False
    implementer: bool = False
    south_south: bool = False  # a host that also gives South–South cooperation (México through the AMEXCID)

    @property
    def donor(self) -> bool:
        """True for actors that can pledge: not a host country (unless it gives South–South cooperation), not an
        implementing UN agency, not a collective."""
        return not ((self.host and not self.south_south) or self.implementer or self.type == "colectivo")

    @property
    def can_fund(self) -> bool:
        """True for actors that can give funds of their own: donors, and implementing agencies and NGOs when a
        record says so (the subject of a funding verb, the source column of a table)."""
        return not ((self.host and not self.south_south) or self.type == "colectivo")


@dataclass(frozen=True)
class ActorMention:
    """One actor named in a text: canonical name and the span of the words that name it."""

    canonical: str
    start: int
    end: int
    surface: str
    info: ActorInfo


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, ActorInfo], PhraseMatcher, PhraseMatcher]:
    data = load("actors")
    infos: dict[str, ActorInfo] = {}
    phrases: list[tuple[str, object]] = []
    templates = data.get("country_templates", [])
    for entry in data["actors"]:
        info = ActorInfo(
            entry["name"],
            entry["type"],
            entry.get("country"),
            entry.get("parent"),
            bool(entry.get("host", False)),
            bool(entry.get("implementer", False)),
            bool(entry.get("south_south", False)),
        )
        infos[info.name] = info
        phrases.append((info.name, info.name))
        phrases.extend((alias, info.name) for alias in entry.get("aliases", []))
        adj = entry.get("adj")
        if adj:
            m, f, mp = adj
            for tpl in templates:
                phrases.append((tpl.format(name=info.name, m=m, f=f, mp=mp), info.name))
    recipients = PhraseMatcher(data.get("recipient_phrases", {}).items())
    return infos, PhraseMatcher(phrases), recipients


def actor_info(name: str) -> ActorInfo | None:
    """Gazetteer entry of a canonical actor name, or None."""
    return _gazetteer()[0].get(name)


# "Dólares" right before a country's name makes it the currency's name: "cinco millones de dólares de los Estados
# Unidos (USD 5.000.000)", "dólares de Canadá" (the donor is named elsewhere: "el Gobierno de Qatar ha aprobado ...").
_CURRENCY_NAME_BEFORE_RE = re.compile(r"\bdolar(?:es)?\s{1,3}(?:de\s{1,3})?(?:los\s{1,3})?$")


def find_actors(text: str) -> list[ActorMention]:
    """Every actor named in `text`, longest alias first, accent-insensitive, on word boundaries.

    :param text: Spanish (or English) text.
    :returns: mentions in order, non-overlapping; an acronym in parentheses right after the full name of the same
        actor ("Agencia Española de Cooperación Internacional para el Desarrollo (AECID)") is folded into it.
    """
    infos, matcher, _ = _gazetteer()
    out: list[ActorMention] = []
    for hit in matcher.find(text):
        name = str(hit.value)
        if _CURRENCY_NAME_BEFORE_RE.search(fold_same_length(text[max(0, hit.start - 24) : hit.start])):
            continue  # "dólares de los Estados Unidos", "dólares australianos de Australia": a currency, not a donor
        if out and out[-1].canonical == name and text[out[-1].end : hit.start].strip() == "(":
            prev = out[-1]
            close = text.find(")", hit.end)
            end = close + 1 if close == hit.end else hit.end
            out[-1] = ActorMention(name, prev.start, end, text[prev.start : end], prev.info)
            continue
        out.append(ActorMention(name, hit.start, hit.end, hit.surface, infos[name]))
    return out


def find_recipient_phrases(text: str) -> list[tuple[str, int, int]]:
    """Generic recipients ("países de acogida", "comunidades de acogida") as (normalized, start, end)."""
    return [(str(h.value), h.start, h.end) for h in _gazetteer()[2].find(text)]


def normalize_actor(name: str) -> str | None:
    """Canonical actor name for a written name ("el Gobierno alemán" → "Alemania", "UE" → "Unión Europea").

    :param name: an actor as written in a record.
    :returns: the canonical name of the longest actor named in it, or None if the gazetteer knows none.
    """
    mentions = find_actors(name)
    if not mentions:
        return None
    return max(mentions, key=lambda m: m.end - m.start).canonical


def rollup_name(name: str) -> str:
    """The actor totals roll up to: the country of an agency, the top parent of a body, else the actor itself."""
    seen = set()
    info = actor_info(name)
    while info is not None and name not in seen:
        seen.add(name)
        if info.country:
            return info.country
        if not info.parent:
            return name
        name = info.parent
        info = actor_info(name)
    return name


def same_family(a: str, b: str) -> bool:
    """True if two canonical actors are the same or roll up to the same actor (AECID and España; CE and UE)."""
    return a == b or rollup_name(a) == rollup_name(b)
