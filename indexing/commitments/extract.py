"""Extraction of funding commitments from the text of one page (or chunk) of a record.

Each monetary amount in a sentence (or table row, or list item) becomes a candidate; it is kept when an actor
governs it and it is not a need or a hypothesis:

- actor, first rule that applies: a donor attached to the amount ("EUR 12 millones de Alemania"); the single
  counterpart of an agreement ("el convenio ... con la AECID"); the nearest preceding donor since the previous
  amount; a passive agent after it ("anunciados por el Gobierno de España"); the nearest preceding donor in the
  sentence; when the sentence names no donor, the actor of the previous sentence ("De ese total, ...", "El primer
  tramo ...") or of the section heading ("3.2 Alemania."); a single donor after the amount; a UN agency as a last
  resort; an implementing agency or NGO that is the subject of the clause stating the amount gives its own funds
  ("La OPS/OMS desembolsó USD 1,4 millones"), unless it receives them ("el ACNUR informó haber recibido ...");
  a named subject the gazetteer does not know ("Acme Relief comprometió ...") never hands its amount to the
  previous sentence's actor; lists of donors and amounts closed by "respectivamente" pair in order, and "cada
  uno/una" gives the amount to each donor named; fields of a record block ("Proyecto: ...", "Estado: ...") keep
  the block's "Cooperante:" in scope. Mentions in recipient or channel position ("para el Perú", "al ACNUR", "a
  través de la OIM", "ejecutado por la GIZ") and organizers ("convocada por la Unión Europea y Canadá") are never
  the actor; host countries and their institutions ("el Estado peruano", "la APCI") never are either (their own
  budget is not cooperation).
- tables (rows with "|" or tabs under a header row, read by column in `tables`): the actor is the first donor of
  the donor column ("España (AECID)" → España); bare numbers of amount and stage columns are amounts, scaled and
  priced by the cell, its header or the table's caption; the status comes from the cell ("EUR 9 millones
  desembolsados"), its column header ("Desembolsado"), or the "Estado" column; the event from the "Conferencia"
  column; amounts under "Pendiente"/"Saldo" are skipped; rows naming two unrelated donors are joint and skipped;
  a row restating its pledge in a later pledge column ("Anunciado 2,5 | Firmado 2,5") is one signed commitment.
- money only: an amount with no currency (stated, from the table, or from the sentence) is no entry; exchange
  rates ("1 USD = S/ 3,71", "S/ 3,75 por dólar"), amounts "en trámite", pending balances ("saldo pendiente"),
  cumulative figures ("desembolso acumulado"), planned tranches ("se efectuará", "se realizaría"), breakdowns of a
  stated amount by sector or tranche ("Del total, CAD 7 millones se destinan a protección"; an allocation to a
  country or agency stays), what a host country receives or puts in ("El Perú recibió ...", "una contrapartida
  nacional de ..."), the unit of a table stated in words ("en millones de dólares") and joint statements of two
  donors are skipped. An amount
  restated in parentheses in another currency is one entry with `equivalents`; "más de", "alrededor de",
  "hasta" before the amount are its `qualifier`.
- totals: an amount with no actor in a sentence about the conference, the participants or a total ("los
  participantes anunciaron un total de US$ 2.790 millones") is kept with ``is_total=True`` and actor
  "Comunidad internacional" — it is never added to an actor's totals.
- requirements ("el plan requiere US$ 1.790 millones", "necesidades por ...") get ``kind="requerimiento"`` and
  are returned only on request; hypotheses ("podría movilizar hasta ...", "proponemos ...") are dropped.
- status: the status phrase nearest to the amount with no other amount in between (data/status_verbs.json),
  else the lead-in of a list or table, else "comprometido" (``status_explicit=False``).
- instrument, recipient, purpose: nearest phrase after the amount; event: the conference named in the sentence,
  the chunk's event, or the conference named at the head of the page.

- generalization rules (issue 9, session 4): a country named inside a conference's name ("la Conferencia de
  Canadá") is not a party to the amount; a state's title ("con la República de Austria") keeps the role of the
  preposition before it; a stage "de ese aporte" keeps the actor of the pledge just named; conditional offers
  ("sujeta a la aprobación", "que dependerá de"), amounts received by no one named, figures of "la cooperación
  internacional" as a whole, a host's own registers and spending, agencies' budgets and unfunded portfolios ("aún
  busca financiamiento") are no entries; a list item naming an unknown organisation before a dash ("- Diputación de
  X — EUR 150.000") does not inherit the previous item's donor; a table with no donor column whose first column is
  the conference belongs to the donor its heading or caption names; a row is read by column (a cell's words are
  not a clause around another cell's amount); bounded table figures ("hasta 1,5") keep their qualifier.

Quotes are verbatim substrings of the input text; offsets index the page text (``page_char_offset`` + local).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from indexing.commitments.actors import (
    ActorMention,
    actor_info,
    find_actors,
    find_recipient_phrases,
    rollup_name,
    same_family,
)
from indexing.commitments.model import (
    NO_ACTOR,
    STAGE_GROUP,
    STATUS_ORDER,
    TOTAL_ACTOR,
    Commitment,
    Equivalent,
    Source,
)
from indexing.commitments.phrases import (
    detect_event,
    detect_event_by_month,
    event_date,
    find_record_date,
    instrument_matcher,
    status_matcher,
)
from indexing.commitments.tables import (
    BLANK_CELL_RE,
    EQUIVALENT_FLAG,
    HEADER_KEYS,
    SCALE_NOTE_RE,
    Unit,
    cell_actor,
    cell_event,
    cell_of,
    cell_spans,
    cell_status,
    column,
    column_scale,
    header_currency,
    is_header,
    is_table_row,
    pending_column,
    row_cells,
    row_currency,
    table_event,
    table_field,
    table_row,
)
from indexing.text.amounts import Amount, find_amounts
from indexing.text.sentences import split_sentences
from indexing.text.tables import Table
from indexing.text.tokens import fold_same_length

__all__ = [
    "detect_event",
    "event_date",
    "extract_commitments",
    "find_record_date",
    "pair_equivalents",
    "qualifier_before",
]

# --- units: sentences, list items, table rows -----------------------------------------------------------------

_BULLET_RE = re.compile(r"^\s*(?:[-•*·–]|\d{1,2}(?:\.\d{1,2})*[.)]?|[a-z]\)|#+)\s+(?=[A-ZÁÉÍÓÚÑ«\"(¿¡\d])")
_TABLE_SEP_RE = re.compile(r"^[\s|:\-]+$")
# "Las donaciones de Alemania y Francia suman EUR 28 millones": a sum of several donors, marked as a total.
_SUM_BEFORE_RE = re.compile(
    r"\b(?:suman|sumaron|sumarian|totalizan|totalizaron|en\s+conjunto|entre\s+ambos)\b[^.;]{0,200}$"
)
_FIELD_RE = re.compile(r"\W{0,3}[^\W\d_]{2,25}(?:\s[^\W\d_]{1,15}){0,2}\s{0,2}:\s")
_NUMBERED_CAPTION_RE = re.compile(r"\s*(?:cuadro|tabla|table|anexo)\s+\d")


# The rules below relate every amount of a unit to every actor, status and instrument mention of it, so a unit's
# cost grows with the square of its length. Real sentences and table rows are far shorter (the longest in the
# corpus is under 500 characters); a longer unit (a record exported without punctuation) is read in pieces of at
# most this many characters, cut at a space, so extraction stays linear in the page.
MAX_UNIT_CHARS = 1200


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] in pieces of at most `MAX_UNIT_CHARS` characters, cut after the last space of each piece."""
    pieces = []
    while end - start > MAX_UNIT_CHARS:
        limit = start + MAX_UNIT_CHARS
        cut = text.rfind(" ", start + MAX_UNIT_CHARS // 2, limit)
        cut = limit if cut < 0 else cut
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return pieces


def _units(text: str, tables: list[Table] | None = None) -> list[Unit]:
    units: list[Unit] = []
    block: list[tuple[int, int]] = []
    header: tuple[str, ...] | None = None
    lead = caption = scale_note = ""
    scanned = 0
    # Tables continued from the previous page without their header row: their rows are read under that header.
    inherited = {t.rows[0].start: t for t in tables or () if t.continued and t.header_row is None and t.rows}

    def flush() -> None:
        nonlocal block
        if block:
            b_start, b_end = block[0][0], block[-1][1]
            for s, e in split_sentences(text[b_start:b_end]):
                units.extend(Unit(a, b, "") for a, b in _bounded(text, b_start + s, b_start + e))
        block = []

    lines: list[tuple[int, int]] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    merged: list[tuple[int, int]] = []
    for start, end in lines:
        raw = text[start:end].strip()
        if merged:
            prev = text[merged[-1][0] : merged[-1][1]].strip()
            # A table row wrapped by the PDF text layer: "| BID | 12.300.000 | ... | Superintendencia de\nMigraciones |"
            # A row broken anywhere: "| Suiza | 2021 | CHF 4,5\nmillones | Vía socios | CHF 2,9\nmillones | Lima |"
            # A row broken at a cell boundary: "| ECHO | Bruselas 2023 | 8 |\n5,5 | En ejecución |" (the next line
            # closes a cell without opening one).
            if (
                prev.startswith("|")
                and (not prev.endswith("|") or raw.endswith("|"))
                and raw
                and not raw.startswith("|")
                and end - merged[-1][0] <= MAX_UNIT_CHARS
            ):
                merged[-1] = (merged[-1][0], end)
                continue
        merged.append((start, end))
    for start, end in merged:
        raw = text[start:end]
        if not raw.strip():
            flush()
            continue
        if is_table_row(raw):
            flush()
            if _TABLE_SEP_RE.match(raw):
                continue
            if header is None and start in inherited:
                table = inherited[start]
                header = tuple(fold_same_length(h) for h in table.header)
                lead = caption = table.caption
            if is_header(raw):
                header = tuple(fold_same_length(raw[a:b]) for a, b in cell_spans(raw))
                lead = text[units[-1].start : units[-1].end] if units else ""
                for u in units[scanned:]:  # each unit is read once: the latest statement of units on the page
                    if u.header is not None:
                        continue
                    unit_text = fold_same_length(text[u.start : u.end])
                    if _NUMBERED_CAPTION_RE.match(unit_text):
                        scale_note = ""  # "Cuadro 4." starts another table: the units stated for earlier ones end
                    if SCALE_NOTE_RE.search(unit_text):
                        scale_note = text[u.start : u.end]
                scanned = len(units)
                caption = lead if column_scale("", fold_same_length(lead)) != 1 else scale_note or lead
                continue
            if end - start <= MAX_UNIT_CHARS:
                units.append(Unit(start, end, lead, header, caption))
            else:  # not a table row any real table has: read it as prose, in bounded pieces
                units.extend(Unit(a, b, "") for a, b in _bounded(text, start, end))
            continue
        header = None
        if _BULLET_RE.match(raw):
            flush()
        block.append((start, end))
    flush()
    return units


# --- roles of actor mentions ----------------------------------------------------------------------------------

_ART = r"(?:(?:el|la|los|las)\s+)?"
_ROLE_PATTERNS = [
    # "en la Conferencia de Canadá", "la Conferencia Internacional de Solidaridad de Bruselas": a name inside the
    # name of an event is the place or host of a meeting, not a party to the amount
    (
        "event",
        re.compile(r"\b(?:conferencia|cumbre)(?!\s+de\s+prensa)(?:\s[^\W\d_]{1,20}){0,4}\s(?:de|del)\s+" + _ART + "$"),
    ),
    (
        "organizer",
        re.compile(
            r"(?:organizad[oa]s?|convocad[oa]s?|convocatoria|coanfitrion\w*|copresidid[oa]s?|"
            r"presidid[oa]s?|auspiciad[oa]s?|con\s+(?:el\s+)?(?:acompanamiento|respaldo|apoyo))\s+(?:por|de|del)\s+"
            + _ART
            + "$"
        ),
    ),
    (
        "channel",
        re.compile(
            r"(?:a\s+traves\s+|por\s+medio\s+|por\s+conducto\s+|por\s+intermedio\s+|con\s+cargo\s+a\s+)(?:de|del)?\s*"
            + _ART
            + "$|"
            r"(?:mediante|via|(?:canalizad|ejecutad|implementad|gestionad)[oa]s?\s+por)\s+"
            + _ART
            + "$|(?:que\\s+)?ejecutara\\s+"
            + _ART
            + "$"
        ),
    ),
    (
        "recipient",
        re.compile(
            r"(?:para|hacia|a\s+favor\s+de|en\s+favor\s+de|en\s+beneficio\s+de|"
            r"en\s+apoyo\s+(?:de|a)|destinad[oa]s?\s+a|asignad[oa]s?\s+a|dirigid[oa]s?\s+a|"
            r"respecta\s+(?:directamente\s+)?a)\s+" + _ART + "$|"
            r"(?:para|a\s+favor|en\s+favor|en\s+apoyo|en\s+beneficio|respecta\s+directamente\s+a)"
            r"\s+del\s+$|(?<![^\W\d_])(?:a|al)\s+" + _ART + r"$|(?<![^\W\d_])en\s+" + _ART + "$"
        ),
    ),
    ("counterpart", re.compile(rf"(?<![^\W\d_])con\s+{_ART}$")),
    ("agent", re.compile(rf"(?:por|por\s+parte\s+de|de\s+parte\s+de|por\s+parte\s+del)\s+{_ART}$")),
]
_COORD_RE = re.compile(r"^\s*,?\s*(?:y|e)\s+" + _ART + "$")
# "con la República de Austria", "por el Reino de Suecia": a state's title before its name does not change the role
_TITLE_TAIL_RE = re.compile(
    r"(?:gobierno|republica|reino|estado|confederacion|gran\s+ducado|principado)\s+(?:de|del)\s+(?:la\s+|los\s+)?$"
)


def _roles(quote_folded: str, mentions: list[ActorMention], s: int) -> dict[int, str]:
    roles: dict[int, str] = {}
    prev: ActorMention | None = None
    for m in mentions:
        before = quote_folded[max(0, m.start - s - 60) : m.start - s].replace("\n", " ")
        title = _TITLE_TAIL_RE.search(before)
        if title:
            before = before[: title.start()]
        role = "subject"
        for name, pattern in _ROLE_PATTERNS:
            if name == "event" and m.info.type != "país":
                continue  # only a country or city names a conference; "la conferencia de la AECID" is the AECID's
            if pattern.search(before):
                role = name
                break
        if role == "subject" and prev is not None and roles[id(prev)] != "subject":
            between = quote_folded[prev.end - s : m.start - s]
            if _COORD_RE.match(between):
                role = roles[id(prev)]
        roles[id(m)] = role
        prev = m
    return roles


# --- signal phrases -------------------------------------------------------------------------------------------

_REQUIREMENT_RE = re.compile(
    r"\b(?:requiere|requieren|requerira|requeriran|requerimientos?|requeridos?|requeridas?|necesidades|necesita|"
    r"necesitan|se\s+necesitan|solicita|solicito|solicitan|llamamiento|brecha|deficit|faltan|costo\s+estimado|"
    r"presupuesto\s+(?:total\s+)?del\s+plan|(?:monto|cifra)\s+de\s+referencia)\b"
)
_HYPOTHETICAL_BEFORE_RE = re.compile(
    r"\b(?:podria|podrian|pudiera|pudieran|eventualmente|eventual|de\s+ser\s+aprobad[oa]s?|si\s+se\s+aprueba|"
    r"proponemos|propone|propuso|se\s+estudia|evalua\s+la\s+posibilidad|previsto|prevista|previstos|previstas|"
    r"preve\s+\w+r|se\s+preve|se\s+espera|programad[oa]s?|se\s+ejecutaria|se\s+ejecutaran|se\s+desembolsaran|"
    r"se\s+desembolsara|se\s+realizaria|se\s+efectuaria|se\s+efectuara|se\s+efectuaran|se\s+transferiria|estudia|"
    # "expresó su disposición a financiar hasta ...": a willingness, not a pledge
    r"(?:disposicion|dispuest[oa]s?)\s+a\s+(?:financiar|aportar|contribuir|movilizar|otorgar|destinar|conceder|prestar))\b"
)
# "de € 1,5 millones, se encuentra en trámite": an amount still being processed is not a commitment stage yet.
# "el acuerdo de US$ 2 millones ... se firmará en Doha en los próximos días": a signature to come is no stage yet.
_PENDING_AFTER_RE = re.compile(
    r"^[^.;|]{0,60}?\b(?:se\s+encuentra\s+en\s+tramite|esta\s+en\s+tramite|por\s+firmar|se\s+firmara|se\s+firmaran|"
    r"se\s+suscribira|se\s+suscribiran)\b"
)
# "El Banco Mundial y el BID presentaron de manera conjunta ...": a joint statement has no single actor.
_JOINT_RE = re.compile(r"\b(?:de\s+manera\s+conjunta|en\s+forma\s+conjunta|conjuntamente)\b")
# "1 USD = S/ 3,71", "tipo de cambio de S/ 3,98 por euro": a rate, not money given.
_EXCHANGE_BEFORE_RE = re.compile(r"(?:\btipo\s+de\s+cambio\b[^.;]{0,30}|=\s{0,3})$")
# "S/ 3,75 por dólar", "SEK 11,3 por euro": an amount per unit of a currency is a rate.
_EXCHANGE_AFTER_RE = re.compile(r"^\s{0,3}(?:=|por\s+(?:cada\s+)?(?:dolar|euro|usd|eur|unidad)\b)")
_HYPOTHETICAL_AFTER_RE = re.compile(
    r"\b(?:pendientes?|restantes?|cada\s+un[oa]|sujet[oa]s?\s+a|previst[oa]s?|programad[oa]s?|se\s+espera|"
    r"se\s+realizaria|se\s+realizara|se\s+ejecutaran|se\s+desembolsaran|se\s+desembolsara|por\s+desembolsar|"
    r"se\s+transferira|se\s+transferiran|se\s+efectuara|se\s+efectuaran|se\s+efectuaria)\b"
)
# "una línea de hasta EUR 200 millones en préstamos, que dependerá de las solicitudes", "sujeta a la aprobación de su
# Consejo": an offer conditional on a later decision, read to the end of the amount's clause.
_CONDITIONAL_AFTER_RE = re.compile(
    r"^[^.;]{0,100}?\b(?:que\s+dependera|dependera\s+de|dependiendo\s+de|condicionad[oa]s?\s+a|"
    r"sujet[oa]s?\s+a\s+(?:la\s+)?(?:aprobacion|confirmacion)|a\s+ser\s+confirmad[oa]s?|pendientes?\s+de\s+confirmacion)\b"
)
# "Queda un saldo pendiente de CAD 6,2 millones", "el desembolso acumulado ... alcanza EUR 41 millones": what is
# still due, or the sum of years of payments, is not a stage of one commitment.
_PENDING_BEFORE_RE = re.compile(r"\b(?:saldos?|pendientes?|restantes?|por\s+desembolsar|por\s+ejecutar)\b[^.;]{0,25}$")
_CUMULATIVE_BEFORE_RE = re.compile(r"\b(?:acumulad[oa]s?|en\s+forma\s+acumulada)\b[^.;]{0,80}$")
# "Del total, CAD 7 millones se destinan a protección", "se distribuye en EUR 1,8 millones para empleo": a part of
# an amount already stated; its own entry only when it is a country's allocation ("CHF 3 millones al Perú").
_BREAKDOWN_BEFORE_RE = re.compile(
    r"(?:(?:^|[,(])\W*(?:del\s+total|de\s+(?:ese|este|dicho)\s+(?:monto|total|importe|aporte)|de\s+(?:los|las)\s+cuales)\b"
    r"|\b(?:se\s+distribuyen?|se\s+desglosan?|se\s+reparten?|distribuid[oa]s?|desglosad[oa]s?)\s+(?:en|asi)\b)"
    r"[^.;]{0,60}$"
)
# "desembolsó EUR 6 millones del programa bilateral de EUR 15 millones": the second names the pledge it is part of.
_REFERENCED_PLEDGE_RE = re.compile(
    r"\b(?:programa|convenio|acuerdo|compromiso|proyecto|prestamo|aporte|contribucion)\b[^.;,()]{0,25}\bde\s+$"
)
_TOTAL_RE = re.compile(
    r"\b(?:total|totales|en\s+conjunto|participantes|donantes|comunidad\s+internacional|conferencia|encuentro|"
    r"recauda|recaudo|moviliza|movilizo|movilizaron|sumaron|suman|suma|ascendio|asciende|ascienden|anuncios\s+por|"
    r"reunio\s+anuncios|organizadores)\b"
)
_STRONG_TOTAL_RE = re.compile(
    r"\b(?:un\s+total\s+de|en\s+total|en\s+conjunto|suman|sumaron|total\s+anunciado|participantes|comunidad\s+internacional|organizadores|"
    r"conferencia|anuncios\s+por|reunio\s+anuncios|recauda|recaudo|moviliza|movilizo|movilizaron)\b"
)
_BUDGET_RE = re.compile(
    r"\b(?:presupuesto\s+(?:institucional|nacional|publico|regional|municipal|sectorial|operativo)|recursos\s+propios|"
    r"contrapartida\s+nacional)\b"
)
# "que aún busca financiamiento", "por financiar": a figure still looking for a funder is a need.
_UNFUNDED_AFTER_RE = re.compile(
    r"^[^.;|]{0,40}?\b(?:busca\w*\s+financiamiento|requiere\w*\s+financiamiento|por\s+financiar|"
    r"sin\s+financiamiento)\b"
)
_COLLECTIVE_SUBJECT_RE = re.compile(
    r"\b(?:cooperacion\s+internacional|comunidad\s+internacional|comunidad\s+de\s+donantes|"
    r"(?:los|las)\s+(?:donantes|cooperantes))\b"
)
# Between a host named as the subject and an amount: words of the conference's pledges ("el Perú valoró que los
# donantes anunciaran un total de ..."), after which the amount is a total, not the host's own figure.
_PLEDGES_OF_OTHERS_RE = re.compile(r"\b(?:conferencia|donantes|cooperantes|comunidad\s+internacional|participantes)\b")
_CONVERSION_RE = re.compile(r"\b(?:equivalentes?|equivalen|equivale|equivalia)\b[^.;]{0,30}$|\bsaldo\b[^.;]{0,12}$")
_AGREEMENT_RE = re.compile(r"\b(?:convenio|convenios|acuerdo|contrato|prestamo|operacion|firm\w*|suscri\w*)\b")
_PURPOSE_RE = re.compile(
    r"\b(?:para|destinad[oa]s?\s+a|con\s+el\s+fin\s+de|a\s+fin\s+de|dirigid[oa]s?\s+a|orientad[oa]s?\s+a|"
    r"con\s+destino\s+a|en\s+apoyo\s+(?:de|a|al|del)|a(?=\s+(?:proyectos|programas|actividades|acciones|"
    r"iniciativas)\b))\s+"
)
_PURPOSE_STOP_RE = re.compile(
    r",\s+(?:que|de\s+los\s+cuales|de\s+las\s+cuales|mientras|y\s+(?:el|la|los|las)\b)|[;:.()|]|\s+y\s+(?=[A-ZÁÉÍÓÚ])"
)
_ANAPHORA_RE = re.compile(
    r"^\W*(?:de\s+(?:ese|esa|este|esta|dicho|dicha|tal)\s+\w+|de\s+(?:ellos|ellas|los\s+cuales|las\s+cuales)|"
    r"dentro\s+de\s+(?:ese|esa|este|esta|dicho|dicha)\s+\w+|del\s+total)\b"
)
_POSSESSIVE_RE = re.compile(r"^\s*(?:de|del)\s+" + _ART + "$")
_PERCENT_RE = re.compile(r"%|por\s+ciento")
# "el ACNUR informó haber recibido SEK 60 millones": the subject of a receiving verb is the recipient.
_RECEIPT_RE = re.compile(r"\b(?:recib\w*|obtuv\w*|obtenid[oa]s?|capto|captad[oa]s?|beneficiad[oa]s?)\b")
# Between an implementing agency or NGO and the amount it gives: a short clause, no anaphora ("de esos fondos").
_OWN_FUNDS_GAP = 90
_OWN_BUDGET_RE = re.compile(r"\bpresupuesto\b")  # "su presupuesto operativo ... es de S/ 4,5 millones": not a gift
_ANAPHORIC_BETWEEN_RE = re.compile(
    r"\b(?:de\s+(?:ese|esa|esos|esas|este|esta|estos|estas|dichos?|dichas?)|del\s+total)\b"
)
# The word right before a funding verb, and an optional parenthesis after it ("HIAS anunció", "Vision (ONG) donó").
_SUBJECT_WORD_RE = re.compile(r"([^\W\d_][\w&'.+/-]{0,40})\s{0,3}(?:\([^()]{0,40}\)\s{0,3})?,?\s{0,3}$")
_CLAUSE_BREAK_RE = re.compile(r"\b(?:y|e|pero|mientras)\s+que\b|;")
_PROGRESS_RE = re.compile(r"\s*(?:el|un|cerca\s+del|del|alrededor\s+del)?\s*(\d+)\s*(?:%|por\s+ciento)")
_GENERIC_RECIPIENTS = frozenset(
    {"países de acogida", "países de la región", "comunidades de acogida", "refugiados y migrantes venezolanos"}
)


def _amount_between(others: tuple[list[int], list[int]], lo: int, hi: int) -> bool:
    """Whether an amount lies within [lo, hi]; `others` are the (starts, ends) of a unit's amounts, which are
    sorted and disjoint, so the first amount starting at or after `lo` has the smallest end of those."""
    starts, ends = others
    i = bisect.bisect_left(starts, lo)
    return i < len(starts) and ends[i] <= hi


def _nearest(
    hits,
    amount: Amount,
    others: tuple[list[int], list[int]],
    text_folded: str,
    base: int,
    max_dist: int = 140,
    barriers: tuple[int, ...] = (),
):
    """Hit nearest to `amount` with no other amount (nor a percentage) between them; hits after weigh 1.5x and
    must not lie beyond a `barriers` position (where another donor's clause starts)."""
    best, best_d = None, None
    for h in hits:
        if h.start >= amount.end and any(amount.end <= b <= h.start for b in barriers):
            continue
        if h.end <= amount.start:
            lo, hi, d = h.end, amount.start, amount.start - h.end
        elif h.start >= amount.end:
            lo, hi, d = amount.end, h.start, (h.start - amount.end) * 1.5
        else:
            continue
        if d > max_dist or _amount_between(others, lo, hi):
            continue
        between = text_folded[lo - base : hi - base]
        if _PERCENT_RE.search(between) or (h.start >= amount.end and _CLAUSE_BREAK_RE.search(between)):
            continue
        if best_d is None or d < best_d:
            best, best_d = h, d
    return best


# --- equivalents and qualifiers ------------------------------------------------------------------------------

# "171 millones de dólares (unos 160 millones de euros)": what may stand between the amount and its equivalent.
_EQUIV_OPEN_RE = re.compile(
    r"\s{0,3}\(\s{0,3}(?:(?:unos|unas|alrededor\s+de|cerca\s+de|aproximadamente|aprox\.|casi|mas\s+de|"
    r"equivalentes?\s+a|equivale\s+a|equivalentes?\s+de|o\s+sea|es\s+decir)\s{1,3})?$"
)
_EQUIV_CLOSE_RE = re.compile(r"\s{0,3}(?:aprox\.?\s{0,3})?[),;]")
_QUALIFIERS = (
    (re.compile(r"(?:mas\s+de|superior(?:es)?\s+a|por\s+encima\s+de)\s{1,3}$"), "más de"),
    (re.compile(r"(?:alrededor\s+de|cerca\s+de|unos|unas|aproximadamente|aprox\.|casi|del\s+orden\s+de)\s{1,3}$"),
     "alrededor de"),
    (re.compile(r"(?<![^\W\d_])hasta\s{1,3}$"), "hasta"),
)


def pair_equivalents(text: str, amounts: list[Amount]) -> tuple[list[Amount], dict[int, tuple[Amount, ...]]]:
    """Fold an amount stated in parentheses in another currency right after an amount into that amount.

    :param text: the text the amounts' offsets index.
    :param amounts: amounts of one unit, sorted by offset.
    :returns: (the amounts left, {start of an amount: its equivalents}).
    """
    kept: list[Amount] = []
    equivalents: dict[int, tuple[Amount, ...]] = {}
    i = 0
    while i < len(amounts):
        a = amounts[i]
        kept.append(a)
        j = i + 1
        while j < len(amounts):
            b = amounts[j]
            between = fold_same_length(text[a.end : b.start]) if b.start - a.end <= 40 else ""
            close = _EQUIV_CLOSE_RE.match(text, b.end)
            if between and _EQUIV_OPEN_RE.match(between) and close and b.currency == a.currency and b.value == a.value:
                j += 1  # "cinco millones de dólares (USD 5.000.000)": the same amount restated in figures
                continue
            if not (between and _EQUIV_OPEN_RE.match(between) and close and b.currency and a.currency != b.currency):
                break
            equivalents[a.start] = (*equivalents.get(a.start, ()), b)
            j += 1
        i = j
    return kept, equivalents


def qualifier_before(text: str, start: int) -> str | None:
    """"más de", "alrededor de" or "hasta" when the words right before `start` bound or approximate an amount."""
    before = fold_same_length(text[max(0, start - 30) : start])
    for pattern, value in _QUALIFIERS:
        if pattern.search(before):
            return value
    return None


# --- extraction -----------------------------------------------------------------------------------------------


# A pledge restated at a new amount: "elevó su compromiso a EUR 1,6 millones", "el aporte se reducía a US$ 7
# millones", "elevado desde EUR 1 millón a EUR 1,6 millones", "lo confirmó a inicios de 2022 por US$ 400.000". The
# stage is flagged so linking can join it to the pledge it revises (`indexing.commitments.link`).
REVISED_FLAG = "monto_revisado"
_REVISION_BEFORE_RE = re.compile(
    r"\b(?:elevo|elevaron|elevado|elevada|aumento|aumentaron|aumentado|aumentada|amplio|ampliaron|ampliado|ampliada|"
    r"incremento|incrementaron|incrementado|incrementada|redujo|redujeron|reducido|reducida|reducia|reduce|reviso|"
    r"revisado|revisada|ajusto|ajustado|ajustada)\b(?:(?!\.\s)[^;\n]){0,80}?\ba\s{1,3}$"
    r"|\bconfirm(?:o|aron|ado|ada)\b(?:(?!\.\s)[^;\n]){0,60}?\bpor\s{1,3}$"
)


# A pledge the record says is new: "anunció un nuevo aporte de US$ 2 millones", "adicional a lo anunciado en las
# conferencias". It is not a restatement of an older pledge of the same amount.
NEW_FLAG = "compromiso_nuevo"
_NEW_BEFORE_RE = re.compile(
    r"\b(?:nuevo|nueva|nuevos|nuevas)\s{1,3}(?:aporte|compromiso|contribucion|donacion|anuncio|prestamo)s?\b"
    r"[^.;]{0,40}$"
)
_NEW_AFTER_RE = re.compile(
    r"^[^.;]{0,120}?\badicional(?:es)?\s{1,3}a\s{1,3}(?:lo|los|las)\s{1,3}(?:anunciad|comprometid)"
)


def _stage_flags(text: str, unit_start: int, unit_end: int, amount: Amount) -> tuple[str, ...]:
    """The amount's flags, with `REVISED_FLAG` for a pledge restated at a new amount and `NEW_FLAG` for a pledge the
    record calls new."""
    flags = list(amount.flags)
    if _revises(text, unit_start, amount):
        flags.append(REVISED_FLAG)
    before = fold_same_length(text[max(unit_start, amount.start - 60) : amount.start])
    after = fold_same_length(text[amount.end : min(unit_end, amount.end + 160)])
    if _NEW_BEFORE_RE.search(before) or _NEW_AFTER_RE.match(after):
        flags.append(NEW_FLAG)
    return tuple(flags)


def _revises(text: str, unit_start: int, amount: Amount) -> bool:
    """Whether the words before `amount` (within its unit, at most 110 characters) restate a pledge at a new
    amount (see `_REVISION_BEFORE_RE`)."""
    before = fold_same_length(text[max(unit_start, amount.start - 110) : amount.start])
    return _REVISION_BEFORE_RE.search(before) is not None


def _blank_actor_cell(text: str, unit: Unit) -> bool:
    """Whether a table row's actor cell (the donor column, else the first) is blank or a ditto mark."""
    cells = row_cells(text, unit)
    col = column(unit, "actor") or 0
    return col < len(cells) and BLANK_CELL_RE.fullmatch(text, *cells[col]) is not None


def _blank_event_cell(text: str, unit: Unit) -> bool:
    """Whether a table row's "Conferencia" cell is blank or a ditto mark (a cell merged with the one above)."""
    cells = row_cells(text, unit)
    col = column(unit, "event")
    return col is not None and col < len(cells) and BLANK_CELL_RE.fullmatch(text, *cells[col]) is not None


def _fold_column_equivalents(amounts: list[Amount]) -> tuple[list[Amount], dict[int, tuple[Amount, ...]]]:
    """A table row's figures of an "Equivalente (USD)" column (flagged by `table_row`) are the amount before them
    restated in another currency: {start of that amount: its equivalents}, never amounts of their own.

    :param amounts: the row's amounts, sorted by offset.
    :returns: (the amounts left, their equivalents).
    """
    kept: list[Amount] = []
    out: dict[int, tuple[Amount, ...]] = {}
    for a in amounts:
        if EQUIVALENT_FLAG not in a.flags:
            kept.append(a)
        elif kept and a.currency and a.currency != kept[-1].currency:
            out[kept[-1].start] = (*out.get(kept[-1].start, ()), a)
        elif not kept:
            # "| Total | | | 56,05 millones |": a row stating its figure only in the equivalent column states it there
            kept.append(replace(a, flags=tuple(f for f in a.flags if f != EQUIVALENT_FLAG)))
    return kept, out


@dataclass
class _PageState:
    prev_actor: str | None = None  # actor of the previous unit (its commitment, or its donor mention)
    # (header, actor) of the previous table row: a blank actor cell below it repeats that actor (a merged cell)
    row_actor: tuple[tuple[str, ...], str, str | None] | None = None  # with the row's stated conference
    # the donor of the last amount, kept across sentences that name no one (see `_extract_unit`)
    carried_actor: str | None = None
    prev_total: bool = False
    heading_actor: str | None = None
    last_event: str | None = None


def _commitment_id(document_id: str, page: int, start: int, end: int, amount_start: int | str) -> str:
    key = f"{document_id}|{page}|{start}|{end}|{amount_start}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def extract_commitments(
    text: str,
    *,
    document_id: str,
    filename: str,
    page: int,
    page_char_offset: int = 0,
    date: str | None = None,
    event: str | None = None,
    include_requirements: bool = False,
    tables: list[Table] | None = None,
) -> list[Commitment]:
    """Every commitment stated in `text` (one page, or one chunk of a page).

    :param text: the page (or chunk) text; quotes are substrings of it.
    :param document_id: id of the record.
    :param filename: file name of the record.
    :param page: 1-based page number.
    :param page_char_offset: offset of `text` in the page text (a chunk's ``char_start``); added to offsets.
    :param date: ISO date of the record, if known.
    :param event: conference or meeting of the record (chunk metadata), if known.
    :param include_requirements: also return funding needs (``kind="requerimiento"``).
    :param tables: the page's tables (`indexing.text.tables.find_tables` + `link_pages`, offsets in `text`); a table
        continuing from the previous page is read under the header and caption it inherits.
    :returns: commitments in text order (not deduplicated; see `deduplicate`).
    """
    head_event = detect_event(text[:400], window=300)
    if head_event and date:
        # A record dated long after the conference it names in its head is a follow-up, not the conference's own.
        gap = _days_between(event_date(head_event), date)
        if gap is None or not 0 <= gap <= 20:
            head_event = None
    state = _PageState()
    out: list[Commitment] = []
    for unit in _units(text, tables):
        out.extend(
            _extract_unit(
                text,
                unit,
                state,
                document_id=document_id,
                filename=filename,
                page=page,
                offset=page_char_offset,
                date=date,
                event=event,
                head_event=head_event,
                include_requirements=include_requirements,
            )
        )
    return out


