"""Table reading: rows of "|" or tab separated cells under a header row, read by column.

Rows and cells are those of `indexing.text.tables` (the structure chunking uses); a table continuing from the
previous page without its header row is read under the header and caption of the table it continues.

- the header names the columns (`HEADER_KEYS`: donor, amount, currency, instrument, status, recipient,
  conference); a key must be a whole word of the cell ("Países Bajos" is a donor, not the "País" column);
- bare numbers of amount and stage columns (`AMOUNT_COLUMN_KEYS`: "Monto", "Anunciado", "Firmado",
  "Desembolsado", "Ejecutado", "Parte del Perú") are amounts: scaled by "millones" in the cell, the header cell or
  the table's caption ("Todas las cifras en millones de EUR", "Los montos se expresan en millones"; a scale note
  stops applying at the next numbered caption, "Cuadro 4."), in the
  currency of the row's currency column, of the header cell, or of the caption;
- a header row has no figure and names two columns (or one and holds no digit): "| Fondo Central ... | 2023 | 6,5 |"
  is data; a header cell naming a conference ("Bruselas 2019", "Canadá 2021") makes an amount column whose
  amounts belong to that conference;
- the row's actor is the first donor of the donor column (under a header naming the source column, "Organización",
  "Fuente", "Fondo", an agency or NGO that gives its own funds too); two unrelated donors there make a joint row;
- `Estado` (or a stage column header) gives the status, `Instrumento` the instrument, `Conferencia` the event;
  amounts under "Pendiente"/"Saldo" are no stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from indexing.commitments.actors import find_actors, same_family
from indexing.commitments.model import TOTAL_ACTOR
from indexing.commitments.phrases import YEAR_RE, events_table, instrument_matcher, status_matcher
from indexing.text.amounts import Amount, find_amounts
from indexing.text.numbers import parse_number
from indexing.text.tables import cell_spans, is_table_row
from indexing.text.tokens import fold_same_length

__all__ = [
    "BLANK_CELL_RE",
    "EQUIVALENT_COLUMN_RE",
    "EQUIVALENT_FLAG",
    "HEADER_KEYS",
    "SCALE_NOTE_RE",
    "Unit",
    "cell_actor",
    "cell_event",
    "cell_of",
    "cell_spans",
    "cell_status",
    "column",
    "column_scale",
    "conference_column",
    "currency_column",
    "currency_in",
    "header_currency",
    "is_header",
    "is_table_row",
    "pending_column",
    "row_cells",
    "row_currency",
    "table_event",
    "table_field",
    "table_row",
]


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    lead: str = ""  # lead-in text of a list or table ("Los principales anuncios fueron:")
    header: tuple[str, ...] | None = None  # table header cells, for table rows
    caption: str = ""  # text stating a table's units ("Cuadro 2. ... en millones de USD", "Los montos se expresan ...")


HEADER_KEYS = {
    "actor": ("donante", "cooperante", "actor", "fuente", "entidad", "pais", "organismo", "organizacion", "fondo",
              "socio", "aportante", "financiador"),
    "amount": ("monto", "importe", "cantidad", "valor", "aporte", "contribucion", "compromiso"),
    "currency": ("moneda", "divisa"),
    "instrument": ("instrumento", "modalidad", "tipo"),
    "status": ("estado", "situacion", "fase"),
    "recipient": ("destino", "beneficiario", "receptor", "destinatario"),
    "event": ("conferencia", "evento"),
}
# Columns whose bare numbers are amounts of one stage: "Anunciado | Firmado | Desembolsado", "Parte del Perú".
AMOUNT_COLUMN_KEYS = (
    *HEADER_KEYS["amount"],
    "anunciado",
    "comprometido",
    "firmado",
    "desembolsado",
    "ejecutado",
    "parte",
)
# "hasta 1,5", "más de 2": a bounded figure keeps its qualifier (read before the number by `qualifier_before`)
BARE_NUMBER_RE = re.compile(
    r"\s*+(?:(?:hasta|m[aá]s\s+de|alrededor\s+de|cerca\s+de|unos|unas|aprox\.?)\s++)?"
    r"(\d{1,3}(?:[.\u00a0\u202f ]\d{3})*+(?:,\d{1,3})?|\d+(?:[.,]\d{1,3})?)\s*+(millones|mill\.)?\s*+"
)
# A statement of the units of a table: "Los montos se expresan en millones", "Todas las cifras en millones de EUR".
SCALE_NOTE_RE = re.compile(
    r"\b(?:montos|cifras|importes|valores|cantidades|compromisos)\b[^.|\n]{0,60}\ben\s+(?:millones|miles)\b"
)


def is_header(line: str) -> bool:
    """Whether a table row is a header row: no amount, and it names two columns, or one column and holds no
    figure ("| Fondo Central ... (CERF) | 2023 | 6,5 |" is a data row whose first cell starts like "Fondo")."""
    cells = [fold_same_length(line[a:b]) for a, b in cell_spans(line)]
    if any(any(ch.isdigit() for ch in a.text) for c in cells for a in find_amounts(c)):
        return False
    if any(_FIGURE_CELL_RE.fullmatch(c.strip()) and not YEAR_RE.fullmatch(c.strip()) for c in cells):
        return False  # a cell holding a bare figure ("20", "2,5") is data, whatever the other cells say
    named = sum(1 for c in cells if any(names_column(c, keys) for keys in HEADER_KEYS.values()))
    conferences = sum(1 for c in cells if conference_column(c) and not names_column(c, HEADER_KEYS["event"]))
    return named + conferences >= 2 or (named == 1 and not any(ch.isdigit() for c in cells for ch in c))


_FIGURE_CELL_RE = re.compile(r"\d[\d.,]*")


@lru_cache(maxsize=256)
def conference_column(cell: str) -> str | None:
    """The conference a folded header cell names as a column ("bruselas 2019", "canada 2021 (millones de usd)",
    "conferencia 2020"): a conference year with another word, not a bare year ("2021") nor "año 2021"."""
    m = YEAR_RE.search(cell)
    if m is None:
        return None
    name = events_table()[0].get(m.group(1))
    words = [w for w in re.findall(r"[^\W\d_]+", cell[: m.start()]) if w not in ("ano", "de", "del", "el", "la")]
    return name if name and words else None


@lru_cache(maxsize=256)
def currency_column(cell: str) -> bool:
    """Whether a folded header cell names only a currency, so its cells are amounts: "millones de usd",
    "usd (millones)", "eur" (not the "Moneda" column, nor a status, instrument or recipient column)."""
    if any(names_column(cell, keys) for keys in HEADER_KEYS.values()):
        return False
    return currency_in(cell) is not None


def cell_event(text: str, unit: Unit, amount: Amount) -> str | None:
    """The conference of the column an amount stands in, when the header names one ("| Donante | Bruselas 2019 |")."""
    idx = cell_of(text, unit, amount.start)
    if idx is None or not unit.header or idx >= len(unit.header):
        return None
    return conference_column(unit.header[idx])


def names_column(cell: str, keys: tuple[str, ...]) -> bool:
    """Whether a folded header cell starts with one of `keys` as a word ("monto (millones)", "montos", "pais"),
    not as part of a longer word ("paises bajos" is a donor, not the "pais" column)."""
    for key in keys:
        if cell.startswith(key):
            rest = cell[len(key) :]
            if not rest or not rest[0].isalpha() or (rest[0] == "s" and (len(rest) == 1 or not rest[1].isalpha())):
                return True
    return False


def column(unit: Unit, key: str) -> int | None:
    if not unit.header:
        return None
    for i, cell in enumerate(unit.header):
        if names_column(cell, HEADER_KEYS[key]):
            return i
    return None


def row_cells(text: str, unit: Unit) -> list[tuple[int, int]]:
    return [(unit.start + a, unit.start + b) for a, b in cell_spans(text[unit.start : unit.end])]


def cell_of(text: str, unit: Unit, pos: int) -> int | None:
    for i, (a, b) in enumerate(row_cells(text, unit)):
        if a <= pos < b:
            return i
    return None


def table_row(
    text: str, unit: Unit, amounts: list[Amount], default_actor: str | None = None, above_actor: str | None = None
) -> tuple[str | None, list[Amount]]:
    """Row actor (first donor named in the actor column; `TOTAL_ACTOR` for a total row) and the row's amounts (bare
    numbers of the amount column included). Rows naming two unrelated donors in the actor column ("BID y Banco
    Mundial") are joint and have no single actor.

    :param default_actor: the donor a table with no actor column belongs to (named by its heading or caption:
        "Cuadro 2. Anuncios de Dinamarca"), for rows whose first column is the conference.
    :param above_actor: the actor of the row above in the same table: a blank (or ditto) actor cell repeats it, as
        a merged cell does ("| Qatar | 5 | ... |" then "| | 3 | ... |": both rows are Qatar's).
    """
    cells = row_cells(text, unit)
    named = column(unit, "actor")
    col = 0 if named is None else named
    if col >= len(cells):
        return None, []
    if named is None and column(unit, "event") == 0:
        # "| Canadá 2021 | 30 | 18 | En ejecución |" under "Cuadro 2. Anuncios de Dinamarca": the first column names
        # the conference, the donor is the table's (its heading or caption), never the conference's host
        if _TOTAL_CELL_RE.match(fold_same_length(text[cells[0][0] : cells[0][1]])):
            return TOTAL_ACTOR, _row_amounts(text, unit, amounts, cells, None)
        if default_actor is None:
            return None, []
        return default_actor, _row_amounts(text, unit, amounts, cells, None)
    a, b = cells[col]
    if above_actor is not None and above_actor != TOTAL_ACTOR and BLANK_CELL_RE.fullmatch(text, a, b):
        return above_actor, _row_amounts(text, unit, [x for x in amounts if not (a <= x.start < b)], cells, col)
    # Under a header naming the source column ("Organización", "Fuente", "Fondo"), a UN agency or an NGO listed
    # there gives its own funds; in an unnamed first column it may be a channel, so only donors count.
    found = [m for m in find_actors(text[a:b]) if m.info.donor or (named is not None and m.info.can_fund)]
    if _TOTAL_CELL_RE.match(fold_same_length(text[a:b])):
        actor = TOTAL_ACTOR  # "| Total | | 212,8 |", "| Total del cuadro | 28 |": the sum of the rows above
    elif not found or any(not same_family(found[0].canonical, m.canonical) for m in found[1:]):
        return None, []
    else:
        actor = found[0].canonical
    return actor, _row_amounts(text, unit, [x for x in amounts if not (a <= x.start < b)], cells, col)


# An empty actor cell, or one that repeats the cell above ("—", "〃", "ídem"): the row above's actor (a merged cell).
BLANK_CELL_RE = re.compile(r"\s{0,40}(?:[-\u2013\u2014\u3003\"'.]{1,3}|[ií]dem\.?|id\.)?\s{0,40}")
# A header cell of figures restating another column's amount in another currency: "Equivalente (USD)",
# "Equivalente en dólares", "Contravalor en EUR". Its figures are equivalents, never amounts of their own.
EQUIVALENT_COLUMN_RE = re.compile(r"\s{0,3}(?:equivalen\w{0,4}|contravalor|conversion)\b")
EQUIVALENT_FLAG = "equivalente_columna"


def _row_amounts(
    text: str, unit: Unit, amounts: list[Amount], cells: list[tuple[int, int]], col: int | None
) -> list[Amount]:
    """The row's amounts: those found in its cells plus the bare numbers of its amount and stage columns (the
    actor column `col` excepted), scaled and priced by the cell, its header or the table's caption."""
    header = unit.header or ()
    # "| Suecia (millones de SEK) | 40 | 50 |": the donor cell may state the unit of its row's figures
    own = text[cells[col][0] : cells[col][1]][:200] if col is not None else ""
    own_unit = own[own.find("(") :] if "(" in own else ""
    if own_unit and column_scale("", fold_same_length(own_unit)) == 1 and currency_in(own_unit) is None:
        own_unit = ""  # "España (AECID)": a name, not a unit
    for i, (ca, cb) in enumerate(cells):
        if i >= len(header) or i == col:
            continue
        if (
            not names_column(header[i], AMOUNT_COLUMN_KEYS)
            and conference_column(header[i]) is None
            and not currency_column(header[i])
        ):
            continue
        if any(ca <= x.start < cb for x in amounts):
            if EQUIVALENT_COLUMN_RE.match(header[i]):
                eq_currency = currency_in(header[i]) or currency_in(unit.caption)
                amounts[:] = [
                    replace(x, currency=x.currency or eq_currency, flags=(*x.flags, EQUIVALENT_FLAG))
                    if ca <= x.start < cb
                    else x
                    for x in amounts
                ]
            continue
        m = BARE_NUMBER_RE.fullmatch(text, ca, cb)
        parsed = parse_number(m.group(1)) if m else None
        if m is None or parsed is None:
            continue
        value = parsed[0]
        if m.group(2):
            value *= Decimal(10) ** 6
        else:
            value *= column_scale(header[i], fold_same_length(own_unit or unit.caption))
        if EQUIVALENT_COLUMN_RE.match(header[i]):
            # the same amount in the header's currency: never the row's currency column
            eq_currency = currency_in(header[i]) or currency_in(unit.caption)
            if eq_currency is not None:
                end = m.end(2) if m.group(2) else m.end(1)
                amounts.append(Amount(value, eq_currency, m.start(1), end, m.group(0).strip(), (EQUIVALENT_FLAG,)))
            continue
        currency = (
            row_currency(text, unit)
            or currency_in(header[i])
            or (currency_in(own_unit) if own_unit else None)
            or currency_in(unit.caption)
        )
        amounts.append(Amount(value, currency, m.start(1), m.end(2) if m.group(2) else m.end(1), m.group(0).strip()))
    amounts.sort(key=lambda x: x.start)
    return amounts


# The unit of a table's bare figures, in its header cell or caption: "Monto (millones de USD)", "montos en miles de
# USD", "(en miles de euros)". A header cell's own unit wins over the caption's.
_MILLIONS_RE = re.compile(r"\b(?:millon|millones|mill\.)(?![^\W\d_])")
_BILLIONS_RE = re.compile(r"(?:\ben\s+|\(\s{0,2})(?:miles\s+de\s+millones|mil\s+millones)\b")
_THOUSANDS_RE = re.compile(
    r"\bmiles\s+de\s+(?:us\$|usd|eur|cad|chf|gbp|jpy|pen|nok|sek|dkk|aud|euros|dolares|soles|francos|libras|yenes|"
    r"coronas)(?![^\W\d_])|(?:\ben\s+|\(\s{0,2})miles\b(?!\s+de\b)"
)


def _scale_of(phrase: str, cell: bool) -> Decimal | None:
    if _BILLIONS_RE.search(phrase) or (cell and re.search(r"\b(?:miles\s+de\s+millones|mil\s+millones)\b", phrase)):
        return Decimal(10) ** 9
    if _MILLIONS_RE.search(phrase):
        return Decimal(10) ** 6
    if _THOUSANDS_RE.search(phrase) or (cell and re.search(r"\bmiles\b", phrase)):
        return Decimal(10) ** 3
    return None


def column_scale(header_cell: str, caption: str) -> Decimal:
    """The factor of a column's bare figures: its folded header cell's unit, else the folded caption's, else 1.

    :param header_cell: e.g. "monto (miles de usd)".
    :param caption: e.g. "cuadro 1. cooperacion por conferencia (montos en miles de usd)".
    :returns: 10**9, 10**6, 10**3 or 1.
    """
    return _scale_of(header_cell, True) or _scale_of(caption, False) or Decimal(1)


_TOTAL_CELL_RE = re.compile(r"\s*(?:total|totales|suma|subtotal)\b")
CURRENCY_CUE_RE = re.compile(r"(?:\bmillones\s+de|\bmiles\s+de|\ben|\()\s+|\(")


@lru_cache(maxsize=512)
def currency_in(phrase: str) -> str | None:
    """The currency a header cell or caption names for its figures: "Monto (millones de USD)", "en euros"."""
    folded = phrase[:400]
    for k, m in enumerate(CURRENCY_CUE_RE.finditer(folded)):
        if k >= 12:
            break
        found = find_amounts("1 millones de " + folded[m.end() : m.end() + 40])
        if found and found[0].start == 0 and found[0].currency:
            return found[0].currency
    return header_currency(Unit(0, 0, header=(fold_same_length(folded),)))


def table_event(text: str, unit: Unit) -> str | None:
    """The conference of a row's "Conferencia" column: "2021", "Canadá 2021", "Bruselas 2023"."""
    col = column(unit, "event")
    cells = row_cells(text, unit)
    if col is None or col >= len(cells):
        return None
    m = YEAR_RE.search(text[cells[col][0] : cells[col][1]])
    return events_table()[0].get(m.group(1)) if m else None


def cell_actor(text, unit, amount, mentions, roles) -> str | None:
    idx = cell_of(text, unit, amount.start)
    if idx is None:
        return None
    a, _ = row_cells(text, unit)[idx]
    for m in reversed(mentions):
        if a <= m.start and m.end <= amount.start and m.info.donor and roles[id(m)] in ("subject", "agent"):
            return m.canonical
    return None


def row_currency(text: str, unit: Unit) -> str | None:
    col = column(unit, "currency")
    if col is None:
        return None
    cells = row_cells(text, unit)
    if col >= len(cells):
        return None
    cell = text[cells[col][0] : cells[col][1]].strip()
    parsed = find_amounts(f"1 {cell}")
    return parsed[0].currency if parsed else None


def header_currency(unit: Unit) -> str | None:
    """The first currency a table's header cells name ("Monto (USD)", "Millones de EUR"), or None."""
    return _header_currency(unit.header) if unit.header else None


@lru_cache(maxsize=256)
def _header_currency(header: tuple[str, ...]) -> str | None:
    for cell in header:
        for a in find_amounts(f"1 millones {cell}"):
            if a.currency:
                return a.currency
        up = cell.upper()
        for code in ("USD", "EUR", "CAD", "CHF", "PEN", "JPY", "GBP", "SEK", "NOK", "DKK", "AUD", "NZD", "CZK", "KRW"):
            if re.search(rf"\b{code}\b", up):
                return code
        for symbol, code in (("US$", "USD"), ("U$S", "USD"), ("€", "EUR"), ("£", "GBP")):
            if symbol in up:
                return code  # "US$ millones", "Monto (€)"
    return None


def cell_status(text: str, unit: Unit, amount: Amount) -> tuple[str, bool] | None:
    """(status, explicit) of a row's amount: the amount's own cell ("EUR 9 millones desembolsados"), a stage column
    header ("Desembolsado"), else the "Estado" column; a pledge column header ("Monto comprometido (USD)") only when
    the row's "Estado" cell states none."""
    idx = cell_of(text, unit, amount.start)
    cells = row_cells(text, unit)
    weak: tuple[str, bool] | None = None
    if idx is not None:
        hits = [h for h in status_matcher().find(text[cells[idx][0] : cells[idx][1]]) if h.value is not None]
        if hits:
            return str(hits[0].value), True
        if unit.header and idx < len(unit.header):
            hits = [h for h in status_matcher().find(unit.header[idx]) if h.value is not None]
            if hits:
                # a stage column ("Desembolsado") states its stage; a pledge column ("Monto anunciado") may be
                # restated by a later stage of the row, so it stays weak
                value = str(hits[0].value)
                if value not in ("anunciado", "comprometido"):
                    return value, True
                weak = (value, False)
    col = column(unit, "status")
    if col is not None and col < len(cells):
        hits = [h for h in status_matcher().find(text[cells[col][0] : cells[col][1]]) if h.value is not None]
        if hits:
            return str(hits[0].value), True
    # "| Qatar | Bruselas 2023 | Segundo tramo | 1,8 millones |": a row naming the tranche it reports is a payment
    # made, unless the table is a schedule of payments to come
    if (
        weak is None
        and any(TRANCHE_CELL_RE.fullmatch(fold_same_length(text[a:b])) for a, b in cells)
        and not SCHEDULE_RE.search(fold_same_length(unit.caption[:300]))
    ):
        return "desembolsado", True
    return weak


# A cell naming a tranche of a payment: "Primer tramo", "Segundo desembolso", "Desembolso único", "Saldo final".
TRANCHE_CELL_RE = re.compile(
    r"\s{0,3}(?:(?:primer|primera|segundo|segunda|tercer|tercera|cuarto|cuarta|quinto|quinta|ultimo|ultima|unico|"
    r"unica|\d{1,2}\s{0,2}[.oa]?)\s{1,3})?(?:tramo|desembolso|cuota|pago|transferencia)(?:\s{1,3}(?:unic[oa]|final|"
    r"inicial))?\s{0,3}|\s{0,3}saldo\s{1,3}final\s{0,3}"
)
# A caption of payments to come, where a tranche row is planned: "Cronograma de desembolsos", "Desembolsos previstos".
SCHEDULE_RE = re.compile(r"\b(?:cronograma|calendario|previst\w*|programad\w*|proyectad\w*|por\s+desembolsar)\b")


def pending_column(text: str, unit: Unit, amount: Amount) -> bool:
    """True for an amount in a "Pendiente" / "Saldo" column: what is still due is not a commitment stage."""
    if unit.header is None:
        return False
    idx = cell_of(text, unit, amount.start)
    return (
        idx is not None
        and idx < len(unit.header)
        and bool(re.match(r"(?:pendiente|saldo|por\s+desembolsar|por\s+ejecutar)", unit.header[idx]))
    )


def table_field(unit: Unit, text: str, key: str) -> str | None:
    col = column(unit, key)
    cells = row_cells(text, unit)
    if col is None or col >= len(cells):
        return None
    hits = instrument_matcher().find(text[cells[col][0] : cells[col][1]]) if key == "instrument" else []
    return str(hits[0].value) if hits else None
