"""Headings, titles and labels: lines that frame a text rather than state something.

Two readers use them differently, so there are two predicates built from the same parts: answers never quote a
heading, dateline, list introduction or table header row (`is_heading_or_label`); briefings never make a point of
a headline or a short unpunctuated line (`is_headline`, `is_heading_line`).
"""

from __future__ import annotations

import re

from indexing.text.amounts import has_amount
from indexing.text.tokens import STOPWORDS, fold, tokens

# Characters that end a statement (a sentence, a quote, a parenthesis).
_STATEMENT_END = frozenset(".!?…»\"”)]")
# For briefings a clause mark also ends a line that is not a headline ("…los siguientes compromisos:").
_LINE_END = _STATEMENT_END | frozenset(":;")
_DIGITS_RE = re.compile(r"\d++")
_UPPER_SHARE = 0.7


def is_markup_heading(text: str) -> bool:
    """Whether `text` is a Markdown heading ("# Acta") or holds a bold label ("**Elaborado por:**").

    :param text: a line or a sentence.
    :returns: True for Markdown headings and bold labels.
    """
    return text.lstrip().startswith("#") or "**" in text


def is_mostly_upper(text: str) -> bool:
    """Whether at least 70 % of the letters of `text` are uppercase ("ACTA DE LA REUNIÓN").

    :param text: any text.
    :returns: False for a text without letters.
    """
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) >= _UPPER_SHARE


def ends_statement(text: str, *, clause_marks: bool = False) -> bool:
    """Whether `text` ends (trailing whitespace aside) with a full stop, "!", "?", "…" or a closing quote/bracket.

    :param text: a line or a sentence.
    :param clause_marks: also accept ":" and ";".
    :returns: True when the last non-space character ends a statement.
    """
    last = text.rstrip()[-1:]
    return bool(last) and last in (_LINE_END if clause_marks else _STATEMENT_END)


def is_heading_or_label(text: str) -> bool:
    """Titles, headlines, datelines, list introductions and table header rows: they frame an answer, they are not
    one ("# Cuadro de compromisos…", "**Elaborado por:** …", "MESA DE TRABAJO…", "Bruselas, 17 de marzo de 2023",
    "…prioriza tres componentes:", "| Cooperante | Compromiso | Estado |").

    :param text: a sentence (or table row) of a passage.
    :returns: True when the sentence frames rather than answers.
    """
    stripped = text.strip()
    if is_markup_heading(stripped) or stripped.endswith(":"):
        return True
    if is_mostly_upper(stripped):
        return True
    if "|" in stripped:
        # A table row answers with its figures; a row without any (beyond a year) is the header.
        return not has_amount(stripped) and all(len(d) == 4 for d in _DIGITS_RE.findall(stripped))
    return not ends_statement(stripped)


def is_headline(text: str) -> bool:
    """Titles, headlines and labels: not statements a briefing should make.

    :param text: a sentence.
    :returns: True for Markdown headings, mostly uppercase lines, and unpunctuated lines of at most 30 words that
        are not table rows.
    """
    if is_markup_heading(text) or is_mostly_upper(text):
        return True
    # A line without final punctuation is a headline, unless it is a table row (those carry the figures).
    return not ends_statement(text, clause_marks=True) and "|" not in text and len(tokens(text)) <= 30


def is_heading_line(line: str, next_line: str) -> bool:
    """A line that is a title rather than part of a wrapped sentence ("ACTA DE LA REUNIÓN", "2. Compromisos").

    :param line: the line.
    :param next_line: the text that follows it.
    :returns: True when `line` is a title: mostly uppercase, or short (at most 8 words), capitalised, ending in a
        content word and followed by a capitalised line.
    """
    words = tokens(line)
    if not words or ends_statement(line, clause_marks=True):
        return False
    if is_mostly_upper(line):
        return True
    starts_title = line.lstrip()[:1].isupper() or line.lstrip()[:1].isdigit()
    ends_content = fold(words[-1]) not in STOPWORDS
    return len(words) <= 8 and starts_title and ends_content and next_line.lstrip()[:1].isupper()


# "1. Antecedentes La Conferencia…", "4. Anuncios de los donantes 4.1 Según…": a numbered section title glued to
# the first sentence of its section (the line break lost in the PDF text). Bounded repetitions, anchored: linear.
_NUMBERED_HEADING_RE = re.compile(
    r"(?:[IVX]{1,4}|\d{1,2})(?:\.\d{1,2}){0,2}\.?[ \t]+"
    r"(?P<title>[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:[ \t]+[a-záéíóúñü]+){0,5})[ \t\n]+"
    r"(?P<sub>\d{1,2}(?:\.\d{1,2}){1,2}\.?[ \t]+)?"
    r"(?P<next>[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+)(?!\w)"
)


def numbered_heading_end(text: str) -> int:
    """Where the statement starts after a numbered section title glued to it ("1. Antecedentes La Conferencia de
    Bruselas…" → the offset of "La"), or 0 when the text does not start with one.

    Conservative: the title starts and ends with content words, and what follows is a sub-number ("4.1") or a
    capitalised function word that opens a sentence ("La", "El", "Al", "Según"), so "2. Alemania anunció EUR 31
    millones" keeps its subject.

    :param text: a sentence.
    :returns: the offset of the statement in `text` (0: nothing to peel).
    """
    m = _NUMBERED_HEADING_RE.match(text)
    if m is None:
        return 0
    words = m.group("title").split()
    if fold(words[0]) in STOPWORDS or fold(words[-1]) in STOPWORDS:
        return 0
    if m.group("sub") is None and fold(m.group("next")) not in STOPWORDS:
        return 0
    return m.start("next")