def _days_between(a: str | None, b: str | None) -> int | None:
    from datetime import date as _date

    if not a or not b:
        return None
    try:
        return (_date.fromisoformat(b[:10]) - _date.fromisoformat(a[:10])).days
    except ValueError:
        return None


def _extract_unit(
    text,
    unit: Unit,
    state: _PageState,
    *,
    document_id,
    filename,
    page,
    offset,
    date,
    event,
    head_event,
    include_requirements,
) -> list[Commitment]:
    s, e = unit.start, unit.end
    quote = text[s:e]
    folded = fold_same_length(quote)
    mentions = [ActorMention(m.canonical, m.start + s, m.end + s, m.surface, m.info) for m in find_actors(quote)]
    roles = _roles(folded, mentions, s)
    for k, mention in enumerate(mentions):
        tail = (mention.end - s, min(len(folded), mention.end - s + 90))
        if mention.info.type in ("ong", "fundación") and _NGO_VERB_FIRST_RE.match(folded, *tail):
            # "HIAS comprometió además USD 150.000 ..., de los cuales ejecutó USD 95.000": an NGO or foundation giving
            # its own funds is the donor of its clause
            giver = replace(mention, info=replace(mention.info, implementer=False))
            roles[id(giver)] = "subject"
            mentions[k] = giver
    donors = [m for m in mentions if m.info.donor and roles[id(m)] in ("subject", "agent", "counterpart")]
    is_heading = len(quote.split()) <= 7 and not find_amounts(quote) and unit.header is None
    # "Proyecto: Integración local en Arequipa", "Estado: comprometido": a field of a record block ("Cooperante:
    # Fundación Avina" ... "Monto: USD 450.000") names no donor of its own and keeps the block's donor in scope.
    other_field = not donors and unit.header is None and _FIELD_RE.match(folded) is not None
    if other_field and not find_amounts(quote):
        return []
    if is_heading:
        # "# HIAS" over "Comprometió USD 150.000 de fondos propios ...": an NGO or foundation heading its own section
        givers = [m for m in mentions if m.info.type in ("ong", "fundación")]
        state.heading_actor = donors[0].canonical if donors else givers[0].canonical if len(givers) == 1 else None

    amounts = [replace(a, start=a.start + s, end=a.end + s) for a in find_amounts(quote) if not _is_unit_statement(a)]
    row_actor = None
    merged_row: tuple[tuple[str, ...], str, str | None] | None = None
    column_equivalents: dict[int, tuple[Amount, ...]] = {}
    if unit.header is not None:
        above_row = state.row_actor if state.row_actor and state.row_actor[0] == unit.header else None
        above = above_row[1] if above_row else None
        row_actor, amounts = table_row(text, unit, amounts, _table_donor(unit, state), above)
        merged_row = above_row if above_row and row_actor == above and _blank_actor_cell(text, unit) else None
        if row_actor is None:
            amounts = []
        amounts, column_equivalents = _fold_column_equivalents(amounts)
    else:
        state.row_actor = None
    amounts, equivalents = pair_equivalents(text, amounts)
    for start, extra in column_equivalents.items():
        equivalents[start] = (*equivalents.get(start, ()), *extra)
    sentence_event = detect_event(quote) or detect_event_by_month(quote, date)
    if sentence_event is None and "conferencia" in folded and state.last_event:
        sentence_event = state.last_event
    if sentence_event:
        state.last_event = sentence_event
    elif head_event and state.last_event is None:
        state.last_event = head_event
    the_event = sentence_event or event or head_event
    # stated by the sentence, or the conference's own record (`event` is only given to those); the head of a
    # follow-up page naming a conference does not tie each of its amounts to it
    event_explicit = (sentence_event or event) is not None
    if unit.header is not None:
        row_event = table_event(text, unit)
        if row_event:
            the_event, event_explicit = row_event, True
        elif merged_row is not None and merged_row[2] is not None and _blank_event_cell(text, unit):
            # "| | | Primer desembolso | 1,4 millones |" under "| Qatar (QFFD) | Bruselas 2023 | ...": the merged cells
            # of the row above (donor and conference) are this row's too
            the_event, event_explicit = merged_row[2], True
        elif column(unit, "event") is not None:
            # a blank "Conferencia" cell ("| Total | | 5.950 |"): the row is of no one conference, not the last
            # conference of the rows above
            the_event, event_explicit = event, event is not None
    if unit.header is not None:
        state.row_actor = (unit.header, row_actor, the_event if event_explicit else None) if row_actor else None
    if not amounts:
        if unit.header is None:
            # "Los acuerdos fueron suscritos el 2 de octubre." names no one: the donor just named stays in scope for
            # a stage of its pledge in the next sentence ("El primer tramo de la donación, por USD 2 millones, ...")
            neutral = not mentions and not is_heading
            state.carried_actor = (state.prev_actor or state.carried_actor) if neutral else None
            state.prev_actor = (
                donors[0].canonical if is_heading and donors else donors[-1].canonical if donors else None
            )
            state.prev_total = False
        return []

    bounds = ([a.start for a in amounts], [a.end for a in amounts])
    status_hits = [_shift(h, s) for h in status_matcher().find(quote)]
    instrument_hits = [_shift(h, s) for h in instrument_matcher().find(quote)]
    recipient_phrases = [(v, a + s, b + s) for v, a, b in find_recipient_phrases(quote)]
    lead_status = _lead_status(unit)
    agreement = bool(_AGREEMENT_RE.search(folded))

    results: list[Commitment] = []
    previous_currency = None
    previous_status: tuple[str, bool] | None = None
    skipped_previous = False
    respective = _respective_actors(text, amounts, donors, roles, s) if unit.header is None else {}
    broke_down = False
    for i, amount in enumerate(amounts):
        zone_start = amounts[i - 1].end if i else s
        zone_end = amounts[i + 1].start if i + 1 < len(amounts) else e
        lo, hi = zone_start, zone_end
        if unit.header is not None and (cell := cell_of(text, unit, amount.start)) is not None:
            # a table row is read by column: the words of a cell ("Por desembolsar" in the Estado column) are not a
            # clause around an amount in another cell
            cs, ce = row_cells(text, unit)[cell]
            lo, hi = max(zone_start, cs), min(zone_end, ce)
        before = fold_same_length(text[lo : amount.start])
        after = fold_same_length(text[amount.end : min(hi, amount.end + 25)])
        kind = "compromiso"
        status_hit = _nearest(status_hits, amount, bounds, folded, s)
        req = None
        for m in _REQUIREMENT_RE.finditer(before):
            req = m
        if _REQUIREMENT_RE.match(after.lstrip(" ,")) or (
            req is not None
            and (status_hit is None or status_hit.end <= zone_start + req.start() or status_hit.start >= amount.end)
        ):
            kind = "requerimiento"
        elif (
            _HYPOTHETICAL_BEFORE_RE.search(before[-90:])
            or _HYPOTHETICAL_AFTER_RE.search(after)
            or _CONVERSION_RE.search(before)
            or _PENDING_BEFORE_RE.search(before[-60:])
            or _CUMULATIVE_BEFORE_RE.search(before[-120:])
            or _cumulative_span(before, after)
            or _PROJECT_COST_BEFORE_RE.search(before[-60:])
            or (unit.header is None and _implementer_own_use(mentions, amount, zone_start, folded, s, after))
            or (skipped_previous and status_hit is None)
            or pending_column(text, unit, amount)
            or _EXCHANGE_BEFORE_RE.search(before[-50:])
            or _EXCHANGE_AFTER_RE.match(after)
            or (unit.header is None and _UNFUNDED_AFTER_RE.match(fold_same_length(text[amount.end : amount.end + 80])))
            or (
                unit.header is None
                and _CONDITIONAL_AFTER_RE.match(fold_same_length(text[amount.end : min(zone_end, amount.end + 160)]))
            )
            or (unit.header is None and _PENDING_AFTER_RE.match(fold_same_length(text[amount.end : amount.end + 80])))
        ):
            skipped_previous = True
            continue
        skipped_previous = False
        if kind == "requerimiento" and not include_requirements:
            continue

        actor: str | None
        each: list[str] = []
        if row_actor == TOTAL_ACTOR:
            actor, is_total = TOTAL_ACTOR, True  # a table's total row: marked, never added to the pledges
        elif row_actor is not None:
            actor, is_total = cell_actor(text, unit, amount, mentions, roles) or row_actor, False
        elif amount.start in respective:
            actor, is_total = respective[amount.start], False
        elif each := _distributive_actors(donors, roles, amount, zone_start, folded, s):
            actor, is_total = each[0], False
        else:
            actor, is_total = _choose_actor(
                mentions, roles, amount, zone_start, zone_end, agreement, state, donors, folded, s,
                subject_unknown=_unknown_subject(text, mentions, status_hit, amount, zone_start)
                or _unknown_item_name(text, mentions, amount, zone_start),
            )
        if actor is not None and not is_total and unit.header is None and _is_joint(mentions, roles, amount, folded, s):
            continue
        if (
            actor is not None
            and not is_total
            and state.prev_actor
            and actor != state.prev_actor
            and same_family(actor, state.prev_actor)
            and _OF_THAT_PLEDGE_RE.match(fold_same_length(text[amount.end : amount.end + 40]))
        ):
            # "Irish Aid ha desembolsado EUR 1,6 millones de ese aporte": a stage of the pledge just named keeps the
            # actor that pledge was named with (the agency pays what its country announced)
            actor = state.prev_actor
        if actor is None and kind == "requerimiento":
            actor = NO_ACTOR
        if actor is None:
            continue
        # After the amount, another donor's name starts another clause: its verb and instrument are not ours.
        barriers = tuple(m.start for m in donors if m.start >= amount.end and m.canonical != actor)
        status_hit = _nearest(status_hits, amount, bounds, folded, s, barriers=barriers)

        currency = (
            amount.currency
            or row_currency(text, unit)
            or previous_currency
            or _next_currency(amounts, i, donors)
            or header_currency(unit)
        )
        previous_currency = currency or previous_currency
        if currency is None:
            continue  # money only: a figure with no currency stated, in the table or the context, is no entry
        from_cell = cell_status(text, unit, amount) if unit.header is not None else None
        if from_cell is not None:
            status, explicit = from_cell
        elif status_hit is not None and status_hit.value is not None:
            status, explicit = str(status_hit.value), True
        elif previous_status is not None and _REFERENCED_PLEDGE_RE.search(before[-60:]):
            status, explicit = "comprometido", False  # the pledge a previous amount is part of: not its stage
        elif previous_status is not None:
            status, explicit = previous_status
        elif lead_status:
            status, explicit = lead_status, True
        else:
            status, explicit = "comprometido", False
        if explicit and status_hit is not None and status in ("desembolsado", "ejecutado"):
            pct = _PROGRESS_RE.match(fold_same_length(text[status_hit.end : status_hit.end + 30]))
            if pct and int(pct.group(1)) < 100:
                status, explicit = "comprometido", False  # "ha ejecutado el 45 %" of the amount: progress only
        previous_status = (status, explicit)
        instrument_hit = _nearest(instrument_hits, amount, bounds, folded, s, max_dist=120, barriers=barriers)
        instrument = table_field(unit, text, "instrument") if unit.header is not None else None
        if instrument is None:
            instrument = str(instrument_hit.value) if instrument_hit else None
        recipient = _recipient(mentions, roles, recipient_phrases, amount, zone_start, zone_end, actor, s)
        # a part of a pledge for a country or agency ("CHF 3 millones corresponden al Perú", "CAD 30 millones se
        # asignarán al ACNUR") is an allocation to it; a part for a kind of organisation ("EUR 800.000 se destinarán
        # a organizaciones de la sociedad civil italianas presentes en el Perú") is a breakdown by channel
        allocated = not _TO_ORGANISATIONS_AFTER_RE.match(fold_same_length(text[amount.end : amount.end + 60])) and (
            (recipient is not None and actor_info(recipient) is not None)
            or any(roles[id(m)] == "channel" and 0 <= m.start - amount.end <= 45 for m in mentions)
        )
        # "de los cuales Alemania aporta EUR 12 millones": a donor named before the amount states its own part
        marks = [x.end() for x in _OF_WHICH_RE.finditer(fold_same_length(text[zone_start : amount.start]))]
        allocated = allocated or (
            bool(marks)
            and any(zone_start + marks[-1] <= m.start < amount.start and m.canonical == actor for m in donors)
        )
        if unit.header is None and not is_total and _is_breakdown(text, s, zone_start, amount, allocated):
            broke_down = True
            continue
        purpose = _purpose(text, amount, zone_end, mentions)
        char_start, char_end = offset + s, offset + e
        column_event = cell_event(text, unit, amount) if unit.header is not None else None
        results.append(
            Commitment(
                id=_commitment_id(document_id, page, char_start, char_end, offset + amount.start),
                actor=TOTAL_ACTOR if is_total else actor,
                amount=float(amount.value),
                currency=currency,
                instrument=instrument or "unknown",
                recipient=recipient,
                purpose=purpose,
                status=status,
                event=column_event or the_event,
                date=date,
                sources=[Source(document_id, filename, page, quote, char_start, char_end)],
                kind=kind,
                is_total=is_total,
                status_explicit=explicit,
                actor_rollup=None if is_total else rollup_name(actor),
                amount_text=amount.text,
                flags=_stage_flags(text, s, e, amount),
                equivalents=tuple(
                    Equivalent(float(x.value), x.currency) for x in equivalents.get(amount.start, ()) if x.currency
                ),
                qualifier=qualifier_before(text, amount.start),
                event_explicit=event_explicit or column_event is not None,
            )
        )
        for other in each[1:]:  # "cada una aportará EUR 1 millón": the same amount from each donor named
            key = f"{offset + amount.start}|{other}"
            results.append(
                replace(
                    results[-1],
                    id=_commitment_id(document_id, page, char_start, char_end, key),
                    actor=other,
                    actor_rollup=rollup_name(other),
                    sources=list(results[-1].sources),
                )
            )
    if unit.header is not None:
        results = _merge_row_stages(results)
    compromisos = [c for c in results if c.kind == "compromiso"]
    state.carried_actor = None
    if compromisos:
        state.prev_total = compromisos[-1].is_total
        state.prev_actor = None if state.prev_total else compromisos[-1].actor
    elif donors:
        state.prev_actor, state.prev_total = donors[-1].canonical, False
    elif not broke_down:
        state.prev_actor, state.prev_total = None, False
    # else: a breakdown of the previous actor's amount ("Del total, CAD 7 millones ...") keeps that actor in scope
    return results


