"""The evidence check: does one candidate sentence answer the question, read with its context?

A sentence answers only if it satisfies every constraint of the question's `Interpretation`:

- actor: each actor asked about is named in the sentence (or an agency of the same family: AECID for España), or,
  when the sentence names no other donor, unambiguously in its context (the sentence before it, the list header
  it belongs to, the record's title); a mention in an "absent" clause ("que no respondió", "sin anuncios", "en
  calidad de observador", "volver a invitar") does not count unless the question asks exactly that;
- event: a conference named in the sentence must be the one asked about; the conference or meeting (its year,
  month and day) must be stated in the sentence, its chunk, the record's title, date or `conference` metadata;
- event: a month asked ("en agosto de 2024") is stated unambiguously — in the sentence, the one before, the title,
  the record's date, or a passage dating nothing else that year — and not by a sentence that schedules or calls the
  event off;
- value: the kind of value asked for is in the sentence — a money amount for an amount question (a table row's
  number counts: its currency is in the header), a number of the thing counted for "¿cuántos X?", a date or a year
  for "¿cuándo?", a place the question does not already name for "¿dónde?";
- the value is the asked actor's: an amount belongs to the actor it is "of" or to the nearest actor before it in
  its sentence, never to its channel or recipient ("…, que será canalizado por el ACNUR"); only an amount with no
  actor in its sentence takes the actor of its context;
- the value is what the question asks: a requirement or a sum still sought ("requiere", "aún busca
  financiamiento") answers only a question about needs or worth; a value stated as planned, possible or under
  negotiation ("podría ampliar", "se efectuará") answers only a question about what will or may happen;
- names: the question's other proper names ("Quito", "CPP") are in the sentence, its chunk or its record's title.

Candidates satisfying only part are not answers; what they miss makes the abstention message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from indexing.commitments._data import load
from indexing.commitments.actors import find_actors, same_family
from indexing.commitments.extract import detect_event
from indexing.commitments.phrases import events_table
from indexing.query.interpretation import NOT_NAMES, Event, Interpretation
from indexing.text.amounts import find_amounts
from indexing.text.dates import MONTHS, YEAR_RE, find_dates
from indexing.text.numbers import find_number_words
from indexing.text.sentences import is_table_line, split_sentences
from indexing.text.tables import is_separator, table_row
from indexing.text.tokens import content_terms, fold_same_length

__all__ = [
    "CONSTRAINTS",
    "amount_owners",
    "value_windows",
    "ENTITY_NAME_RE",
    "INSTITUTION_HEADS",
    "asks_cause",
    "states_cause",
    "Check",
    "SentenceContext",
    "check_sentence",
    "conferences_named",
]

CONSTRAINTS = ("actor", "recipient", "event", "value", "names", "topic")

_ABSENT_RE = re.compile(
    r"\b(?:no\s+respondi\w*|sin\s+anuncios?|en\s+calidad\s+de\s+observador\w*|como\s+observador\w*|no\s+asisti\w*|"
    r"no\s+particip\w*|volver\s+a\s+invitar|se\s+excus\w*|no\s+hizo\s+anuncios?|no\s+anunci\w*|"
    r"sin\s+(?:formular|hacer|realizar|presentar)\s+anuncios?)"
)
_NUMBER_RE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
# A section or list number opening a sentence ("5.4 La reunión…", "3. El BID…"): not a value.
_ENUMERATOR_RE = re.compile(r"^\W*\d+(?:\.\d+)*[.)]?\s+(?=[A-ZÁÉÍÓÚÑ])")
# An amount in parentheses right after another is that amount converted ("171 millones de dólares (unos 160
# millones de euros)").
_CONVERSION_RE = re.compile(r"\(\s*(?:unos|unas|aproximadamente|alrededor\s+de|cerca\s+de|equivalentes?\s+a)?\s*$")
# A person's name: a title, then two or more capitalized words.
_PERSON_RE = re.compile(
    r"\b(?:[Ss]eñora?|Sra?\.|Dra?\.|[Ee]mbajadora?|[Mm]inistr[oa]|[Vv]iceministr[oa]|[Ss]uperintendente|"
    r"[Dd]irector(?:a)?|[Jj]ef[ea]|[Pp]residente|[Ss]ecretari[oa])"
    r"(?:(?:\s+(?:de\s+(?:la\s+|los\s+)?)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)+,)?\s+"
    r"[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+(?:\s+(?:de\s+(?:la\s+)?)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)+"
)
# Institutions and acronyms: what a "¿qué entidades / quiénes?" answer lists.
ENTITY_NAME_RE = re.compile(
    r"\b(?:Ministerio|Superintendencia|Agencia|Organizaci[oó]n|Oficina|Banco|Fondo|Programa|Embajadas?|Alto "
    r"Comisionado|Comisi[oó]n|Gobierno|Canciller[ií]a|Defensor[ií]a|Instituto|Direcci[oó]n|Consejo|Mesa|Plataforma|"
    r"Delegaci[oó]n|Uni[oó]n Europea|[A-Z]{2,}[0-9]?)\b"
)
_WHY_Q_RE = re.compile(r"\bpor\s+que\b(?!\s+(?:canal|canales|medio|medios|via|vias|mecanismo|instrumento)\b)")
_CAUSE_RE = re.compile(
    r"\b(?:porque|debido\s+a|dado\s+que|ya\s+que|puesto\s+que|a\s+causa|en\s+cumplimiento|por\s+razones|"
    r"a\s+consecuencia|en\s+razon|con\s+motivo|se\s+debe\s+a|obedece\s+a|motivad[oa]\s+por)\b"
)
_PERCENT_RE = re.compile(r"%|\bpor\s+ciento\b")
# A meeting only announced ("la próxima reunión se realizará en junio"), or one that did not take place.
_ANNOUNCED_RE = re.compile(
    r"\b(?:proxim[ao]|se\s+realizara|se\s+celebrara|se\s+llevara\s+a\s+cabo|esta\s+previst[ao]|"
    r"tendra\s+lugar|se\s+convoca|convocatoria|se\s+reuniran?|sesionara|se\s+efectuara|se\s+desarrollara|"
    r"previst[ao]s?\s+para|programad[ao]s?\s+para)\b"
)
_CANCELLED_RE = re.compile(r"\b(?:cancelad[oa]s?|suspendid[oa]s?|postergad[oa]s?|aplazad[oa]s?|no\s+se\s+realiz\w*)\b")
# A question about a planned meeting: its fate ("¿por qué se canceló…?", "¿qué pasó con la sesión prevista…?").
_CANCEL_Q_RE = re.compile(
    r"\b(?:cancel\w*|suspend\w*|posterg\w*|aplaz\w*|iba\s+a|estaba\s+previst\w*|previst[ao]s?|programad[ao]s?)\b"
)
_WORD_RE = re.compile(r"[^\W_]+(?:[.,]\d+)*")
# The value is stated as not known yet ("la parte destinada al Perú aún no ha sido precisada").
_UNKNOWN_VALUE_RE = re.compile(
    r"\b(?:no\s+(?:ha|han)\s+sido\s+(?:precisad|definid|determinad|confirmad)\w*|"
    r"aun\s+no\s+(?:se\s+)?(?:ha|han)\s+(?:sido\s+)?(?:precisad|definid|determinad|confirmad)\w*|"
    r"por\s+(?:definir|precisar|determinar|confirmar)|sin\s+precisar|sin\s+definir)\b"
)
_HOME_RECIPIENT = "Perú"
_DISBURSED_RE = re.compile(
    r"\b(?:desembols\w*|ejecutad[oa]s?|ha\s+ejecutado|han\s+ejecutado|transferid[oa]s?|transfiri\w*|transferir\w*|"
    r"entregad[oa]s?)"
)
_HOST_OF_EVENT_RE = re.compile(
    r"\b(?:conferencia|cumbre)\s+(?:internacional\s+)?(?:de|en)\s+$|\borganizad[ao]\s+por\s+(?:el\s+)?$"
)
_GENERIC_MEETINGS = frozenset(["reunion", "encuentro", "cumbre", "sesion"])
# A sum of many actors' amounts: never the amount of an actor its context names.
_TOTAL_RE = re.compile(
    r"\b(?:en\s+conjunto|en\s+total|el\s+total|un\s+total|totaliz\w*|moviliz(?:o|aron|ado)|reuni(?:o|eron)|"
    r"recaud\w*|sumaron|suman|la\s+comunidad\s+internacional|los\s+donantes)\b"
)
_MEETING_NAMED_RE = re.compile(r"\b(?:reunion\w*|sesion\w*|mesa|taller\w*|encuentro\w*|visita\w*)\b")
_MEETING_WORDS = frozenset(content_terms("reunión sesión encuentro"))
# First words of an institution's name: a question naming one asks about it as about an actor.
INSTITUTION_HEADS = frozenset(
    ["ministerio", "superintendencia", "agencia", "direccion", "defensoria", "municipalidad", "gobierno", "oficina"]
)


@dataclass(frozen=True)
class SentenceContext:
    """What a sentence is read with.

    :ivar chunk: the text of its chunk (same page).
    :ivar before: the sentence before it and, for a list item, the list's header.
    :ivar title: the record's title.
    :ivar date: the record's ISO date, if known.
    :ivar conference: the record's conference slug, if known.
    """

    chunk: str
    before: str = ""
    title: str = ""
    date: str | None = None
    conference: str | None = None


@dataclass(frozen=True)
class Check:
    """Result of the evidence check: the constraints the sentence misses (empty = it answers)."""

    missing: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def satisfied(self) -> int:
        return len(CONSTRAINTS) - len(self.missing)


def _present_actors(text: str, folded: str, question_absent: bool) -> list[tuple[str, bool]]:
    """(canonical, counts) of each actor named in `text`; a mention in an absent clause does not count."""
    out = []
    for m in find_actors(text):
        if _HOST_OF_EVENT_RE.search(folded[max(0, m.start - 40) : m.start]):
            continue  # "la Conferencia de Canadá": the host of a conference, not an actor of the sentence
        window = folded[m.end : m.end + 60]
        absent = bool(_ABSENT_RE.search(window)) or bool(_ABSENT_RE.search(folded[max(0, m.start - 30) : m.start]))
        out.append((m.canonical, question_absent or not absent))
    return out


def _actor_ok(it: Interpretation, sentence: str, ctx: SentenceContext) -> bool:
    if not it.actors:
        return True
    question_absent = bool(_ABSENT_RE.search(fold_same_length(it.question).lower()))
    if it.kind == "amount" and not is_table_line(sentence):
        owners = amount_owners(sentence)
        amounts = [a for a in find_amounts(sentence) if a.currency]
        # Every amount has its own actor in the sentence: the value is attributable to the asked actor only if one
        # of them is that actor (not the OIM's portfolio in the sentence after Suecia's report).
        if (
            amounts
            and all(a.start in owners for a in amounts)
            and not any(same_family(owners[a.start], actor) for a in amounts for actor in it.actors)
        ):
            return False
    here = _present_actors(sentence, fold_same_length(sentence).lower(), question_absent)

    # A host country asked about as a giver ("¿Cuánto anunció México…?"): the other host countries that give are
    # its rivals too (not the Perú, whose records these are).
    asked_host = any(_is_host(a) for a in it.actors)

    def other_donors(names: list[str]) -> list[str]:
        # Donors the question does not ask about: another asked actor is no rival ("ONU Mujeres y Australia").
        return [
            n
            for n in names
            if (_is_donor(n) or (asked_host and _is_host(n) and n != _HOME_RECIPIENT))
            and not any(same_family(n, a) for a in it.actors)
        ]

    # When or where an event was is read in its record: an actor that names the event ("la reunión del Minsa y la
    # OPS") may be anywhere in the passage.
    event_kind = it.kind in ("date", "place")
    for actor in it.actors:
        mine = [counts for name, counts in here if same_family(name, actor)]
        if mine:
            if not any(mine):
                return False
            continue
        if other_donors([name for name, _ in here]):
            return False
        found = False
        for text in (ctx.before, ctx.title):
            names = [m.canonical for m in find_actors(text)]
            if any(same_family(n, actor) for n in names) and not other_donors(names):
                found = True
                break
        if found and _TOTAL_RE.search(fold_same_length(sentence).lower()):
            found = False  # "la conferencia movilizó EUR 120 millones": a total, not the actor of the title's
        if not found and event_kind:
            found = any(same_family(m.canonical, actor) for m in find_actors(ctx.chunk))
        if not found:
            return False
    # A channel or recipient the question names ("al programa de la OIM") is in the sentence or its passage.
    where = [m.canonical for t in (sentence, ctx.before, ctx.chunk) for m in find_actors(t)]
    return all(any(same_family(n, c) for n in where) for c in it.channels)


def _recipient_ok(it: Interpretation, sentence: str, ctx: SentenceContext) -> bool:
    """A recipient other than the Perú (the archive's own country, implied by its records), or the Perú when the
    question asks for its part of a larger total, must be named in the sentence, the sentence before it or the
    record's title."""
    if it.recipient is not None and it.kind == "amount" and _elsewhere_only(it.recipient, sentence):
        return False  # "para Colombia", "en los países de acogida": not what went to the recipient asked about
    if it.recipient is None or (it.recipient == _HOME_RECIPIENT and not it.share):
        return True
    if it.share:
        # Its part: named in the sentence, and not jointly with another host ("para Colombia y
        # el Perú" is not the Perú's part).
        hosts = {m.canonical for m in find_actors(sentence) if m.info.host}
        if _names_by_adjective(it.recipient, sentence):
            hosts.add(it.recipient)
        return hosts == {it.recipient}
    return any(
        any(m.canonical == it.recipient for m in find_actors(text)) or _names_by_adjective(it.recipient, text)
        for text in (sentence, ctx.before, ctx.title)
    )


# Where an amount goes when it is not one country's: the region or the host countries as a whole.
_REGION_RE = re.compile(
    r"\b(?:regional(?:es)?|la\s+region|paises\s+(?:de\s+acogida|andinos|receptores|de\s+la\s+region)|"
    r"comunidades\s+de\s+acogida\s+de\s+la\s+region)\b"
)


def _elsewhere_only(recipient: str, sentence: str) -> bool:
    """Whether a sentence sends its money elsewhere than the recipient the question names: it names host countries
    and none is the recipient ("para Colombia y el Ecuador" for "¿cuánto … al Perú?"), or, naming no host country,
    it gives one of its amounts to the region or the host countries as a whole ("US$ 400 millones para programas …
    en los países de acogida"), which says nothing of the recipient's part.

    :param recipient: the canonical recipient of the question ("Perú").
    :param sentence: the candidate sentence.
    :returns: True when the sentence's destination excludes the recipient.
    """
    if _names_by_adjective(recipient, sentence):
        return False
    hosts = {m.canonical for m in find_actors(sentence) if m.info.host}
    if hosts:
        return recipient not in hosts
    for a in find_amounts(sentence):
        if a.currency and _REGION_RE.search(value_windows(sentence, a.start, a.end)[1]):
            return True
    return False


@lru_cache(maxsize=64)
def _adjectives(canonical: str) -> frozenset[str]:
    """Folded adjectives of a country in the gazetteer ("peruano", "peruana" for the Perú)."""
    for a in load("actors")["actors"]:
        if a["name"] == canonical:
            return frozenset(fold_same_length(w).lower() for w in a.get("adj", []))
    return frozenset()


def _names_by_adjective(canonical: str, text: str) -> bool:
    """Whether `text` names the country by its adjective ("actividades en territorio peruano")."""
    adjectives = _adjectives(canonical)
    return bool(adjectives) and any(w in adjectives for w in re.findall(r"\w+", fold_same_length(text).lower()))


def _is_host(name: str) -> bool:
    from indexing.commitments.actors import actor_info

    info = actor_info(name)
    return info is not None and info.host


def _is_donor(name: str) -> bool:
    from indexing.commitments.actors import actor_info

    info = actor_info(name)
    return info is not None and info.donor


def _event_ok(it: Interpretation, sentence: str, ctx: SentenceContext) -> bool:
    ev = it.event
    if ev is None:
        return True
    folded_sentence = fold_same_length(sentence).lower()
    folded_question = fold_same_length(it.question).lower()
    asks_cancel_q = bool(_CANCEL_Q_RE.search(folded_question))
    if ev.meeting and it.kind not in ("date", "place"):
        # What happened at a meeting is not in its announcement, nor in the notice that it did not take place;
        # a word the question itself uses ("no respondieron a la convocatoria") is what it asks about.
        # A question about its cancellation is about the planned meeting.
        asks_cancel = bool(_CANCEL_Q_RE.search(folded_question))
        if _ANNOUNCED_RE.search(folded_sentence) and not _ANNOUNCED_RE.search(folded_question) and not asks_cancel:
            return False
        if not _CANCEL_Q_RE.search(folded_question) and _meeting_cancelled(ev.meeting, ctx.chunk):
            return False
    if (
        it.kind in ("explanation", "entities", "count")
        and not _CANCEL_Q_RE.search(folded_question)
        and _CANCELLED_RE.search(folded_sentence)
    ):
        return False  # what happened at an event is not in the sentence saying it did not take place
    # Where or when a meeting will be held, or why it was not: its announcement says it.
    planned = it.kind in ("date", "place") or bool(_CANCEL_Q_RE.search(folded_question))
    if ev.ordinal and not _ordinal_stated(ev.ordinal, sentence, ctx, planned):
        return False  # "la tercera reunión": only announced, or another meeting of the series
    # An amount at a meeting that is no conference: a sentence that sets its amount at a conference, naming no
    # meeting, states what was announced there ("En la conferencia de Canadá de 2021 Qatar anunció US$ 10 millones"
    # is not what Qatar announced at the Mesa's first meeting).
    if (
        it.kind == "amount"
        and ev.meeting
        and not ev.slugs
        and detect_event(sentence)
        and not _MEETING_NAMED_RE.search(folded_sentence)
    ):
        return False
    # A conference no known one is: a sentence or passage about a known conference is about another one.
    if ev.unknown_conference and (detect_event(sentence) or detect_event(ctx.chunk)):
        return False
    if (
        ev.meeting
        and it.realised
        and it.kind not in ("date", "place")
        and not asks_cancel_q
        and ctx.date
        and ev.year
        and ev.month
        and _before_event(ctx.date, ev)
    ):
        return False  # a record written before the event (its notice) cannot state what happened at it
    allowed = {ev.year} if ev.year else _slug_years(ev.slugs)
    # The record of that very meeting: the years its sentences name are the periods it discusses ("un aporte para
    # 2025" at a meeting of 2024), not another meeting.
    meeting_record = bool(ev.meeting and ev.month and ctx.date and _date_matches(ev, ctx.date))
    if allowed and it.kind != "date" and not is_table_line(sentence) and not meeting_record:
        years = _dating_years(sentence, bool(ev.slugs and ctx.conference in ev.slugs))
        if years and not years & allowed:
            return False  # the sentence is about another year
        if ev.month and ev.year and _other_month_only(ev.year, ev.month, sentence):
            return False  # "antes del 15 de noviembre de 2024" is not what happened in agosto de 2024
    if ev.meeting and ev.meeting not in _GENERIC_MEETINGS:
        # "la reunión de coordinación", "la Mesa Intersectorial": the kind of meeting is named where it is read.
        # A record dated that very day is that meeting's record.
        kind_terms = set(content_terms(ev.meeting)) - _MEETING_WORDS
        same_day = bool(ev.day and ctx.date and _date_matches(ev, ctx.date))
        if not same_day and not kind_terms <= set(content_terms(f"{sentence} {ctx.chunk} {ctx.title}")):
            return False
    named = detect_event(sentence)
    where = f"{sentence}\n{ctx.chunk}\n{ctx.title}"
    if ev.slugs:
        from indexing.query.interpretation import _conferences

        confs = {s: (n, place, year) for s, n, place, year in _conferences()}
        names = {confs[s][0] for s in ev.slugs if s in confs}
        in_cells = _conferences_in_cells(sentence) if is_table_line(sentence) else set()
        if in_cells:
            return bool(in_cells & set(ev.slugs))  # the row's conference column ("| Canadá 2021 |") says which
        if named and named not in names:
            return False  # the sentence is about another conference
        if named in names or (ctx.conference in ev.slugs):
            return True
        in_chunk = conferences_named(ctx.chunk)
        if in_chunk - names:
            # A passage about several conferences ("en dicha ocasión…"): only the sentence before says which.
            where = f"{sentence}\n{ctx.before}\n{ctx.title}"
        elif in_chunk:
            return True
        if detect_event(ctx.before) in names or detect_event(ctx.title) in names:
            return True
        folded = fold_same_length(where).lower()
        for s in ev.slugs:
            if s not in confs:
                continue
            _, place, year = confs[s]
            has_place = re.search(rf"\b{re.escape(place)}\b", folded) is not None or place == "donantes"
            if has_place and (year in where or len(ev.slugs) > 1):
                return True
        return False
    # A meeting: its year, month and day in the texts or the record's date; a bare date: its year.
    if not ev.meeting:
        if ev.month is not None and it.kind != "date":
            return _month_stated(ev, sentence, ctx)
        if ev.year is None:
            return True
        record_year = (ctx.date or "")[:4]
        return str(ev.year) in where or record_year == str(ev.year) or str(ev.year) in (ctx.conference or "")
    # A date in the passage counts only where a sentence states it as held, not as the next meeting's date.
    stated = "\n".join(
        ctx.chunk[a:b]
        for a, b in split_sentences(ctx.chunk)
        if not _ANNOUNCED_RE.search(fold_same_length(ctx.chunk[a:b]).lower())
    )
    if _date_in(ev.year, ev.month, ev.day, f"{sentence}\n{stated}\n{ctx.title}"):
        return True
    return bool(ctx.date) and _date_matches(ev, ctx.date or "")


def _conferences_in_cells(row: str) -> set[str]:
    """The known conferences a table row's cells name as "Place Year" ("| Bruselas 2023 |", "| Canadá 2021 |",
    "| Conferencia 2020 |"): the row's conference column.

    :param row: a table row ("|" cells).
    :returns: conference slugs.
    """
    from indexing.query.interpretation import _conferences

    out = set()
    for cell in table_row(row).cells:
        m = _PLACE_YEAR_CELL_RE.match(fold_same_length(cell).lower().strip())
        if not m:
            continue
        for slug, _, place, year in _conferences():
            if year == m.group(2) and (
                m.group(1) == place or (m.group(1) in ("conferencia", "donantes") and place == "donantes")
            ):
                out.add(slug)
    return out


_PLACE_YEAR_CELL_RE = re.compile(r"^(?:conferencia\s+de\s+)?([a-z]+)\s+((?:19|20)\d\d)$")


def _dating_years(sentence: str, conference_record: bool) -> set[int]:
    """The years that date what a sentence states: all its years; in a record of the asked conference (its
    `conference` metadata), only those next to one of its money amounts ("EUR 30 millones, que se suma a la
    asistencia ya movilizada desde 2018" is the conference's amount; "en 2020 desembolsó EUR 5 millones" is not).

    :param sentence: the candidate sentence.
    :param conference_record: the sentence's record is about the asked conference.
    :returns: the years, as integers.
    """
    if not conference_record:
        return {int(y) for y in YEAR_RE.findall(sentence)}
    years: set[int] = set()
    for a in find_amounts(sentence):
        if a.currency:
            before, after = value_windows(sentence, a.start, a.end, reach=120)
            years.update(int(y) for y in YEAR_RE.findall(f"{before} {after[:40]}"))
    return years


def _before_event(iso: str, ev: Event) -> bool:
    """Whether a record's ISO date is before the event's month (or day, when the question gives it)."""
    try:
        y, m, d = (int(x) for x in iso.split("-")[:3])
    except ValueError:
        return False
    if ev.year is None or ev.month is None:
        return False
    return (y, m, d) < (ev.year, ev.month, ev.day or 1)


def _month_stated(ev: Event, sentence: str, ctx: SentenceContext) -> bool:
    """Whether the month (and day and year) a question names ("en agosto de 2024") is where the sentence is read:
    in the sentence, the sentence before it or the record's title, or as the record's date; or in its passage when
    every date of that year the passage names is in that month (a passage naming several months of the year says
    which one only in the sentence or next to it).

    :param ev: the question's event: a bare date with a month, no meeting.
    :param sentence: the candidate sentence.
    :param ctx: its passage, the sentence before, the record's title and date.
    :returns: True when the month is stated unambiguously.
    """
    if _date_in(ev.year, ev.month, ev.day, f"{sentence}\n{_held(ctx.before)}\n{ctx.title}"):
        return True
    if ctx.date and _date_matches(ev, ctx.date):
        return True
    # A bare month in the sentence ("desembolsó en noviembre un segundo tramo") of a record of the asked year.
    near = f"{sentence} {_held(ctx.before)}"
    words = set(re.findall(r"[a-z]+", fold_same_length(near).lower()))
    year_ok = ev.year is None or str(ev.year) in f"{near} {ctx.title}" or (ctx.date or "")[:4] == str(ev.year)
    if ev.day is None and year_ok and any(MONTHS.get(w) == ev.month for w in words):
        return True
    dated = [d for d in find_dates(ctx.chunk, day_month=True) if d.month and d.year in (None, ev.year)]
    held = _held(ctx.chunk)
    return bool(dated) and all(d.month == ev.month for d in dated) and _date_in(ev.year, ev.month, ev.day, held)


def _held(text: str) -> str:
    """The sentences of `text` that do not announce, schedule or call off what they date ("la visita, programada
    para agosto de 2024, fue suspendida"): a date there is not when something took place."""
    out = []
    for a, b in split_sentences(text):
        folded = fold_same_length(text[a:b]).lower()
        if not (_ANNOUNCED_RE.search(folded) or _CANCELLED_RE.search(folded)):
            out.append(text[a:b])
    return "\n".join(out)


def conferences_named(text: str, window: int = 160) -> set[str]:
    """Every known conference a text names (a conference year within `window` characters after a conference
    keyword, as `detect_event` reads the first one).

    :param text: a passage.
    :returns: conference names, e.g. {"Conferencia de Canadá 2021", "Conferencia de Donantes 2020"}.
    """
    by_year, _, keywords = events_table()
    folded = fold_same_length(text)
    out = set()
    for m in YEAR_RE.finditer(folded):
        name = by_year.get(m.group())
        if name and name not in out and keywords.search(folded[max(0, m.start() - window) : m.start()]):
            out.add(name)
    return out


def asks_cause(it: Interpretation) -> bool:
    """Whether the question asks why ("¿por qué se canceló…?"), not through what ("¿por qué canal…?").

    :param it: the question's interpretation.
    :returns: True for a question about a cause.
    """
    return it.kind == "explanation" and bool(_WHY_Q_RE.search(fold_same_length(it.question).lower()))


def states_cause(sentence: str) -> bool:
    """Whether a sentence states a cause ("en cumplimiento del Decreto…", "dado que…", "por razones de seguridad").

    :param sentence: a candidate sentence.
    :returns: True when it has a causal connective.
    """
    return bool(_CAUSE_RE.search(fold_same_length(sentence).lower()))


def _other_month_only(year: int, month: int, sentence: str) -> bool:
    """Whether the sentence dates itself only in other months of the asked year: its dates of that year all name
    another month, and none names the asked one."""
    dated = [d for d in find_dates(sentence) if d.year == year and d.month]
    return bool(dated) and all(d.month != month for d in dated)


def _meeting_cancelled(meeting: str, chunk: str) -> bool:
    """Whether a sentence of the passage says that this kind of meeting did not take place ("la visita técnica …
    fue suspendida"): the sentence names the meeting's head noun ("visita", "taller", "reunión"); a cancelled
    visit does not cancel the meeting whose minutes report it."""
    kind = set(content_terms(meeting.split()[0]))
    for a, b in split_sentences(chunk):
        text = chunk[a:b]
        if _CANCELLED_RE.search(fold_same_length(text).lower()) and kind & set(content_terms(text)):
            return True
    return False


def _ordinal_stated(ordinal: str, sentence: str, ctx: SentenceContext, planned: bool = False) -> bool:
    """Whether the meeting's place in its series ("segunda", "tercera") is stated where it is held: in the
    sentence, the record's title or a sentence of the passage that does not announce a future meeting (any
    sentence when `planned`: the question asks where or when it will be held, or why it was not)."""
    base = fold_same_length(ordinal).lower().rstrip("ao")  # "tercer", "segund" (never "según")
    forms = {base, base + "a", base + "o"}
    texts = [sentence, ctx.title]
    texts += [ctx.chunk[a:b] for a, b in split_sentences(ctx.chunk) if not _announces(ctx.chunk[a:b])]
    for text in texts:
        folded = fold_same_length(text).lower()
        if text is sentence and _announces(text) and not planned:
            continue
        if forms & set(re.findall(r"\w+", folded)):
            return True
    return False


# A verb in the future tense ("presentarán", "se realizará", "habrá"): Spanish futures end in an accented -rá(n).
_FUTURE_RE = re.compile(r"\b[^\W\d_]+r[áÁ]n?\b")


def _announces(text: str) -> bool:
    """Whether a sentence announces or schedules what it names ("la próxima reunión se realizará…", "presentarán el
    plan en la tercera sesión"): an announcement word or a verb in the future tense."""
    return bool(_ANNOUNCED_RE.search(fold_same_length(text).lower()) or _FUTURE_RE.search(text))


def _date_matches(ev: Event, iso: str) -> bool:
    """Whether an ISO date is compatible with the event's year, month and day."""
    try:
        y, m, d = (int(x) for x in iso.split("-")[:3])
    except ValueError:
        return False
    return (ev.year in (None, y)) and (ev.month in (None, m)) and (ev.day in (None, d))


def _slug_years(slugs: tuple[str, ...]) -> set[int]:
    from indexing.query.interpretation import _conferences

    return {int(year) for s, _, _, year in _conferences() if s in slugs}


def _date_in(year: int | None, month: int | None, day: int | None, text: str) -> bool:
    if month is None and day is None:
        return year is not None and str(year) in text
    for d in find_dates(text, day_month=True):
        same_day = d.month == month and (day is None or d.day in (None, day))
        if same_day and (year is None or d.year == year or (d.year is None and str(year) in text)):
            return True
    return False


def _numbers(sentence: str) -> list[str]:
    years = {m.start() for m in YEAR_RE.finditer(sentence)}
    enumerator = _ENUMERATOR_RE.match(sentence)
    skip = enumerator.end() if enumerator else 0
    out = [m.group() for m in _NUMBER_RE.finditer(sentence) if m.start() not in years and m.start() >= skip]
    out.extend(str(v) for _, _, v, _ in find_number_words(sentence))
    return out


def _counted(sentence: str, noun: str, realised: bool = False) -> bool:
    """A number followed within three words by the thing counted ("más de 70 delegaciones", "once cooperantes",
    "5,4 millones de personas"); with `realised`, not one stated as planned or possible ("atenderá a 5.000
    personas")."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(sentence)]
    number_words = {s for s, _, _, _ in find_number_words(sentence)}
    for i, (start, _, w) in enumerate(words):
        if not (w[0].isdigit() and not YEAR_RE.fullmatch(w)) and start not in number_words:
            continue
        for _, stop, nxt in words[i + 1 : i + 5]:
            if noun in content_terms(nxt):
                if not (realised and _modal_value(sentence, start, stop)):
                    return True
                break
    return False


def _names_person(it: Interpretation, sentence: str) -> bool:
    """A person's name after a title: two capitalized words that are neither the question's own words (the title
    asked about: "Superintendente Nacional de Migraciones") nor an actor."""
    asked = set(content_terms(it.question))
    for m in _PERSON_RE.finditer(sentence):
        # The name: the capitalized words after the office's comma, or right after the title.
        name = m.group().rsplit(",", 1)[-1]
        words = re.findall(r"[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+", name)[0 if "," in m.group() else 1 :]
        own = [w for w in words if not set(content_terms(w)) & asked and not find_actors(w)]
        if len(own) >= 2:
            return True
    return False


# Before an actor: it is the channel, recipient or partner of an amount, not its giver ("canalizado por el ACNUR",
# "desembolsaron a UNICEF", "junto con la OIM").
_CHANNEL_BEFORE_RE = re.compile(
    r"(?:\b(?:a\s+traves\s+de|por\s+medio\s+de|por\s+conducto\s+de|canalizad[oa]s?\s+(?:por|a\s+traves\s+de|mediante)|"
    r"mediante|ejecutad[oa]s?\s+por|implementad[oa]s?\s+por|administrad[oa]s?\s+por|junto\s+con|para|al|a|"
    r"entre|socios?)\s+(?:el\s+|la\s+|los\s+|las\s+|del\s+)?)$"
)
# Right after an amount: "los NOK 60 millones de Noruega", "US$ 5 millones del programa de la Unión Europea".
_POSSESSIVE_GAP_RE = re.compile(r"^[^,;.()]{0,30}\b(?:de|del)\s+(?:la\s+|el\s+|los\s+|las\s+)?$")


def amount_owners(sentence: str) -> dict[int, str]:
    """The actor each money amount of a sentence belongs to: the actor it is "of" right after it ("los NOK 60
    millones de Noruega"), else the nearest actor named before it in the sentence ("La OIM presentó su cartera,
    valorada en US$ 18 millones"; "Noruega anunció NOK 20 millones, que será canalizado por el ACNUR"), else the
    first actor named after it in its clause that is not its channel or recipient ("EUR 4 millones aportados por
    Alemania").
    Host countries (the Perú and other recipients), conference hosts and channels are never owners. An amount of
    a sentence naming no such actor has no owner: its actor is in the context (a list's header, the sentence
    before).

    :param sentence: a candidate sentence.
    :returns: {start offset of the amount: canonical owner}, only for amounts with an owner.
    """
    folded = fold_same_length(sentence).lower()
    mentions = [
        m
        for m in find_actors(sentence)
        if not m.info.host and not _HOST_OF_EVENT_RE.search(folded[max(0, m.start - 40) : m.start])
    ]
    if not mentions:
        return {}
    givers = [m for m in mentions if not _CHANNEL_BEFORE_RE.search(folded[max(0, m.start - 40) : m.start])]
    out = {}
    for a in find_amounts(sentence):
        after = next((m for m in mentions if m.start >= a.end), None)
        if after is not None and _POSSESSIVE_GAP_RE.search(folded[a.end : after.start]):
            out[a.start] = after.canonical
            continue
        before = [m for m in givers if m.end <= a.start]
        if before:
            out[a.start] = before[-1].canonical
            continue
        _, after_text = value_windows(sentence, a.start, a.end)
        later = next((m for m in givers if a.end <= m.start < a.end + len(after_text)), None)
        if later is not None:
            out[a.start] = later.canonical
    return out


# A money amount stated as what is needed or still sought, not given ("requiere S/ 30 millones", "valorada en US$ 18
# millones, que aún busca financiamiento").
_NEED_RE = re.compile(
    r"\b(?:requier\w*|requerid\w*|requerimientos?|necesit\w*|necesidad\w*|busca\w*\s+financiamiento|sin\s+financiamiento|"
    r"por\s+financiar|brecha|deficit|falta\w*)\b"
)
# What something costs or is worth ("el costo de la vacunación", "valorada en", "de su presupuesto institucional"):
# answers a question about a cost, a budget or a value, not one about a requirement or a gap.
_WORTH_RE = re.compile(r"\b(?:cost\w*|cuesta\w*|presupuest\w*|valor\w*|valoriz\w*)\b")
# A question about a requirement, a gap or what is still missing ("¿cuánto requiere…?", "¿qué brecha…?").
_REQUIREMENT_Q_RE = re.compile(
    r"\b(?:requier\w*|requerid\w*|requerimiento\w*|necesit\w*|necesidad\w*|brecha|deficit|falt\w*|busca\w*|"
    r"pendiente\w*|saldo\w*)\b"
)
# A value stated as planned, possible or under negotiation, not as what took place ("podría ampliar el aporte en EUR 1
# millón", "una segunda operación, que se realizaría por USD 100 millones", "el segundo tramo, de CAD 4 millones, se
# efectuará en 2024").
_MODAL_RE = re.compile(
    r"\b(?:podrian?|podran?|se\s+preve|preve|previst[oa]s?|estudian?|evaluaran?|negocian?|en\s+negociacion|"
    r"si\s+se\s+aprueba\w*|sujet[oa]s?\s+a)\b"
)
# A verb in the conditional ("aprobaría", "se realizaría"), read in the accented text: Spanish conditionals end in
# -ría(n); the nouns that do too are not verbs.
_CONDITIONAL_RE = re.compile(r"\b[^\W\d_]+r[íÍ]an?\b")
_RIA_NOUNS = frozenset(
    re.split(
        r"\s+",
        "cancilleria secretaria tesoreria ingenieria consejeria asesoria auditoria consultoria defensoria mayoria "
        "minoria categoria contraloria procuraduria relatoria veeduria galeria bateria loteria libreria rectoria",
    )
)
# An apposition after a noun ("el segundo tramo, de CAD 4 millones, se efectuará", "el saldo, EUR 1,2 millones, se
# transferirá"): the verb comes after it.
_APPOSITION_RE = re.compile(r",\s*(?:(?:de|por)\s+(?:unos\s+|alrededor\s+de\s+)?)?$")
_CLAUSE_END = ";.:"


def value_windows(sentence: str, start: int, end: int, reach: int = 60) -> tuple[str, str]:
    """The folded text that governs a value: up to `reach` characters before it within its clause (a ";" or ":"
    ends a clause), and after it up to the next comma, ";" or "." — past the apposition's closing comma when the
    value is an apposition (", de CAD 4 millones,"), through a relative clause when one follows (", que aún
    busca…").

    :param sentence: the sentence.
    :param start: the value's first offset.
    :param end: the offset after it.
    :param reach: at most this many characters before the value.
    :returns: (before, after), folded and lower-cased.
    """
    folded = fold_same_length(sentence).lower()
    lo = max(0, start - reach)
    cut = max(folded.rfind(ch, lo, start) for ch in ";:")
    before = folded[max(lo, cut + 1) : start]
    stop = len(folded)
    i = end
    skip_comma = bool(_APPOSITION_RE.search(before))
    while i < len(folded) and i < end + 160:
        ch = folded[i]
        if ch in _CLAUSE_END and not (ch == "." and i + 1 < len(folded) and folded[i + 1].isdigit()):
            stop = i
            break
        if ch == ",":
            nxt = folded[i + 1 : i + 12].lstrip()
            if skip_comma:
                skip_comma = False
            elif not nxt.startswith(("que ", "la cual", "el cual", "los cuales", "las cuales")):
                stop = i
                break
        i += 1
    else:
        stop = i
    return before, folded[end:stop]


def _need_value(sentence: str, start: int, end: int) -> bool:
    """Whether the value at [start, end) is stated as a need (required, sought, a gap): "las necesidades de
    financiamiento del plan de salud mental 2025-2026, que el Ministerio estima en US$ 6 millones" names the need
    far before the figure."""
    before, after = value_windows(sentence, start, end, reach=120)
    return bool(_NEED_RE.search(before) or _NEED_RE.search(after))


def _stated_as_asked_need(it: Interpretation, sentence: str, start: int, end: int) -> bool:
    """For a question about what is needed, costs or is worth, whether the value at [start, end) is stated so: a
    requirement or a gap ("requiere", "una brecha de") for a question about one, that or a cost, a budget or a value
    ("valorada en", "el costo de") for a question about those. An amount an actor gave or announced answers neither.

    :param it: the question's interpretation (`need` True).
    :param sentence: the candidate sentence.
    :param start: the value's first offset.
    :param end: the offset after it.
    :returns: True when the value is stated as the kind of need asked for.
    """
    before, after = value_windows(sentence, start, end, reach=120)
    if _NEED_RE.search(before) or _NEED_RE.search(after):
        return True
    if _REQUIREMENT_Q_RE.search(fold_same_length(it.question).lower()):
        return False
    return bool(_WORTH_RE.search(before) or _WORTH_RE.search(after))


def _disbursed_value(sentence: str, start: int, end: int) -> bool:
    """Whether the value at [start, end) is stated as disbursed, transferred or executed ("desembolsó EUR 600.000")."""
    before, after = value_windows(sentence, start, end)
    return bool(_DISBURSED_RE.search(before[-40:]) or _DISBURSED_RE.search(after[:30]))


_SIGNED_RE = re.compile(r"\b(?:suscri\w*|firm[oóae]\w*)")


def _signed_value(sentence: str, start: int, end: int) -> bool:
    """Whether the value at [start, end) is stated as the amount of an agreement signed ("la KOICA suscribió el
    convenio de USD 800.000", "convenio de EUR 12 millones firmado el 22 de marzo"): a later stage than the
    announcement."""
    before, after = value_windows(sentence, start, end)
    return bool(_SIGNED_RE.search(before[-40:]) or _SIGNED_RE.search(after[:30]))


def _modal_value(sentence: str, start: int, end: int, pledge: bool = False) -> bool:
    """Whether the value at [start, end) is stated as planned, possible or under negotiation: a word of possibility
    ("podría", "sujeto a"), a verb in the conditional ("aprobaría") or, unless the question asks what was pledged
    (a pledge is a promise: "Italia aportará EUR 2,5 millones" is what it announced), in the future ("se efectuará",
    "atenderá"). A relative clause after it ("…, que será canalizado por el ACNUR") says what will happen to a value
    already given: it does not count.

    :param sentence: the candidate sentence.
    :param start: the value's first offset.
    :param end: the offset after it.
    :param pledge: the question asks what was announced or pledged.
    :returns: True when the value is not stated as what took place."""
    before, after = value_windows(sentence, start, end)
    for rel in (", que ", ",que "):
        if rel in after:
            after = after[: after.index(rel)]
    if _MODAL_RE.search(before) or _MODAL_RE.search(after):
        return True
    # The windows are folded in place: the same offsets in the sentence keep its accents.
    text = f"{sentence[start - len(before) : start]} {sentence[end : end + len(after)]}"
    conditional = any(
        fold_same_length(m.group()).lower() not in _RIA_NOUNS for m in _CONDITIONAL_RE.finditer(text)
    )
    return conditional or (not pledge and bool(_FUTURE_RE.search(text)))


def _event_cell_ok(it: Interpretation, sentence: str, ctx: SentenceContext) -> bool:
    """For an amount question naming a conference or a year, a table row whose header has a column for it must
    hold a figure in that column: "| Reino Unido | 10 | 21 | — | 15,5 |" under "| Donante | Bruselas 2019 | … |
    Canadá 2021 | … |" says nothing about Canada 2021. Rows of tables without such a column are not constrained.

    :param it: the question's interpretation.
    :param sentence: the candidate sentence (a table row when it has "|" cells).
    :param ctx: its chunk, whose first "|" line other than the row is read as the header.
    :returns: False only when every column naming the asked year is empty (no digit) in the row.
    """
    ev = it.event
    if it.kind != "amount" or ev is None or "|" not in sentence:
        return True
    years = {str(y) for y in _slug_years(ev.slugs)} or ({str(ev.year)} if ev.year else set())
    if not years:
        return True
    row = table_row(sentence).cells
    header = next(
        (
            line
            for line in ctx.chunk.splitlines()
            if "|" in line and line.strip() != sentence.strip() and not is_separator(line)
        ),
        None,
    )
    if header is None:
        return True
    cells = table_row(header).cells
    if len(cells) != len(row):
        return True
    columns = [i for i, cell in enumerate(cells) if any(y in cell for y in years)]
    if not columns:
        return True
    return any(any(ch.isdigit() for ch in row[i]) for i in columns)


_CURRENCY_WORDS = {
    "euro": re.compile(r"\beur(?:o|os)?\b|€"),
    "dolar": re.compile(r"\bdolar(?:es)?\b|\busd\b|us\$"),
    "sol": re.compile(r"\bsol(?:es)?\b|\bpen\b|s/"),
}


def _currencies_named(text: str) -> set[str]:
    """The currencies a text names by word, code or sign ("frente al euro", "S/ 3,74 por dólar")."""
    folded = fold_same_length(text).lower()
    return {name for name, pattern in _CURRENCY_WORDS.items() if pattern.search(folded)}


def _value_ok(it: Interpretation, sentence: str, ctx: SentenceContext) -> bool:
    kind = it.kind
    if not _event_cell_ok(it, sentence, ctx):
        return False  # the row's cell for the asked conference or year is empty ("—", "Sin anuncio")
    # The sentence says the value is not known ("la parte destinada al Perú aún no ha sido precisada"): for an amount,
    # only the part of a recipient is; the amount it states for the region is still known.
    unknown = _UNKNOWN_VALUE_RE.search(fold_same_length(sentence).lower())
    if unknown and (kind == "count" or (kind == "amount" and (it.share or it.recipient is not None))):
        return False
    if kind == "amount" and it.disbursement:
        # "¿cuánto desembolsó…?": a disbursed or executed amount, not the pledge; a table row's column header says it.
        where = ctx.chunk if is_table_line(sentence) else sentence
        if not _DISBURSED_RE.search(fold_same_length(where).lower()):
            return False
    if kind == "amount":
        # An amount the question already states is its premise, not its answer.
        amounts, premise = [], False
        table = is_table_line(sentence)
        owners = amount_owners(sentence) if it.actors and not table else {}
        for a in find_amounts(sentence):
            given = str(a.value) in it.given_amounts or (premise and bool(_CONVERSION_RE.search(sentence[: a.start])))
            premise = given
            owner = owners.get(a.start)
            if given or (owner is not None and not any(same_family(owner, actor) for actor in it.actors)):
                continue  # the premise, or another actor's amount
            if not table and not it.need and _need_value(sentence, a.start, a.end):
                continue  # what is required or still sought is not what an actor gave
            if not table and it.need and not _stated_as_asked_need(it, sentence, a.start, a.end):
                continue  # what an actor gave is not what is required, missing or worth
            if not table and it.realised and _modal_value(sentence, a.start, a.end, it.pledge):
                continue  # planned, possible or under negotiation: not what took place
            if not table and it.pledge and (
                _disbursed_value(sentence, a.start, a.end) or _signed_value(sentence, a.start, a.end)
            ):
                continue  # "¿qué aporte anunció…?": a disbursement or a signature of an earlier pledge is not one
            amounts.append(a)
        if any(a.currency or a.scale for a in amounts):
            return True
        return table and bool(_numbers(sentence)) and not it.given_amounts
    if kind == "count":
        if it.measure and not set(it.measure) <= set(content_terms(sentence)):
            return False  # "¿cuál es la tasa de interés…?": the sentence must be about that rate
        if it.measure and not _currencies_named(it.question) <= _currencies_named(sentence):
            return False  # "el tipo de cambio del sol frente al euro" is not the one "por dólar"
        if it.count_of == "%":
            return bool(_PERCENT_RE.search(sentence))
        if not _numbers(sentence):
            return False
        if it.count_of is None:
            return True
        return _counted(sentence, it.count_of, it.realised)
    if it.person:
        return _names_person(it, sentence)
    if kind == "entities":
        # "¿Qué embajadas…?", "¿quiénes…?": the sentence names an actor or an institution.
        return bool(find_actors(sentence)) or bool(ENTITY_NAME_RE.search(sentence))
    if kind == "date":
        return bool(find_dates(sentence, day_month=True)) or bool(YEAR_RE.search(sentence))
    if kind == "place":
        return _names_new_place(it, sentence)
    return True


# "en Arequipa", "en la Sala Bolognesi", "en el auditorio de la APCI en Miraflores": a place after "en" (an article and
# one common noun with its "de" may come between).
_PLACE_RE = re.compile(
    r"\ben\s+(?:(?:el|la|los|las)\s+)?(?:[a-záéíóúñ]+\s+(?:de\s+(?:la\s+|el\s+|los\s+)?)?)?"
    r"([A-ZÁÉÍÓÚÑ][\wáéíóúñ]+(?:\s[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+){0,3})"
)
_EVENT_WORDS = frozenset(content_terms("Conferencia Conferencias Reunión Sesión Cumbre Taller Encuentro Mesa"))


def _names_new_place(it: Interpretation, sentence: str) -> bool:
    """A "¿dónde / en qué países…?" answer names a place the question does not already name: "celebrada en
    Bruselas" restates the question "¿En qué países se usará la ayuda que Japón anunció en Bruselas?", "en Colombia,
    Ecuador y el Perú" answers it. A place is a country of the gazetteer, or a run of capitalized words after "en"
    ("en la Sala Bolognesi", "en Arequipa") with a word the question lacks, not an event's name ("en la
    Conferencia…")."""
    asked = set(content_terms(it.question))
    for m in find_actors(sentence):
        if (m.info.host or m.info.type == "país") and not set(content_terms(m.surface)) & asked:
            return True
    for place in _PLACE_RE.finditer(sentence):
        words = place.group(1).split()
        if set(content_terms(words[0])) & _EVENT_WORDS:
            continue  # "en la Conferencia Internacional…": an event, not a place
        # Words of an event's or office's name ("en Solidaridad con…") are not places.
        own = [w for w in words if fold_same_length(w).lower() not in NOT_NAMES]
        if set(content_terms(" ".join(own))) - asked:
            return True
    return False


def _topic_ok(it: Interpretation, sentence: str, ctx: SentenceContext) -> bool:
    """The sentence or the one before it shares at least one of the question's topic terms (what it is about,
    beyond its actors, names, event, year and question words). Of questions about an actor, only explanations
    need it: the verb of the others varies ("anunció", "comprometió") and the actor and the value bind them."""
    if not it.topic or (it.actors and it.kind != "explanation"):
        return True
    return bool(set(it.topic) & set(content_terms(f"{ctx.before} {sentence}")))


def _names_ok(it: Interpretation, sentence: str, ctx: SentenceContext) -> bool:
    if not it.names:
        return True
    where = f"{sentence} {ctx.chunk} {ctx.title}"
    have = set(content_terms(where))
    if not all(n in have for n in it.names):
        return False
    folded = " ".join(fold_same_length(where).lower().split())
    if not all(p in folded for p in it.phrases):
        return False
    question_absent = bool(_ABSENT_RE.search(fold_same_length(it.question).lower()))
    return all(
        _institution_present(p, sentence, ctx.before, question_absent)
        for p in it.phrases
        if p.split()[0] in INSTITUTION_HEADS
    )


def _institution_present(phrase: str, sentence: str, before: str, question_absent: bool) -> bool:
    """Whether an institution the question names ("ministerio de salud") is in the sentence or the one before it,
    outside an absent clause ("el Ministerio de Salud, convocado, no respondió"): an institution asked about is an
    actor, and the passage naming it elsewhere is not its statement.

    :param phrase: the folded name, words joined by single spaces.
    :param sentence: the candidate sentence.
    :param before: the sentence before it.
    :param question_absent: the question asks about the absence itself.
    :returns: True when some mention counts.
    """
    for text in (sentence, before):
        folded = " ".join(fold_same_length(text).lower().split())
        i = folded.find(phrase)
        while i >= 0:
            end = i + len(phrase)
            absent = _ABSENT_RE.search(folded[end : end + 60]) or _ABSENT_RE.search(folded[max(0, i - 30) : i])
            if question_absent or not absent:
                return True
            i = folded.find(phrase, end)
    return False


# A call to a meeting, in the present ("convocan al taller", "se convoca a la reunión").
_CONVOKE_RE = re.compile(r"\b(?:convoca|convocan|se\s+convoca)\b")
_MEETING_NOUN_RE = re.compile(r"\b(reunion|sesion|taller|encuentro|visita|conferencia|cumbre)\b")
# The first verb after a meeting's noun: a future (-rá, -rán) or a preterite (-ó, -aron, -ieron).
_TENSE_RE = re.compile(r"\b[^\W\d_]+(?:r[áÁ]n?|[óÓ]|aron|ieron)\b")


def _meeting_only_announced(it: Interpretation, sentence: str) -> bool:
    """Whether a sentence only announces the kind of meeting a question asks what happened at: the first verb after
    the meeting's noun is in the future ("En el taller se presentarán los resultados…" does not say which were
    presented). A preterite first ("En la reunión se acordó que la APCI enviará…") states what took place. Questions
    about a meeting's date, place or fate, or about what will happen, are answered by its announcement.

    :param it: the question's interpretation.
    :param sentence: the candidate sentence.
    :returns: True when the sentence only announces the meeting asked about.
    """
    folded_q = fold_same_length(it.question).lower()
    if not it.realised or it.kind in ("date", "place") or _CANCEL_Q_RE.search(folded_q):
        return False
    asked = set(_MEETING_NOUN_RE.findall(folded_q))
    if not asked:
        return False
    folded = fold_same_length(sentence).lower()
    for m in _MEETING_NOUN_RE.finditer(folded):
        if m.group(1) not in asked:
            continue
        if _CONVOKE_RE.search(folded, max(0, m.start() - 40), m.start()):
            return True  # "… convocan al taller regional …": a call to it
        verb = _TENSE_RE.search(sentence, m.end(), m.end() + 50)
        if verb is not None and fold_same_length(verb.group()).lower().endswith(("ra", "ran")):
            return True
    return False


def check_sentence(it: Interpretation, sentence: str, ctx: SentenceContext) -> Check:
    """Check one candidate sentence against the question's constraints.

    :param it: the question's interpretation.
    :param sentence: the candidate sentence, verbatim.
    :param ctx: what it is read with (chunk, sentence before, record title, date, conference).
    :returns: the constraints it misses, in `CONSTRAINTS` order.
    """
    missing = []
    if not _actor_ok(it, sentence, ctx):
        missing.append("actor")
    if not _recipient_ok(it, sentence, ctx):
        missing.append("recipient")
    if not _event_ok(it, sentence, ctx) or _meeting_only_announced(it, sentence):
        missing.append("event")
    if not _value_ok(it, sentence, ctx):
        missing.append("value")
    if not _names_ok(it, sentence, ctx):
        missing.append("names")
    if not _topic_ok(it, sentence, ctx):
        missing.append("topic")
    return Check(tuple(missing))
