"""Extractive answers: score the sentences of retrieved passages against the question, quote the best ones
verbatim with `[n]` markers, or abstain when no passage answers.

Abstention uses raw evidence, not RRF ranks (rank-based scores say nothing about relevance): the dense cosine
between the question and the passage, and the lexical coverage of the question's content words by the passage.
Thresholds are calibrated on the dev evaluation (`python -m corpus.evaluate --calibrate`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from indexing.commitments.actors import find_actors, same_family
from indexing.commitments.extract import detect_event
from indexing.embedders import EmbeddingBackend
from indexing.query.abstention import not_found_message
from indexing.query.evidence import ENTITY_NAME_RE as _ENTITY_RE
from indexing.query.evidence import Check, SentenceContext, asks_cause, check_sentence, states_cause
from indexing.query.interpretation import Interpretation, conference_names, interpret
from indexing.query.retrieval import SentenceVectors
from indexing.term_stats import TermStats
from indexing.text.amounts import has_amount
from indexing.text.dates import DateMention, find_dates
from indexing.text.headings import is_heading_or_label
from indexing.text.sentences import is_bullet_line, split_sentences
from indexing.text.tables import render_row, table_row
from indexing.text.tokens import content_terms, fold, tokens
from indexing.types import Chunk, Citation

# Question words and generic request words: they say what kind of answer is wanted, not what it is about.
_QUESTION_WORDS = (
    "cuanto cuanta cuantos cuantas cual cuales quien quienes como donde cuando que qué cuál cuáles quién quiénes "
    "cómo dónde cuándo cuánto cuánta cuántos cuántas fecha fechas dia día monto montos cantidad cantidades total "
    "lista listado informacion información dato datos sabe saber decir dice dijo hay existe existen según"
)
QUESTION_TERMS = frozenset(content_terms(_QUESTION_WORDS)) | frozenset(fold(w) for w in _QUESTION_WORDS.split())

_AMOUNT_Q = re.compile(r"\b(cu[aá]nt[oa]s?|monto|montos|cifra|suma|importe|aporte|aportes|financiamiento)\b", re.I)
_UNTIL_Q = re.compile(r"\bhasta\s+(?:cu[aá]ndo|qu[eé]\s+(?:fecha|d[ií]a|mes|a[nñ]o))\b", re.I)
_DATE_Q = re.compile(r"\b(cu[aá]ndo|fecha|qu[eé] d[ií]a|en qu[eé] (mes|a[nñ]o))\b", re.I)
_ENTITY_Q = re.compile(
    r"\b(qui[eé]n(es)?|qu[eé] (entidades|instituciones|pa[ií]ses|organismos|organizaciones|donantes|sectores|"
    r"agencias|ministerios|actores)|cu[aá]les (entidades|instituciones|pa[ií]ses|organismos))\b",
    re.I,
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
    return {t for t in content_terms(question) if t not in QUESTION_TERMS}


_KEY_TOKEN_RE = re.compile(r"[0-9]{4}|[^\W\d_]+")


def key_terms(question: str) -> set[str]:
    """The question's names, acronyms and years: terms a passage must share to be about the same thing.

    A capitalized word after the first one ("Australia", "Bruselas"), an acronym ("BID") or a 4-digit year.
    """
    keys: set[str] = set()
    for i, tok in enumerate(_KEY_TOKEN_RE.findall(question)):
        if (i > 0 and tok[0].isupper()) or tok.isdigit() or (tok.isupper() and len(tok) > 1):
            keys.update(content_terms(tok))
    return keys & question_terms(question)


def coverage(q_terms: set[str], text: str | set[str]) -> float:
    """Share of the question's content terms present in `text` (1.0 when the question has none)."""
    if not q_terms:
        return 1.0
    have = text if isinstance(text, set) else set(content_terms(text))
    return len(q_terms & have) / len(q_terms)