# "EUR 6 millones y EUR 3,5 millones, respectivamente": the amounts of a list go to the donors of a list, in order.
_RESPECTIVE_AFTER_RE = re.compile(r"\s{0,3},?\s{0,3}respectivamente\b")
_LIST_JOIN_RE = re.compile(r"\s{0,3}(?:,|y|e)\s{0,3}(?:(?:y|e)\s{1,3})?")
_LIST_NAMES_JOIN_RE = re.compile(
    r"\s{0,3}(?:,|y|e)\s{0,3}(?:(?:y|e)\s{1,3})?" + _ART + r"(?:(?:gobierno|embajada)\s+(?:de|del)\s+)?" + _ART
)
# "Los Países Bajos y Bélgica ... cada una aportará EUR 1 millón": one amount from each of the donors named.
_EACH_BEFORE_RE = re.compile(r"\bcada\s+un[oa]\b[^.;]{0,40}$")


def _respective_actors(text: str, amounts: list[Amount], donors, roles, base: int) -> dict[int, str]:
    """{amount start: donor} for a list of amounts closed by "respectivamente" after a list of as many donors
    ("Francia e Italia aportarán EUR 6 millones y EUR 3,5 millones, respectivamente").

    Linear: each amount is looked at once, and each list once.
    """
    out: dict[int, str] = {}
    i = 0
    while i < len(amounts):
        j = i
        while j + 1 < len(amounts) and _LIST_JOIN_RE.fullmatch(text, amounts[j].end, amounts[j + 1].start):
            j += 1
        if j > i and _RESPECTIVE_AFTER_RE.match(text, amounts[j].end):
            listed = amounts[i : j + 1]
            names = _donor_list_before(text, donors, listed[0].start, len(listed))
            if names:
                out.update({a.start: n for a, n in zip(listed, names, strict=True)})
        i = j + 1
    return out


