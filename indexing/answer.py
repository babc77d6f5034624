"""Extractive answers: score the sentences of retrieved passages against the question, quote the best ones
verbatim with `[n]` markers, or abstain when no passage answers.

Abstention uses raw evidence, not RRF ranks (rank-based scores say nothing about relevance): the dense cosine
between the question and the passage, and the lexical coverage of the question's content words by the passage.
Thresholds are calibrated on the dev evaluation (`python -m corpus.evaluate --calibrate`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from indexing import spanish
from indexing.embedders import EmbeddingBackend
from indexing.types import Chunk

NOT_FOUND_MESSAGE = (
    "Ningún documento indexado responde a esta pregunta. Pruebe con otras palabras, quite filtros o suba el "
    "registro que la responda."
)

# Question words and generic request words: they say what kind of answer is wanted, not what it is about.
_QUESTION_WORDS = (
    "cuanto cuanta cuantos cuantas cual cuales quien quienes como donde cuando que qué cuál cuáles quién quiénes "
    "cómo dónde cuándo cuánto cuánta cuántos cuántas fecha fechas dia día monto montos cantidad cantidades total "
    "lista listado informacion información dato datos sabe saber decir dice dijo hay existe existen según"
)
QUESTION_TERMS = frozenset(spanish.content_terms(_QUESTION_WORDS)) | frozenset(
    spanish.fold(w) for w in _QUESTION_WORDS.split()
)

_AMOUNT_Q = re.compile(r"\b(cu[aá]nt[oa]s?|monto|montos|cifra|suma|importe|aporte|aportes|financiamiento)\b", re.I)
_DATE_Q = re.compile(r"\b(cu[aá]ndo|fecha|qu[eé] d[ií]a|en qu[eé] (mes|a[nñ]o))\b", re.I)
_ENTITY_Q = re.compile(
    r"\b(qui[eé]n(es)?|qu[eé] (entidades|instituciones|pa[ií]ses|organismos|organizaciones|donantes|sectores|"
    r"agencias|ministerios|actores)|cu[aá]les (entidades|instituciones|pa[ií]ses|organismos))\b",
    re.I,
)
# Institutions and acronyms: what a "¿qué entidades / quiénes?" answer lists.
_ENTITY_RE = re.compile(
    r"\b(?:Ministerio|Superintendencia|Agencia|Organizaci[oó]n|Oficina|Banco|Fondo|Programa|Embajada|Alto "
    r"Comisionado|Comisi[oó]n|Gobierno|Canciller[ií]a|Defensor[ií]a|Instituto|Direcci[oó]n|Consejo|Mesa|Plataforma|"
    r"Delegaci[oó]n|Uni[oó]n Europea|[A-Z]{2,}[0-9]?)\b"
)


def question_type(question: str) -> str:
    """ "amount", "date", "entities" or "general"."""
    if _ENTITY_Q.search(question):
        return "entities"
    if _DATE_Q.search(question):
        return "date"
    if _AMOUNT_Q.search(question):
        return "amount"
    return "general"


def question_terms(question: str) -> set[str]:
    """Content terms of a question, without question words."""
    return {t for t in spanish.content_terms(question) if t not in QUESTION_TERMS}


def coverage(q_terms: set[str], text: str) -> float:
    """Share of the question's content terms present in `text` (1.0 when the question has none)."""
    if not q_terms:
        return 1.0
    return len(q_terms & set(spanish.content_terms(text))) / len(q_terms)


def _type_boost(qtype: str, sentence: str) -> float:
    if qtype == "amount":
        return 0.12 if spanish.find_amounts(sentence) else 0.0
    if qtype == "date":
        return 0.12 if spanish.find_spanish_dates(sentence) else 0.0
    if qtype == "entities":
        names = len(_ENTITY_RE.findall(sentence))
        return min(0.2, 0.05 * names) if names >= 2 else 0.0
    return 0.0


@dataclass(frozen=True)
class Citation:
    n: int
    document_id: str
    filename: str
    title: str
    page: int
    quote: str
    score: float
    char_start: int = 0
    char_end: int = 0


@dataclass(frozen=True)
class Answer:
    found: bool
    answer: str
    citations: list[Citation] = field(default_factory=list)
    evidence: dict[str, float] = field(default_factory=dict)


@dataclass
class _Candidate:
    chunk: Chunk
    start: int
    end: int
    text: str
    chunk_dense: float
    coverage: float
    boost: float
    rank: int
    score: float = 0.0


