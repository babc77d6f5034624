"""Monetary amounts in Spanish (and some English) text: "US$ 1.500 millones", "1,5 mil millones de dólares",
"EUR 50 M", "cincuenta millones de euros", "S/ 18,6 millones"...

Numbers follow the separator rules of `indexing.text.numbers`. Scales: "millones"/"M"/"MM"/"million" = 10^6,
"mil millones"/"millardos"/"billion"/"bn" = 10^9, "mil" = 10^3 and the Spanish "billón" = 10^12 (long scale,
flagged ``billon_escala_larga`` since translated records sometimes use it for 10^9).

Two readings of one text, both from this module:

- `find_amounts`: the monetary amounts, parsed (value, ISO currency, scale, flags, span). A number counts as
  money only with a currency marker or a scale word ("1.000 millones"), and never when it is a percentage or
  counts something else ("1,7 millones de venezolanos", "1.500 migrantes", "2023"). The commitments register
  and the tables use it.
- `amount_spans` / `has_amount`: the spans of every amount-like expression, money or large quantity ("4,5
  millones" of anything, "diez mil dólares"), which the chunker and the sentence splitter must never cut and
  which makes a sentence answer a "cuánto" question.

Both scan in linear time: patterns start only at the first character of a number or marker, repetitions that
could give back characters are possessive, and a run of number words is read at most `_MAX_WORD_RUN` words long.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from indexing.text.numbers import NUMBER_WORDS, parse_number, words_value
from indexing.text.tokens import fold_same_length

__all__ = ["SCALES", "Amount", "amount_spans", "find_amounts", "has_amount", "parse_amount"]


@dataclass(frozen=True)
class Amount:
    """A monetary amount found in a text.

    :ivar value: the amount in units of the currency (scale applied), exact.
    :ivar currency: ISO 4217 code, or None when the text names no (unambiguous) currency.
    :ivar start: offset of the first character of the amount expression in the text.
    :ivar end: offset after its last character.
    :ivar text: the expression as written.
    :ivar flags: remarks such as "billon_escala_larga", "separador_ambiguo", "moneda_ambigua", "en_palabras".
    :ivar scale: the multiplier of the scale word applied to the number (10^6 for "millones"), None without one.
    """

    value: Decimal
    currency: str | None
    start: int
    end: int
    text: str
    flags: tuple[str, ...] = ()
    scale: Decimal | None = None

    @property
    def amount(self) -> float:
        """The value as a float (for JSON and arithmetic that tolerates rounding)."""
        return float(self.value)


_MILLION = Decimal(1_000_000)
# Folded scale word → (multiplier, flag).
SCALES: dict[str, tuple[Decimal, str | None]] = {
    "mil millones": (Decimal(10) ** 9, None),
    "mil mill.": (Decimal(10) ** 9, None),
    "millardo": (Decimal(10) ** 9, None),
    "millardos": (Decimal(10) ** 9, None),
    "billion": (Decimal(10) ** 9, "billion_ingles"),
    "billions": (Decimal(10) ** 9, "billion_ingles"),
    "bn": (Decimal(10) ** 9, None),
    "billon": (Decimal(10) ** 12, "billon_escala_larga"),
    "billones": (Decimal(10) ** 12, "billon_escala_larga"),
    "millones": (_MILLION, None),
    "millon": (_MILLION, None),
    "mill.": (_MILLION, None),
    "million": (_MILLION, None),
    "millions": (_MILLION, None),
    "mm": (_MILLION, None),
    "m": (_MILLION, None),
    "mn": (_MILLION, None),
    "mil": (Decimal(1000), None),
}
# Scale words strong enough to make a number monetary without a currency ("1.000 millones").
_STANDALONE_SCALES = {"mil millones", "mil mill.", "millardo", "millardos", "billon", "billones", "millones", "millon"}

_ACCENTS = {"a": "aá", "e": "eé", "i": "ií", "o": "oó", "u": "uúü", "n": "nñ"}


def _accent_tolerant(word: str) -> str:
    out = []
    for ch in word:
        base = fold_same_length(ch)
        if base in _ACCENTS:
            out.append(f"[{_ACCENTS[base]}{_ACCENTS[base].upper()}]")
        elif ch == " ":
            out.append(r"\s+")
        elif ch.isalpha():
            out.append(f"[{ch.lower()}{ch.upper()}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


@lru_cache(maxsize=1)
def _currency_tables() -> tuple[dict[str, str], dict[str, str], dict[str, Any]]:
    text = resources.files(__package__).joinpath("data").joinpath("currencies.json").read_text(encoding="utf-8")
    data = json.loads(text)
    markers = {**data["codes"], **data["symbols"]}
    words = {fold_same_length(k): v for k, v in data["words"].items()}
    return markers, words, data["ambiguous"]


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    markers, words, ambiguous = _currency_tables()
    marker_keys = sorted([*markers, *ambiguous], key=len, reverse=True)
    marker_alt = "|".join(
        (
            rf"(?<![^\W\d_]){re.escape(k)}(?![^\W\d_])"
            if k.isalpha()
            else rf"(?<![^\W\d_]){re.escape(k)}"
            if k[0].isalpha()
            else re.escape(k)
        )
        for k in marker_keys
    )
    word_alt = "|".join(_accent_tolerant(w) for w in sorted(words, key=len, reverse=True))
    scale_alt = (
        r"(?i:mil\s+millones|mil\s+mill\.|millardos?|billones|bill[oó]n|billions?|millones|mill[oó]n|mill\."
        r"|millions?|mil)|MM|M|bn|mn|m"
    )
    # After a number only codes and the euro sign: "2022 S/" or "2023 $" are a year next to a prefix symbol.
    post_keys = sorted([k for k in markers if k.isalpha()] + ["€"], key=len, reverse=True)
    post_alt = "|".join(rf"(?<![^\W\d_]){re.escape(k)}(?![^\W\d_])" if k.isalpha() else re.escape(k) for k in post_keys)
    # Whitespace runs are possessive: what follows them never starts with whitespace, so giving some back could
    # not help, and a long run is read once.
    # A match starts with "MM", a marker or a digit: the leading lookahead lets the scan skip every other
    # character at once instead of trying each marker there (9x faster on ordinary text, same matches).
    first_chars = "".join(re.escape(c) for c in sorted({k[0] for k in marker_keys} | {"M"}))
    digits = re.compile(
        rf"""
        (?=[{first_chars}\d])
        (?:(?P<prescale>MM)\s*+)?
        (?:(?P<precur>{marker_alt})\s*+)?
        (?<![\w.,])(?P<num>
            (?(precur)\d{{1,3}}(?:\x20\d{{3}})++(?:,\d++)?(?!\w|[.,]\d)
            |\d{{1,3}}(?:\x20\d{{3}})++(?=\x20(?:(?:{scale_alt})|(?:(?i:de)\x20)?(?:{word_alt})|(?:{post_alt}))(?![^\W\d_])))
            |\d+(?:[.,\u00a0\u202f]\d+)*)(?![\w])
        (?:\s*+(?P<scale>{scale_alt})(?![^\W\d_]))?
        (?:\s*+(?:(?i:de)\s++)?(?:(?P<postword>{word_alt})(?![^\W\d_])|(?P<postcur>{post_alt})))?
        """,
        re.VERBOSE,
    )
    number_words = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    folded_words = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # A run of number words starts after a non-word character and is read whole (possessively) up to
    # `_MAX_WORD_RUN` words; the word boundary after each word makes the reading unique.
    spelled = re.compile(
        rf"(?<![\w])(?P<run>(?:{number_words})\b(?:\s++(?:y\s++)?(?:{number_words})\b){{0,{_MAX_WORD_RUN}}}+)"
        rf"(?![\w])(?:\s++(?:de\s++)?(?P<postword>{folded_words})(?![\w]))?"
    )
    return digits, spelled


# Written-out numbers are short ("novecientos noventa y nueve mil novecientos noventa y nueve millones" is 10
# words); a longer run is read as several numbers, so the scan stays linear on "dos dos dos ...".
_MAX_WORD_RUN = 15
_NUMBER_WORDS = {*NUMBER_WORDS, "medio", "mil", "millon", "millones", "billon", "billones"}

_PERCENT_RE = re.compile(r"\s*+(?:%|por\s*+ciento|puntos\s++porcentuales)", re.IGNORECASE)
_NUMBER_NEXT_RE = re.compile(r"[ \t\u00a0]*+\d")
_FOLLOWING_NOUN_RE = re.compile(r"\s++de\s++(?:los\s++|las\s++)?([^\W\d_]++)")
_WHITESPACE_RE = re.compile(r"\s+")


def _resolve_marker(marker: str, text: str, start: int, end: int) -> tuple[str | None, tuple[str, ...]]:
    markers, _, ambiguous = _currency_tables()
    if marker in markers:
        return markers[marker], ()
    rule = ambiguous[marker]
    window = fold_same_length(text[max(0, start - 200) : end + 200])
    if any(fold_same_length(c) in window for c in rule["context"]):
        return rule["default"], ("moneda_ambigua",)
    return None, ("moneda_ambigua",)


def _not_monetary_after(text: str, end: int) -> bool:
    if _PERCENT_RE.match(text, end):
        return True
    m = _FOLLOWING_NOUN_RE.match(text, end)
    if not m:
        return False
    _, words, _ = _currency_tables()
    noun = fold_same_length(m.group(1))
    return not any(w.split(" ")[0] == noun for w in words)


def _digit_amounts(text: str) -> tuple[list[Amount], list[Amount]]:
    """(amounts, unreadable numbers such as "1.2,3.4" that are still no place for a spelled-out amount)."""
    digits_re, _ = _patterns()
    _, words, _ = _currency_tables()
    found: list[Amount] = []
    unreadable: list[Amount] = []
    pos = 0
    while (m := digits_re.search(text, pos)) is not None:
        pos = m.end()
        # "en agosto de 2023 EUR 2,6 millones": a code between two numbers opens the second amount; the first
        # number (a year, a count) is read on its own and the scan resumes at the code.
        if (
            m.group("postcur")
            and not m.group("precur")
            and not m.group("scale")
            and _NUMBER_NEXT_RE.match(text, m.end())
        ):
            pos = m.start("postcur")
            continue
        flags: list[str] = []
        currency = None
        marker = m.group("precur") or m.group("postcur")
        if marker:
            currency, extra = _resolve_marker(marker, text, m.start(), m.end())
            flags.extend(extra)
        elif m.group("postword"):
            currency = words[_WHITESPACE_RE.sub(" ", fold_same_length(m.group("postword")))]
        scale_raw = m.group("scale") or m.group("prescale")
        scale_key = None
        if scale_raw:
            scale_key = _WHITESPACE_RE.sub(" ", fold_same_length(scale_raw))
        if not marker and not m.group("postword"):
            if scale_key not in _STANDALONE_SCALES:
                continue
            if _not_monetary_after(text, m.end()):
                continue
        elif _PERCENT_RE.match(text, m.end("num")) or _PERCENT_RE.match(text, m.end()):
            continue
        parsed = parse_number(m.group("num"))
        if parsed is None:
            unreadable.append(Amount(Decimal(0), None, m.start(), m.end(), m.group(0)))
            continue
        value, ambiguous = parsed
        if ambiguous:
            flags.append("separador_ambiguo")
        scale = None
        if scale_key:
            scale, flag = SCALES[scale_key]
            value *= scale
            if flag:
                flags.append(flag)
        start, end = m.start(), m.end()
        found.append(Amount(value, currency, start, end, text[start:end], tuple(flags), scale))
    return found, unreadable


def _overlaps(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, disjoint spans given by `starts` / `ends`."""
    i = bisect.bisect_left(starts, end)  # spans starting before `end`
    return i > 0 and ends[i - 1] > start