def _donor_list_before(text: str, donors, limit: int, count: int) -> list[str]:
    """The last `count` donors before `limit` when they form one coordinated list ("Francia e Italia")."""
    before = [m for m in donors if m.end <= limit]
    if len(before) < count:
        return []
    listed = before[-count:]
    for a, b in zip(listed, listed[1:], strict=False):
        if not _LIST_NAMES_JOIN_RE.fullmatch(fold_same_length(text[a.end : b.start])):
            return []
    return [m.canonical for m in listed]


def _distributive_actors(donors, roles, amount: Amount, zone_start: int, folded: str, base: int) -> list[str]:
    """The donors of a coordinated subject when "cada uno/una" governs the amount ("La Embajada de los Países Bajos
    y la Embajada de Bélgica comunicaron que cada una aportará EUR 1 millón"), else []."""
    if not _EACH_BEFORE_RE.search(folded[max(zone_start, amount.start - 60) - base : amount.start - base]):
        return []
    before = [m for m in donors if zone_start <= m.start and m.end <= amount.start and roles[id(m)] == "subject"]
    if len(before) < 2:
        return []
    run = [before[-1]]
    for m in reversed(before[:-1]):
        between = folded[m.end - base : run[0].start - base]
        if not _LIST_NAMES_JOIN_RE.fullmatch(between):
            break
        run.insert(0, m)
    names = list(dict.fromkeys(m.canonical for m in run))
    return names if len(names) >= 2 else []