def _type_boost(
    qtype: str,
    sentence: str,
    header: tuple[str, ...] | None = None,
    asked_dates: tuple[DateMention, ...] = (),
    until: bool = False,
) -> float:
    """Boost of a sentence that carries the kind of value asked for: an amount, a date, several entity names, a
    number. A table row is read as its cells in order ("UNICEF 4,2 USD desembolsado"): its amount and its
    currency sit in separate cells, so the row as printed ("| UNICEF | 4,2 | USD |") states no amount; a number
    cell is also read with the unit its column names ("Monto (millones de EUR)": "5 millones de EUR").

    :param qtype: the answer type ("amount", "date", "entities", "count", "general").
    :param sentence: the sentence, or a table row as it appears in the page text.
    :param header: the column names when `sentence` is a table row (empty when the table has none); None for prose.
    :param asked_dates: the dates the question itself names (`question_dates`): for a date question, a date within
        one of them restates the question's constraint ("la reunión de junio de 2021" → "9 de junio de 2021"), it does
        not answer "¿cuándo…?".
    :param until: the question asks "¿hasta cuándo…?" (a deadline is then its answer).
    :returns: the boost (0 when the sentence carries no such value)."""
    if header is not None:
        cells = table_row(sentence).cells
        units = [
            f"{cell} {_column_unit(header[k])}"
            for k, cell in enumerate(cells)
            if k < len(header) and _NUMBER_CELL.match(cell)
        ]
        sentence = " ".join([*cells, *units])
    if qtype == "amount":
        return 0.12 if has_amount(sentence) else 0.0
    if qtype == "date":
        return _date_boost(sentence, asked_dates, until)
    if qtype == "place":
        return 0.12 if asked_field(sentence, "place") else 0.0
    if qtype == "entities":
        names = len(_ENTITY_RE.findall(sentence))
        return min(0.2, 0.05 * names) if names >= 2 else 0.0
    if qtype == "count":
        return 0.12 if re.search(r"\d", sentence) else 0.0
    return 0.0


def question_dates(question: str) -> tuple[DateMention, ...]:
    """The dates a question names ("la reunión de junio de 2021", "el 5 de diciembre"): its constraint, not its
    answer."""
    return tuple(find_dates(question, day_month=True))


def _within(d: DateMention, asked: DateMention) -> bool:
    """Whether the date `d` falls within the asked date (same month, and the same day and year where both name
    them): "9 de junio de 2021" is within "junio de 2021"."""
    return (
        d.month == asked.month
        and (d.year is None or asked.year is None or d.year == asked.year)
        and (d.day is None or asked.day is None or d.day == asked.day)
    )


# "al 30 de septiembre de 2024 se habían desembolsado…", "confirmar la asistencia hasta el 13 de febrero": a date
# after "al" or "hasta" is the cut-off of a figure or a deadline, not when the asked event took place.
_CUTOFF_BEFORE = re.compile(r"\b(?:al|hasta(?:\s+el)?)\s*$", re.IGNORECASE)


def _date_boost(sentence: str, asked: tuple[DateMention, ...], until: bool = False) -> float:
    """Boost of a sentence for a date question: it names a date the question does not (a date within one the
    question names restates the constraint) and that is not a cut-off or a deadline ("al 30 de septiembre de
    2024", "hasta el 13 de febrero"; a deadline answers "¿hasta cuándo…?"); a day ("el 29 de octubre de 2021")
    answers "¿cuándo?" more precisely than a month ("en octubre de 2021"), which gets half. A year alone gets
    nothing (it is rarely the asked date)."""
    new = []
    for d in find_dates(sentence, day_month=True):
        cut = _CUTOFF_BEFORE.search(sentence[max(0, d.start - 12) : d.start])
        if any(_within(d, a) for a in asked) or (cut and not (until and cut.group(0).lower().startswith("hasta"))):
            continue
        new.append(d)
    if any(d.day is not None for d in new):
        return DATE_BOOST
    return DATE_BOOST / 2 if new else 0.0


# The type boost of a sentence that carries the asked kind of value (an amount, a full date, a number).
DATE_BOOST = 0.12

_NUMBER_CELL = re.compile(r"^\d+(?:[.,]\d+)*$")
_PARENTHESIS = re.compile(r"\(([^)]*)\)")


def _column_unit(name: str) -> str:
    """The unit a column name gives its numbers: its parenthesis ("Monto (millones de EUR)" → "millones de EUR"),
    else the name itself."""
    m = _PARENTHESIS.search(name)
    return m.group(1) if m else name