def find_amounts(text: str) -> list[Amount]:
    """Every monetary amount in `text`, in order.

    :param text: Spanish text (a sentence, a table row or a page).
    :returns: parsed amounts with spans indexing `text`; percentages, years and counts are left out.
    """
    _, spelled_re = _patterns()
    _, words, _ = _currency_tables()
    found, unreadable = _digit_amounts(text)
    taken = sorted(found + unreadable, key=lambda a: a.start)
    starts, ends = [a.start for a in taken], [a.end for a in taken]
    spelled: list[Amount] = []
    folded = fold_same_length(text)
    for m in spelled_re.finditer(folded):
        run = [w for w in m.group("run").split() if w != "y"]
        has_scale = any(w in ("millon", "millones", "billon", "billones") for w in run)
        currency = words[_WHITESPACE_RE.sub(" ", m.group("postword"))] if m.group("postword") else None
        if not has_scale and currency is None:
            continue
        if all(w in ("un", "una", "uno") for w in run):
            continue
        start, end = m.start(), m.end()
        if _overlaps(starts, ends, start, end):
            continue
        if currency is None and _not_monetary_after(text, end):
            continue
        flags = ["en_palabras"]
        if any(w in ("billon", "billones") for w in run):
            flags.append("billon_escala_larga")
        spelled.append(Amount(words_value(run), currency, start, end, text[start:end], tuple(flags)))
    return sorted(found + spelled, key=lambda a: a.start)


