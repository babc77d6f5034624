"""Monetary amounts in Spanish (and some English) text: "US$ 1.500 millones", "1,5 mil millones de dólares",
"EUR 50 M", "cincuenta millones de euros", "S/ 18,6 millones"...

Separators: with both "." and "," present, the last one is the decimal mark ("12.300.000,50", "12,300,000.50").
With one kind repeated, it groups thousands ("12.300.000"). With a single separator, exactly three digits after it
mean thousands ("1.500", "2,790") unless the integer part is 0 ("0,500"); any other count is a decimal mark
("1,5", "18.6", "0,8"). The three-digit case is flagged ``separador_ambiguo`` because "1,500" could be an
over-precise decimal in some records; Spanish records write "1.500 millones" for 1 500 000 000, so thousands is
the reading that is right in practice.

Scales: "millones"/"M"/"MM"/"million" = 10^6, "mil millones"/"millardos"/"billion"/"bn" = 10^9, "mil" = 10^3 and
the Spanish "billón" = 10^12 (long scale, flagged ``billon_escala_larga`` since translated records sometimes use it
for 10^9). A number counts as money only with a currency marker or a scale word ("1.000 millones"), and never
when it is a percentage or counts something else ("1,7 millones de venezolanos", "1.500 migrantes", "2023").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from indexing.commitments._data import load
from indexing.commitments._text import fold_same_length
from indexing.spanish import NUMBER_WORDS

__all__ = ["ParsedAmount", "find_amounts", "parse_amount", "parse_number"]


@dataclass(frozen=True)
class ParsedAmount:
    """A monetary amount found in a text.

    :ivar value: the amount in units of the currency (scale applied), exact.
    :ivar currency: ISO 4217 code, or None when the text names no (unambiguous) currency.
    :ivar start: offset of the first character of the amount expression in the text.
    :ivar end: offset after its last character.
    :ivar text: the expression as written.
    :ivar flags: remarks such as "billon_escala_larga", "separador_ambiguo", "moneda_ambigua", "en_palabras".
    """

    value: Decimal
    currency: str | None
    start: int
    end: int
    text: str
    flags: tuple[str, ...] = ()

    @property
    def amount(self) -> float:
        """The value as a float (for JSON and arithmetic that tolerates rounding)."""
        return float(self.value)


_MILLION = Decimal(1_000_000)
_SCALES: dict[str, tuple[Decimal, str | None]] = {
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
def _currency_tables() -> tuple[dict[str, str], dict[str, str], dict[str, dict]]:
    data = load("currencies")
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
    digits = re.compile(
        rf"""
        (?:(?P<prescale>MM)\s*)?
        (?:(?P<precur>{marker_alt})\s*)?
        (?<![\w.,])(?P<num>\d+(?:[.,\u00a0\u202f]\d+)*)(?![\w])
        (?:\s*(?P<scale>{scale_alt})(?![^\W\d_]))?
        (?:\s*(?:(?i:de)\s+)?(?:(?P<postword>{word_alt})(?![^\W\d_])|(?P<postcur>{post_alt})))?
        """,
        re.VERBOSE,
    )
    number_words = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    folded_words = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    spelled = re.compile(
        rf"(?<![\w])(?P<run>(?:{number_words})(?:\s+(?:y\s+)?(?:{number_words}))*)(?![\w])"
        rf"(?:\s+(?:de\s+)?(?P<postword>{folded_words})(?![\w]))?"
    )
    return digits, spelled


_UNITS = NUMBER_WORDS
_NUMBER_WORDS = {*_UNITS, "medio", "mil", "millon", "millones", "billon", "billones"}


def _words_value(words: list[str]) -> Decimal:
    total = Decimal(0)
    current = Decimal(0)
    for w in words:
        if w in _UNITS:
            current += _UNITS[w]
        elif w == "medio":
            current += Decimal("0.5")
        elif w == "mil":
            current = (current or Decimal(1)) * 1000
        elif w in ("millon", "millones"):
            total += (current or Decimal(1)) * _MILLION
            current = Decimal(0)
        elif w in ("billon", "billones"):
            total += (current or Decimal(1)) * Decimal(10) ** 12
            current = Decimal(0)
    return total + current


def parse_number(raw: str) -> tuple[Decimal, bool]:
    """Value of a written number with thousands and decimal separators of either convention.

    :param raw: digits with optional "." / "," / non-breaking-space separators ("1.500", "12,300,000.50").
    :returns: (value, ambiguous) where ambiguous is True for a single separator followed by three digits.
    """
    s = raw.replace("\u00a0", "").replace("\u202f", "")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thousands = "," if dec == "." else "."
        return Decimal(s.replace(thousands, "").replace(dec, ".")), False
    sep = "." if dots else "," if commas else ""
    if not sep:
        return Decimal(s), False
    if s.count(sep) > 1:
        return Decimal(s.replace(sep, "")), False
    head, tail = s.split(sep)
    if len(tail) == 3 and head != "0":
        return Decimal(head + tail), True
    return Decimal(f"{head}.{tail}"), False


_PERCENT_RE = re.compile(r"\s*(?:%|por\s*ciento|puntos\s+porcentuales)", re.IGNORECASE)
_FOLLOWING_NOUN_RE = re.compile(r"\s+de\s+(?:los\s+|las\s+)?([^\W\d_]+)")


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


def find_amounts(text: str) -> list[ParsedAmount]:
    """Every monetary amount in `text`, in order.

    :param text: Spanish text (a sentence, a table row or a page).
    :returns: parsed amounts with spans indexing `text`; percentages, years and counts are left out.
    """
    digits_re, spelled_re = _patterns()
    _, words, _ = _currency_tables()
    found: list[ParsedAmount] = []
    for m in digits_re.finditer(text):
        flags: list[str] = []
        currency = None
        marker = m.group("precur") or m.group("postcur")
        if marker:
            currency, extra = _resolve_marker(marker, text, m.start(), m.end())
            flags.extend(extra)
        elif m.group("postword"):
            currency = words[re.sub(r"\s+", " ", fold_same_length(m.group("postword")))]
        scale_raw = m.group("scale") or m.group("prescale")
        scale_key = None
        if scale_raw:
            scale_key = re.sub(r"\s+", " ", fold_same_length(scale_raw))
        if not marker and not m.group("postword"):
            if scale_key not in _STANDALONE_SCALES:
                continue
            if _not_monetary_after(text, m.end()):
                continue
        elif _PERCENT_RE.match(text, m.end("num")) or _PERCENT_RE.match(text, m.end()):
            continue
        value, ambiguous = parse_number(m.group("num"))
        if ambiguous:
            flags.append("separador_ambiguo")
        if scale_key:
            mult, flag = _SCALES[scale_key]
            value *= mult
            if flag:
                flags.append(flag)
        start, end = m.start(), m.end()
        found.append(ParsedAmount(value, currency, start, end, text[start:end], tuple(flags)))
    folded = fold_same_length(text)
    for m in spelled_re.finditer(folded):
        run = m.group("run").split()
        run = [w for w in run if w != "y"]
        has_scale = any(w in ("millon", "millones", "billon", "billones") for w in run)
        currency = words[re.sub(r"\s+", " ", m.group("postword"))] if m.group("postword") else None
        if not has_scale and currency is None:
            continue
        if all(w in ("un", "una", "uno") for w in run):
            continue
        start, end = m.start(), m.end()
        if any(a.start < end and start < a.end for a in found):
            continue
        if currency is None and _not_monetary_after(text, end):
            continue
        flags = ["en_palabras"]
        if any(w in ("billon", "billones") for w in run):
            flags.append("billon_escala_larga")
        found.append(ParsedAmount(_words_value(run), currency, start, end, text[start:end], tuple(flags)))
    found.sort(key=lambda a: a.start)
    return found


def parse_amount(text: str) -> ParsedAmount | None:
    """The first monetary amount of `text`, or None.

    :param text: e.g. "US$ 1.500 millones" or "cincuenta millones de euros".
    :returns: the parsed amount (value, ISO currency or None, span), or None if `text` holds no money amount.
    """
    amounts = find_amounts(text)
    return amounts[0] if amounts else None
