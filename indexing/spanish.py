"""Spanish text utilities shared by chunking, lexical scoring, answers and briefings.

Offline only: no NLTK data, no model. Everything here is a pure function of its input (deterministic, no state
besides caches), so the same page text always yields the same sentence spans, dates and amounts.

Offsets are always Python string indexes into the text given, end exclusive, so `text[start:end]` is the
verbatim match.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("spanish")

# ---------------------------------------------------------------------------------------------------------------
# Folding, tokens, content terms
# ---------------------------------------------------------------------------------------------------------------

# Folded (lowercase, no accents). Forms of "estar" such as "estado(s)" are deliberately absent: "Estados Unidos"
# and "Estado de acogida" carry meaning in pledging records.
_STOPWORDS_TEXT = """
    a al algo alguna algunas alguno algunos algun ante antes aquel aquella aquellas aquello aquellos aqui asi aun
    aunque bajo bien cada casi como con conmigo contigo contra cual cuales cualquier cualquiera cuan cuando cuanta
    cuantas cuanto cuantos de del demas desde donde dos durante e el ella ellas ello ellos en entre era erais eramos
    eran eras eres es esa esas ese eso esos esta estaba estabais estabamos estaban estabas estad estais estamos
    estan estando estar estara estaran estaras estare estareis estaremos estaria estariais estariamos estarian
    estarias estas este esteis estemos esten estes esto estos estoy estuve estuviera estuvierais estuvieramos
    estuvieran estuvieras estuvieron estuviese estuvieseis estuviesemos estuviesen estuvieses estuvimos estuviste
    estuvisteis estuvo etc fue fuera fuerais fueramos fueran fueras fueron fuese fueseis fuesemos fuesen fueses fui
    fuimos fuiste fuisteis ha habeis habia habiais habiamos habian habias habida habidas habido habidos habiendo
    habra habran habras habre habreis habremos habria habriais habriamos habrian habrias hace hacen hacer hacia han
    has hasta hay haya hayais hayamos hayan hayas he hemos hube hubiera hubierais hubieramos hubieran hubieras
    hubieron hubiese hubieseis hubiesemos hubiesen hubieses hubimos hubiste hubisteis hubo la las le les lo los
    mas me mi mia mias mientras mio mios mis misma mismas mismo mismos mucha muchas mucho muchos muy nada ni
    ninguna ningunas ninguno ningunos no nos nosotras nosotros nuestra nuestras nuestro nuestros o os otra otras
    otro otros para pero poca pocas poco pocos por porque pues que quien quienes se sea seais seamos sean seas
    segun sera seran seras sere sereis seremos seria seriais seriamos serian serias ser si sido siendo sin sino so
    sobre sois solo somos son soy su sus suya suyas suyo suyos tal tales tambien tampoco tan tanta tantas tanto
    tantos te teneis tenemos tener tenga tengais tengamos tengan tengas tengo tenia teniais teniamos tenian tenias
    tendra tendran tendras tendre tendreis tendremos tendria tendriais tendriamos tendrian tendrias tenida tenidas
    tenido tenidos teniendo ti tiene tienen tienes toda todas todo todos tras tu tus tuve tuviera tuvierais
    tuvieramos tuvieran tuvieras tuvieron tuviese tuvieseis tuviesemos tuviesen tuvieses tuvimos tuviste
    tuvisteis tuvo tuya tuyas tuyo tuyos u un una unas uno unos usted ustedes vosotras vosotros vuestra vuestras
    vuestro vuestros y ya yo
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