@dataclass(frozen=True)
class Answer:
    """An answer, or an abstention (`found` False) with the closest passages under `related`.

    :ivar confidence: estimated probability that this outcome (the answer, or the abstention) is right, in [0, 1].
    :ivar related: citations of the closest passages when abstaining: not an answer.
    :ivar interpretation: how the question was read.
    """

    found: bool
    answer: str
    citations: list[Citation] = field(default_factory=list)
    evidence: dict[str, float] = field(default_factory=dict)
    confidence: float = 0.0
    related: list[Citation] = field(default_factory=list)
    interpretation: Interpretation | None = None


@dataclass(frozen=True)
class PassageEvidence:
    """Raw evidence that one passage is about the question."""

    dense: float
    coverage: float
    key_coverage: float


@dataclass
class _Candidate:
    chunk: Chunk
    start: int
    end: int
    text: str
    features: dict[str, float]
    score: float = 0.0
    item: bool = False  # a list item ("- Superintendencia Nacional de Migraciones.")
    index: int = 0  # place of the sentence in its chunk
    eligible: bool = True  # its passage has enough raw evidence
    read: str = ""  # a table row as read with its header ("Donante: Alemania | Monto: 22,2"); "" for prose
    interpretation: Interpretation | None = None  # the question, for the evidence check
    context: SentenceContext | None = None  # the sentence's passage and record, for the evidence check
    verdict: Check | None = None  # the evidence check, once computed

    @property
    def check(self) -> Check:
        """The evidence check of the sentence (`check_sentence`), computed when first read: an answer needs it
        only for its best-scored candidates, an abstention for all (it was a third of an answer's time)."""
        if self.verdict is None:
            it, ctx = self.interpretation, self.context
            self.verdict = Check(()) if it is None or ctx is None else check_sentence(it, self.text, ctx)
        return self.verdict


def _units(c: Chunk) -> tuple[tuple[int, int, str], ...]:
    """(start, end, reading) of the quotable units of a chunk, offsets in `c.text`: its sentences, or for a table
    passage its whole rows, each read with the column names (the header row itself is never an answer).

    Cached by the chunk's text and layout: the same passages answer many questions, and splitting sentences was a
    tenth of an answer's time."""
    return _units_of(c.text, c.char_start, c.page, c.table_rows, c.table_header)


@lru_cache(maxsize=4096)
def _units_of(
    text: str, char_start: int, page: int, table_rows: tuple[tuple[int, int], ...], table_header: tuple[str, ...]
) -> tuple[tuple[int, int, str], ...]:
    if not table_rows:
        return tuple((s, e, "") for s, e in split_sentences(text))
    out = []
    for a, b in table_rows:
        s, e = a - char_start, b - char_start
        if 0 <= s < e <= len(text):
            out.append((s, e, render_row(table_header, table_row(text[s:e], page))))
    return tuple(out)


@lru_cache(maxsize=8192)
def _heading(text: str) -> bool:
    """`is_heading_or_label`, cached: the same sentences are candidates for many questions."""
    return is_heading_or_label(text)


@lru_cache(maxsize=8192)
def _unit_terms(text: str) -> frozenset[str]:
    """The content terms of a sentence or row reading, cached like `_heading`."""
    return frozenset(content_terms(text))


def _answer_like(text: str, terms: set[str], q_terms: set[str], qtype: str, item: bool, kind: str = "") -> bool:
    """Whether a sentence can be an answer: not a heading, label or dateline ("Fecha: 17 de julio de 2023"), and
    not a mere restatement of the question (it must add at least two terms of its own). List items naming an
    institution are kept for "¿qué entidades / quiénes?" questions, however short, and so is the field of a notice
    that holds the kind of answer asked for ("Fecha: jueves 20 de febrero de 2025" for "¿qué día…?", "Lugar:
    Auditorio…" for "¿dónde…?")."""
    if qtype == "entities" and item and _ENTITY_RE.search(text):
        return True
    if asked_field(text, kind):
        return True
    if _heading(text):
        return False
    return len(tokens(text)) >= MIN_SENTENCE_TOKENS and len(terms - q_terms) >= 2


# The labels of a notice's fields ("Fecha: …", "Lugar: …") that hold each kind of answer, folded.
FIELD_LABELS = {"date": ("fecha", "dia", "hora", "horario"), "place": ("lugar", "sede", "direccion", "local")}
_FIELD_RE = re.compile(r"^\s*([^\W\d_]+)\s*:\s*\S")