_PAID_PART_BEFORE_RE = re.compile(
    r"\b(?:ejecuto|ejecutaron|ejecutado|ejecutados|desembolso|desembolsaron|desembolsado|desembolsados|transfirio|"
    r"transfirieron|transferido|transferidos|pago|pagaron|pagado|pagados)\b[^.;]{0,25}$"
)


def _is_breakdown(text: str, unit_start: int, zone_start: int, amount: Amount, near: bool) -> bool:
    """Whether `amount` is a part of an amount already stated, by sector, tranche or channel ("Del total, CAD 7
    millones se destinan a protección y CAD 5 millones a integración"): the breakdown marker opens the unit or the
    clause before the amount. An allocation to a country or an agency ("de ese monto, CHF 3 millones corresponden al
    Perú", "De ese total, CAD 30 millones se asignarán al ACNUR y a la OIM") stays: `near` says so."""
    if near:
        return False  # an allocation to a country or an agency is a commitment to it
    if _PAID_PART_BEFORE_RE.search(fold_same_length(text[max(zone_start, amount.start - 50) : amount.start])):
        return False  # "de los cuales ejecutó USD 95.000": the part paid out is a stage of the pledge, not a share
    head = fold_same_length(text[unit_start : min(amount.start, unit_start + 120)])
    if _BREAKDOWN_BEFORE_RE.search(head):
        return True
    return bool(_BREAKDOWN_BEFORE_RE.search(fold_same_length(text[max(zone_start, amount.start - 80) : amount.start])))


