"""Document frequencies of Spanish content terms over the indexed chunks, kept in memory.

Used to weight lexical evidence by specificity (a rare name counts more than "cooperación"). Each record's
per-term chunk counts are stored with the record in the registry; the store keeps the totals up to date on every
commit and delete and, embedded, saves them when it closes, so a start-up reads one file, not every record (after a
crash, the file is missing and they are rebuilt from the registry once).
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any

from indexing.text.tokens import content_terms


def chunk_term_counts(texts: Iterable[str]) -> dict[str, int]:
    """term → number of the given chunks that contain it."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(content_terms(text)))
    return dict(counts)


class TermStats:
    """Chunk-level document frequencies of the listed records, updated as records are added and removed.

    Kept by the store (`Store.term_stats`): it adds a record at its commit point and removes it when its registry
    entry goes, with the terms stored in that entry, so it never holds every record's terms in memory; an embedded
    store persists it (`to_state` / `from_state`) between runs.
    """

    def __init__(self) -> None:
        self._df: Counter[str] = Counter()
        self._docs: dict[str, int] = {}
        self._n = 0
        self._lock = threading.Lock()

    def add(self, document_id: str, chunks: int, terms: dict[str, int]) -> bool:
        """Count a record's chunks and terms.

        :returns: False when it was already counted (nothing changes).
        """
        with self._lock:
            if document_id in self._docs:
                return False
            self._docs[document_id] = chunks
            self._df.update(terms)
            self._n += chunks
            return True

    def remove(self, document_id: str, terms: dict[str, int] | None = None) -> bool:
        """Stop counting a record.

        :param terms: its term counts, as given to `add` (None: the record is only dropped if not counted, which
            is what callers after the store's own removal see).
        :returns: False when it was not counted.
        :raises ValueError: the record is counted and its terms are not given.
        """
        with self._lock:
            if document_id not in self._docs:
                return False
            if terms is None:
                raise ValueError(f"TermStats.remove({document_id!r}) needs the record's terms")
            self._n -= self._docs.pop(document_id)
            self._df.subtract(terms)
            for term in [t for t in terms if self._df[t] <= 0]:
                del self._df[term]
            return True

    def __contains__(self, document_id: object) -> bool:
        return document_id in self._docs

    @property
    def chunks(self) -> int:
        return self._n

    @property
    def documents(self) -> int:
        return len(self._docs)

    def to_state(self) -> dict[str, Any]:
        """JSON-able state (records with their chunk counts, document frequencies)."""
        with self._lock:
            return {"documents": dict(self._docs), "df": dict(self._df)}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TermStats:
        """The statistics `to_state` saved.

        :raises KeyError, TypeError, ValueError: not a saved state.
        """
        stats = cls()
        stats._docs = {str(k): int(v) for k, v in state["documents"].items()}
        stats._df = Counter({str(k): int(v) for k, v in state["df"].items()})
        stats._n = sum(stats._docs.values())
        return stats

    def df(self, term: str) -> int:
        """Number of counted chunks that contain `term` (0 for an unknown term)."""
        return max(self._df.get(term, 0), 0)

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency; a term no chunk contains gets the highest weight."""
        return math.log((self._n + 1) / (max(self._df.get(term, 0), 0) + 0.5))

    def weighted_coverage(self, terms: set[str], text_terms: set[str]) -> float:
        """IDF-weighted share of `terms` present in `text_terms` (1.0 for no terms)."""
        if not terms:
            return 1.0
        weights = {t: self.idf(t) for t in terms}
        total = sum(weights.values())
        if total <= 0:
            return len(terms & text_terms) / len(terms)
        return sum(w for t, w in weights.items() if t in text_terms) / total