def asked_field(text: str, kind: str) -> bool:
    """Whether `text` is a labelled field holding the kind of answer asked for: "Fecha: jueves 20 de febrero de
    2025" (a date field with a date) for a date question, "Lugar: Auditorio de la OPS" for a place question.

    :param text: a sentence or line of a passage.
    :param kind: the question's kind (`Interpretation.kind`).
    :returns: True when its label names that kind (and, for a date, the field holds a date or an hour)."""
    m = _FIELD_RE.match(text)
    if m is None or fold(m.group(1)).lower() not in FIELD_LABELS.get(kind, ()):
        return False
    return kind != "date" or bool(find_dates(text, day_month=True) or _HOUR_RE.search(text))


_HOUR_RE = re.compile(r"\b\d{1,2}:\d{2}\b")


def _row_answer_like(terms: set[str], q_terms: set[str]) -> bool:
    """Whether a table row can be an answer: read with its header it is no heading, however few its cells; it must
    still add two terms of its own to the question's."""
    return len(terms - q_terms) >= 2


# Shorter lines are headings, datelines or labels ("17 de julio de 2023"), not answers.
MIN_SENTENCE_TOKENS = 6

# Sentence score weights, fitted on the dev set (corpus/dev_eval.jsonl) and checked on the hold-out set.
# sentence_dense: cosine(question, sentence); chunk_dense: cosine(question, its passage); *_coverage: share of the
# question's terms (plain, or IDF-weighted "w"); title_coverage: terms in the record's title and date; context:
# weighted coverage of the sentence with the one before it; type_boost: amount/date/entity list for
# cuánto/cuándo/quiénes questions; rank: retrieval rank (penalty); topic_coverage: weighted coverage of the
# question's topic (what it asks about, without its actors, event, months and years) by the sentence read in its
# record (its terms and its record's title, date and conference): within one record the title is shared, so the
# sentence that says what the title does not ("la acreditación ... de 8:15 a 9:00 horas" in the notice of a
# workshop) beats one that restates the title ("el Taller de seguimiento con los gobiernos locales se realizará").
WEIGHTS = {
    "sentence_dense": 1.0,
    "chunk_dense": 0.5,
    "sentence_coverage": 0.5,
    "chunk_coverage": 0.25,
    "type_boost": 2.0,
    "rank": -0.02,
    "sentence_wcoverage": 0.25,
    "chunk_wcoverage": 0.25,
    "title_coverage": 1.0,
    "context": 0.25,
    "topic_coverage": 0.5,
}


def _record_context(c: Chunk) -> str:
    conference = (c.conference or "").replace("-", " ")
    return f"{c.title} {c.date or ''} {conference}"


def _score(features: dict[str, float], with_dense: bool = True) -> float:
    return sum(w * features.get(k, 0.0) for k, w in WEIGHTS.items() if with_dense or k != "sentence_dense")


@dataclass(frozen=True)
class _Passage:
    """A retrieved chunk, read once: its dense cosine with the question, its terms and its record's terms."""

    chunk: Chunk
    dense: float
    terms: set[str]
    record_terms: set[str]


def _read_passages(query_embedding: list[float], chunks: list[Chunk]) -> list[_Passage]:
    q = np.asarray(query_embedding, dtype=np.float32)
    return [
        _Passage(
            c,
            float(np.dot(q, np.asarray(c.embedding, dtype=np.float32))) if c.embedding else 0.0,
            set(content_terms(c.text)),
            set(content_terms(_record_context(c))),
        )
        for c in chunks
    ]


def _evidence(p: _Passage, q_terms: set[str], keys: set[str]) -> PassageEvidence:
    # A passage is read in its record: the title, date and conference say what the page is about.
    have = p.terms | p.record_terms
    return PassageEvidence(p.dense, coverage(q_terms, have), coverage(keys, have))


def _list_window(best: _Candidate, cands: list[_Candidate], size: int) -> list[_Candidate]:
    """The answer is a list: up to `size` consecutive items of the list holding `best`, in reading order, from as
    early in the list as still includes `best`."""
    items = {c.index: c for c in cands if c.item and c.chunk.chunk_id == best.chunk.chunk_id}
    first = best.index
    while first - 1 in items and best.index - (first - 1) < size:
        first -= 1
    window: list[_Candidate] = []
    i = first
    while i in items and len(window) < size:
        window.append(items[i])
        i += 1
    return window