def _is_unit_statement(amount: Amount) -> bool:
    """ "en millones de dólares estadounidenses": the plural with no count states the unit of a table's figures,
    not an amount ("un millón de dólares" is one)."""
    return "en_palabras" in amount.flags and fold_same_length(amount.text).startswith(("millones", "miles de"))


def _is_joint(mentions, roles, amount: Amount, folded: str, base: int) -> bool:
    """Whether the amount is stated jointly by two unrelated donors ("El Banco Mundial y el BID presentaron de
    manera conjunta ... EUR 170 millones"): the joint marker and both donors come before the amount."""
    joint = _JOINT_RE.search(folded[: amount.start - base])
    if joint is None:
        return False
    names = [m.canonical for m in mentions if m.end <= amount.start and m.info.donor and roles[id(m)] == "subject"]
    return any(not same_family(names[0], n) for n in names[1:])


def _merge_row_stages(results: list[Commitment]) -> list[Commitment]:
    """One table row restating its amount in a later pledge column ("Anunciado 2,5 | Firmado 2,5") states one
    commitment that advanced: keep the first, with the most advanced status. A disbursement is its own stage."""
    out: list[Commitment] = []
    for c in results:
        same = next(
            (
                o
                for o in out
                if o.currency == c.currency
                and o.amount == c.amount
                and STAGE_GROUP[o.status] == STAGE_GROUP[c.status] == "pledge"
            ),
            None,
        )
        if same is None:
            out.append(c)
        elif STATUS_ORDER.index(c.status) > STATUS_ORDER.index(same.status):
            same.status, same.status_explicit = c.status, True
    return out


def _shift(hit, s):
    return type(hit)(hit.value, hit.start + s, hit.end + s, hit.surface)


@lru_cache(maxsize=16)
def _unit_signals(folded: str) -> tuple[bool, bool, bool]:
    """(host budget, strong total, total) phrases of a folded unit: read once per unit, not once per amount."""
    return (
        bool(_BUDGET_RE.search(folded)),
        bool(_STRONG_TOTAL_RE.search(folded)) and not _ANAPHORA_RE.match(folded),
        bool(_TOTAL_RE.search(folded)),
    )


def _unknown_subject(text: str, mentions, status_hit, amount: Amount, zone_start: int) -> bool:
    """Whether the funding verb governing `amount` ("World Vision comprometió USD 950.000") has a named subject the
    gazetteer does not know: a capitalized word right before the verb, outside every actor mention. The amount is
    then someone's we cannot name, not the previous sentence's actor's.

    :param status_hit: the status phrase nearest to the amount (before it, or None).
    """
    if status_hit is None or status_hit.end > amount.start or status_hit.start <= zone_start:
        return False
    lo = max(zone_start, status_hit.start - 60)
    m = _SUBJECT_WORD_RE.search(text, lo, status_hit.start)
    if m is None or not m.group(1)[0].isupper():
        return False
    word_start = m.start(1)
    if word_start == zone_start or not text[zone_start:word_start].strip(" \t\n-•*·–0123456789.)"):
        # the first word of the unit: capitalized by the sentence, not a name ("Se anunciaron", "Asimismo")
        return False
    return not any(x.start <= word_start < x.end or word_start <= x.start < status_hit.start for x in mentions)


# "- Diputación de Barcelona — EUR 150.000 para albergues": a list item naming its giver before a dash or colon.
_NAMED_ITEM_RE = re.compile(
    r"(?:([-•*·–])\s{1,3})?([A-ZÁÉÍÓÚÑ][^\s—–:|]{0,30}(?:\s{1,3}[^\s—–:|]{1,30}){0,6}?)\s{0,3}([—–:])\s"
)


_ORGANISATION_WORD_RE = re.compile(
    r"\b(?:diputacion|fundacion|asociacion|ayuntamiento|municipalidad|municipio|gobierno|generalitat|junta|agencia|"
    r"fondo|banco|cooperacion|embajada|consejo|comite|red|organizacion|instituto|federacion|confederacion|"
    r"union|iglesia|caritas|mision|ministerio|corporacion|sociedad|ong|foundation|fund|agency)\b",
    re.IGNORECASE,
)


def _unknown_item_name(text: str, mentions, amount: Amount, zone_start: int) -> bool:
    """Whether the unit of `amount` opens with a name and a dash or colon ("Diputación de Barcelona — EUR 150.000")
    that holds no actor the gazetteer knows: the amount is that unknown giver's, not the previous item's."""
    m = _NAMED_ITEM_RE.match(text, zone_start, amount.start)
    if m is None or (m.group(3) == ":" and m.group(1) is None):
        return False  # "Monto: USD 450.000": a field of a record block, not a list item naming a giver
    name = m.group(2)
    if not (_ORGANISATION_WORD_RE.search(fold_same_length(name)) or re.fullmatch(r"[A-ZÁÉÍÓÚÑ&+-]{2,12}", name)):
        return False  # "- Salud: EUR 3 millones", "- Conferencia 2020: ...": a label under the donor's heading
    first = fold_same_length(name.split()[0]).lower()
    if any(first.startswith(k) for keys in HEADER_KEYS.values() for k in keys) or first in ("total", "subtotal"):
        return False  # "- Monto total: USD 2 millones", "- Estado: ...": a field name
    return not any(m.start(2) <= x.start < m.end(2) for x in mentions)


# "sumó AUD 9 millones entre 2015 y 2020", "entre 2019 y 2022 alcanzó USD 30 millones": a sum over years is a
# cumulative figure for context, not a commitment.
_SUM_VERB_END_RE = re.compile(
    r"\b(?:sumo|sumaron|suma|suman|totalizo|totalizaron|acumulo|acumularon|ascendio|ascendieron|alcanzo|alcanzaron)"
    r"(?:\s{1,3}(?:a|un\s+total\s+de|en\s+total))?\s{0,3}$"
)
_YEAR_SPAN_RE = re.compile(
    r"\b(?:entre|desde)\s{1,3}(?:el\s{1,3})?(?:19|20)\d\d\s{1,3}(?:y|a|hasta)\s{1,3}(?:el\s{1,3})?(?:19|20)\d\d\b"
)


def _cumulative_span(before: str, after: str) -> bool:
    """Whether a sum verb states the amount over a span of years ("sumó AUD 9 millones entre 2015 y 2020").

    :param before: folded text of the amount's clause before it.
    :param after: folded text right after it.
    """
    if not _SUM_VERB_END_RE.search(before[-40:]):
        return False
    return bool(_YEAR_SPAN_RE.match(after.lstrip(" ,")) or _YEAR_SPAN_RE.search(before[-120:]))


# What a UN agency or NGO that implements others' funds does with money it holds: receives it ("La OIM informó que
# recibió USD 4 millones"), or allocates it ("el ACNUR destinará USD 2,3 millones a los albergues", "la agencia
# destinará USD 600.000 de estos recursos"). Neither is a donor's commitment; its own funds ("de sus fondos propios")
# are.
_ALLOCATE_END_RE = re.compile(
    r"\b(?:destinara|destinaran|destina|destinan|asignara|asignaran|invertira|invertiran|dedicara|dedicaran|utilizara|"
    r"utilizaran|empleara|emplearan)\s{0,3}$"
)
_RECEIVED_FUNDS_AFTER_RE = re.compile(
    r"\s{0,3}de\s{1,3}(?:estos|esos|dichos|tales|los|sus|aquellos)\s{1,3}(?:recursos|fondos|aportes|montos)\b"
    r"(?!\s{1,3}propios)"
)
_FUTURE_RECEIPT_RE = re.compile(r"\b(?:recibira|recibiran|preve\s+recibir|prevé\s+recibir|espera\s+recibir)\b")
_OWN_FUNDS_RE = re.compile(r"\b(?:fondos|recursos)\s{1,3}propios\b")


