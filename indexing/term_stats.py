"""Document frequencies of Spanish content terms over the indexed chunks, kept in memory.

Used to weight lexical evidence by specificity (a rare name counts more than "cooperación"). Each record's
per-term chunk counts are stored with the record in the registry, so loading the statistics at start-up reads one
payload per record, not every chunk.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable

from indexing.text.tokens import content_terms


def chunk_term_counts(texts: Iterable[str]) -> dict[str, int]:
    """term → number of the given chunks that contain it."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(content_terms(text)))
    return dict(counts)


class TermStats:
    """Chunk-level document frequencies, updated as records are added and removed."""

    def __init__(self) -> None:
        self._df: Counter[str] = Counter()
        self._per_doc: dict[str, tuple[int, dict[str, int]]] = {}
        self._n = 0
        self._lock = threading.Lock()

    def add(self, document_id: str, chunks: int, terms: dict[str, int]) -> None:
        with self._lock:
            if document_id in self._per_doc:
                return
            self._per_doc[document_id] = (chunks, terms)
            self._df.update(terms)
            self._n += chunks

    def remove(self, document_id: str) -> None:
        with self._lock:
            entry = self._per_doc.pop(document_id, None)
            if entry is None:
                return
            chunks, terms = entry
            self._df.subtract(terms)
            self._n -= chunks

    @property
    def chunks(self) -> int:
        return self._n

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