class Answerer:
    """Builds extractive answers from retrieved chunks.

    :param backend: dense backend, to embed the best candidate sentences (passage mode).
    :param min_dense: dense cosine the answering passage must reach.
    :param min_coverage: share of the question's content terms the answering passage must hold.
    :param min_key_coverage: share of the question's names, acronyms and years it must hold.
    :param term_stats: corpus term frequencies for IDF weighting (plain counts when None).
    :param rerank: candidate sentences embedded for the final ranking.
    """

    def __init__(
        self,
        backend: EmbeddingBackend,
        *,
        min_dense: float,
        min_coverage: float,
        min_key_coverage: float = 0.75,
        term_stats: TermStats | None = None,
        rerank: int = 3,
    ) -> None:
        self.backend = backend
        self.min_dense = min_dense
        self.min_coverage = min_coverage
        self.min_key_coverage = min_key_coverage
        self.term_stats = term_stats or TermStats()
        self.rerank = rerank
        self.sentence_vectors = SentenceVectors(backend)

    def passage_evidence(
        self, question: str, query_embedding: list[float], chunks: list[Chunk]
    ) -> list[PassageEvidence]:
        """Evidence of each passage, in retrieval order."""
        q_terms, keys = question_terms(question), key_terms(question)
        return [_evidence(p, q_terms, keys) for p in _read_passages(query_embedding, chunks)]

    def passes(self, ev: PassageEvidence) -> bool:
        return (
            ev.dense >= self.min_dense and ev.coverage >= self.min_coverage and ev.key_coverage >= self.min_key_coverage
        )

    def answer(
        self,
        question: str,
        query_embedding: list[float],
        chunks: list[Chunk],
        *,
        max_sentences: int = 3,
        interpretation: Interpretation | None = None,
    ) -> Answer:
        """Answer from `chunks` (best first) or abstain.

        Only passages with enough raw evidence (dense cosine, coverage of the question's terms and of its names
        and years) may answer, and of their sentences only those that satisfy every constraint of the question
        (`indexing.query.evidence`); RRF scores are ranks and say nothing about relevance. When none does, the
        answer abstains, says which part is missing and lists the closest sentences under `related`.

        :param question: the user's question.
        :param query_embedding: its dense embedding (query mode).
        :param chunks: retrieved chunks with their stored embeddings.
        :param max_sentences: at most this many quoted sentences.
        :param interpretation: the question's reading (computed when None).
        :returns: the answer; `found` False with a Spanish message when no passage answers.
        """
        it = interpretation or interpret(question)
        q_terms, keys = question_terms(question), key_terms(question)
        passages = _read_passages(query_embedding, chunks)
        evidence = [_evidence(p, q_terms, keys) for p in passages]
        # With checked constraints (an actor or an event), the sentence-level evidence check decides; the passage
        # thresholds still apply to questions without them.
        constrained = bool(it.actors or it.event)
        ranked = [
            (rank, p, self.passes(ev) or (constrained and ev.dense >= self.min_dense))
            for rank, (p, ev) in enumerate(zip(passages, evidence, strict=True))
        ]
        best_ev = max(evidence, key=lambda e: (self.passes(e), e.coverage + e.key_coverage + e.dense), default=None)
        summary = (
            {"dense": best_ev.dense, "coverage": best_ev.coverage, "key_coverage": best_ev.key_coverage}
            if best_ev
            else {}
        )
        cands = self._candidates(question, ranked, it)
        for cand in cands:
            cand.score = _score(cand.features, with_dense=False)
        cands.sort(key=lambda x: (-x.score, x.chunk.document_id, x.chunk.page, x.chunk.char_start + x.start))
        answering = _answering(cands, self.rerank)
        if not answering:
            return self._abstain(it, cands, summary)
        top = answering[: self.rerank]
        q = np.asarray(query_embedding, dtype=np.float32)
        vectors = self.sentence_vectors.embed([c.read or c.text for c in top])
        for cand, vec in zip(top, vectors, strict=True):
            cand.features["sentence_dense"] = float(np.dot(q, np.asarray(vec, dtype=np.float32)))
            cand.score = _score(cand.features)
        top.sort(key=lambda x: (-x.score, x.chunk.document_id, x.chunk.page, x.chunk.char_start + x.start))
        if asks_cause(it) and not states_cause(top[0].text):
            # "¿Por qué…?": the sentence that states the cause, not the one that restates what happened.
            causal = next((c for c in top if states_cause(c.text)), None)
            if causal is not None:
                top.remove(causal)
                top.insert(0, causal)
        chosen = [top[0]]
        if top[0].item and it.kind in ("entities", "place"):
            chosen = [c for c in _list_window(top[0], cands, max_sentences) if c.check.ok] or chosen
        for cand in top[1:]:
            if len(chosen) >= max_sentences:
                break
            # Further sentences only when nearly as good: one right sentence beats three loose ones.
            if cand not in chosen and cand.score >= top[0].score - 0.08 and cand.features["sentence_coverage"] > 0:
                chosen.append(cand)
        citations = _citations(chosen)
        text = " ".join(f"{c.quote} [{c.n}]" for c in citations)
        # The best sentence's score: what the confidence is a function of (and what `--calibrate` fits it on).
        scored = {**summary, "score": round(top[0].score, 4)}
        return Answer(True, text, citations, scored, confidence=answer_confidence(top[0].score), interpretation=it)

    def _abstain(self, it: Interpretation, cands: list[_Candidate], summary: dict[str, float]) -> Answer:
        """Abstention: the message says what the closest candidate misses; `related` cites up to three of the
        closest sentences: first those naming an actor the question asks about (where Noruega is mentioned, even
        as "no respondió"), then those satisfying most constraints, then the best scored."""
        close = sorted(cands, key=lambda c: (-c.check.satisfied, -c.score))
        missing = (close[0].check.missing or ("passage",)) if close else None
        related: list[_Candidate] = []
        for c in sorted(close, key=lambda c: not _names_actor(it, c.text)):
            if len(related) >= 3:
                break
            if is_heading_or_label(c.text) or any(r.text == c.text for r in related):
                continue
            related.append(c)
        return Answer(
            False,
            not_found_message(it, missing, _elsewhere(close)),
            [],
            summary,
            confidence=ABSTENTION_CONFIDENCE,
            related=_citations(related),
            interpretation=it,
        )

    def _candidates(
        self, question: str, ranked: list[tuple[int, _Passage, bool]], it: Interpretation
    ) -> list[_Candidate]:
        q_terms = question_terms(question)
        topic = set(it.topic)
        qtype = _KIND_TO_TYPE.get(it.kind, "general")
        asked_dates = question_dates(question) if qtype == "date" else ()
        until = qtype == "date" and _UNTIL_Q.search(question) is not None
        stats = self.term_stats
        cands: list[_Candidate] = []
        seen: set[tuple[str, int, int]] = set()
        for rank, passage, eligible in ranked:
            c = passage.chunk
            chunk_feats = {
                "chunk_dense": passage.dense,
                "chunk_coverage": coverage(q_terms, passage.terms),
                "chunk_wcoverage": stats.weighted_coverage(q_terms, passage.terms),
                "title_coverage": coverage(q_terms, passage.record_terms),
                "rank": float(rank),
            }
            previous: set[str] = set()
            previous_text = ""
            headers: list[set[str]] = []  # the last two non-list sentences: what a list item is a part of
            header_texts: list[str] = []
            for idx, (s, e, read) in enumerate(_units(c)):
                text = c.text[s:e]
                terms = set(_unit_terms(read or text))
                item = is_bullet_line(text)
                context = previous | terms | (set().union(*headers) if item else set())
                before = previous_text + ("\n" + "\n".join(header_texts) if item else "")
                if read:  # a row is read under its header, not after the row above it
                    context, before = terms, " | ".join(c.table_header)
                previous = terms
                previous_text = text
                if not item:
                    headers = [*headers[-1:], terms]
                    header_texts = [*header_texts[-1:], text]
                # Overlapping chunks repeat sentences: key them by their place in the page.
                key = (c.document_id, c.page, c.char_start + s)
                answer_like = (
                    _row_answer_like(terms, q_terms)
                    if read
                    else _answer_like(text, terms, q_terms, qtype, item, it.kind)
                )
                if key in seen or not answer_like:
                    continue
                seen.add(key)
                feats = {
                    **chunk_feats,
                    "sentence_coverage": coverage(q_terms, terms),
                    "sentence_wcoverage": stats.weighted_coverage(q_terms, terms),
                    "context": stats.weighted_coverage(q_terms, context),
                    "type_boost": _type_boost(qtype, text, c.table_header if read else None, asked_dates, until),
                    "topic_coverage": stats.weighted_coverage(topic, terms | passage.record_terms),
                }
                ctx = SentenceContext(c.text, before, c.title, c.date, c.conference)
                cands.append(
                    _Candidate(
                        c,
                        s,
                        e,
                        text,
                        feats,
                        item=item,
                        index=idx,
                        interpretation=it,
                        context=ctx,
                        eligible=eligible,
                        read=read,
                    )
                )
        return cands


