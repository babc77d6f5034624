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
from indexing.text.amounts import find_amounts
from indexing.text.dates import MONTHS, YEAR_RE, find_dates
from indexing.text.tokens import content_terms, fold_same_length

__all__ = ["KINDS", "NOT_NAMES", "Event", "Interpretation", "conference_names", "interpret"]

KINDS = ("amount", "count", "date", "place", "entities", "yesno", "explanation")

_HOME = "Perú"  # the archive's own country: implied by its records as the recipient
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
    r"\b(?:quien(?:es)?|como\s+se\s+llama|que\s+(?:entidad(?:es)?|institucion(?:es)?|pais(?:es)?|organismos?|"
    r"organizacion(?:es)?|donantes?|sectore?s?|agencias?|ministerios?|actore?s?|embajadas?|cooperantes?|"
    r"delegacion(?:es)?|socios?)|cuales\s+(?:entidades|instituciones|paises|organismos))\b"
)
_AMOUNT_RE = re.compile(
    r"\b(?:cuant[oa]|cuantos\s+(?:millones|dolares|euros)|monto|montos|cifra|suma|importe|aporte|aportes|"
    r"cantidad(?!\s+de\b)|"
    r"financiamiento|contribucion|presupuesto|deficit|brecha|balance\s+financiero|valor|que\s+parte|recaudo|"
    r"ofrecio|desembols\w*|nivel\s+de\s+ejecucion|cuanto\s+dinero|prestamos?|donacion(?:es)?|donativos?|creditos?|"
    r"ofrecimientos?|aportacion(?:es)?|recursos|fondos)\b"
)
_STRONG_AMOUNT_RE = re.compile(r"cuant|que\s+parte|ofrecio|recaudo|nivel\s+de\s+ejecucion")
# A question word right before a money noun, at most two words between, none "de": "qué aporte", "cuál es el
# monto", "qué segundo desembolso" (not "qué estados de desembolso").
_GOVERNED_RE = re.compile(
    r"\b(?:que|cual|cuales|cuanto|cuanta|cuantos|cuantas)\s+(?:(?!de\b)\w+\s+){0,2}$"
)
_OPENER_RE = re.compile(r"(?:que|cual|cuales)\s+(\w+)")
# "¿Por qué…?" asks a cause, not "¿por qué monto…?" (an amount).
_WHY_RE = re.compile(
    r"\b(?:por\s+que(?!\s+(?:montos?|cantidad|cifra|suma|importe|valor)\b)|"
    r"como(?!\s+se\s+llama)|que\s+quiere\s+decir|para\s+que)\b"
)
_INTERROGATIVE_RE = re.compile(r"\b(?:que|cual|cuales|como|donde|cuando|quien|quienes|cuant[oa]s?|por\s+que)\b")
_DISBURSED_RE = re.compile(r"\b(?:desembols\w*|ejecut\w*|transfiri\w*|transferid\w*|entreg\w*)\b")
# A question about what was announced or pledged, not what was disbursed of it.
_PLEDGE_Q_RE = re.compile(r"\b(?:anunci\w*|compromet\w*|comprometi\w*|ofreci\w*|prometi\w*|nuevo\s+aporte)\b")
# What an actor did after a conference ("¿qué destinó Austria … tras la conferencia…?"), not what it announced there.
_AFTER_EVENT_RE = re.compile(
    r"\b(?:tras|despues\s+de|luego\s+de|a\s+raiz\s+de|a\s+partir\s+de)\s+(?:la|el)\s+(?:conferencia|cumbre)\b"
)
# A question about what is needed (a requirement, a gap, a cost, a budget), not about what an actor gave.
NEED_Q_RE = re.compile(
    r"\b(?:requier\w*|requerid\w*|requerimiento\w*|necesit\w*|necesidad\w*|brecha|deficit|falt\w*|cost\w*|"
    r"cuesta|presupuest\w*|busca\w*|pendiente\w*|saldo\w*|valor\w*)\b"
)
# A question about what will or may happen (future or conditional verb, a plan), not about what took place.
_PLANNED_Q_RE = re.compile(
    r"\b(?:\w+(?:ará|erá|irá|arán|erán|irán|aría|ería|iría|arían|erían|irían)|podr[aáií]\w*|habr[aáií]\w*|"
    r"tendr[aáií]\w*|prev[eé]\w*|previst\w*|"
    r"próxim\w*|planea\w*|planific\w*|pendiente\w*|saldo\w*|programad\w*|iba\s+a|estaba\s+previst\w*)\b",
    re.IGNORECASE,
)