def parse_amount(text: str) -> Amount | None:
    """The first monetary amount of `text`, or None.

    :param text: e.g. "US$ 1.500 millones" or "cincuenta millones de euros".
    :returns: the parsed amount (value, ISO currency or None, span), or None if `text` holds no money amount.
    """
    amounts = find_amounts(text)
    return amounts[0] if amounts else None


# --- amount-like spans ----------------------------------------------------------------------------------------

_NUM = r"(?<![\d.,])(?:\d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d])"
_CUR_PREFIX = (
    r"(?:US\s?\$|U\$S|USD|EUR|CAD|GBP|CHF|JPY|PEN|COP|BRL|MXN|CLP|ARS|AUD|NZD|SEK|NOK|DKK|CNY|KRW|CZK|PLN|HUF|ISK"
    r"|R\$|S/\.?|€|£|¥|\$)"
)
_CUR_WORD = (
    r"(?:d[óo]lar(?:es)?|euros?|soles|pesos|libras(?:\s+esterlinas)?|francos(?:\s+suizos)?|yenes|coronas"
    r"|reales|bol[íi]vares)"
    r"(?:\s+(?:estadounidenses|estadunidenses|americanos|canadienses|australianos|neozelandeses))?"
    r"(?:\s+de\s+los\s+Estados\s+Unidos(?:\s+de\s+Am[ée]rica)?)?"
)
_SCALE = r"(?:mil\s+millones|miles\s+de\s+millones|millones|mill[óo]n|billones|bill[óo]n|mil)"
_SCALE_SHORT = r"(?:MM|M|mn|bn|mill\.)"
_NUMBER_WORD = (
    r"(?:un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|"
    r"diecis[ée]is|diecisiete|dieciocho|diecinueve|veinte|veinti[a-záéíóú]+|treinta|cuarenta|cincuenta|sesenta|"
    r"setenta|ochenta|noventa|cien|ciento|doscientos|trescientos|cuatrocientos|quinientos|seiscientos|"
    r"setecientos|ochocientos|novecientos|mil)\b"
)