_WORD_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lowercase and strip accents ("Reunión" → "reunion"); ñ becomes n.

    :param text: any text.
    :returns: the folded text (its length may differ from the input's: do not use it for offsets).
    """
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def tokens(text: str) -> list[str]:
    """Word and number tokens of `text`, in order, unfolded ("1.500" and "1,5" stay one token).

    :param text: any text.
    :returns: tokens such as ["La", "UE", "aportó", "1.500", "millones"].
    """
    return _WORD_RE.findall(text)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def content_terms(text: str) -> list[str]:
    """Stemmed, accent-folded content words of `text` (stopwords removed), in order, with repeats.

    Numbers are kept as written ("1.500"), so amounts can match literally.

    :param text: Spanish text.
    :returns: list of terms such as ["reunion", "seguimient", "acnur"].
    """
    out = []
    for tok in tokens(text):
        low = tok.lower()
        folded = fold(low)
        if folded in STOPWORDS:
            continue
        out.append(folded if folded[0].isdigit() else fold(_stem(low)))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------------------------

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

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)"

_FULL_DATE_RE = re.compile(
    rf"\b(?:{_WEEKDAY},?\s+)?(?P<d>\d{{1,2}})(?:\.?\s?[º°ª])?\s+de\s+(?P<m>{_MONTH})\s+de(?:l)?\s+(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)
_NUMERIC_DATE_RE = re.compile(r"(?<![\d.,/-])(?P<d>\d{1,2})([/.-])(?P<m>\d{1,2})\2(?P<y>\d{4})(?![\d])")
_ISO_DATE_RE = re.compile(r"(?<![\d.,/-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d])")
_MONTH_YEAR_RE = re.compile(rf"\b(?P<m>{_MONTH})\s+(?:de(?:l)?\s+)?(?P<y>\d{{4}})\b", re.IGNORECASE)


def _make_date(year: str, month: str | int, day: str | int) -> datetime.date | None:
    try:
        month_number = month if isinstance(month, int) else int(month)
        return datetime.date(int(year), month_number, int(day))
    except ValueError:
        return None


def _full_dates(text: str) -> list[tuple[datetime.date, int, int]]:
    found = []
    for m in _FULL_DATE_RE.finditer(text):
        date = _make_date(m["y"], MONTHS[m["m"].lower()], m["d"])
        if date:
            found.append((date, m.start(), m.end()))
    for pattern in (_NUMERIC_DATE_RE, _ISO_DATE_RE):
        for m in pattern.finditer(text):
            date = _make_date(m["y"], m["m"], m["d"])
            if date:
                found.append((date, m.start(), m.end()))
    return sorted(found, key=lambda item: item[1])


def _month_years(text: str, taken: list[tuple[datetime.date, int, int]]) -> list[tuple[datetime.date, int, int]]:
    found = []
    for m in _MONTH_YEAR_RE.finditer(text):
        if any(start <= m.start() < end for _, start, end in taken):
            continue
        date = _make_date(m["y"], MONTHS[m["m"].lower()], 1)
        if date:
            found.append((date, m.start(), m.end()))
    return found


def find_spanish_dates(text: str, *, include_month_year: bool = True) -> list[tuple[datetime.date, int, int]]:
    """Dates written in Spanish in `text`, in order of appearance, as (date, start, end).

    Full dates: "17 de julio de 2023", "17 de julio del 2023", "1.º de junio de 2021", "martes 17 de julio de 2023"
    (the weekday is part of the span), "17/07/2023", "17.07.2023", "17-07-2023" (day first) and "2023-07-17".
    Month-year mentions ("julio de 2023", "setiembre 2022") become the first of that month; they are less
    precise, so callers that want one date should prefer full dates (see `first_spanish_date`). Month names are
    case-insensitive; impossible dates ("31 de junio de 2023") are ignored.

    :param text: Spanish text.
    :param include_month_year: also return month-year mentions not part of a full date.
    :returns: list of (datetime.date, start, end), sorted by start, non-overlapping.
    """
    full = _full_dates(text)
    if not include_month_year:
        return full
    return sorted(full + _month_years(text, full), key=lambda item: item[1])


def first_spanish_date(text: str) -> datetime.date | None:
    """The first full date of `text`; if there is none, the first month-year mention (first of that month).

    :param text: Spanish text (for a record, its whole text).
    :returns: a `datetime.date`, or None when the text names no date.
    """
    full = _full_dates(text)
    if full:
        return full[0][0]
    month_years = _month_years(text, [])
    return month_years[0][0] if month_years else None


# ---------------------------------------------------------------------------------------------------------------
# Amounts
# ---------------------------------------------------------------------------------------------------------------

_NUM = r"(?<![\d.,])(?:\d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d])"
_CUR_PREFIX = (
    r"(?:US\s?\$|U\$S|USD|EUR|CAD|GBP|CHF|JPY|PEN|COP|BRL|MXN|CLP|ARS|AUD|NZD|SEK|NOK|DKK|CNY|KRW"
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
    r"setecientos|ochocientos|novecientos|mil)"
)

AMOUNT_RE = re.compile(
    # "US$ 1.500 millones", "USD 12.300.000", "EUR 50 M", "€ 2,5 millones", "S/ 18,6 millones"
    rf"(?<![\w$])(?:{_CUR_PREFIX})\s?{_NUM}(?:\s+(?:{_SCALE}|{_SCALE_SHORT})(?![\w]))?(?:\s+de\s+{_CUR_WORD})?"
    # "653 millones de dólares", "1,5 mil millones de dólares", "50 €", "30 millones EUR", "7,7 millones"
    rf"|{_NUM}(?:\s+{_SCALE}\b(?:\s*(?:de\s+)?(?:{_CUR_WORD}\b|{_CUR_PREFIX}))?|\s*(?:{_CUR_WORD}\b|{_CUR_PREFIX}))"
    # "cincuenta millones de euros", "un millón de dólares", "diez mil dólares"
    rf"|\b{_NUMBER_WORD}(?:\s+(?:y\s+)?{_NUMBER_WORD})*(?:\s+{_SCALE})?\s+(?:de\s+)?{_CUR_WORD}\b",
    re.IGNORECASE,
)


def find_amounts(text: str) -> list[tuple[int, int]]:
    """Spans of monetary amounts and large quantities in `text`, in order, non-overlapping.

    Recognises a currency before the number ("US$ 1.500 millones", "USD 12.300.000", "EUR 50 M", "€ 2,5 millones",
    "S/ 18,6 millones", "CAD 30 millones"), a currency after it ("653 millones de dólares",
    "1,5 mil millones de dólares", "5 €"), numbers in words with a currency ("cincuenta millones de euros") and
    bare scaled quantities ("4,5 millones"). Used so that chunks are never cut inside an amount and so "cuánto"
    questions can prefer sentences that hold one.

    :param text: Spanish text.
    :returns: list of (start, end) spans, end exclusive.
    """
    return [m.span() for m in AMOUNT_RE.finditer(text)]


def has_amount(text: str) -> bool:
    """Whether `text` mentions at least one amount (see `find_amounts`)."""
    return AMOUNT_RE.search(text) is not None


# ---------------------------------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------------------------------

# Folded, without the final period. Tokens with internal periods ("ee.uu") are listed whole.
_ABBREVIATIONS_TEXT = """
    sr sra srta sres sras srs dr dra dres drs excmo excma excmos excmas exmo exma ilmo ilma emb embaj lic licda
    ing arq prof profa gral sec secr pdte pres vicepres mons cnel tte cte sgto gob dna dn d
    num nums nro nros nº n° n.º n.o art arts pag pags p pp parr apdo cap caps fig figs vol vols ed eds ej ejs
    etc aprox ud uds vd vds sto sta av avda dpto depto tel vs cia ltda inc lit res dec doc docs op cit cf cfr
    ib ibid id col cols adj atte vid jr
    s.a s.l s.a.s s.r.l s.c ee.uu e.e.u.u eeuu u.s u.s.a e.u u.e o.n.u aa.vv a.c d.c
    s/ u$s
"""
ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split())
# Abbreviations that are also ordinary words: only abbreviations when a number follows ("No. 5").
_ABBREVIATIONS_BEFORE_NUMBER = frozenset({"no"})

_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s+[«“\"'(\[¿¡—–-]*[A-ZÁÉÍÓÚÑÜ0-9])")
_TOKEN_BEFORE_RE = re.compile(r"[^\s(«“\"'\[]*$")
_DOTTED_ABBREVIATION_RE = re.compile(r"^(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}$")
_BULLET_RE = re.compile(r"^\s*(?:[-–—•*·▪◦‣●]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z]\)\s+|\(?[ivx]{1,4}\)\s+)")
_TABLE_GAP_RE = re.compile(r"(?<=\S)(?:\t+| {3,})(?=\S)")
# A list number on its own ("1.", "iv.") is the start of an item, not a sentence.
_LIST_MARKER_RE = re.compile(r"\s*\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]$")
_OPENERS = {"(": ")", "[": "]", "«": "»", "“": "”"}


def is_bullet_line(line: str) -> bool:
    """Whether `line` starts a list item ("- ", "• ", "* ", "1. ", "2) ", "a) ").

    :param line: one line, without its newline.
    :returns: True for list items.
    """
    return _BULLET_RE.match(line) is not None


def is_table_line(line: str) -> bool:
    """Whether `line` looks like a table row: cells separated by "|", or 3+ cells separated by tabs or 3+ spaces.

    :param line: one line, without its newline.
    :returns: True for table-like rows such as "Alemania | 50 | EUR".
    """
    stripped = line.strip()
    if stripped.count("|") >= 1 and len([c for c in stripped.split("|") if c.strip()]) >= 2:
        return True
    # Whitespace-aligned columns need two gaps: one wide gap is more often justified prose than a table.
    return len(_TABLE_GAP_RE.findall(stripped)) >= 2


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of `text`, newline excluded."""
    spans = []
    start = 0
    for m in re.finditer(r"\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _segments(text: str) -> list[tuple[int, int]]:
    """Hard units no sentence may cross: paragraphs, list items, table rows."""
    segments: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    previous_was_table = False
    for start, end in _lines(text):
        line = text[start:end]
        if not line.strip():
            if current:
                segments.append(current)
            current = None
            previous_was_table = False
            continue
        table = is_table_line(line)
        if current is None or table or previous_was_table or is_bullet_line(line):
            if current:
                segments.append(current)
            current = (start, end)
        else:
            current = (current[0], end)
        previous_was_table = table
    if current:
        segments.append(current)
    return segments


def _enclosed_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Interior spans of balanced parentheses, brackets and quotes inside text[start:end]."""
    spans = []
    stack: list[tuple[str, int]] = []
    straight_quote: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch in _OPENERS:
            stack.append((_OPENERS[ch], i))
        elif stack and ch == stack[-1][0]:
            spans.append((stack.pop()[1], i))
        elif ch == '"':
            if straight_quote is None:
                straight_quote = i
            else:
                spans.append((straight_quote, i))
                straight_quote = None
    return spans


def _is_abbreviation(text: str, period: int, next_char: str) -> bool:
    """Whether the period at `period` closes an abbreviation or an initial rather than a sentence."""
    token = _TOKEN_BEFORE_RE.search(text, 0, period)
    word = token.group(0) if token else ""
    if not word:
        return False
    folded = fold(word)
    if folded in ABBREVIATIONS:
        return True
    if folded in _ABBREVIATIONS_BEFORE_NUMBER and next_char.isdigit():
        return True
    if len(word) == 1 and word.isalpha():  # an initial: "J. Pérez"
        return True
    return _DOTTED_ABBREVIATION_RE.match(word) is not None


def _split_segment(text: str, start: int, end: int, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = []
    enclosed = _enclosed_spans(text, start, end)
    sentence_start = start
    for m in _SENTENCE_END_RE.finditer(text, start, end):
        boundary = m.end()
        if any(a < boundary < b for a, b in protected) or any(a < boundary <= b for a, b in enclosed):
            continue
        punctuation = m.group(0).rstrip("\"'»”’)]")
        next_char = text[boundary:end].lstrip().lstrip("«“\"'([¿¡—–-")[:1]
        if punctuation == "." and (
            _is_abbreviation(text, m.start(), next_char) or _LIST_MARKER_RE.match(text, sentence_start, boundary)
        ):
            continue
        spans.append((sentence_start, boundary))
        sentence_start = boundary
    spans.append((sentence_start, end))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the sentences of `text`, end exclusive, whitespace trimmed.

    A sentence ends at ". ! ? …" (plus closing quotes or brackets) followed by whitespace and an uppercase letter,
    a digit, "¿", "¡" or opening punctuation. Never splits after abbreviations and titles ("Sr.", "Excmo.",
    "núm.", "pág.", "etc.", "aprox.", "EE.UU.", "S.A.", "Ud.", "No. 5", "Nº"), initials ("J. Pérez"), inside
    amounts ("US$ 1.500 millones", "S/. 18,6"), dates ("17.07.2023") or inside parentheses and quotes.
    Blank lines always end a sentence; list items ("- ", "• ", "1. ") start a new one; each table row
    ("Alemania | 50 | EUR") is its own sentence. Other single line breaks are treated as spaces.

    :param text: Spanish text (one page).
    :returns: spans covering every non-blank sentence, in order.
    """
    protected = find_amounts(text) + [(s, e) for _, s, e in find_spanish_dates(text)]
    out = []
    for seg_start, seg_end in _segments(text):
        local = [(a, b) for a, b in protected if a < seg_end and b > seg_start]
        for s, e in _split_segment(text, seg_start, seg_end, local):
            s, e = _trim(text, s, e)
            if e > s:
                out.append((s, e))
    return out