# What the sentence scorer's type boost rewards for each kind of answer (counts are not money amounts).
_KIND_TO_TYPE = {"amount": "amount", "date": "date", "entities": "entities", "count": "count", "place": "place"}

# Confidence: a logistic function of the best answering sentence's score, and the share of dev abstentions that
# were right; both fitted on the dev questions (`python -m corpus.evaluate --calibrate`), never on the check part.
# Shares are Laplace-smoothed ((right + 1) / (n + 2)): 90 of 96 dev abstentions right (0.93) is not certainty.
CONFIDENCE_SLOPE = 1.75
CONFIDENCE_MIDPOINT = 2.45
ABSTENTION_CONFIDENCE = 0.93
# Share of dev register answers citing a record that answers (35 of 40, smoothed).
REGISTER_CONFIDENCE = 0.86


def answer_confidence(score: float) -> float:
    """Estimated probability that an answer whose best sentence scores `score` cites a record that answers."""
    return round(float(1.0 / (1.0 + np.exp(-CONFIDENCE_SLOPE * (score - CONFIDENCE_MIDPOINT)))), 3)


def _answering(cands: list[_Candidate], n: int) -> list[_Candidate]:
    """The first `n` candidates, in the given order, that may answer: their passage passed and their sentence
    passes the evidence check. No sentence is repeated: a record that states a sentence twice (a summary restating
    a paragraph, overlapping passages) is cited for it once, at its best-scored place. Only the candidates up to
    the n-th answering one are checked.

    :param cands: candidates, best first.
    :param n: how many to return.
    :returns: up to `n` answering candidates, best first."""
    seen: set[tuple[str, str]] = set()
    out: list[_Candidate] = []
    for c in cands:
        if len(out) >= n:
            break
        if not c.eligible:
            continue
        key = (c.chunk.document_id, " ".join((c.read or c.text).split()))
        if key in seen or not c.check.ok:
            continue
        seen.add(key)
        out.append(c)
    return out


