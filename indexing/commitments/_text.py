"""Small text helpers shared by the commitment extractors (folding that keeps offsets, phrase gazetteers)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_WORD_CHAR = r"[^\W_]"


def fold_same_length(text: str) -> str:
    """Lowercase and strip accents one character at a time, so offsets in the result index `text`.

    :param text: any text.
    :returns: folded text with exactly ``len(text)`` characters ("Perú" → "peru").
    """
    out = []
    for ch in text:
        low = ch.lower()
        if len(low) != 1:
            low = ch
        base = unicodedata.normalize("NFD", low)[0]
        out.append(base)
    return "".join(out)


def fold_phrase(text: str) -> str:
    """Fold a gazetteer phrase: accents, case, and runs of whitespace collapsed to one space."""
    return re.sub(r"\s+", " ", fold_same_length(text.strip()))


@dataclass(frozen=True)
class PhraseHit:
    """One gazetteer phrase found in a text: its value and its span in the original text."""

    value: object
    start: int
    end: int
    surface: str


class PhraseMatcher:
    """Longest-first, word-bounded matching of a phrase dictionary.

    Lowercase-containing phrases match accent- and case-insensitively; phrases without lowercase letters
    (acronyms such as "UE", "BID", "EE. UU.") match case-sensitively so that ordinary words are not mistaken
    for them.
    """

    def __init__(self, phrases: Iterable[tuple[str, object]]) -> None:
        folded: dict[str, object] = {}
        exact: dict[str, object] = {}
        for phrase, value in phrases:
            phrase = phrase.strip()
            if not phrase:
                continue
            if any(c.islower() for c in phrase):
                folded.setdefault(fold_phrase(phrase), value)
            else:
                exact.setdefault(re.sub(r"\s+", " ", phrase), value)
        self._folded = folded
        self._exact = exact
        self._folded_re = self._compile(folded)
        self._exact_re = self._compile(exact)

    @staticmethod
    def _compile(table: dict[str, object]) -> re.Pattern[str] | None:
        if not table:
            return None
        parts = []
        for key in sorted(table, key=len, reverse=True):
            parts.append(r"\s+".join(re.escape(w) for w in key.split(" ")))
        return re.compile(rf"(?<!{_WORD_CHAR})(?:{'|'.join(parts)})(?!{_WORD_CHAR})")

    def find(self, text: str) -> list[PhraseHit]:
        """All non-overlapping hits in `text`, longest first at each position, ordered by start."""
        hits: list[PhraseHit] = []
        if self._folded_re is not None:
            folded = fold_same_length(text)
            for m in self._folded_re.finditer(folded):
                key = re.sub(r"\s+", " ", m.group(0))
                hits.append(PhraseHit(self._folded[key], m.start(), m.end(), text[m.start() : m.end()]))
        if self._exact_re is not None:
            for m in self._exact_re.finditer(text):
                key = re.sub(r"\s+", " ", m.group(0))
                hits.append(PhraseHit(self._exact[key], m.start(), m.end(), m.group(0)))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        out: list[PhraseHit] = []
        last_end = -1
        for h in hits:
            if h.start >= last_end:
                out.append(h)
                last_end = h.end
        return out