# A meeting: the kind of meeting and what follows it up to the question's end or next clause.
_MEETING_RE = re.compile(
    r"\b(?P<kind>reunion\s+(?:de\s+)?(?:seguimiento|coordinacion|bilateral)|reunion|sesion|mesa\s+intersectorial|"
    r"mesa\s+de\s+(?:cooperantes|donantes|cooperacion)|visita\s+tecnica|visita|taller|encuentro|cumbre)\b"
)
# "la segunda reunión", "la tercera sesión": which meeting of a series.
_ORDINAL_MEETING_RE = re.compile(
    r"\b(?P<ordinal>primer[ao]?|segund[ao]|tercer[ao]?|cuart[ao]|quint[ao])\s+(?:reunion|sesion|encuentro|taller)\b"
)
_IN_EVENT_NAME_RE = re.compile(r"\b(?:conferencia|cumbre)\b[^.?]{0,40}\b(?:de|en)\s+(?:la\s+|el\s+)?$")
# Right before a conference's host or convener: "organizada por", "convocada por la", "que organizó".
_HOST_BEFORE_RE = re.compile(
    r"(?:\b(?:organizad[ao]s?|convocad[ao]s?|auspiciad[ao]s?|copresidid[ao]s?)\s+por|"
    r"\bque\s+(?:organizo|convoco|organizaron|convocaron|copresidieron|auspicio))\s+(?:el\s+|la\s+|los\s+)?$"
)
# Between two actors of one coordination ("España y la UE").
_AND_RE = re.compile(r"^\s*(?:,|y|e)\s+(?:el\s+|la\s+|los\s+|las\s+)?$")
# Right before an actor that is the channel, partner or recipient of what another actor did ("al programa de la
# OIM", "con la OIM", "a través del ACNUR").
_CHANNEL_Q_RE = re.compile(
    r"\b(?:a|al|para|con|hacia|a\s+traves\s+de|por\s+medio\s+de|canalizad[ao]s?\s+por)\s+"
    r"(?:(?:el|la|los|las)\s+)?(?:(?:programa|proyecto|fondo|plan|acuerdo|convenio)\s+(?:de\s+(?:la\s+|el\s+|los\s+)?|del\s+))?$"
)
# A question about what a country received, not what it gave.
_RECEIVE_Q_RE = re.compile(r"\b(?:recib\w*|ingres\w*|benefici\w*|se\s+destin\w*|llego\s+a|captad\w*|capto)\b")
_RECIPIENT_RE = re.compile(r"\b(?:para|al|a|en)\s+(?:el\s+|la\s+)?$")
# Meeting words that may name the conference itself ("la reunión de Bruselas").
_GENERIC_MEETINGS = frozenset(["reunion", "encuentro", "cumbre"])
# "tasa de interés", "tipo de cambio", "porcentaje de ejecución": the quantity a sentence must name.
_MEASURE_RE = re.compile(r"\b(?:tasa|tipo|nivel|indice)\s+de\s+(\w+)")
# The part of a total that went to the recipient.
_SHARE_RE = re.compile(
    r"\b(?:que\s+parte|que\s+porcion|cuanto)\b.*\b(?:de\s+lo\s+que|de\s+los|del\s+total|de\s+ese)\b|\bque\s+parte\b"
)
_NAME_JOIN_RE = re.compile(r"\s+(?:de\s+(?:la\s+|los\s+|las\s+)?|del\s+)?")
_PERSON_Q_RE = re.compile(r"\b(?:como\s+se\s+llama|quien\s+es|quien\s+era|quien\s+fue)\b")
# Words that say what kind of answer is asked for, or name the event, not what it is about.
_NOT_TOPIC = frozenset(
    content_terms(
        "cuánto cuánta cuántos cuántas cuál cuáles quién quiénes cómo dónde cuándo qué fecha fechas día monto montos "
        "cantidad total parte conferencia reunión sesión año mes según llama actual pasó ocurrió sucedió hizo "
        "hicieron hubo dijo trató"
    )
)
_CAP_RE = re.compile(r"[A-ZÁÉÍÓÚÑ][\wÁÉÍÓÚÑáéíóúñü]+")
_ORDINALS = frozenset(["primer", "primera", "segunda", "segundo", "tercera", "tercer", "cuarta", "cuarto"])

