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

Separators: Spanish uses "." for thousands and "," for decimals. When only one kind of separator appears once and
is followed by exactly three digits it is read as a thousands separator ("1.500", "1,500"); otherwise as decimal
("1,5", "2.5"). When both appear, the last one is the decimal separator ("1.500,5").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from indexing.spanish import MONTHS, NUMBER_WORDS, fold

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(?P<day>[0-3]?\d)(?:\s*(?:º|°|\.º|o))?"
_DATE_DMY_RE = re.compile(
    rf"\b{_DAY}\s+de\s+(?P<month>{_MONTH_ALT})(?:\s+(?:de|del)\s+(?P<year>(?:19|20)\d\d))?\b", re.IGNORECASE
)
_DATE_MY_RE = re.compile(rf"\b(?P<month>{_MONTH_ALT})\s+(?:de\s+|del\s+)?(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
_DATE_ISO_RE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_DATE_SLASH_RE = re.compile(r"\b(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/(?P<year>(?:19|20)\d\d)\b")

# A number with optional grouping (".", ",", no-break spaces), optionally followed by a scale word and a percent.
_GROUP_SEP = "\u00a0\u202f"
_NUMBER_RE = re.compile(
    rf"(?<![\w.,])(?P<num>\d+(?:[.,{_GROUP_SEP}]\d+)*)"
    r"(?P<scale>\s*(?:mil\s+millones|millardos?|billones|bill[oó]n|millones|mill[oó]n|mil|mm|m)\b)?"
    r"(?P<pct>\s*(?:%|por\s*ciento\b))?",
    re.IGNORECASE,
)
_CURRENCY_RE = re.compile(
    r"(?:US\$|USD|U\$S|\$|€|EUR|CAD|dólares|dolares|euros)\s*$|^\s*(?:de\s+)?(?:US\$|USD|dólares|dolares|euros|€)",
    re.IGNORECASE,
)
_SCALES = {
    "mil millones": Decimal(10) ** 9,
    "millardo": Decimal(10) ** 9,
    "millardos": Decimal(10) ** 9,
    "billon": Decimal(10) ** 12,
    "billones": Decimal(10) ** 12,
    "millon": Decimal(10) ** 6,
    "millones": Decimal(10) ** 6,
    "mil": Decimal(10) ** 3,
    "mm": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
}

_UNITS = NUMBER_WORDS
_WORD_SCALES = {"mil": 10**3, "millon": 10**6, "millones": 10**6, "millardo": 10**9, "millardos": 10**9}
_ARTICLES = {"un", "una", "uno"}
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


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


def canonical_decimal(value: Decimal) -> str:
    """Plain string of a decimal value without exponent or trailing zeros ("1500000000", "2.5")."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def parse_number(raw: str) -> Decimal | None:
    """Value of a written number following the separator rules of the module docstring.

    :param raw: digits with optional "." / "," / no-break-space separators, e.g. "1.500,5".
    :returns: the value, or None when it is not a number.
    """
    text = raw
    for sep in _GROUP_SEP:
        text = text.replace(sep, "")
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        text = text.replace(group_sep, "").replace(decimal_sep, ".")
    elif dots or commas:
        sep = "." if dots else ","
        parts = text.split(sep)
        text = "".join(parts) if len(parts) > 2 or len(parts[-1]) == 3 else ".".join(parts)
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _date_values(year: int | None, month: int, day: int | None) -> list[str]:
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return []
    out = []
    if year is not None and day is not None:
        out.append(f"{year:04d}-{month:02d}-{day:02d}")
    if year is not None:
        out += [f"{year:04d}-{month:02d}", f"{year:04d}"]
    if day is not None:
        out.append(f"--{month:02d}-{day:02d}")
    return out


def _month(value: str) -> int:
    return int(value) if value.isdigit() else MONTHS[fold(value)]


def _find_dates(text: str) -> list[tuple[int, int, list[str]]]:
    found: list[tuple[int, int, list[str]]] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= ts or s >= te for ts, te in taken)

    for regex in (_DATE_ISO_RE, _DATE_SLASH_RE, _DATE_DMY_RE, _DATE_MY_RE):
        for m in regex.finditer(text):
            if not free(m.start(), m.end()):
                continue
            groups = m.groupdict()
            year = int(groups["year"]) if groups.get("year") else None
            day = int(groups["day"]) if groups.get("day") else None
            values = _date_values(year, _month(groups["month"]), day)
            if values:
                found.append((m.start(), m.end(), values))
                taken.append((m.start(), m.end()))
    return found


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def _find_digit_numbers(text: str) -> list[Fact]:
    out = []
    for m in _NUMBER_RE.finditer(text):
        value = parse_number(m.group("num"))
        if value is None:
            continue
        scale_raw = m.group("scale")
        end = m.end("num")
        kind = "number"
        if scale_raw:
            scale_key = re.sub(r"\s+", " ", fold(scale_raw.strip()))
            # A bare "m"/"mm" is only a scale right after a currency ("US$ 653 M"); otherwise it is a unit (metres).
            if scale_key in ("m", "mm") and not _CURRENCY_RE.search(text[max(0, m.start() - 6) : m.start()]):
                scale_key = ""
            if scale_key:
                value *= _SCALES[scale_key]
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


def _find_word_numbers(text: str) -> list[Fact]:
    """Spelled-out numbers ("mil quinientos millones", "doscientos mil"); a lone article "un/una" is not one."""
    words = [(m.start(), m.end(), fold(m.group())) for m in _WORD_RE.finditer(text)]
    out = []
    i = 0
    while i < len(words):
        if words[i][2] not in _UNITS and words[i][2] not in _WORD_SCALES:
            i += 1
            continue
        j = i
        run: list[str] = []
        while j < len(words):
            w = words[j][2]
            gap = text[words[j - 1][1] : words[j][0]] if j > i else ""
            if j > i and gap.strip():
                break
            if w in _UNITS or w in _WORD_SCALES:
                run.append(w)
                j += 1
            elif w == "y" and run and j + 1 < len(words) and words[j + 1][2] in _UNITS:
                j += 1
            else:
                break
        if run and not (len(run) == 1 and run[0] in _ARTICLES):
            total, current = 0, 0
            for w in run:
                if w in _UNITS:
                    current += _UNITS[w]
                elif w == "mil":
                    current = (current or 1) * 1000
                else:
                    total += (current or 1) * _WORD_SCALES[w]
                    current = 0
            kind = "amount" if any(w in _WORD_SCALES for w in run) else "number"
            out.append(Fact(kind, str(total + current), words[i][0], words[j - 1][1], ""))
        i = max(j, i + 1)
    return out


def extract_facts(text: str) -> list[Fact]:
    """Every numeric fact of `text`, in order of appearance.

    Dates are found first and masked, so the day and year of "17 de julio de 2023" are not also plain numbers.
    A date yields one `Fact` per canonical value (see the module docstring), all with the same span.

    :param text: Spanish text.
    :returns: facts sorted by start offset.
    """
    facts: list[Fact] = []
    dates = _find_dates(text)
    for s, e, values in dates:
        facts += [Fact("date", v, s, e, text[s:e]) for v in values]
    masked = _mask(text, [(s, e) for s, e, _ in dates])
    digits = _find_digit_numbers(masked)
    facts += [Fact(f.kind, f.value, f.start, f.end, text[f.start : f.end]) for f in digits]
    masked = _mask(masked, [(f.start, f.end) for f in digits])
    facts += [Fact(f.kind, f.value, f.start, f.end, text[f.start : f.end]) for f in _find_word_numbers(masked)]
    return sorted(facts, key=lambda f: (f.start, f.end, f.value))


def normalize_numbers(text: str) -> set[str]:
    """Canonical numeric facts of Spanish text: amounts, numbers, percentages, years and dates.

    >>> sorted(normalize_numbers("US$ 1.500 millones el 17 de julio de 2023"))
    ['--07-17', '1500000000', '2023', '2023-07', '2023-07-17']

    :param text: Spanish text.
    :returns: the set of canonical values.
    """
    return {f.value for f in extract_facts(text)}


def amounts(text: str) -> set[str]:
    """Canonical values of the money-like amounts of `text` (a number with currency or scale word).

    :param text: Spanish text.
    :returns: values such as {"1500000000"}.
    """
    return {f.value for f in extract_facts(text) if f.kind == "amount"}