def _implementer_own_use(mentions, amount: Amount, zone_start: int, folded: str, base: int, after: str) -> bool:
    """Whether an implementing agency receives or allocates the amount (see above): the last actor named before it
    in its clause is an implementer with a receiving or allocating verb, or an allocating verb takes it "de estos
    recursos".

    :param mentions: the unit's actor mentions.
    :param amount: the amount.
    :param zone_start: start of the amount's clause (after the previous amount).
    :param folded: the folded unit text (offset `base`).
    :param after: folded text right after the amount.
    """
    between_start = max(zone_start, amount.start - _OWN_FUNDS_GAP)
    lead = folded[between_start - base : amount.start - base]
    if _ALLOCATE_END_RE.search(lead[-30:]) and _RECEIVED_FUNDS_AFTER_RE.match(after):
        return True
    before = [m for m in mentions if zone_start <= m.start and m.end <= amount.start]
    if not before or not before[-1].info.implementer or amount.start - before[-1].end > _OWN_FUNDS_GAP:
        return False
    between = folded[before[-1].end - base : amount.start - base]
    if _FUTURE_RECEIPT_RE.search(between):
        return True  # "de ese monto, el ACNUR recibirá US$ 3 millones": a share still to come
    if _OWN_FUNDS_RE.search(folded[before[-1].end - base : min(len(folded), amount.end - base + 60)]):
        return False
    if any(m.info.donor for m in mentions if before[-1].end <= m.start < amount.start):
        return False
    if _ALLOCATE_END_RE.search(between[-30:]):
        return True
    # a receipt is a donor's payment ("el ACNUR informó haber recibido SEK 60 millones" of Sweden's pledge, "recibió
    # USD 4 millones del Gobierno de los Estados Unidos") unless it sums what came from all ("recibió un total de
    # USD 41 millones", "USD 4 millones de sus distintos donantes")
    tail = folded[amount.end - base : amount.end - base + 80]
    return _receives(between) and bool(_AGGREGATE_BEFORE_RE.search(between[-40:]) or _FROM_ALL_AFTER_RE.match(tail))


_AGGREGATE_BEFORE_RE = re.compile(r"\b(?:un\s+total\s+de|en\s+total|en\s+conjunto|en\s+suma)\s{0,3}$")
_FROM_ALL_AFTER_RE = re.compile(
    r"\s{0,3}(?:de|por\s+parte\s+de)\s{1,3}(?:sus|los|las|diversos|distintos|varios|diferentes)\s{1,3}"
    r"(?:(?:diversos|distintos|varios|diferentes)\s{1,3})?(?:donantes|cooperantes|socios|financiadores|fuentes)\b"
)


# A stage of a pledge already named: "el primer tramo", "el segundo desembolso", "de la donación", "del préstamo".
_DEFINITE_STAGE_RE = re.compile(
    r"\b(?:(?:primer|segundo|tercer|cuarto|quinto|ultimo|nuevo)\s{1,3}(?:tramo|desembolso|pago)|"
    r"(?:de|del)\s{1,3}(?:la|el|dicha|dicho|esta|este|esa|ese)?\s{0,3}(?:donacion|aporte|contribucion|prestamo|"
    r"compromiso|convenio|acuerdo))\b"
)


# "el total anunciado en la conferencia asciende a", "el total de los anuncios ascendió a": the conference's total,
# whoever reports it.
_EVENT_TOTAL_BEFORE_RE = re.compile(
    r"\bel\s{1,3}total\s{1,3}(?:anunciado|comprometido|recaudado|movilizado|de\s{1,3}(?:los\s{1,3})?(?:anuncios|compromisos|aportes))"
    r"\b[^.;]{0,60}\b(?:asciende|ascendio|alcanza|alcanzo|suma|sumo|llega|llego|es|fue)\b[^.;]{0,12}$"
)
_RECEPTION_RE = re.compile(r"\b(?:recepcion|recibi\w*|recibid[oa]s?)\b")


def _implementer_receipt(mentions, amount: Amount, zone_start: int, folded: str, base: int) -> bool:
    """Whether an implementing agency, the last actor named before `amount` in its clause, states it received it
    ("La OPS confirmó la recepción de US$ 2 millones", "El PMA informó que recibió alimentos por US$ 3 millones"):
    the payment of the donor in scope."""
    before = [m for m in mentions if zone_start <= m.start and m.end <= amount.start]
    if not before or not before[-1].info.implementer or amount.start - before[-1].end > _OWN_FUNDS_GAP:
        return False
    between = folded[before[-1].end - base : amount.start - base]
    return bool(_RECEPTION_RE.search(between)) and not _GIVING_RE.search(between)


_NGO_GIVING_RE = re.compile(
    r"\b(?:anuncio|anunciaron|comprometio|comprometieron|aporto|aportara|aporta|dono|donara|ofrecio|otorgo|"
    r"desembolso|financio|financiara)\b"
)


def _giving_ngo(mentions, roles, amount: Amount, zone_start: int, folded: str, base: int):
    """The NGO or foundation that is the subject of a giving verb right before `amount` ("Save the Children anunció
    alrededor de US$ 1,2 millones", "HIAS comprometió USD 750.000"): it gives its own funds. None otherwise."""
    before = [m for m in mentions if zone_start <= m.start and m.end <= amount.start]
    if not before:
        return None
    m = before[-1]
    if m.info.type not in ("ong", "fundación") or amount.start - m.end > 60:
        return None
    between = folded[m.end - base : amount.start - base]
    if _RECEPTION_RE.search(between):
        return None
    # its own verb right after its name ("Save the Children anunció", "HIAS (ONG) ha comprometido"), whatever role
    # a preceding "para" gave the name
    verb = _NGO_VERB_FIRST_RE.match(between)
    if verb is None and not (roles[id(m)] == "subject" and _NGO_GIVING_RE.search(between)):
        return None
    return m


_NGO_VERB_FIRST_RE = re.compile(
    r"\s{0,3}(?:\([^()]{0,40}\)\s{0,3})?,?\s{0,3}(?:ya\s{1,3})?(?:ha\s{1,3}|han\s{1,3}|tambien\s{1,3}|asimismo\s{1,3})?"
    r"(?:anuncio|anunciaron|comprometio|comprometieron|aporto|aportara|aporta|dono|donara|ofrecio|otorgo|desembolso|"
    r"financio|financiara|anunciado|comprometido|aportado|donado|desembolsado)\b(?:\s{1,3}(?:ademas|tambien|asimismo)\b)?"
)


# "El proyecto tiene un costo total de US$ 200.000: el Uruguay aporta US$ 120.000 y el Perú ...": the cost of a
# project its contributors share, not anyone's commitment.
_PROJECT_COST_BEFORE_RE = re.compile(
    r"\b(?:costo|coste|presupuesto)\s{1,3}(?:total\s{1,3})?(?:de|es\s+de|asciende\s+a)\s{0,3}$"
)


_HOST_OWN_RE = re.compile(
    r"\b(?:contrapartida|aportara|aporta|aporto|financiara|financia|cofinanciara|invirtio|invierte|invertira|"
    r"gasto|gastara)\b"
)


_GIVING_RE = re.compile(
    r"\b(?:anunci\w*|comprometi\w*|aport\w*|don[oa]\w*|otorg\w*|desembols\w*|transfiri\w*|destin\w*|firm\w*|"
    r"suscri\w*|asign\w*|entreg\w*|financi\w*)\b"
)


def _receives(between: str) -> bool:
    """Whether the folded text between a subject and its amount makes the subject a receiver: a receiving verb
    within a short clause, with no giving verb after it ("el fondo recibió ... USD 11 millones de ocho países";
    not "Alemania, que recibió a la delegación, anunció EUR 5 millones")."""
    if len(between) > _OWN_FUNDS_GAP:
        return False
    ends = [m.end() for m in _RECEIPT_RE.finditer(between)]
    return bool(ends) and not _GIVING_RE.search(between, ends[-1])


def _received_from_no_one(mentions, amount: Amount, zone_start: int, folded: str, base: int) -> bool:
    """Whether the clause of `amount` says it was received (a receiving verb shortly before it) and names no actor
    before it: an amount that came in, not one given."""
    if any(zone_start <= m.start and m.end <= amount.start for m in mentions):
        return False
    return bool(_RECEIPT_RE.search(folded[max(zone_start, amount.start - _OWN_FUNDS_GAP) - base : amount.start - base]))


def _host_subject(mentions, roles, amount: Amount, zone_start: int, folded: str, base: int) -> bool:
    """Whether the last actor named before `amount` in its clause is a host country (or one of its institutions)
    as the subject, with no word of other parties' pledges in between: the figure is the host's."""
    before = [m for m in mentions if zone_start <= m.start and m.end <= amount.start]
    if not before or not before[-1].info.host or roles[id(before[-1])] != "subject":
        return False
    if amount.start - before[-1].end > _OWN_FUNDS_GAP:
        return False
    return not _PLEDGES_OF_OTHERS_RE.search(folded[before[-1].end - base : amount.start - base])


def _host_receipt(mentions, amount: Amount, zone_start: int, folded: str, base: int) -> bool:
    """Whether the clause of `amount` says what a host country received or puts in itself ("El Perú recibió ...
    USD 148 millones", "el Perú aportará una contrapartida nacional de USD 20 millones"): the last actor named
    before the amount in its clause is a host, followed by a receiving verb or a verb of its own funding."""
    before = [m for m in mentions if zone_start <= m.start and m.end <= amount.start]
    if not before or not before[-1].info.host or amount.start - before[-1].end > _OWN_FUNDS_GAP:
        return False
    between = folded[before[-1].end - base : amount.start - base]
    if before[-1].info.south_south:
        # "el Uruguay aporta US$ 120.000" to a project in the Perú is South–South cooperation; what it receives, or
        # spends of its own budget or as a counterpart, is not
        return bool(_RECEIPT_RE.search(between) or _SOUTH_SOUTH_OWN_RE.search(between))
    return bool(_RECEIPT_RE.search(between) or _HOST_OWN_RE.search(between))


_SOUTH_SOUTH_OWN_RE = re.compile(r"\b(?:contrapartida|presupuesto|presupuestal|gasto|gastara|invirtio|invierte)\b")


