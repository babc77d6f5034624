"""Candidate ranking for search and answers: dense cosine and a correct Spanish BM25, fused by normalized scores,
with the question's event as a boost.

The store returns a pool of candidates (the union of its dense and BM25 branches, fused by RRF). RRF keeps only
ranks, and the store's own BM25 query vector weighs every term 1 with an average length fixed in advance; measured
on the dev questions, the fused list ranked the answering record lower than plain BM25. So the pool is re-ranked
here from raw evidence:

- **dense**: cosine of the question and the passage (the stored vectors, no extra model call);
- **BM25** (k1 1.2, b 0.75) over the passage read in its record (title, table header, text), with the stemmed,
  accent-folded content terms of `indexing.text.tokens`, IDF from the store's chunk-level term statistics
  (`TermStats`) and the pool's mean length;
- the two are z-normalized over the pool and added (equal weights: neither is fitted);
- **event boost** (never a filter): a passage whose record's `conference` metadata is a conference the question
  names gains `EVENT_BOOST` standard deviations, and so does one whose record is dated in the month and year the
  question names (the minutes, notice or press release of "la reunión de diciembre de 2022" are dated then); one
  whose record's date or title holds the year asked about, `YEAR_BOOST`.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache

import numpy as np

from indexing.embedders import EmbeddingBackend
from indexing.query.interpretation import Interpretation
from indexing.term_stats import TermStats
from indexing.text.tokens import content_terms
from indexing.types import Chunk

__all__ = [
    "BM25_B",
    "BM25_K1",
    "EVENT_BOOST",
    "YEAR_BOOST",
    "SentenceVectors",
    "bm25_idf",
    "bm25_scores",
    "event_boost",
    "passage_terms",
    "query_terms",
    "rank_chunks",
]

BM25_K1 = 1.2
BM25_B = 0.75
# In standard deviations of the fused score: a boost, not a filter (a passage of another conference that states
# the fact much better still ranks first).
EVENT_BOOST = 0.5
YEAR_BOOST = 0.25


def query_terms(question: str) -> frozenset[str]:
    """The question's BM25 terms: its distinct content terms.

    :param question: the question or search text.
    :returns: stemmed, folded terms.
    """
    return frozenset(content_terms(question))


def bm25_idf(stats: TermStats, term: str) -> float:
    """BM25 inverse document frequency, log(1 + (N − df + 0.5) / (df + 0.5)), over the indexed chunks (never
    negative; a term no chunk holds gets the highest weight)."""
    n = stats.chunks
    df = min(stats.df(term), n)
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


@lru_cache(maxsize=16384)
def _terms_of(text: str) -> tuple[tuple[str, int], ...]:
    return tuple(Counter(content_terms(text)).items())


def passage_terms(c: Chunk) -> dict[str, int]:
    """Term frequencies of a passage read in its record: its title, table header and text (cached by text).

    :param c: a chunk.
    :returns: term → count.
    """
    header = " ".join(c.table_header)
    return dict(_terms_of(f"{c.title}\n{header}\n{c.text}"))


def bm25_scores(query: frozenset[str], passages: Sequence[Mapping[str, int]], stats: TermStats) -> list[float]:
    """Okapi BM25 of each passage for the query terms, the average length taken over the given passages.

    :param query: the query terms.
    :param passages: term frequencies of each passage.
    :param stats: document frequencies.
    :returns: one score per passage.
    """
    if not passages:
        return []
    lengths = [sum(p.values()) for p in passages]
    avg = sum(lengths) / len(lengths) or 1.0
    idf = {t: bm25_idf(stats, t) for t in query}
    out = []
    for tf, length in zip(passages, lengths, strict=True):
        norm = BM25_K1 * (1 - BM25_B + BM25_B * length / avg)
        out.append(sum(idf[t] * f * (BM25_K1 + 1) / (f + norm) for t in query if (f := tf.get(t, 0))))
    return out


def event_boost(interpretation: Interpretation | None, c: Chunk) -> float:
    """Boost of a passage whose record's metadata matches the question's event.

    :param interpretation: the question's reading.
    :param c: the passage.
    :returns: `EVENT_BOOST` when its record's `conference` is one the question names or its record is dated in the
        month and year the question names, else `YEAR_BOOST` when its record's date or title holds the year asked
        about, else 0.
    """
    event = interpretation.event if interpretation else None
    if event is None:
        return 0.0
    if event.slugs and c.conference in event.slugs:
        return EVENT_BOOST
    month = f"{event.year}-{event.month:02d}" if event.year is not None and event.month is not None else None
    if month is not None and (c.date or "").startswith(month):
        return EVENT_BOOST
    if event.year is not None and ((c.date or "").startswith(str(event.year)) or str(event.year) in c.title):
        return YEAR_BOOST
    return 0.0


def _z(values: np.ndarray) -> np.ndarray:
    std = float(values.std())
    if std <= 1e-9:
        return np.zeros_like(values)
    return (values - float(values.mean())) / std


def rank_chunks(
    question: str,
    query_embedding: Sequence[float],
    pool: Sequence[Chunk],
    stats: TermStats,
    *,
    interpretation: Interpretation | None = None,
    top_k: int = 10,
) -> list[Chunk]:
    """Re-rank a candidate pool by z(dense cosine) + z(BM25) + event boost.

    :param question: the question or search text.
    :param query_embedding: its dense embedding (query mode).
    :param pool: candidates with their stored embeddings (a chunk without one has cosine 0).
    :param stats: the store's term statistics (IDF).
    :param interpretation: the question's reading (its event boosts); None: no boost.
    :param top_k: how many to return.
    :returns: the best `top_k` chunks, best first, each with `score` set to its fused score and `dense_score` to
        its cosine; ties keep the pool's order.
    """
    if not pool:
        return []
    q = np.asarray(query_embedding, dtype=np.float32)
    dense = np.asarray(
        [float(np.dot(q, np.asarray(c.embedding, dtype=np.float32))) if c.embedding else 0.0 for c in pool]
    )
    lexical = np.asarray(bm25_scores(query_terms(question), [passage_terms(c) for c in pool], stats))
    boost = np.asarray([event_boost(interpretation, c) for c in pool])
    fused = _z(dense) + _z(lexical) + boost
    order = sorted(range(len(pool)), key=lambda i: (-fused[i], i))[:top_k]
    return [replace(pool[i], score=round(float(fused[i]), 6), dense_score=float(dense[i])) for i in order]


class SentenceVectors:
    """Passage-mode vectors of sentences embedded while a request waits, kept in a bounded LRU by text.

    Answers embed their best candidate sentences; the same passages answer many questions, so most of those
    sentences were embedded for an earlier one. Misses are embedded in one batch on the backend's query session.
    Thread-safe; vectors are float32 (1.5 KB each at dimension 384).

    :param backend: the dense backend (its `embed_passages(texts, query_time=True)`).
    :param size: most sentences kept.
    """

    def __init__(self, backend: EmbeddingBackend, size: int = 4096) -> None:
        self.backend = backend
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> list[np.ndarray]:
        """The vectors of `texts`, in order.

        :param texts: sentences (or table rows read with their header).
        :returns: one float32 vector per text.
        """
        with self._lock:
            found = {t: self._vectors[t] for t in texts if t in self._vectors}
            for t in found:
                self._vectors.move_to_end(t)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            vectors = self.backend.embed_passages(missing, query_time=True)
            fresh = {t: np.asarray(v, dtype=np.float32) for t, v in zip(missing, vectors, strict=True)}
            found.update(fresh)
            with self._lock:
                self._vectors.update(fresh)
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        return [found[t] for t in texts]

    def __len__(self) -> int:
        return len(self._vectors)
