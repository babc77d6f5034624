"""Extractive selection of a briefing: sentences of retrieved chunks → salient, non-redundant, cited points.

Pipeline (all deterministic; ties are broken by the chronological key, never by input order):

1. Split every candidate chunk into sentences (`indexing.text.sentences.split_sentences`); a sentence's quote is the
   exact substring of the chunk text. Short sentences (< `MIN_WORDS` words) and headings are skipped; the same
   sentence seen in two overlapping chunks is kept once.
2. Relevance to the topic: ``DENSE_WEIGHT * dot(chunk embedding, query embedding) + LEXICAL_WEIGHT * share of
   the topic's content terms found in the sentence``. Only this relevance is compared with `min_relevance`.
   Without a query embedding (or chunk embeddings), the dense term falls back to `Chunk.dense_score`, and when
   that is missing too the relevance is the lexical term alone.
3. Salience = relevance + `SIGNAL_BONUS` for each commitment signal: an amount, a date, an actor, a commitment
   verb (comprometió, anunció, desembolsó, firmó, acordaron, ...).
4. Near-duplicates collapse: a sentence whose content terms have Jaccard >= `NEAR_DUPLICATE_JACCARD` with a
   better sentence, or that names the same amount and actor in another record, joins that sentence's point; the
   point cites all of them (the press release and the minutes of one meeting).
5. Maximal marginal relevance (`MMR_LAMBDA`) picks `max_points` points; the similarity between two candidates
   mixes their chunks' stored embeddings and the Jaccard of their sentences, so two sentences of one chunk are
   only similar when their words are.
6. Sections (by document, month or actor), points in chronological order, citations numbered 1..N by first
   appearance. When the topic names an event and asks about commitments, the register's commitments of that event
   come first, in their own section (`indexing.briefing.commitments`); the selection fills the remaining points.

Headings, datelines and table frames (a header row, a separator line) are never points: heading lines, frame lines
and a numbered section title glued to its first sentence ("1. Antecedentes La Conferencia…") are peeled off the
front of a sentence, and a sentence left with nothing else is skipped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np

from indexing.briefing.actors import default_actor_finder
from indexing.briefing.commitments import LeadPoint
from indexing.briefing.model import GROUP_BY_VALUES, Briefing, BriefingRequest, Citation, Point, Section
from indexing.briefing.render import to_markdown
from indexing.text.facts import extract_facts
from indexing.text.formatting import format_date_es, month_heading_es
from indexing.text.headings import is_heading_line, is_heading_or_label, is_headline, numbered_heading_end
from indexing.text.sentences import split_sentences
from indexing.text.tables import is_separator
from indexing.text.tokens import content_terms, fold, tokens
from indexing.types import Chunk

logger = logging.getLogger(__name__)

DENSE_WEIGHT = 0.6
LEXICAL_WEIGHT = 0.4
SIGNAL_BONUS = 0.05
MMR_LAMBDA = 0.5
"""Topic briefings: relevance vs. novelty. 0.5 beat 0.7 on the briefing dev set (key facts 0.77 → 0.81)."""
SUMMARY_MMR_LAMBDA = 0.7
"""Record summaries: centrality is a weaker signal than a topic, so novelty weighs less."""
DIVERSITY_DENSE_WEIGHT = 0.5
NEAR_DUPLICATE_JACCARD = 0.6
MIN_WORDS = 6
DEFAULT_MIN_RELEVANCE = 0.35
"""Calibrate against the real embedder: e5-style models give unrelated passages cosine ~0.7, so with the default
weights an off-topic corpus can still pass 0.35. Pick the value on the dev set (a topic absent from the corpus must
give found=False)."""
MAX_MMR_POOL = 300
SELECTION_VERSION = "7"
"""Bump when selection or retrieval changes: stored briefings are keyed by index state and this version."""

OTHER_ACTORS_HEADING = "Otros"
SUMMARY_SINGLE_HEADING = "Puntos principales"

_COMMITMENT_VERB_RE = re.compile(
    r"\b(?:comprometi\w*|compromet\w+|anunci\w+|desembols\w+|firm(?:o|aron|ado|ada|ados|adas|an|a)"
    r"|acord\w+|acuerdo\w*|aport(?:o|aron|ara|aran|ado|ada)|don(?:o|aron|ado|ada|acion\w*)"
    r"|asign\w+|promet\w+|prometi\w+|suscrib\w+|suscrit\w+)\b"
)
_YEAR_RE = re.compile(r"^(?:19|20)\d\d$")


@dataclass
class _Sentence:
    chunk: Chunk
    start: int
    end: int
    text: str
    terms: frozenset[str]
    amounts: frozenset[str]
    actors: tuple[str, ...]
    signals: int
    relevance: float
    score: float
    embedding: np.ndarray | None
    order_key: tuple[Any, ...]


@dataclass
class _Cluster:
    members: list[_Sentence] = field(default_factory=list)

    @property
    def rep(self) -> _Sentence:
        return self.members[0]

    @property
    def relevance(self) -> float:
        return max(m.relevance for m in self.members)


def briefing_id(index_state: str, request: dict[str, Any]) -> str:
    """Stable id of a briefing: sha256 of (index state + normalized request JSON), 16 hex chars.

    The topic is compared without case or extra spaces; empty filters are dropped and list filters sorted.

    :param index_state: opaque version of the index (e.g. the store's last-write marker).
    :param request: the request dict (`BriefingRequest.to_dict()` or the document-summary request).
    :returns: 16 lowercase hex chars.
    """
    normalized = dict(request)
    if isinstance(normalized.get("topic"), str):
        topic = unicodedata.normalize("NFC", normalized["topic"])
        normalized["topic"] = " ".join(topic.split()).casefold()
    if isinstance(normalized.get("filters"), dict):
        filters = {}
        for key, value in normalized["filters"].items():
            if value in (None, "", [], ()):
                continue
            filters[key] = sorted(value, key=str) if isinstance(value, list | tuple) else value
        normalized["filters"] = filters
    payload = index_state + json.dumps(normalized, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _unit(vector: Sequence[float] | None) -> np.ndarray | None:
    if vector is None or len(vector) == 0:
        return None
    arr = np.asarray(vector, dtype=np.float64)
    norm = float(np.linalg.norm(arr))
    return arr / norm if norm > 0 else None


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """`split_sentences`, with heading lines peeled off the front of a sentence (they carry no full stop)."""
    out = []
    for start, end in split_sentences(text):
        while True:
            newline = text.find("\n", start, end)
            if newline < 0:
                break
            line = text[start:newline]
            if not (is_heading_line(line, text[newline + 1 : end]) or _frame_line(line)):
                break
            start = newline + 1
            while start < end and text[start].isspace():
                start += 1
        start += numbered_heading_end(text[start:end])
        if end > start:
            out.append((start, end))
    return out


def _frame_line(line: str) -> bool:
    """A table's separator, or a row without figures (its header): it frames the table's facts, it states none."""
    return is_separator(line) or ("|" in line and is_heading_or_label(line))


def _table_frame(text: str) -> bool:
    """A sentence made only of table frame lines (`_frame_line`): never a point."""
    lines = [line for line in text.splitlines() if line.strip()]
    return bool(lines) and all(_frame_line(line) for line in lines)


def _order_key(chunk: Chunk, offset: int) -> tuple[Any, ...]:
    return (chunk.date or "9999-99-99", chunk.filename, chunk.document_id, chunk.page, chunk.char_start + offset)


def _sentences(
    chunks: Sequence[Chunk],
    relevance_of: Callable[[Chunk, frozenset[str]], float],
    actor_finder: Callable[[str], list[str]],
) -> list[_Sentence]:
    """Every usable sentence of `chunks`, best first, each (document, page, text) once."""
    out: list[_Sentence] = []
    for chunk in chunks:
        embedding = _unit(chunk.embedding)
        for start, end in _sentence_spans(chunk.text):
            text = chunk.text[start:end]
            if len(tokens(text)) < MIN_WORDS or is_headline(text) or _table_frame(text):
                continue
            facts = extract_facts(text)
            amounts = frozenset(f.value for f in facts if f.kind == "amount")
            has_date = any(f.kind == "date" or (f.kind == "number" and _YEAR_RE.match(f.value)) for f in facts)
            actors = tuple(actor_finder(text))
            has_verb = bool(_COMMITMENT_VERB_RE.search(fold(text)))
            # An amount is the strongest sign of a commitment: it counts twice.
            signals = 2 * int(bool(amounts)) + int(has_date) + int(bool(actors)) + int(has_verb)
            terms = frozenset(content_terms(text))
            relevance = relevance_of(chunk, terms)
            out.append(
                _Sentence(
                    chunk=chunk,
                    start=start,
                    end=end,
                    text=text,
                    terms=terms,
                    amounts=amounts,
                    actors=actors,
                    signals=signals,
                    relevance=relevance,
                    score=relevance + SIGNAL_BONUS * signals,
                    embedding=embedding,
                    order_key=_order_key(chunk, start),
                )
            )
    out.sort(key=lambda s: (-s.score, s.order_key))
    seen: set[tuple[str, int, str]] = set()
    unique = []
    for s in out:
        key = (s.chunk.document_id, s.chunk.page, " ".join(s.text.split()))
        if key not in seen:
            seen.add(key)
            unique.append(s)
    return unique


def _near_duplicate(a: _Sentence, b: _Sentence) -> bool:
    if _jaccard(a.terms, b.terms) >= NEAR_DUPLICATE_JACCARD:
        return True
    # Same amount and same actor in two different records: the same fact reported twice.
    return (
        a.chunk.document_id != b.chunk.document_id
        and bool(a.amounts & b.amounts)
        and bool(set(a.actors) & set(b.actors))
    )


def _cluster(sentences: list[_Sentence]) -> list[_Cluster]:
    """Greedy clustering in score order: each sentence joins the first better sentence it duplicates."""
    clusters: list[_Cluster] = []
    for s in sentences:
        for cluster in clusters:
            if _near_duplicate(cluster.rep, s):
                cluster.members.append(s)
                break
        else:
            clusters.append(_Cluster(members=[s]))
    return clusters


def _similarity(a: _Sentence, b: _Sentence) -> float:
    jac = _jaccard(a.terms, b.terms)
    if a.embedding is None or b.embedding is None:
        return jac
    dense = float(np.dot(a.embedding, b.embedding))
    return DIVERSITY_DENSE_WEIGHT * dense + (1 - DIVERSITY_DENSE_WEIGHT) * jac


def _mmr(clusters: list[_Cluster], k: int, lam: float = MMR_LAMBDA) -> list[_Cluster]:
    """Maximal marginal relevance over cluster representatives (input in score order, so ties keep it)."""
    pool = clusters[:MAX_MMR_POOL]
    selected: list[_Cluster] = []
    max_sim = [-math.inf] * len(pool)
    remaining = list(range(len(pool)))
    while remaining and len(selected) < k:
        best_i, best_value = remaining[0], -math.inf
        for i in remaining:
            redundancy = max_sim[i] if selected else 0.0
            value = lam * pool[i].rep.score - (1 - lam) * redundancy
            if value > best_value:
                best_i, best_value = i, value
        remaining.remove(best_i)
        chosen = pool[best_i]
        selected.append(chosen)
        for i in remaining:
            max_sim[i] = max(max_sim[i], _similarity(pool[i].rep, chosen.rep))
    return selected


def _document_heading(chunk: Chunk) -> str:
    title = chunk.title or chunk.filename
    date = format_date_es(chunk.date)
    return f"{title} ({date})" if date else title


def _section_key(cluster: _Cluster, group_by: str) -> tuple[tuple[Any, ...], str]:
    """(sort key, heading) of the section a point belongs to."""
    chunk = cluster.rep.chunk
    if group_by == "date":
        month = (chunk.date or "")[:7]
        return ((month or "9999-99",), month_heading_es(chunk.date))
    if group_by == "actor":
        actors = next((m.actors for m in cluster.members if m.actors), ())
        if not actors:
            return ((1, ""), OTHER_ACTORS_HEADING)
        return ((0, fold(actors[0]), actors[0]), actors[0])
    return ((chunk.date or "9999-99-99", chunk.title or chunk.filename, chunk.document_id), _document_heading(chunk))


def _assemble(
    groups: list[tuple[tuple[Any, ...], str, list[_Cluster]]],
    lead: Sequence[LeadPoint] = (),
    lead_heading: str = "",
) -> tuple[list[Section], list[Citation]]:
    """Sections in key order (after the lead section of register commitments, when there is one), points
    chronological, citations numbered by first appearance."""
    sections: list[Section] = []
    citations: list[Citation] = []
    numbers: dict[tuple[str, int, int, int], int] = {}

    def number(c: Citation) -> int:
        key = (c.document_id, c.page, c.char_start, c.char_end)
        if key not in numbers:
            numbers[key] = len(citations) + 1
            citations.append(replace(c, n=numbers[key]))
        return numbers[key]

    if lead:
        points = [Point(text=p.text, citations=list(dict.fromkeys(number(c) for c in p.sources))) for p in lead]
        sections.append(Section(heading=lead_heading, points=points))
    for _, heading, clusters in sorted(groups, key=lambda g: (g[0], g[1])):
        points = []
        for cluster in sorted(clusters, key=lambda c: c.rep.order_key):
            members = [cluster.rep, *sorted(cluster.members[1:], key=lambda m: m.order_key)]
            cited: list[int] = []
            for m in members:
                n = number(
                    Citation(
                        document_id=m.chunk.document_id,
                        filename=m.chunk.filename,
                        title=m.chunk.title,
                        date=m.chunk.date,
                        page=m.chunk.page,
                        quote=m.text,
                        char_start=m.chunk.char_start + m.start,
                        char_end=m.chunk.char_start + m.end,
                        ocr=m.chunk.ocr,
                        page_kind=m.chunk.page_kind,
                    )
                )
                if n not in cited:
                    cited.append(n)
            points.append(Point(text=cluster.rep.text, citations=cited))
        sections.append(Section(heading=heading, points=points))
    return sections, citations


def _restates(s: _Sentence, lead: Sequence[tuple[Citation, frozenset[str], frozenset[str], frozenset[str]]]) -> bool:
    """Whether a sentence is one of the lead points' sources (or overlaps one), or a near-duplicate of one."""
    for c, terms, amounts, actors in lead:
        start = s.chunk.char_start + s.start
        end = s.chunk.char_start + s.end
        if (s.chunk.document_id, s.chunk.page) == (c.document_id, c.page) and start < c.char_end and c.char_start < end:
            return True
        if _jaccard(s.terms, terms) >= NEAR_DUPLICATE_JACCARD:
            return True
        if bool(s.amounts & amounts) and bool(set(s.actors) & actors):
            return True
    return False


def _group(clusters: list[_Cluster], group_by: str) -> list[tuple[tuple[Any, ...], str, list[_Cluster]]]:
    grouped: dict[tuple[tuple[Any, ...], str], list[_Cluster]] = {}
    for cluster in clusters:
        grouped.setdefault(_section_key(cluster, group_by), []).append(cluster)
    return [(key, heading, members) for (key, heading), members in grouped.items()]


def _finish(
    *,
    title: str,
    request: dict[str, Any],
    index_state: str,
    now: datetime | None,
    sections: list[Section],
    citations: list[Citation],
) -> Briefing:
    generated = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    briefing = Briefing(
        id=briefing_id(index_state, request),
        title=title,
        generated_at=generated,
        summary_markdown="",
        sections=sections,
        citations=citations,
        found=bool(citations),
        warnings=[],
        index_state=index_state,
        request=request,
    )
    briefing.summary_markdown = to_markdown(briefing)
    return briefing


def _unique_chunks(chunks: Sequence[Chunk]) -> list[Chunk]:
    by_id: dict[str, Chunk] = {}
    for chunk in chunks:
        by_id.setdefault(chunk.chunk_id, chunk)
    return sorted(by_id.values(), key=lambda c: (c.document_id, c.page, c.char_start, c.chunk_id))


def build_briefing(
    topic: str,
    chunks: list[Chunk],
    query_embedding: list[float] | None,
    *,
    max_points: int = 8,
    group_by: str = "document",
    actor_finder: Callable[[str], list[str]] | None = None,
    min_relevance: float = DEFAULT_MIN_RELEVANCE,
    now: datetime | None = None,
    index_state: str = "",
    filters: dict[str, Any] | None = None,
    mode: str = "extractive",
    lead: Sequence[LeadPoint] = (),
    lead_heading: str = "",
) -> Briefing:
    """Draft an extractive briefing on `topic` from retrieved chunks.

    :param topic: the request topic (Spanish free text).
    :param chunks: retrieved candidates (~40, across records), with their stored `embedding`.
    :param query_embedding: the topic's dense query embedding (same model as the chunks), or None.
    :param max_points: maximum number of points.
    :param group_by: "document" (one section per record), "date" (per month) or "actor".
    :param actor_finder: text → actor names; defaults to a small gazetteer of conference actors.
    :param min_relevance: relevance threshold (see the module docstring); nothing above it → `found=False`.
    :param now: generation time (inject for reproducible output); defaults to the current UTC time.
    :param index_state: opaque index version, part of the id.
    :param filters: the request filters, only recorded in `request` and the id.
    :param mode: the request mode, only recorded in `request` and the id (abstractive rewriting is separate).
    :param lead: register commitments of the event the topic names (`indexing.briefing.commitments`): the first
        section, before the selected sentences (at most `max_points`; the selection fills the rest and skips their
        source sentences and near-duplicates of them).
    :param lead_heading: the heading of that section.
    :returns: the briefing; `found=False` with no sections and no citations when nothing is relevant.
    :raises ValueError: on an unknown `group_by` or `max_points < 1`.
    """
    if group_by not in GROUP_BY_VALUES:
        raise ValueError(f"group_by debe ser uno de {', '.join(GROUP_BY_VALUES)}")
    if max_points < 1:
        raise ValueError("max_points debe ser al menos 1")
    finder = actor_finder or default_actor_finder
    request = BriefingRequest(
        topic=topic, filters=dict(filters or {}), max_points=max_points, group_by=group_by, mode=mode
    ).to_dict()
    topic_terms = frozenset(content_terms(topic))
    query = _unit(query_embedding)

    def relevance_of(chunk: Chunk, terms: frozenset[str]) -> float:
        lexical = len(terms & topic_terms) / len(topic_terms) if topic_terms else 0.0
        dense: float | None = None
        embedding = _unit(chunk.embedding)
        if query is not None and embedding is not None and embedding.shape == query.shape:
            dense = float(np.dot(embedding, query))
        elif chunk.dense_score is not None:
            dense = float(chunk.dense_score)
        if dense is None:
            return lexical
        return DENSE_WEIGHT * dense + LEXICAL_WEIGHT * lexical

    lead = list(lead)[:max_points]
    lead_sources = [
        (
            c,
            frozenset(content_terms(c.quote)),
            frozenset(f.value for f in extract_facts(c.quote) if f.kind == "amount"),
            frozenset(finder(c.quote)),
        )
        for p in lead
        for c in p.sources
    ]
    sentences = [s for s in _sentences(_unique_chunks(chunks), relevance_of, finder) if not _restates(s, lead_sources)]
    clusters = [c for c in _cluster(sentences) if c.relevance >= min_relevance]
    logger.debug("briefing: %d lead points, %d sentences, %d relevant points", len(lead), len(sentences), len(clusters))
    selected = _mmr(clusters, max_points - len(lead))
    sections, citations = _assemble(_group(selected, group_by), lead, lead_heading)
    return _finish(
        title=f"Ayuda memoria: {' '.join(topic.split())}",
        request=request,
        index_state=index_state,
        now=now,
        sections=sections,
        citations=citations,
    )


def _page_sections(clusters: list[_Cluster], pages: list[int]) -> list[tuple[tuple[Any, ...], str, list[_Cluster]]]:
    """Up to three sections by page range ("Páginas 1–4"); one section when the points share a page."""
    if not clusters:
        return []
    if len({c.rep.chunk.page for c in clusters}) <= 1 or len(pages) <= 2:
        return [((0,), SUMMARY_SINGLE_HEADING, clusters)]
    size = math.ceil(len(pages) / 3)
    ranges = [pages[i : i + size] for i in range(0, len(pages), size)]
    out = []
    for rng in ranges:
        members = [c for c in clusters if rng[0] <= c.rep.chunk.page <= rng[-1]]
        if members:
            heading = f"Página {rng[0]}" if rng[0] == rng[-1] else f"Páginas {rng[0]}–{rng[-1]}"
            out.append(((rng[0],), heading, members))
    return out


def _summary_request(document_ids: list[str], max_points: int) -> dict[str, Any]:
    return {"kind": "document_summary", "document_ids": document_ids, "max_points": max_points}


def summary_id(index_state: str, document_id: str, max_points: int) -> str:
    """The id `summarize_document` gives the summary of one record with chunks (to look up a stored one first).

    :param index_state: as passed to `summarize_document`.
    :param document_id: the record.
    :param max_points: as passed to `summarize_document`.
    :returns: the briefing id.
    """
    return briefing_id(index_state, _summary_request([document_id], max_points))


def summarize_document(
    chunks: list[Chunk],
    *,
    max_points: int = 8,
    actor_finder: Callable[[str], list[str]] | None = None,
    now: datetime | None = None,
    index_state: str = "",
) -> Briefing:
    """Summarize one record from all of its chunks, in the briefing shape.

    Without a query, relevance is centrality: ``DENSE_WEIGHT * dot(chunk embedding, normalized mean of the
    record's chunk embeddings) + LEXICAL_WEIGHT * share of the sentence's terms among the record's 20 most frequent
    terms``; commitment signals, near-duplicate collapsing and MMR work as in `build_briefing`.

    :param chunks: every chunk of the record (other records' chunks are summarized together; pass one record).
    :param max_points: maximum number of points.
    :param actor_finder: text → actor names; defaults to the gazetteer.
    :param now: generation time.
    :param index_state: opaque index version, part of the id.
    :returns: the briefing ("Resumen: título"), sections by page range; `found=False` when the record has no
        usable sentence.
    :raises ValueError: when `max_points < 1`.
    """
    if max_points < 1:
        raise ValueError("max_points debe ser al menos 1")
    finder = actor_finder or default_actor_finder
    ordered = sorted(_unique_chunks(chunks), key=lambda c: (c.document_id, c.chunk_index, c.page, c.char_start))
    first = ordered[0] if ordered else None
    document_ids = sorted({c.document_id for c in ordered})
    request = _summary_request(document_ids, max_points)

    vectors = [v for v in (_unit(c.embedding) for c in ordered) if v is not None]
    centroid = _unit(np.mean(np.stack(vectors), axis=0).tolist()) if vectors else None
    counts: dict[str, int] = {}
    for chunk in ordered:
        for term in content_terms(chunk.text):
            if not term[0].isdigit():
                counts[term] = counts.get(term, 0) + 1
    top_terms = frozenset(t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:20])

    def relevance_of(chunk: Chunk, terms: frozenset[str]) -> float:
        lexical = len(terms & top_terms) / len(terms) if terms else 0.0
        embedding = _unit(chunk.embedding)
        if centroid is None or embedding is None or embedding.shape != centroid.shape:
            return lexical
        return DENSE_WEIGHT * float(np.dot(embedding, centroid)) + LEXICAL_WEIGHT * lexical

    sentences = _sentences(ordered, relevance_of, finder)
    selected = _mmr(_cluster(sentences), max_points, SUMMARY_MMR_LAMBDA)
    pages = sorted({c.page for c in ordered})
    sections, citations = _assemble(_page_sections(selected, pages))
    title = (first.title or first.filename) if first else ""
    return _finish(
        title=f"Resumen: {title}" if title else "Resumen",
        request=request,
        index_state=index_state,
        now=now,
        sections=sections,
        citations=citations,
    )