_AMOUNT_SPAN_RE = re.compile(
    # A match starts with a digit, a currency sign or the first letter of a code or a number word: the lookahead
    # lets the scan skip every other character at once (same matches, twice as fast on ordinary text).
    r"(?=[\d€£¥$abcdegjkmnopqrstuv])(?:"
    # "US$ 1.500 millones", "USD 12.300.000", "EUR 50 M", "€ 2,5 millones", "S/ 18,6 millones"
    rf"(?<![\w$])(?:{_CUR_PREFIX})\s?{_NUM}(?:\s+(?:{_SCALE}|{_SCALE_SHORT})(?![\w]))?(?:\s+de\s+{_CUR_WORD})?"
    # "653 millones de dólares", "1,5 mil millones de dólares", "50 €", "30 millones EUR", "7,7 millones"
    rf"|{_NUM}(?:\s+{_SCALE}\b(?:\s*(?:de\s+)?(?:{_CUR_WORD}\b|{_CUR_PREFIX}))?|\s*(?:{_CUR_WORD}\b|{_CUR_PREFIX}))"
    # "cincuenta millones de euros", "un millón de dólares", "diez mil dólares": every number word is followed
    # by whitespace in a match, so the boundary after it changes nothing but makes the possessive run unique.
    rf"|\b{_NUMBER_WORD}(?:\s++(?:y\s++)?{_NUMBER_WORD}){{0,{_MAX_WORD_RUN}}}+(?:\s+{_SCALE})?\s+(?:de\s+)?{_CUR_WORD}\b"
    r")",
    re.IGNORECASE,
)


def amount_spans(text: str) -> list[tuple[int, int]]:
    """Spans of monetary amounts and large quantities in `text`, in order, non-overlapping.

    Recognises a currency before the number ("US$ 1.500 millones", "USD 12.300.000", "EUR 50 M", "€ 2,5 millones",
    "S/ 18,6 millones", "CAD 30 millones"), a currency after it ("653 millones de dólares",
    "1,5 mil millones de dólares", "5 €"), numbers in words with a currency ("cincuenta millones de euros") and
    bare scaled quantities ("4,5 millones"). Used so that chunks are never cut inside an amount and so "cuánto"
    questions can prefer sentences that hold one.

    :param text: Spanish text.
    :returns: list of (start, end) spans, end exclusive.
    """
    return [m.span() for m in _AMOUNT_SPAN_RE.finditer(text)]


def has_amount(text: str) -> bool:
    """Whether `text` mentions at least one amount (see `amount_spans`).

    :param text: Spanish text.
    :returns: True when `amount_spans` would find one.
    """
    return _AMOUNT_SPAN_RE.search(text) is not None