def _own_funds_subject(mentions, roles, amount: Amount, zone_start: int, folded: str, base: int) -> str | None:
    """An implementing agency or NGO that is the subject of the clause stating the amount ("La OPS/OMS desembolsó
    USD 1,4 millones", "World Vision comprometió USD 950.000 de fondos privados"): it gives its own funds. Not when
    it receives them ("el ACNUR informó haber recibido ...") or speaks of someone else's ("de esos fondos")."""
    for m in reversed(mentions):
        if m.end > amount.start or m.start < zone_start:
            continue
        if amount.start - m.end > _OWN_FUNDS_GAP:
            return None
        if not m.info.can_fund or roles[id(m)] not in ("subject", "agent"):
            continue
        if _OWN_BUDGET_RE.search(folded[max(zone_start, m.start - 30) - base : m.start - base]):
            return None  # "El presupuesto de la OIM para el Perú ... fue de USD 45 millones": its budget, no gift
        between = folded[m.end - base : amount.start - base]
        if _RECEIPT_RE.search(between) or _ANAPHORIC_BETWEEN_RE.search(between) or _OWN_BUDGET_RE.search(between):
            return None
        return m.canonical
    return None


def _choose_actor(
    mentions,
    roles,
    amount,
    zone_start,
    zone_end,
    agreement,
    state: _PageState,
    donors,
    folded,
    base,
    subject_unknown: bool = False,
) -> tuple[str | None, bool]:
    """(actor, is_total) governing `amount`; see the module docstring for the order of the rules."""
    if _EVENT_TOTAL_BEFORE_RE.search(folded[max(zone_start, amount.start - 120) - base : amount.start - base]):
        return TOTAL_ACTOR, True  # "la Comisión Europea informó que el total anunciado en la conferencia asciende a"
    if _SUM_BEFORE_RE.search(folded[max(zone_start, amount.start - 240) - base : amount.start - base]):
        named = {rollup_name(m.canonical) for m in mentions if zone_start <= m.start and m.end <= amount.start
                 and m.info.can_fund}
        if len(named) >= 2:
            return TOTAL_ACTOR, True  # "Las donaciones de Alemania y Francia suman EUR 28 millones": a sum, no pledge
    possessive = [
        m
        for m in mentions
        if m.start >= amount.end and m.info.donor and _POSSESSIVE_RE.match(folded[amount.end - base : m.start - base])
    ]
    if possessive:
        return possessive[0].canonical, False  # "el Perú recibió USD 4 millones del Gobierno de los Estados Unidos"
    if _host_receipt(mentions, amount, zone_start, folded, base):
        return None, False  # "El Perú recibió en 2023 un total de USD 148 millones": what a host received or gives
    counterparts = [m for m in mentions if roles[id(m)] == "counterpart" and m.info.donor]
    if agreement and counterparts and all(same_family(counterparts[0].canonical, m.canonical) for m in counterparts):
        # "Con la República de Austria se firmó ... con la Agencia Austriaca de Desarrollo": one donor family,
        # the one named first
        return counterparts[0].canonical, False
    usable = ("subject", "agent")
    preceding = [m for m in mentions if m.end <= amount.start and roles[id(m)] in usable and m.info.donor]
    in_zone = [m for m in preceding if m.start >= zone_start]
    if in_zone and _receives(folded[in_zone[-1].end - base : amount.start - base]):
        return None, False  # "El fondo multidonante recibió en 2022 más de USD 11 millones de ocho países"
    ngo = _giving_ngo(mentions, roles, amount, zone_start, folded, base)
    if ngo is not None and (not in_zone or ngo.start > in_zone[-1].end):
        return ngo.canonical, False  # "Save the Children anunció alrededor de US$ 1,2 millones"
    if in_zone:
        # "La Embajada de México informó que la AMEXCID ... firmaron", "La AUCI y la APCI firmaron ... al que el
        # Uruguay aporta": a country and its agency in one clause name one donor, the country
        first = len(in_zone) - 1
        while first > 0 and same_family(in_zone[first - 1].canonical, in_zone[-1].canonical):
            first -= 1
        top = rollup_name(in_zone[-1].canonical)
        country = next((m for m in in_zone[first:] if m.canonical == top), None)
        return (country or in_zone[-1]).canonical, False
    following = [m for m in mentions if amount.end <= m.start < zone_end and m.info.donor]
    agents = [m for m in following if roles[id(m)] == "agent"]
    if len({m.canonical for m in agents}) == 1:
        return agents[0].canonical, False
    if preceding:
        return preceding[-1].canonical, False
    budget, strong_total, total = _unit_signals(folded)
    own = None if donors else _own_funds_subject(mentions, roles, amount, zone_start, folded, base)
    if not donors and budget and own is None:
        return None, False  # a host institution spending its own budget, not a donor's commitment
    if not donors and _implementer_receipt(mentions, amount, zone_start, folded, base):
        # "La OPS confirmó la recepción de US$ 2 millones": the payment of the donor just named, not the agency's
        return state.prev_actor or state.carried_actor, False
    if not donors:
        if state.prev_total or strong_total:
            if _received_from_no_one(mentions, amount, zone_start, folded, base) or _host_subject(
                mentions, roles, amount, zone_start, folded, base
            ):
                # "la región recibió de la cooperación internacional USD 6,8 millones", "La APCI registró en 2023
                # un total de 1.126 intervenciones, por USD 402 millones": what a host received or counts, not the
                # total of a conference's pledges
                return None, False
            return TOTAL_ACTOR, True
        if own is not None:
            return own, False  # an agency or NGO giving its own funds ("de recursos propios")
        if subject_unknown:
            return None, False
        lo = max(zone_start, amount.start - _OWN_FUNDS_GAP)
        if _COLLECTIVE_SUBJECT_RE.search(folded[lo - base : amount.start - base]):
            # "En 2018 la cooperación internacional había alcanzado USD 56 millones": all donors together, not the
            # previous sentence's donor (a total says so: "un total de", "suman", handled above)
            return None, False
        if state.prev_actor:
            return state.prev_actor, False
        if state.carried_actor and _DEFINITE_STAGE_RE.search(folded[zone_start - base : amount.start - base]):
            return state.carried_actor, False
        if state.heading_actor:
            return state.heading_actor, False
    subjects = [m for m in following if roles[id(m)] == "subject"]
    if subjects and all(same_family(subjects[0].canonical, m.canonical) for m in subjects[1:]):
        return subjects[0].canonical, False  # "que el Japón anunció ... y que JICA entregó": one donor family
    fallback = [
        m
        for m in mentions
        if m.end <= amount.start
        and m.info.implementer
        and roles[id(m)] in usable
        and not _OWN_BUDGET_RE.search(folded[max(zone_start, m.start - 30) - base : m.start - base])
    ]
    if fallback:
        return fallback[-1].canonical, False
    if any(m.canonical == TOTAL_ACTOR for m in mentions) or total:
        return TOTAL_ACTOR, True
    return None, False


_OF_WHICH_RE = re.compile(r"\b(?:de\s+(?:los|las)\s+cuales|del\s+total|de\s+(?:ese|este|dicho)\s+(?:monto|total))\b")
_TO_ORGANISATIONS_AFTER_RE = re.compile(
    r"\s{0,3}(?:se\s+)?(?:destinar\w*|asignar\w*|canalizar\w*|ira\w*|corresponde\w*)\s+(?:a|para)\s+"
    r"(?:(?:las|los|diversas|diversos|varias|varios)\s+)?(?:organizaciones|ong|entidades|socios|asociaciones)\b"
)
_OF_THAT_PLEDGE_RE = re.compile(
    r"\s{0,3}(?:de|del)\s+(?:ese|este|dicho|aquel|tal)\s+(?:aporte|compromiso|anuncio|monto|convenio|programa|"
    r"acuerdo|donativo|donacion|contribucion)\b"
)


def _table_donor(unit: Unit, state: _PageState) -> str | None:
    """The one donor a table is about when it has no donor column: named by its caption or lead-in ("Anuncios de
    Dinamarca"), else by the section heading above it."""
    for phrase in (unit.caption, unit.lead):
        names = {m.canonical for m in find_actors(phrase[:400]) if m.info.donor}
        if len(names) == 1:
            return names.pop()
    return state.heading_actor


def _lead_status(unit: Unit) -> str | None:
    if not unit.lead:
        return None
    hits = [h for h in status_matcher().find(unit.lead) if h.value is not None]
    return str(hits[-1].value) if hits else None


def _next_currency(amounts: list[Amount], i: int, donors=()) -> str | None:
    """The currency of the next amount that states one ("entre 5 y 10 millones de euros"), unless another donor is
    named before it ("CZK 25 millones ..., y Nueva Zelanda anunció NZD 3 millones": not CZK's currency)."""
    for a in amounts[i + 1 :]:
        if any(amounts[i].end <= m.start < a.start for m in donors):
            return None
        if a.currency:
            return a.currency
    return None


def _recipient(mentions, roles, phrases, amount, zone_start, zone_end, actor, unit_start) -> str | None:
    after = [m for m in mentions if amount.end <= m.start < zone_end and m.canonical != actor]
    for m in after:
        if roles[id(m)] == "recipient":
            return m.canonical
    for value, a, _ in phrases:
        if amount.end <= a < zone_end:
            return value
    for m in after:
        if roles[id(m)] == "channel" and m.start - amount.end <= 60:
            return m.canonical
    before = [
        m
        for m in mentions
        if unit_start <= m.end <= amount.start and m.canonical != actor and roles[id(m)] == "recipient"
    ]
    if before:
        return before[-1].canonical
    for value, a, _ in phrases:
        if zone_start <= a < amount.start:
            return value
    return None


def _purpose(text: str, amount: Amount, zone_end: int, mentions) -> str | None:
    tail = text[amount.end : zone_end]
    folded = fold_same_length(tail)
    for m in _PURPOSE_RE.finditer(folded):
        rest = tail[m.end() :]
        stop = _PURPOSE_STOP_RE.search(rest)
        phrase = rest[: stop.start()] if stop else rest
        words = phrase.split()
        if not words:
            continue
        start_abs = amount.end + m.end()
        first_actor = next((x for x in mentions if start_abs <= x.start <= start_abs + 5), None)
        if first_actor is not None and len(words) <= 4:
            continue
        low = fold_same_length(" ".join(words[:3]))
        if low.startswith(("los paises", "las comunidades", "la region", "el peru")) and len(words) <= 5:
            continue
        return " ".join(words[:12]).rstrip(",")
    return None
