"""Question understanding: a deterministic Spanish reading of a question into its constraints.

`interpret(question)` returns one typed `Interpretation`: the kind of answer asked for (money amount, count, date,
place, list of entities, yes/no, explanation), the actors it names (through the register's gazetteer and aliases,
`indexing/commitments/data/actors.json`), the recipient ("para el Perú"), the conference or meeting (a known
conference, "la reunión de seguimiento del 5 de diciembre", a year, a month) and the other names a record must
share (words written with a capital that the gazetteer does not know: "Quito", "México", "CPP").

No model, no fitted weight: patterns over the accent-folded question. Answers check candidate sentences against
these constraints (`indexing.query.evidence`); the API returns the object under `"interpretation"`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from indexing.commitments._data import load
from indexing.commitments.actors import find_actors, normalize_actor
from indexing.commitments.extract import detect_event
from indexing.text.dates import MONTHS, YEAR_RE, find_dates
from indexing.text.tokens import content_terms, fold_same_length

__all__ = ["KINDS", "Event", "Interpretation", "interpret"]

KINDS = ("amount", "count", "date", "place", "entities", "yesno", "explanation")

_MONTHS_BY_NUMBER = {n: name for name, n in MONTHS.items() if name != "setiembre"}

# Kind patterns over the folded, lower-cased question (accents removed, same length).
_COUNT_RE = re.compile(
    r"\b(?:cuant[oa]s\s+(?!millones|dolares|euros|fondos|recursos|dinero)\w+|porcentaje|tipo\s+de\s+cambio|tasa\s+de"
    r"|que\s+proporcion|cuantos\s+dias)\b"
)
_DATE_RE = re.compile(r"\b(?:cuando|(?:en\s+)?que\s+fechas?|que\s+dia|hasta\s+cuando|en\s+que\s+(?:mes|ano))\b")
_PLACE_RE = re.compile(
    r"\b(?:donde|en\s+que\s+(?:ciudad|ciudades|zonas?|lugar|lugares|regiones|region|paises|pais|sede|sala))\b"
)
_ENTITY_RE = re.compile(
    r"\b(?:quien(?:es)?|como\s+se\s+llama|que\s+(?:entidades|instituciones|paises|organismos|organizaciones|donantes|sectore?s?|"
    r"agencias|ministerios|actores|embajadas|cooperantes?|delegaciones|socios)|cuales\s+(?:entidades|instituciones|"
    r"paises|organismos))\b"
)
_AMOUNT_RE = re.compile(
    r"\b(?:cuant[oa]|cuantos\s+(?:millones|dolares|euros)|monto|montos|cifra|suma|importe|aporte|aportes|"
    r"financiamiento|contribucion|presupuesto|deficit|brecha|balance\s+financiero|valor|que\s+parte|recaudo|"
    r"ofrecio|desembols\w*|nivel\s+de\s+ejecucion|cuanto\s+dinero)\b"
)
_WHY_RE = re.compile(r"\b(?:por\s+que|como(?!\s+se\s+llama)|que\s+quiere\s+decir|para\s+que)\b")
_INTERROGATIVE_RE = re.compile(r"\b(?:que|cual|cuales|como|donde|cuando|quien|quienes|cuant[oa]s?|por\s+que)\b")
_DISBURSED_RE = re.compile(r"\b(?:desembols\w*|ejecut\w*|transfiri\w*|entreg\w*)\b")

# A meeting: the kind of meeting and what follows it up to the question's end or next clause.
_MEETING_RE = re.compile(
    r"\b(?P<kind>reunion\s+(?:de\s+)?(?:seguimiento|coordinacion|bilateral)|reunion|sesion|mesa\s+intersectorial|"
    r"taller|encuentro|cumbre)\b"
)
_IN_EVENT_NAME_RE = re.compile(r"\b(?:conferencia|cumbre)\b[^.?]{0,40}\b(?:de|en)\s+(?:la\s+|el\s+)?$")
_RECIPIENT_RE = re.compile(r"\b(?:para|al|a|en)\s+(?:el\s+|la\s+)?$")
_CAP_RE = re.compile(r"[A-ZÁÉÍÓÚÑ][\wÁÉÍÓÚÑáéíóúñü]+")
_ORDINALS = frozenset(["primer", "primera", "segunda", "segundo", "tercera", "tercer", "cuarta", "cuarto"])

# Capitalized words that are not names a record must share: question openers, generic titles, months.
_NOT_NAMES = frozenset(
    fold_same_length(w).lower()
    for w in re.split(
        r"\s+",
        "Qué Cuál Cuáles Cómo Dónde Cuándo Quién Quiénes Cuánto Cuánta Cuántos Cuántas Por En El La Los Las De Del "
        "Hasta Según Hace Incluye Requiere Gobierno Embajada Conferencia Conferencias Internacional Solidaridad "
        "Reunión Sesión Taller Mesa Intersectorial Cooperación Estado Viceministro Ministro "
        "US USD EUR CHF CAD GBP NOK JPY",
    )
)


@dataclass(frozen=True)
class Event:
    """A conference or meeting a question names.

    :ivar slugs: conference slugs it may be (records' `conference` metadata): one for "Bruselas 2023", both
        Brussels conferences for a bare "en Bruselas"; empty for a meeting that is not a conference.
    :ivar label: the conference's name ("Conferencia de Bruselas 2023") or the meeting as written.
    :ivar meeting: the kind of meeting ("reunion de seguimiento", "sesion", "mesa intersectorial"), if any.
    :ivar year: year named with it (or in the question), if any.
    :ivar month: month named (1-12), if any.
    :ivar day: day named, if any.
    """

    slugs: tuple[str, ...] = ()
    label: str = ""
    meeting: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None

    def describe(self) -> str:
        """Spanish description: "la reunión de seguimiento del 5 de diciembre de 2023", "la Conferencia de
        Bruselas 2023", "2022"."""
        when = ""
        if self.month:
            month = _MONTHS_BY_NUMBER[self.month]
            when = f"{self.day} de {month}" if self.day else month
            when = f"{when} de {self.year}" if self.year else when
        elif self.year:
            when = str(self.year)
        if self.label and not self.meeting:
            return f"la {self.label}" if self.label.startswith("Conferencia") else self.label
        if self.meeting:
            name = (
                self.meeting.replace("reunion", "reunión")
                .replace("sesion", "sesión")
                .replace("coordinacion", "coordinación")
            )
            article = "el" if name.split()[0] in ("taller", "encuentro") else "la"
            if self.day:
                return f"{article} {name} del {when}"
            return f"{article} {name} de {when}" if when else f"{article} {name}"
        return when


@dataclass(frozen=True)
class Interpretation:
    """How a question was read.

    :ivar kind: one of `KINDS`.
    :ivar actors: canonical actors the question is about (donors, agencies, organizations), in order.
    :ivar recipient: host country named as recipient ("para el Perú"), if any.
    :ivar event: the conference or meeting, or None.
    :ivar disbursement: the question asks what was disbursed or executed, not pledged.
    :ivar names: folded terms of other proper names the answer's record must share.
    :ivar count_of: folded term of the thing counted ("solicitudes" → "solicitud"), for count questions.
    """

    question: str
    kind: str
    actors: tuple[str, ...] = ()
    recipient: str | None = None
    event: Event | None = None
    disbursement: bool = False
    names: tuple[str, ...] = ()
    count_of: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (the API's `interpretation`)."""
        out = asdict(self)
        out.pop("question")
        out.pop("extra")
        out["actors"] = list(self.actors)
        out["names"] = list(self.names)
        if self.event is not None:
            out["event"] = {**asdict(self.event), "slugs": list(self.event.slugs), "description": self.event.describe()}
        return out


@lru_cache(maxsize=1)
def _conferences() -> tuple[tuple[str, str, str, str], ...]:
    """(slug, name, place word, year) of each known conference."""
    out = []
    for e in load("events")["events"]:
        place = re.sub(r"^Conferencia de |\s*\d{4}$", "", e["name"])
        out.append((e["slug"], e["name"], fold_same_length(place).lower(), e["year"]))
    return tuple(out)


def _kind(folded: str) -> str:
    """The kind of answer: the earliest interrogative phrase decides ("¿Cuánto ... y a través de quién?" asks an
    amount); ties go to the more specific pattern (in this order)."""
    head = folded.lstrip("¿ ")
    found = []
    for order, (kind, pattern) in enumerate(
        (
            ("explanation", _WHY_RE),
            ("entities", _ENTITY_RE),
            ("date", _DATE_RE),
            ("place", _PLACE_RE),
            ("count", _COUNT_RE),
            ("amount", _AMOUNT_RE),
        )
    ):
        m = pattern.search(folded)
        if m:
            found.append((m.start(), order, kind))
    if found:
        return min(found)[2]
    if not _INTERROGATIVE_RE.search(head[:40]) and not head.startswith("en la"):
        return "yesno"
    return "explanation"


def _event(question: str, folded: str) -> Event | None:
    named = detect_event(question)
    confs = _conferences()
    dates = [d for d in find_dates(question, day_month=True)]
    years = [int(y) for y in YEAR_RE.findall(folded)]
    meeting_m = _MEETING_RE.search(folded)
    meeting = meeting_m.group("kind") if meeting_m else None
    full = next((d for d in dates if d.month), None)
    month = full.month if full else None
    day = full.day if full else None
    year = full.year if full and full.year else (years[0] if years else None)
    if named:
        slug = next(s for s, n, _, _ in confs if n == named)
        return Event((slug,), named, None, year, month, day)
    if meeting_m is not None and "conferencia" not in folded[: meeting_m.start()][-60:] and (year or month or day):
        return Event((), meeting_m.group("kind"), meeting_m.group("kind"), year, month, day)
    # A conference by its place ("en Bruselas"), its host ("organizada por Canadá") or by "conferencia ... 2020".
    slugs = []
    for slug, _, place, cyear in confs:
        for m in re.finditer(rf"\b{re.escape(place)}\b", folded):
            if year is not None and str(year) != cyear:
                continue
            before = folded[max(0, m.start() - 60) : m.start()]
            # A place that is also a donor ("Canadá") names a conference only as its host.
            if normalize_actor(place) is not None and not (
                _IN_EVENT_NAME_RE.search(before) or re.search(r"organizad[ao]\s+por\s+$", before)
            ):
                continue
            if place != "donantes" or "conferencia" in folded:
                slugs.append(slug)
                break
    if "conferencia" in folded and year is not None:
        slugs.extend(s for s, _, _, y in confs if y == str(year) and s not in slugs)
    if slugs:
        label = next(n for s, n, _, _ in confs if s == slugs[0]) if len(slugs) == 1 else ""
        return Event(tuple(slugs), label, None, year, month, day)
    if year or month:
        return Event((), "", meeting, year, month, day)
    return None


def _count_of(folded: str) -> str | None:
    m = re.search(r"\bcuant[oa]s\s+(\w+)", folded)
    if m:
        terms = content_terms(m.group(1))
        return terms[0] if terms else None
    if "porcentaje" in folded or "tasa de" in folded:
        return "%"
    return None


def interpret(question: str) -> Interpretation:
    """Read a Spanish question into its constraints.

    :param question: the user's question.
    :returns: the interpretation (kind, actors, recipient, event, names).
    """
    folded = fold_same_length(question).lower()
    kind = _kind(folded)
    actors: list[str] = []
    recipient = None
    spans: list[tuple[int, int]] = []
    for m in find_actors(question):
        spans.append((m.start, m.end))
        before = folded[max(0, m.start - 60) : m.start]
        if m.info.host:
            if _RECIPIENT_RE.search(folded[max(0, m.start - 12) : m.start]):
                recipient = m.canonical
            continue
        if _IN_EVENT_NAME_RE.search(before) or re.search(r"organizad[ao]\s+por\s+$", before):
            continue  # the host of a conference ("la conferencia de Canadá"), not the actor asked about
        if m.canonical not in actors:
            actors.append(m.canonical)
    event = _event(question, folded)
    conference_words = {p for _, _, p, _ in _conferences()}
    names: list[str] = []
    for i, cap in enumerate(_CAP_RE.finditer(question)):
        if i == 0 and cap.start() <= 2:
            continue
        if any(s <= cap.start() < e for s, e in spans):
            continue
        word = fold_same_length(cap.group()).lower()
        if word in _NOT_NAMES or word in conference_words or word in MONTHS or word in _ORDINALS:
            continue
        names.extend(t for t in content_terms(cap.group()) if t not in names)
    return Interpretation(
        question=question,
        kind=kind,
        actors=tuple(actors),
        recipient=recipient,
        event=event,
        disbursement=kind == "amount" and bool(_DISBURSED_RE.search(folded)),
        names=tuple(names),
        count_of=_count_of(folded) if kind == "count" else None,
    )
