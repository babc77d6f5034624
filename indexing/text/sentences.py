"""Sentence spans of Spanish text, with the lines that are never part of a running sentence: list items and table
rows.

Linear in the text: the sentence-end pattern only starts at the first mark of a run of punctuation and never gives
characters back; the word before a full stop is read in a bounded window; protected spans (amounts, dates) and
enclosed spans (parentheses, quotes) are looked up by bisection.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from indexing.text.amounts import amount_spans
from indexing.text.dates import find_spanish_dates
from indexing.text.tokens import fold

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
# How far back from a full stop the word before it is read. Abbreviations and initials are a few characters
# long; a longer "word" (no space for this long) is never one, so the window changes no ordinary result.
_WORD_WINDOW = 48

# Starts only at the first mark of a run ("...", "?!"); every repetition is possessive: what follows each run
# never belongs to it, so giving characters back could not make a match.
_SENTENCE_END_RE = re.compile(
    r"(?=[.!?…])(?<![.!?…])[.!?…]++[\"'»”’)\]]*+(?=\s++[«“\"'(\[¿¡—–-]*+(?P<next>[A-ZÁÉÍÓÚÑÜ0-9]))"
)
_TOKEN_BEFORE_RE = re.compile(r"[^\s(«“\"'\[]*+$")
_DOTTED_ABBREVIATION_RE = re.compile(r"^(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}$")
_BULLET_RE = re.compile(r"^\s*+(?:[-–—•*·▪◦‣●]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z]\)\s+|\(?[ivx]{1,4}\)\s+)")
_TABLE_GAP_RE = re.compile(r"(?<=\S)(?:\t++| {3,}+)(?=\S)")
# A list number on its own ("1.", "iv.") is the start of an item, not a sentence.
_LIST_MARKER_RE = re.compile(r"\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]")
_LIST_MARKER_MAX = 6  # len("(viii)")
_OPENERS = {"(": ")", "[": "]", "«": "»", "“": "”"}
_CLOSERS = "\"'»”’)]"
_BRACKET_RE = re.compile(r"[(\[«“)\]»”\"]")
_NEWLINE_RE = re.compile(r"\n")


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


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of `text`, newline excluded.

    :param text: any text.
    :returns: one span per line, in order (a text without newline is one line).
    """
    spans = []
    start = 0
    for m in _NEWLINE_RE.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _segments(text: str) -> list[tuple[int, int]]:
    """Hard units no sentence may cross: paragraphs, list items, table rows."""
    segments: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    previous_was_table = False
    for start, end in line_spans(text):
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


class SpanIndex:
    """Membership of positions in a fixed set of (possibly overlapping) spans, in O(log n) per query."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        """
        :param spans: (start, end) pairs, in any order.
        """
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        self._max_ends: list[int] = []
        for _, b in ordered:
            self._max_ends.append(max(b, self._max_ends[-1]) if self._max_ends else b)

    def strictly_inside(self, position: int) -> bool:
        """Whether some span has start < position < end.

        :param position: a text offset.
        :returns: True when `position` falls strictly inside a span.
        """
        i = bisect.bisect_left(self._starts, position)  # spans with start < position
        return i > 0 and self._max_ends[i - 1] > position

    def inside_or_at_end(self, position: int) -> bool:
        """Whether some span has start < position <= end.

        :param position: a text offset.
        :returns: True when `position` falls inside a span or at its end.
        """
        i = bisect.bisect_left(self._starts, position)
        return i > 0 and self._max_ends[i - 1] >= position


def _enclosed_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Interior spans of balanced parentheses, brackets and quotes inside text[start:end]."""
    spans = []
    stack: list[tuple[str, int]] = []
    straight_quote: int | None = None
    for m in _BRACKET_RE.finditer(text, start, end):  # only these characters change the state
        ch, i = m.group(), m.start()
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
    window_start = max(0, period - _WORD_WINDOW)
    token = _TOKEN_BEFORE_RE.search(text, window_start, period)
    word = token.group(0) if token else ""
    if not word or (token is not None and token.start() == window_start and window_start > 0):
        return False  # no word, or one longer than the window: not an abbreviation
    folded = fold(word)
    if folded in ABBREVIATIONS:
        return True
    if folded in _ABBREVIATIONS_BEFORE_NUMBER and next_char.isdigit():
        return True
    if len(word) == 1 and word.isalpha():  # an initial: "J. Pérez"
        return True
    return _DOTTED_ABBREVIATION_RE.match(word) is not None


def _is_list_marker(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is whitespace and a list number ("1.", "iv.", "(a)")."""
    while start < end and text[start].isspace():
        start += 1
    return end - start <= _LIST_MARKER_MAX and _LIST_MARKER_RE.fullmatch(text, start, end) is not None


def _split_segment(text: str, start: int, end: int, protected: SpanIndex) -> list[tuple[int, int]]:
    spans = []
    enclosed = SpanIndex(_enclosed_spans(text, start, end))
    sentence_start = start
    for m in _SENTENCE_END_RE.finditer(text, start, end):
        boundary = m.end()
        if protected.strictly_inside(boundary) or enclosed.inside_or_at_end(boundary):
            continue
        punctuation = m.group(0).rstrip(_CLOSERS)
        if punctuation == "." and (
            _is_abbreviation(text, m.start(), m.group("next")) or _is_list_marker(text, sentence_start, boundary)
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


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans no sentence or chunk boundary may fall inside: amounts ("US$ 1.500 millones") and dates.

    :param text: Spanish text (one page).
    :returns: (start, end) pairs, amounts first, then dates.
    """
    return amount_spans(text) + [(s, e) for _, s, e in find_spanish_dates(text)]


def split_sentences(text: str, protected: SpanIndex | None = None) -> list[tuple[int, int]]:
    """Character spans (start, end) of the sentences of `text`, end exclusive, whitespace trimmed.

    A sentence ends at ". ! ? …" (plus closing quotes or brackets) followed by whitespace and an uppercase letter,
    a digit, "¿", "¡" or opening punctuation. Never splits after abbreviations and titles ("Sr.", "Excmo.",
    "núm.", "pág.", "etc.", "aprox.", "EE.UU.", "S.A.", "Ud.", "No. 5", "Nº"), initials ("J. Pérez"), inside
    amounts ("US$ 1.500 millones", "S/. 18,6"), dates ("17.07.2023") or inside parentheses and quotes.
    Blank lines always end a sentence; list items ("- ", "• ", "1. ") start a new one; each table row
    ("Alemania | 50 | EUR") is its own sentence. Other single line breaks are treated as spaces.

    :param text: Spanish text (one page).
    :param protected: `SpanIndex(protected_spans(text))` when the caller has it already (the chunker).
    :returns: spans covering every non-blank sentence, in order.
    """
    if protected is None and len(text) <= _CACHED_TEXT_CHARS:
        return list(_split_cached(text))
    return _split(text, protected)


# Passages are split once per question by the answerer and again by the evidence check of each of their sentences;
# the same passages answer many questions. Texts up to this size are cached (a page is a few thousand characters).
_CACHED_TEXT_CHARS = 20_000


@lru_cache(maxsize=2048)
def _split_cached(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(_split(text, None))


def _split(text: str, protected: SpanIndex | None) -> list[tuple[int, int]]:
    # A protected span that does not overlap a segment cannot hold a boundary inside it, so one index serves all.
    protected = protected or SpanIndex(protected_spans(text))
    out = []
    for seg_start, seg_end in _segments(text):
        for s, e in _split_segment(text, seg_start, seg_end, protected):
            s, e = _trim(text, s, e)
            if e > s:
                out.append((s, e))
    return out
