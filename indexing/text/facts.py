"""Canonical numeric facts (amounts, percentages, dates, plain numbers) of Spanish text.

The abstractive checker compares the facts of a generated sentence with the facts of the passages it cites, so
"1.500 millones", "1500 millones", "1,5 mil millones" and "mil quinientos millones" must all become the same
string ("1500000000"), and "17 de julio de 2023" must become "2023-07-17".

Canonical forms:

- numbers and amounts: the plain value, no currency, no grouping ("1500000000", "2.5");
- percentages: value plus "%" ("25%");
- dates: ISO "2023-07-17"; a full date also yields "2023-07", "2023" and "--07-17"; a month-year "2023-07" and
  "2023"; a day-month without year "--07-17". A sentence that only says "julio de 2023" is therefore supported by
  a passage that says "17 de julio de 2023", but not the other way round.

Numbers, scales and dates are read by `indexing.text.numbers`, `indexing.text.amounts` and `indexing.text.dates`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexing.text.amounts import SCALES
from indexing.text.dates import DateMention, find_dates
from indexing.text.numbers import canonical_decimal, find_number_words, parse_number
from indexing.text.tokens import fold

_GROUP_SEP = "\u00a0\u202f"
# A number with optional grouping (".", ",", no-break spaces), optionally followed by a scale word and a percent.
_NUMBER_RE = re.compile(
    rf"(?=\d)(?<![\w.,])(?P<num>\d++(?:[.,{_GROUP_SEP}]\d++)*+)"
    r"(?P<scale>\s*+(?:mil\s+millones|millardos?|billones|bill[oó]n|millones|mill[oó]n|mil|mm|m)\b)?"
    r"(?P<pct>\s*+(?:%|por\s*ciento\b))?",
    re.IGNORECASE,
)
_CURRENCY_RE = re.compile(
    r"(?:US\$|USD|U\$S|\$|€|EUR|CAD|dólares|dolares|euros)\s*$|^\s*(?:de\s+)?(?:US\$|USD|dólares|dolares|euros|€)",
    re.IGNORECASE,
)
_WHITESPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Fact:
    """One numeric fact found in text.

    :param kind: "date", "amount" (a value with currency or scale word), "percent" or "number".
    :param value: canonical form (see the module docstring).
    :param start: start offset of the surface text.
    :param end: end offset (exclusive).
    :param surface: the text as written.
    """

    kind: str
    value: str
    start: int
    end: int
    surface: str


def _date_values(d: DateMention) -> list[str]:
    out = []
    if d.year is not None and d.day is not None:
        out.append(f"{d.year:04d}-{d.month:02d}-{d.day:02d}")
    if d.year is not None:
        out += [f"{d.year:04d}-{d.month:02d}", f"{d.year:04d}"]
    if d.day is not None:
        out.append(f"--{d.month:02d}-{d.day:02d}")
    return out


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def _digit_numbers(text: str) -> list[Fact]:
    out = []
    for m in _NUMBER_RE.finditer(text):
        parsed = parse_number(m.group("num"))
        if parsed is None:
            continue
        value = parsed[0]
        scale_raw = m.group("scale")
        end = m.end("num")
        kind = "number"
        if scale_raw:
            scale_key = _WHITESPACE_RE.sub(" ", fold(scale_raw.strip()))
            # A bare "m"/"mm" is only a scale right after a currency ("US$ 653 M"); otherwise it is a unit (metres).
            if scale_key in ("m", "mm") and not _CURRENCY_RE.search(text[max(0, m.start() - 6) : m.start()]):
                scale_key = ""
            if scale_key:
                value *= SCALES[scale_key][0]
                end = m.end("scale")
                kind = "amount"
        if m.group("pct"):
            out.append(Fact("percent", canonical_decimal(value) + "%", m.start(), m.end("pct"), ""))
            continue
        before, after = text[max(0, m.start() - 6) : m.start()], text[end : end + 12]
        if kind == "number" and (_CURRENCY_RE.search(before) or _CURRENCY_RE.search(after)):
            kind = "amount"
        out.append(Fact(kind, canonical_decimal(value), m.start(), end, ""))
    return out


def extract_facts(text: str) -> list[Fact]:
    """Every numeric fact of `text`, in order of appearance.

    Dates are found first and masked, so the day and year of "17 de julio de 2023" are not also plain numbers.
    A date yields one `Fact` per canonical value (see the module docstring), all with the same span.

    :param text: Spanish text.
    :returns: facts sorted by start offset.
    """
    facts: list[Fact] = []
    dates = find_dates(text, day_month=True)
    for d in dates:
        facts += [Fact("date", v, d.start, d.end, text[d.start : d.end]) for v in _date_values(d)]
    masked = _mask(text, [(d.start, d.end) for d in dates])
    digits = _digit_numbers(masked)
    facts += [Fact(f.kind, f.value, f.start, f.end, text[f.start : f.end]) for f in digits]
    masked = _mask(masked, [(f.start, f.end) for f in digits])
    for start, end, value, has_scale in find_number_words(masked):
        kind = "amount" if has_scale else "number"
        facts.append(Fact(kind, canonical_decimal(value), start, end, text[start:end]))
    return sorted(facts, key=lambda f: (f.start, f.end, f.value))


def normalize_numbers(text: str) -> set[str]:
    """Canonical numeric facts of Spanish text: amounts, numbers, percentages, years and dates.

    >>> sorted(normalize_numbers("US$ 1.500 millones el 17 de julio de 2023"))
    ['--07-17', '1500000000', '2023', '2023-07', '2023-07-17']

    :param text: Spanish text.
    :returns: the set of canonical values.
    """
    return {f.value for f in extract_facts(text)}


def amount_values(text: str) -> set[str]:
    """Canonical values of the money-like amounts of `text` (a number with currency or scale word).

    :param text: Spanish text.
    :returns: values such as {"1500000000"}.
    """
    return {f.value for f in extract_facts(text) if f.kind == "amount"}
