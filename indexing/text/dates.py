"""Dates written in Spanish: "17 de julio de 2023", "martes 17 de julio del 2023", "1.º de junio de 2021",
"17/07/2023", "17.07.2023", "2023-07-17", month-year mentions ("julio de 2023", "setiembre 2022") and day-month
mentions without a year ("el 1 de septiembre").

One grammar for every caller: the chunker and the sentence splitter protect the spans, the metadata extractor and
the commitments extractor date a record, the briefing checker compares the dates of two texts.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass

MONTHS = {
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
}
MONTH_NAMES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)"

# Every repetition is bounded or possessive and every alternative starts at a word boundary or after a
# non-number character, so a scan is linear in the text; the leading lookaheads (the possible first characters)
# let the scan skip every other character at once.
_WRITTEN_RE = re.compile(
    rf"(?=[\dlmjvsd])\b(?:{_WEEKDAY},?\s++)?(?P<d>\d{{1,2}})(?!\d)(?:\.?\s?[º°ª])?\s++de\s++(?P<m>{_MONTH})\b"
    r"(?:\s++de(?:l)?\s++(?P<y>\d{4})\b)?",
    re.IGNORECASE,
)
_NUMERIC_RE = re.compile(r"(?=\d)(?<![\d.,/-])(?P<d>\d{1,2})([/.-])(?P<m>\d{1,2})\2(?P<y>\d{4})(?![\d])")
_ISO_RE = re.compile(r"(?=\d)(?<![\d.,/-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d])")
# A year of this archive's range written as four digits ("2023"), not part of a longer number.
YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_MONTH_YEAR_RE = re.compile(rf"(?=[efmajsond])\b(?P<m>{_MONTH})\s++(?:de(?:l)?\s++)?(?P<y>\d{{4}})\b", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A date named in a text.

    :ivar start: offset of the first character of the mention.
    :ivar end: offset after its last character.
    :ivar year: the year, or None for a day-month mention ("1 de septiembre").
    :ivar month: the month (1-12).
    :ivar day: the day, or None for a month-year mention ("julio de 2023").
    :ivar kind: "written" ("17 de julio de 2023"), "numeric" ("17/07/2023"), "iso" ("2023-07-17"), "month_year"
        or "day_month".
    """

    start: int
    end: int
    year: int | None
    month: int
    day: int | None
    kind: str

    @property
    def date(self) -> datetime.date | None:
        """The date (the first of the month for a month-year mention); None for a day-month mention."""
        if self.year is None:
            return None
        return datetime.date(self.year, self.month, 1 if self.day is None else self.day)

    @property
    def is_full(self) -> bool:
        """Whether the mention names a day, a month and a year."""
        return self.year is not None and self.day is not None


def _valid(year: int | None, month: int, day: int | None) -> bool:
    try:
        # A day-month mention is checked against a leap year, so "29 de febrero" stays a date.
        datetime.date(2000 if year is None else year, month, 1 if day is None else day)
    except ValueError:
        return False
    return True


def _full_dates(text: str, day_month: bool) -> list[DateMention]:
    found = []
    for m in _WRITTEN_RE.finditer(text):
        year = int(m["y"]) if m["y"] else None
        if year is None and not day_month:
            continue
        month, day = MONTHS[m["m"].lower()], int(m["d"])
        if _valid(year, month, day):
            end = m.end() if year is not None else m.end("m")
            found.append(DateMention(m.start(), end, year, month, day, "written" if year else "day_month"))
    for pattern, kind in ((_NUMERIC_RE, "numeric"), (_ISO_RE, "iso")):
        for m in pattern.finditer(text):
            year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
            if _valid(year, month, day):
                found.append(DateMention(m.start(), m.end(), year, month, day, kind))
    return sorted(found, key=lambda d: d.start)


def _month_years(text: str, taken: list[DateMention]) -> list[DateMention]:
    """Month-year mentions that do not start inside a span of `taken` (sorted by start)."""
    starts = [d.start for d in taken]
    max_end: list[int] = []
    for d in taken:
        max_end.append(max(d.end, max_end[-1]) if max_end else d.end)
    found = []
    for m in _MONTH_YEAR_RE.finditer(text):
        i = bisect.bisect_right(starts, m.start())
        if i and max_end[i - 1] > m.start():
            continue
        year, month = int(m["y"]), MONTHS[m["m"].lower()]
        if _valid(year, month, 1):
            found.append(DateMention(m.start(), m.end(), year, month, None, "month_year"))
    return found


def find_dates(text: str, *, month_year: bool = True, day_month: bool = False) -> list[DateMention]:
    """Dates written in Spanish in `text`, in order of appearance.

    Full dates: "17 de julio de 2023", "17 de julio del 2023", "1.º de junio de 2021", "martes 17 de julio de
    2023" (the weekday is part of the span), "17/07/2023", "17.07.2023", "17-07-2023" (day first) and
    "2023-07-17". Month-year mentions ("julio de 2023", "setiembre 2022") are less precise, so callers that want
    one date should prefer full dates (see `first_spanish_date`). Day-month mentions ("1 de septiembre") are
    returned only on request. Month names are case-insensitive; impossible dates ("31 de junio de 2023") are
    ignored.

    :param text: Spanish text.
    :param month_year: also return month-year mentions that do not start inside another date.
    :param day_month: also return day-month mentions without a year.
    :returns: mentions sorted by start.
    """
    full = _full_dates(text, day_month)
    if not month_year:
        return full
    return sorted(full + _month_years(text, full), key=lambda d: d.start)


def find_spanish_dates(text: str, *, include_month_year: bool = True) -> list[tuple[datetime.date, int, int]]:
    """Full dates (and month-year mentions, as the first of that month) of `text` as (date, start, end).

    :param text: Spanish text.
    :param include_month_year: also return month-year mentions not part of a full date.
    :returns: list of (datetime.date, start, end), sorted by start.
    """
    out = []
    for d in find_dates(text, month_year=include_month_year):
        date = d.date
        if date is not None:
            out.append((date, d.start, d.end))
    return out


def first_spanish_date(text: str) -> datetime.date | None:
    """The first full date of `text`; if there is none, the first month-year mention (first of that month).

    :param text: Spanish text (for a record, its whole text).
    :returns: a `datetime.date`, or None when the text names no date.
    """
    full = _full_dates(text, day_month=False)
    if full:
        return full[0].date
    month_years = _month_years(text, [])
    return month_years[0].date if month_years else None


def first_written_date(text: str) -> str | None:
    """ISO date of the first date written out with words ("17 de julio de 2023") in `text`.

    :param text: Spanish text (the head of a record).
    :returns: "2023-07-17", or None.
    """
    for m in _WRITTEN_RE.finditer(text):
        if m["y"] and _valid(int(m["y"]), MONTHS[m["m"].lower()], int(m["d"])):
            return f"{int(m['y']):04d}-{MONTHS[m['m'].lower()]:02d}-{int(m['d']):02d}"
    return None
