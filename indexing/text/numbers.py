"""Spanish numbers: digits with either separator convention ("1.500,5", "1,5", "12,300,000.50"), number words
("mil quinientos", "treinta y cinco") and the canonical string of a value.

Separators: with both "." and "," present, the last one is the decimal mark ("12.300.000,50", "12,300,000.50").
With one kind repeated, it groups thousands ("12.300.000"). With a single separator, exactly three digits after
it mean thousands ("1.500", "2,790") unless the integer part is 0 ("0,500"); any other count is a decimal mark
("1,5", "18.6", "0,8"). The three-digit case is reported as ambiguous because "1,500" could be an over-precise
decimal in some records; Spanish records write "1.500 millones" for 1 500 000 000, so thousands is the reading
that is right in practice.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from indexing.text.tokens import fold

# Spanish number words (accent-folded) and their values, for amounts written out ("cincuenta millones").
NUMBER_WORDS = {
    "un": 1,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
    "trece": 13,
    "catorce": 14,
    "quince": 15,
    "dieciseis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veinte": 20,
    "veintiun": 21,
    "veintiuno": 21,
    "veintiuna": 21,
    "veintidos": 22,
    "veintitres": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiseis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "sesenta": 60,
    "setenta": 70,
    "ochenta": 80,
    "noventa": 90,
    "cien": 100,
    "ciento": 100,
    "doscientos": 200,
    "doscientas": 200,
    "trescientos": 300,
    "trescientas": 300,
    "cuatrocientos": 400,
    "cuatrocientas": 400,
    "quinientos": 500,
    "quinientas": 500,
    "seiscientos": 600,
    "seiscientas": 600,
    "setecientos": 700,
    "setecientas": 700,
    "ochocientos": 800,
    "ochocientas": 800,
    "novecientos": 900,
    "novecientas": 900,
}
# Scale words of numbers written out, folded.
WORD_SCALES = {
    "mil": Decimal(10) ** 3,
    "millon": Decimal(10) ** 6,
    "millones": Decimal(10) ** 6,
    "millardo": Decimal(10) ** 9,
    "millardos": Decimal(10) ** 9,
    "billon": Decimal(10) ** 12,
    "billones": Decimal(10) ** 12,
}
_ARTICLES = frozenset({"un", "una", "uno"})
_GROUP_SEPARATORS = "\u00a0\u202f "
_LETTERS_RE = re.compile(r"[^\W\d_]++")
_MAX_INT_DIGITS = 1000


def parse_number(raw: str) -> tuple[Decimal, bool] | None:
    """Value of a written number following the separator rules of the module docstring.

    :param raw: digits with optional "." / "," / no-break-space separators ("1.500", "12,300,000.50").
    :returns: (value, ambiguous), ambiguous being True for a single separator followed by three digits; None when
        `raw` is not a number ("1.2,3.4").
    """
    s = raw
    for sep in _GROUP_SEPARATORS:
        s = s.replace(sep, "")
    dots, commas = s.count("."), s.count(",")
    ambiguous = False
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thousands = "," if dec == "." else "."
        s = s.replace(thousands, "").replace(dec, ".")
    elif dots or commas:
        sep = "." if dots else ","
        if s.count(sep) > 1:
            s = s.replace(sep, "")
        else:
            head, tail = s.split(sep)
            if len(tail) == 3 and head != "0":
                s, ambiguous = head + tail, True
            else:
                s = f"{head}.{tail}"
    try:
        return Decimal(s), ambiguous
    except InvalidOperation:
        return None


def canonical_decimal(value: Decimal) -> str:
    """Plain string of a decimal value without exponent or trailing zeros ("1500000000", "2.5").

    :param value: any finite decimal.
    :returns: its canonical string.
    """
    if value == value.to_integral_value() and value.adjusted() < _MAX_INT_DIGITS:
        return str(int(value))
    # Also the form of absurdly long numbers (a run of 50 000 digits): no int conversion, which Python limits.
    return format(value.normalize(), "f")


def words_value(words: list[str]) -> Decimal:
    """Value of a run of folded number words: ["mil", "quinientos", "millones"] → 1 500 000 000.

    Units add up; "mil" multiplies what precedes it (alone it is 1000); "millón"/"millones", "millardo(s)" and
    "billón"/"billones" (long scale, 10^12) close a group; "medio" adds one half ("dos millones y medio" is not
    read that way: "medio" only adds to the units of its group).

    :param words: folded words (number words, scale words, "medio"); "y" must already be removed.
    :returns: the value.
    """
    total = Decimal(0)
    current = Decimal(0)
    for w in words:
        if w in NUMBER_WORDS:
            current += NUMBER_WORDS[w]
        elif w == "medio":
            current += Decimal("0.5")
        elif w == "mil":
            current = (current or Decimal(1)) * 1000
        elif w in WORD_SCALES:
            total += (current or Decimal(1)) * WORD_SCALES[w]
            current = Decimal(0)
    return total + current


def find_number_words(text: str) -> list[tuple[int, int, Decimal, bool]]:
    """Runs of number words in `text` ("mil quinientos millones", "treinta y cinco"); a lone "un"/"una" is not one.

    Words of a run are separated by whitespace only; "y" joins two words when a unit follows it.

    :param text: Spanish text.
    :returns: (start, end, value, has_scale) per run, in order; has_scale is True when the run holds a scale word
        ("mil", "millones"...), which makes it an amount rather than a count.
    """
    words = [(m.start(), m.end(), fold(m.group())) for m in _LETTERS_RE.finditer(text)]
    out = []
    i = 0
    while i < len(words):
        if words[i][2] not in NUMBER_WORDS and words[i][2] not in WORD_SCALES:
            i += 1
            continue
        j = i
        run: list[str] = []
        while j < len(words):
            w = words[j][2]
            if j > i and text[words[j - 1][1] : words[j][0]].strip():
                break
            if w in NUMBER_WORDS or w in WORD_SCALES:
                run.append(w)
                j += 1
            elif w == "y" and run and j + 1 < len(words) and words[j + 1][2] in NUMBER_WORDS:
                j += 1
            else:
                break
        if run and not (len(run) == 1 and run[0] in _ARTICLES):
            has_scale = any(w in WORD_SCALES for w in run)
            out.append((words[i][0], words[j - 1][1], words_value(run), has_scale))
        i = max(j, i + 1)
    return out