class Answerer:
    """Builds extractive answers from retrieved chunks.

    :param backend: dense backend, to embed the best candidate sentences (passage mode).
    :param min_dense: dense cosine the best passage must reach.
    :param min_coverage: share of question terms the best passage must hold.
    :param rerank: candidate sentences embedded for the final ranking.
    """

    def __init__(self, backend: EmbeddingBackend, *, min_dense: float, min_coverage: float, rerank: int = 10) -> None:
        self.backend = backend
        self.min_dense = min_dense
        self.min_coverage = min_coverage
        self.rerank = rerank

    def passage_evidence(
        self, question: str, query_embedding: list[float], chunks: list[Chunk]
    ) -> list[tuple[float, float]]:
        """(dense cosine, term coverage) of each passage, in retrieval order."""
        q = np.asarray(query_embedding, dtype=np.float32)
        q_terms = question_terms(question)
        return [
            (
                float(np.dot(q, np.asarray(c.embedding, dtype=np.float32))) if c.embedding else 0.0,
                coverage(q_terms, c.text),
            )
            for c in chunks
        ]

    def evidence(self, question: str, query_embedding: list[float], chunks: list[Chunk]) -> dict[str, float]:
        """Raw evidence of the best passage: dense cosine, term coverage, and both for the passage that
        maximizes their combination."""
        best = {"dense": 0.0, "coverage": 0.0, "combined": 0.0}
        for dense, cov in self.passage_evidence(question, query_embedding, chunks):
            best["dense"] = max(best["dense"], dense)
            best["coverage"] = max(best["coverage"], cov)
            passes = dense >= self.min_dense and cov >= self.min_coverage
            combined = (1.0 if passes else 0.0) + dense + cov
            if combined > best["combined"]:
                best.update(combined=combined, best_dense=dense, best_coverage=cov)
        return best

    def is_answerable(self, evidence: dict[str, float]) -> bool:
        return evidence.get("best_dense", 0.0) >= self.min_dense and evidence.get("best_coverage", 0.0) >= (
            self.min_coverage
        )

    def answer(
        self, question: str, query_embedding: list[float], chunks: list[Chunk], *, max_sentences: int = 3
    ) -> Answer:
        """Answer from `chunks` (best first) or abstain.

        :param question: the user's question.
        :param query_embedding: its dense embedding (query mode).
        :param chunks: retrieved chunks with their stored embeddings.
        :param max_sentences: at most this many quoted sentences.
        :returns: the answer; `found` False with a Spanish message when no passage answers.
        """
        ev = self.evidence(question, query_embedding, chunks)
        if not chunks or not self.is_answerable(ev):
            return Answer(False, NOT_FOUND_MESSAGE, [], ev)
        q = np.asarray(query_embedding, dtype=np.float32)
        q_terms = question_terms(question)
        qtype = question_type(question)
        cands: list[_Candidate] = []
        seen: set[tuple[str, int, int]] = set()
        for rank, c in enumerate(chunks):
            dense = float(np.dot(q, np.asarray(c.embedding, dtype=np.float32))) if c.embedding else 0.0
            for s, e in spanish.split_sentences(c.text):
                text = c.text[s:e]
                # Overlapping chunks repeat sentences: key them by their place in the page.
                key = (c.document_id, c.page, c.char_start + s)
                if key in seen or len(spanish.tokens(text)) < 3:
                    continue
                seen.add(key)
                cands.append(_Candidate(c, s, e, text, dense, coverage(q_terms, text), _type_boost(qtype, text), rank))
        if not cands:
            return Answer(False, NOT_FOUND_MESSAGE, [], ev)
        for cand in cands:
            cand.score = 0.45 * cand.chunk_dense + 0.45 * cand.coverage + cand.boost - 0.01 * cand.rank
        cands.sort(key=lambda x: -x.score)
        top = cands[: self.rerank]
        vectors = self.backend.embed_passages([c.text for c in top])
        for cand, vec in zip(top, vectors, strict=True):
            sent_dense = float(np.dot(q, np.asarray(vec, dtype=np.float32)))
            cand.score = (
                0.35 * sent_dense + 0.2 * cand.chunk_dense + 0.35 * cand.coverage + cand.boost - 0.005 * cand.rank
            )
        top.sort(key=lambda x: (-x.score, x.chunk.document_id, x.chunk.page, x.chunk.char_start + x.start))
        chosen = [top[0]]
        for cand in top[1:]:
            if len(chosen) >= max_sentences:
                break
            if cand.score >= top[0].score - 0.05 and cand.coverage > 0:
                chosen.append(cand)
        citations = [
            Citation(
                n=i + 1,
                document_id=c.chunk.document_id,
                filename=c.chunk.filename,
                title=c.chunk.title,
                page=c.chunk.page,
                quote=c.text,
                score=round(c.score, 4),
                char_start=c.chunk.char_start + c.start,
                char_end=c.chunk.char_start + c.end,
            )
            for i, c in enumerate(chosen)
        ]
        text = " ".join(f"{c.quote} [{c.n}]" for c in citations)
        return Answer(True, text, citations, ev)