# Capitalized words that are not names a record must share: question openers, generic titles, months.
NOT_NAMES = frozenset(
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
    :ivar ordinal: which meeting of a series ("segunda", "tercera"), when the question says it.
    :ivar unknown_conference: the question names a conference ("la conferencia de donantes de 2022 organizada por
        México") that is none of the known ones: a record naming a known conference is about another one.
    """

    slugs: tuple[str, ...] = ()
    label: str = ""
    meeting: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    unknown_conference: bool = False
    ordinal: str | None = None

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
        if self.meeting and self.slugs and self.label:
            name = self.meeting.replace("reunion", "reunión").replace("sesion", "sesión")
            return f"la {name} de la {self.label}" if self.label.startswith("Conferencia") else f"la {name}"
        if self.unknown_conference:
            return f"una conferencia de {when}" if when else "esa conferencia"
        if self.meeting:
            name = (
                self.meeting.replace("reunion", "reunión")
                .replace("sesion", "sesión")
                .replace("coordinacion", "coordinación")
                .replace("tecnica", "técnica")
            )
            if name.startswith("mesa"):  # a body's name, capitalized as records write it
                body = " ".join(w if w == "de" else w.capitalize() for w in name.split())
                name = f"reunión de la {body}"
            if self.ordinal:
                name = f"{self.ordinal} {name}"
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
    :ivar measure: folded terms of the quantity asked for that a sentence must name ("tasa de interés" → ("tas",
        "inter")), for count questions about a rate or a ratio.
    :ivar person: the question asks for a person's name ("¿cómo se llama…?", "¿quién es el…?").
    :ivar topic: folded content terms of what the question is about, without its question words, actors, event
        words, months, years and names.
    :ivar phrases: the question's names of two or more words, folded ("ministerio de salud"): a record must write
        them as one name.
    :ivar given_amounts: money amounts the question itself states ("de los US$ 171 millones"), as exact decimal
        strings: an answer must state another amount, not restate the premise.
    :ivar share: the question asks for the part of a total that went to the recipient ("¿qué parte de … se
        destinó al Perú?", "¿cuánto destinó … al Perú de lo que anunció?"): the recipient must be named.
    :ivar need: the question asks what is required, missing or budgeted ("¿cuánto requiere…?", "¿qué brecha…?"),
        or what something is worth, not what an actor gave: a requirement answers only such a question.
    :ivar realised: the question asks what took place ("¿cuánto aportó…?"), not what will or may ("¿cuánto
        aportará…?", "¿cuándo se realizará la próxima…?"): a value stated as planned or conditional does not
        answer it.
    :ivar pledge: an amount question about what was announced, pledged or offered ("¿qué aporte anunció…?"):
        a disbursement of an earlier pledge does not answer it.
    :ivar channels: actors named as the channel, partner or recipient of what an asked actor did ("al programa de
        la OIM", "con la OIM"): read, not required in the answer's sentence.
    """

    question: str
    kind: str
    actors: tuple[str, ...] = ()
    recipient: str | None = None
    event: Event | None = None
    disbursement: bool = False
    names: tuple[str, ...] = ()
    count_of: str | None = None
    measure: tuple[str, ...] = ()
    person: bool = False
    topic: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    given_amounts: tuple[str, ...] = ()
    share: bool = False
    need: bool = False
    realised: bool = True
    channels: tuple[str, ...] = ()
    pledge: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (the API's `interpretation`)."""
        out = asdict(self)
        out.pop("question")
        out.pop("extra")
        out["actors"] = list(self.actors)
        out["names"] = list(self.names)
        out["given_amounts"] = list(self.given_amounts)
        out["measure"] = list(self.measure)
        out["topic"] = list(self.topic)
        out["phrases"] = list(self.phrases)
        out["channels"] = list(self.channels)
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


def conference_names() -> tuple[tuple[str, str], ...]:
    """(slug, name) of each known conference ("bruselas-2019", "Conferencia de Bruselas 2019")."""
    return tuple((slug, name) for slug, name, _, _ in _conferences())


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
        if kind == "amount":
            continue
        m = pattern.search(folded)
        if m:
            found.append((m.start(), order, kind))
    # A money noun asks an amount when a question word governs it ("¿qué aporte…?", "¿cuánto…?"); a bare one ("¿se
    # llegó a desembolsar el aporte danés, y cuándo?", "¿qué estados de desembolso…?") only names the topic.
    amounts = list(_AMOUNT_RE.finditer(folded))
    strong = [m for m in amounts if _STRONG_AMOUNT_RE.match(m.group()) or _GOVERNED_RE.search(folded[: m.start()])]
    if strong:
        found.append((strong[0].start(), 5, "amount"))
    elif amounts and not found:
        if not _INTERROGATIVE_RE.search(head[:40]) and not head.startswith("en la"):
            return "yesno"  # "¿Piensa Irlanda anunciar nuevos aportes?": no question word asks for the amount
        opener = _OPENER_RE.match(head)
        if not opener or _AMOUNT_RE.fullmatch(opener.group(1)):
            return "amount"
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
    # The most specific meeting named: "la reunión de la Mesa de Cooperantes" is a meeting of that body.
    meetings = list(_MEETING_RE.finditer(folded))
    specific = [m for m in meetings if m.group("kind") not in _GENERIC_MEETINGS]
    meeting_m = next(iter(specific or meetings), None)
    meeting = meeting_m.group("kind") if meeting_m else None
    ordinal_m = _ORDINAL_MEETING_RE.search(folded)
    ordinal = ordinal_m.group("ordinal") if ordinal_m else None
    full = next((d for d in dates if d.month), None)
    month = full.month if full else None
    day = full.day if full else None
    year = full.year if full and full.year else (years[0] if years else None)
    # A specific meeting held at a conference ("la reunión bilateral con Corea en Bruselas en 2023") keeps its kind:
    # what happened at the conference is not what happened at that meeting.
    at_conference = meeting if meeting and meeting not in _GENERIC_MEETINGS else None
    if named and meeting_m is not None and not re.search(r"\b(?:conferencia|cumbre)\b", folded):
        place = next(p for _, n, p, _ in confs if n == named)
        if place == "donantes" or not re.search(rf"\b{re.escape(place)}\b", folded):
            # "la segunda reunión de la Mesa de donantes no tradicionales de 2023": a body's meeting, not the
            # conference its words and year would name.
            named = None
    if named:
        slug = next(s for s, n, _, _ in confs if n == named)
        return Event((slug,), named, at_conference, year, month, day)
    dated = bool(year or month or day or ordinal)
    if meeting_m is not None and "conferencia" not in folded[: meeting_m.start()][-60:] and dated:
        return Event((), meeting_m.group("kind"), meeting_m.group("kind"), year, month, day, ordinal=ordinal)
    # A conference by its place ("en Bruselas"), its host ("organizada por Canadá") or by "conferencia ... 2020";
    # by its place in the series, its month or its format when the question gives no year.
    slugs = [] if year is not None else _conference_without_year(folded, month)
    for slug, _, place, cyear in () if slugs else confs:
        for m in re.finditer(rf"\b{re.escape(place)}\b", folded):
            if year is not None and str(year) != cyear:
                continue
            before = folded[max(0, m.start() - 60) : m.start()]
            # A place that is also a donor ("Canadá") names a conference only as its host.
            if normalize_actor(place) is not None and not (
                _IN_EVENT_NAME_RE.search(before) or _HOST_BEFORE_RE.search(before)
            ):
                continue
            if place != "donantes" or "conferencia" in folded:
                slugs.append(slug)
                break
    if "conferencia" in folded and year is not None:
        slugs.extend(s for s, _, _, y in confs if y == str(year) and s not in slugs)
    if slugs:
        label = next(n for s, n, _, _ in confs if s == slugs[0]) if len(slugs) == 1 else ""
        return Event(tuple(slugs), label, at_conference, year, month, day)
    if re.search(r"\b(?:conferencia|cumbre)\b", folded) and (
        year or re.search(r"\b(?:organizad[ao]|convocad[ao])\s+por\b|\bque\s+(?:organizo|convoco)\b", folded)
    ):
        return Event((), "", None, year, month, day, unknown_conference=True)
    if year or month:
        return Event((), "", meeting, year, month, day, ordinal=ordinal)
    return None


# "la tercera conferencia", "la segunda conferencia de Bruselas"; "la conferencia virtual"; "la conferencia de mayo".
_ORDINAL_CONFERENCE_RE = re.compile(
    r"\b(?P<ordinal>primer[ao]?|segund[ao]|tercer[ao]?|cuart[ao])\s+conferencia\b(?P<rest>[^?.]{0,60})"
)
_ORDINAL_NUMBER = {"prim": 1, "segu": 2, "terc": 3, "cuar": 4}
_CONFERENCE_MONTH_RE = re.compile(r"\bconferencia\b[^?.]{0,40}?\bde\s+([a-z]+)\b")
# The conferences held online (2020, convened by Spain and the EU; 2021, by Canada).
_ONLINE_CONFERENCES = frozenset(["conferencia-2020", "canada-2021"])
_VIRTUAL_RE = re.compile(r"\bconferencia\s+(?:\w+\s+){0,3}?virtual\b|\bconferencia\b[^?.]{0,40}\ben\s+linea\b")


def _conference_without_year(folded: str, month: int | None) -> list[str]:
    """The known conferences a question names without a year: by its place in the series ("la tercera conferencia":
    the third by date; "la segunda conferencia de Bruselas": the second held there), by its month ("la conferencia
    de mayo", when one conference was held that month) or by its format ("la conferencia virtual": those held
    online).

    :param folded: the folded, lower-cased question.
    :param month: the month the question names, if any.
    :returns: conference slugs, in date order.
    """
    events = sorted(load("events")["events"], key=lambda e: e["date"])
    m = _ORDINAL_CONFERENCE_RE.search(folded)
    if m:
        n = _ORDINAL_NUMBER[m.group("ordinal")[:4]]
        places = [p for s, _, p, _ in _conferences() if re.search(rf"\b{re.escape(p)}\b", m.group("rest"))]
        series = [e for e in events if not places or any(p in fold_same_length(e["name"]).lower() for p in places)]
        return [series[n - 1]["slug"]] if n <= len(series) else []
    if month is None:
        named = _CONFERENCE_MONTH_RE.search(folded)
        month = MONTHS.get(named.group(1)) if named else None
    if month is not None and "conferencia" in folded:
        same = [e["slug"] for e in events if int(e["date"][5:7]) == month]
        if len(same) == 1:
            return same
    if _VIRTUAL_RE.search(folded):
        return [e["slug"] for e in events if e["slug"] in _ONLINE_CONFERENCES]
    return []


def _count_of(folded: str) -> str | None:
    m = re.search(r"\bcuant[oa]s\s+(\w+)", folded)
    if m:
        terms = content_terms(m.group(1))
        return terms[0] if terms else None
    if "porcentaje" in folded or "tasa de" in folded:
        return "%"
    return None


def _phrase(question: str, run: list[tuple[int, int]]) -> list[str]:
    """A run of two or more name words as one folded phrase ("ministerio de salud"); none for a single word."""
    if len(run) < 2:
        return []
    return [" ".join(fold_same_length(question[run[0][0] : run[-1][1]]).lower().split())]


def _topic(question: str, spans: list[tuple[int, int]], conference_words: set[str]) -> tuple[str, ...]:
    """Content terms of the question outside its actors' names, without question words, event words, months and
    years."""
    text = question
    for s, e in sorted(spans, reverse=True):
        text = text[:s] + " " + text[e:]
    skip = _NOT_TOPIC | set(content_terms(" ".join(conference_words))) | set(content_terms(" ".join(MONTHS)))
    out: list[str] = []
    for t in content_terms(text):
        if t not in skip and not t.isdigit() and t not in out:
            out.append(t)
    return tuple(out)


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
    hosts: list[str] = []
    channels: list[str] = []
    previous_host_end = -1  # end of the last host or convener named, to read "convocada por España y la UE"
    previous_recipient_end = -1  # end of the last recipient named, to read "para Colombia y el Ecuador"
    for m in find_actors(question):
        spans.append((m.start, m.end))
        before = folded[max(0, m.start - 60) : m.start]
        convener = bool(_HOST_BEFORE_RE.search(before)) or (
            previous_host_end >= 0 and bool(_AND_RE.match(folded[previous_host_end : m.start]))
        )
        if m.info.host:
            if convener:
                hosts.append(m.surface)
                previous_host_end = m.end
                continue
            if _RECIPIENT_RE.search(folded[max(0, m.start - 12) : m.start]) or (
                previous_recipient_end >= 0 and _AND_RE.match(folded[previous_recipient_end : m.start])
            ):
                recipient = recipient or m.canonical  # "para Colombia y el Ecuador": where the money went
                previous_recipient_end = m.end
                continue
            if m.canonical == _HOME or _IN_EVENT_NAME_RE.search(before):
                continue  # the archive's own country, or a conference's host ("la conferencia de México")
            if _RECEIVE_Q_RE.search(folded):
                recipient = recipient or m.canonical  # "¿Cuánto recibió el Ecuador…?"
                continue
            # "¿Cuánto anunció México…?", "¿qué parte … ha desembolsado el Uruguay?": a host country that gives is
            # the actor asked about, as any donor.
        if _IN_EVENT_NAME_RE.search(before) or convener:
            hosts.append(m.surface)
            previous_host_end = m.end
            continue  # the host or convener of a conference ("la conferencia de Canadá"), not the actor asked about
        if m.info.type == "colectivo":
            continue  # "los donantes", "la comunidad internacional": no one actor a sentence must name
        if actors and _CHANNEL_Q_RE.search(before[-45:]):
            # "¿Qué desembolso hizo Dinamarca al programa de la OIM?": the OIM is where the money went.
            if m.canonical not in channels:
                channels.append(m.canonical)
            continue
        if m.canonical not in actors:
            actors.append(m.canonical)
    event = _event(question, folded)
    conference_words = {p for _, _, p, _ in _conferences()}
    names: list[str] = []
    phrases: list[str] = []
    run: list[tuple[int, int]] = []  # spans of the current run of name words ("Ministerio de Salud")
    for i, cap in enumerate(_CAP_RE.finditer(question)):
        if i == 0 and cap.start() <= 2:
            continue
        if any(s <= cap.start() < e for s, e in spans):
            continue
        word = fold_same_length(cap.group()).lower()
        if word in NOT_NAMES or word in conference_words or word in MONTHS or word in _ORDINALS:
            continue
        if run and not _NAME_JOIN_RE.fullmatch(question[run[-1][1] : cap.start()]):
            phrases.extend(_phrase(question, run))
            run = []
        run.append((cap.start(), cap.end()))
        names.extend(t for t in content_terms(cap.group()) if t not in names)
    phrases.extend(_phrase(question, run))
    if event is not None and event.unknown_conference:
        # The host of a conference no record knows is a name its records must share.
        for host in hosts:
            names.extend(t for t in content_terms(host) if t not in names)
    measure_m = _MEASURE_RE.search(folded) if kind == "count" else None
    measure_terms = tuple(content_terms(measure_m.group(0))) if measure_m else ()
    topic = tuple(t for t in _topic(question, spans, conference_words) if t not in names)
    return Interpretation(
        question=question,
        kind=kind,
        actors=tuple(actors),
        recipient=recipient,
        event=event,
        disbursement=kind == "amount" and bool(_DISBURSED_RE.search(folded)),
        names=tuple(names),
        count_of=_count_of(folded) if kind == "count" else None,
        measure=measure_terms,
        person=bool(_PERSON_Q_RE.search(folded)),
        topic=topic,
        phrases=tuple(phrases),
        given_amounts=tuple(str(a.value) for a in find_amounts(question) if a.currency),
        share=bool(recipient) and bool(_SHARE_RE.search(folded)),
        need=bool(NEED_Q_RE.search(folded)),
        realised=not _PLANNED_Q_RE.search(question),
        channels=tuple(channels),
        # What an actor gave at a pledging conference is what it announced there ("¿cuál fue la contribución de
        # Noruega en Bruselas 2023?"), not a later disbursement or signature.
        pledge=kind == "amount"
        and not _DISBURSED_RE.search(folded)
        and (
            bool(_PLEDGE_Q_RE.search(folded))
            or bool(
                event is not None
                and event.slugs
                and not event.meeting
                and not NEED_Q_RE.search(folded)
                and not _AFTER_EVENT_RE.search(folded)
            )
        ),
    )
