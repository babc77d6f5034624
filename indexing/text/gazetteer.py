"""Phrase gazetteers: longest-first, word-bounded matching of a dictionary of phrases (actors, statuses,
instruments, recipients)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from indexing.text.tokens import fold_same_length

_WORD_CHAR = r"[^\W_]"
_WHITESPACE_RE = re.compile(r"\s+")


def fold_phrase(text: str) -> str:
    """Fold a gazetteer phrase: accents, case, and runs of whitespace collapsed to one space.

    :param text: a phrase.
    :returns: the folded phrase ("  Banco   Mundial " → "banco mundial").
    """
    return _WHITESPACE_RE.sub(" ", fold_same_length(text.strip()))


def _trie_pattern(keys: list[str]) -> str:
    """One regex for a set of phrases, factored as a trie: the same matches as the alternation of the phrases
    longest first, but each position is tested against the phrases' shared prefixes once instead of against every
    phrase (hundreds of actor names).

    Two phrases that match at one position read the same text, so one extends the other; trying the longer
    continuation before ending at a shorter phrase, and backtracking into the trie when the word boundary after
    the match fails, picks the longest phrase that matches exactly as the ordered alternation does. A space of a
    phrase matches any run of whitespace, possessively (no phrase character is whitespace).
    """
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for token in key:
            node = node.setdefault(token, {})
        node[""] = {}  # end of a phrase

    def pattern(node: dict[str, Any]) -> str:
        options = [
            (r"\s++" if token == " " else re.escape(token)) + pattern(child) for token, child in node.items() if token
        ]
        if "" in node:
            options.append("")  # ending here is tried last: longer phrases first
        if len(options) == 1:
            return options[0]
        return "(?:" + "|".join(options) + ")"

    return pattern(trie)


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
    for them. One regex scan per table: linear in the text for a fixed dictionary.
    """

    def __init__(self, phrases: Iterable[tuple[str, object]]) -> None:
        """
        :param phrases: (phrase, value) pairs; the first value given for a phrase wins.
        """
        folded: dict[str, object] = {}
        exact: dict[str, object] = {}
        for phrase, value in phrases:
            phrase = phrase.strip()
            if not phrase:
                continue
            if any(c.islower() for c in phrase):
                folded.setdefault(fold_phrase(phrase), value)
            else:
                exact.setdefault(_WHITESPACE_RE.sub(" ", phrase), value)
        self._folded = folded
        self._exact = exact
        self._folded_re = self._compile(folded)
        self._exact_re = self._compile(exact)

    @staticmethod
    def _compile(table: dict[str, object]) -> re.Pattern[str] | None:
        if not table:
            return None
        return re.compile(rf"(?<!{_WORD_CHAR})(?:{_trie_pattern(list(table))})(?!{_WORD_CHAR})")

    def find(self, text: str) -> list[PhraseHit]:
        """All non-overlapping hits in `text`, longest first at each position, ordered by start.

        :param text: any text.
        :returns: hits with spans indexing `text`.
        """
        hits: list[PhraseHit] = []
        if self._folded_re is not None:
            folded = fold_same_length(text)
            for m in self._folded_re.finditer(folded):
                key = _WHITESPACE_RE.sub(" ", m.group(0))
                hits.append(PhraseHit(self._folded[key], m.start(), m.end(), text[m.start() : m.end()]))
        if self._exact_re is not None:
            for m in self._exact_re.finditer(text):
                key = _WHITESPACE_RE.sub(" ", m.group(0))
                hits.append(PhraseHit(self._exact[key], m.start(), m.end(), m.group(0)))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        out: list[PhraseHit] = []
        last_end = -1
        for h in hits:
            if h.start >= last_end:
                out.append(h)
                last_end = h.end
        return out