def _elsewhere(close: list[_Candidate], limit: int = 3) -> tuple[str, ...]:
    """The conferences where candidates that miss only the event state the asked value: the sentence's own
    conference, else its record's. What an abstention says does exist ("… mencionan a Noruega en la Conferencia de
    Bruselas 2023, no en la reunión de seguimiento…").

    :param close: candidates, closest first.
    :param limit: at most this many conferences.
    :returns: conference names, closest first, without repeats.
    """
    names = dict(conference_names())
    out: list[str] = []
    for c in close:
        if len(out) >= limit:
            break
        if c.check.missing != ("event",):
            continue
        name = detect_event(c.text) or names.get(c.chunk.conference or "")
        if name and name not in out:
            out.append(name)
    return tuple(out)


def _names_actor(it: Interpretation, text: str) -> bool:
    """Whether `text` names one of the actors the question asks about (or an agency of the same family)."""
    return bool(it.actors) and any(same_family(m.canonical, a) for m in find_actors(text) for a in it.actors)


def _citations(chosen: list[_Candidate]) -> list[Citation]:
    return [
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
            table_header=c.chunk.table_header if c.read else (),
            ocr=c.chunk.ocr,
            page_kind=c.chunk.page_kind,
        )
        for i, c in enumerate(chosen)
    ]
