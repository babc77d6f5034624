"""Dev evaluation: `python -m corpus.evaluate [--holdout] [--calibrate] [--data-dir D]`.

Indexes the sample corpus (or the hold-out corpus) into an embedded store, then prints:

- search: recall@5 and MRR@10 (a hit = the gold record and page), plus record-level recall@5;
- ask: citation accuracy (first citation from the gold record), page accuracy (gold record and page), quote
  accuracy (the cited quote overlaps the gold quote), abstention accuracy on unanswerable questions and the
  false-abstention rate on answerable ones;
- latency p50/p95 of search and ask;
- with `--calibrate`: the abstention thresholds that best separate answerable from unanswerable questions.

`corpus` must not import `service`; it drives `indexing.engine.Engine` directly.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import indexing  # noqa: F401
from indexing.answer import PassageEvidence
from indexing.engine import Engine
from indexing.settings import Settings

HERE = Path(__file__).resolve().parent


def _norm(text: str) -> str:
    return " ".join(text.split())


def load_questions(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def index_corpus(engine: Engine, records: Path, manifest: Path) -> tuple[int, float]:
    meta = {r["filename"]: r for r in json.loads(manifest.read_text(encoding="utf-8"))["records"]}
    keys = ("title", "date", "conference", "doc_type", "tags")
    t0 = time.perf_counter()
    n = 0
    for path in sorted(p for p in records.iterdir() if p.is_file()):
        m = meta.get(path.name, {})
        engine.indexer.ingest(path.read_bytes(), path.name, {k: m[k] for k in keys if m.get(k) is not None})
        n += 1
    return n, time.perf_counter() - t0


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


def states_gold_fact(cited: str, gold: str) -> bool:
    """The cited quote states the gold quote's fact, whichever record it comes from: every number of the gold quote
    and at least half of its content terms are in it (the same pledge is often in a table, a press release and the
    minutes)."""
    from indexing.text.tokens import content_terms

    numbers = set(_NUMBER_RE.findall(gold))
    gold_terms = set(content_terms(gold))
    have = set(content_terms(cited))
    return numbers <= set(_NUMBER_RE.findall(cited)) and len(gold_terms & have) >= 0.5 * len(gold_terms)


def quote_overlaps(cited: str, gold: str) -> bool:
    a, b = _norm(cited), _norm(gold)
    return a in b or b in a or (len(b) > 30 and b[:30] in a)


def evaluate(engine: Engine, questions: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [q for q in questions if q.get("answerable", True)]
    unanswerable = [q for q in questions if not q.get("answerable", True)]
    rec5 = rec5_doc = mrr = 0.0
    search_ms: list[float] = []
    ask_ms: list[float] = []
    cite_ok = page_ok = quote_ok = fact_ok = false_abstain = 0
    abstain_ok = 0
    evidences: list[tuple[bool, list[PassageEvidence]]] = []
    failures: list[str] = []
    for q in questions:
        t0 = time.perf_counter()
        found = engine.search(q["question"], top_k=10)
        search_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        ans = engine.ask(q["question"])
        ask_ms.append((time.perf_counter() - t0) * 1000)
        is_answerable = q.get("answerable", True)
        evidences.append(
            (is_answerable, engine.answerer.passage_evidence(q["question"], found.query_embedding, found.chunks))
        )
        if not is_answerable:
            abstain_ok += int(not ans.found)
            if ans.found:
                failures.append(f"{q['id']} debió abstenerse: {ans.citations[0].filename} p{ans.citations[0].page}")
            continue
        hits = [(c.filename == q["filename"] and c.page == q["page"]) for c in found.chunks]
        rec5 += any(hits[:5])
        rec5_doc += any(c.filename == q["filename"] for c in found.chunks[:5])
        mrr += next((1 / (i + 1) for i, h in enumerate(hits[:10]) if h), 0.0)
        if not ans.found:
            false_abstain += 1
            failures.append(f"{q['id']} se abstuvo (evidencia {ans.evidence})")
            continue
        first = ans.citations[0]
        cite_ok += first.filename == q["filename"]
        page_ok += first.filename == q["filename"] and first.page == q["page"]
        quote_ok += any(c.filename == q["filename"] and quote_overlaps(c.quote, q["quote"]) for c in ans.citations)
        fact_ok += any(
            quote_overlaps(c.quote, q["quote"]) or states_gold_fact(c.quote, q["quote"]) for c in ans.citations
        )
        if first.filename != q["filename"] or first.page != q["page"]:
            failures.append(f"{q['id']} citó {first.filename} p{first.page}, oro {q['filename']} p{q['page']}")
    na, nu = max(1, len(answerable)), max(1, len(unanswerable))
    return {
        "questions": len(questions),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "search_recall@5": round(rec5 / na, 3),
        "search_recall@5_record": round(rec5_doc / na, 3),
        "search_mrr@10": round(mrr / na, 3),
        "ask_citation_accuracy": round(cite_ok / na, 3),
        "ask_page_accuracy": round(page_ok / na, 3),
        "ask_quote_accuracy": round(quote_ok / na, 3),
        "ask_gold_fact_cited": round(fact_ok / na, 3),
        "ask_false_abstention_rate": round(false_abstain / na, 3),
        "abstention_accuracy": round(abstain_ok / nu, 3),
        "search_latency_ms_p50": round(pct(search_ms, 0.5), 1),
        "search_latency_ms_p95": round(pct(search_ms, 0.95), 1),
        "ask_latency_ms_p50": round(pct(ask_ms, 0.5), 1),
        "ask_latency_ms_p95": round(pct(ask_ms, 0.95), 1),
        "_evidences": evidences,
        "_failures": failures,
    }


def evaluate_briefings(engine: Engine, path: Path) -> dict[str, Any]:
    """Key-fact coverage (share of each topic's gold facts present in the briefing) and redundancy (pairs of
    points whose embeddings have cosine > 0.9) over `briefing_eval.json`."""
    import numpy as np

    from indexing.briefing import BriefingRequest
    from indexing.types import SearchFilters

    topics = json.loads(path.read_text(encoding="utf-8"))
    coverages, redundant, pairs, points_total, ms = [], 0, 0, 0, []
    per_topic = []
    for t in topics:
        filters = t.get("filters") or {}
        t0 = time.perf_counter()
        b = engine.briefing(
            BriefingRequest(topic=t["topic"], filters=filters, max_points=8),
            SearchFilters(**filters) if filters else None,
        )
        ms.append((time.perf_counter() - t0) * 1000)
        texts = [p.text for s in b.sections for p in s.points]
        cited = " ".join(_norm(c.quote) for c in b.citations)
        got = sum(1 for fact in t["key_facts"] if _norm(fact) in cited)
        coverages.append(got / len(t["key_facts"]))
        per_topic.append(f"{got}/{len(t['key_facts'])} {t['topic']}")
        points_total += len(texts)
        if len(texts) > 1:
            vecs = np.asarray(engine.backend.embed_passages(texts), dtype=np.float32)
            sims = vecs @ vecs.T
            n = len(texts)
            pairs += n * (n - 1) // 2
            redundant += int(sum(1 for i in range(n) for j in range(i + 1, n) if sims[i, j] > 0.9))
    return {
        "briefing_topics": len(topics),
        "briefing_key_fact_coverage": round(sum(coverages) / max(1, len(coverages)), 3),
        "briefing_points": points_total,
        "briefing_redundant_pairs": f"{redundant}/{pairs}",
        "briefing_latency_ms_p50": round(pct(ms, 0.5), 1),
        "_per_topic": per_topic,
    }


def evaluate_commitments(base: Path) -> dict[str, Any]:
    """Extraction precision/recall and linking accuracy of the commitments register against the hand-labelled gold
    list (`commitments_gold.json` of the dev or hold-out corpus), on the text the real ingestion cleaner produces."""
    from corpus.commitments_eval import run

    result = run(base / "records", base / "commitments_gold.json", base / "manifest.json")
    out: dict[str, Any] = {
        f"commitments_{k}": round(v, 3) if isinstance(v, float) else v
        for k, v in result.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }
    totals = result.get("totals_by_actor") or result.get("totals") or {}
    if isinstance(totals, dict):
        shown = sorted(totals.items())
        out["commitments_totals_by_actor"] = "; ".join(
            f"{actor}: " + ", ".join(f"{cur} {amount:,.0f}" for cur, amount in sorted(cur_amounts.items()))
            for actor, cur_amounts in shown
            if isinstance(cur_amounts, dict)
        )
    return out


def calibrate(evidences: list[tuple[bool, list[PassageEvidence]]]) -> tuple[float, float, float, float]:
    """Grid search of (min_dense, min_coverage, min_key_coverage) maximizing balanced accuracy (answerable
    questions answered, unanswerable ones abstained); ties keep the loosest thresholds.

    :returns: (min_dense, min_coverage, min_key_coverage, balanced accuracy).
    """
    pos = sum(1 for a, _ in evidences if a) or 1
    neg = sum(1 for a, _ in evidences if not a) or 1
    best = (-1.0, 0.0, 0.0, 0.0)
    for k in (0.0, 0.5, 0.75, 1.0):
        for d in [x / 200 for x in range(150, 190)]:
            for c in [x / 20 for x in range(0, 21)]:
                tp = sum(1 for a, e in evidences if a and _passes(e, d, c, k))
                tn = sum(1 for a, e in evidences if not a and not _passes(e, d, c, k))
                score = (tp / pos + tn / neg) / 2
                if score > best[0] + 1e-9:
                    best = (score, d, c, k)
    return best[1], best[2], best[3], best[0]


def _passes(passages: list[PassageEvidence], d: float, c: float, k: float) -> bool:
    # As the answerer decides: one passage must reach every threshold.
    return any(e.dense >= d and e.coverage >= c and e.key_coverage >= k for e in passages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus.evaluate")
    parser.add_argument("--holdout", action="store_true", help="Evaluate on the hold-out records and questions.")
    parser.add_argument("--calibrate", action="store_true", help="Print the best abstention thresholds.")
    parser.add_argument("--data-dir", type=Path, default=None, help="Reuse an index (default: a temp dir).")
    parser.add_argument("--failures", action="store_true", help="List the questions that failed.")
    args = parser.parse_args(argv)

    base = HERE / "holdout" if args.holdout else HERE
    records, manifest = base / "records", base / "manifest.json"
    qpath = base / ("eval.jsonl" if args.holdout else "dev_eval.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=args.data_dir or Path(tmp))
        engine = Engine.open(settings)
        try:
            n, secs = index_corpus(engine, records, manifest)
            chunks = engine.store.count_chunks()
            print(f"Indexed {n} records ({chunks} chunks) in {secs:.1f} s")
            report = evaluate(engine, load_questions(qpath))
            if not args.holdout:
                report.update(evaluate_briefings(engine, HERE / "briefing_eval.json"))
            report.update(evaluate_commitments(base))
        finally:
            engine.close()
    evidences = report.pop("_evidences")
    failures = report.pop("_failures")
    per_topic = report.pop("_per_topic", [])
    for key, value in report.items():
        print(f"{key:32s} {value}")
    if args.calibrate:
        d, c, k, score = calibrate(evidences)
        print(
            f"calibrated ABSTAIN_MIN_DENSE={d:.3f} ABSTAIN_MIN_COVERAGE={c:.2f} ABSTAIN_MIN_KEY_COVERAGE={k:.2f} "
            f"(balanced accuracy {score:.3f})"
        )
    if args.failures:
        for line in failures + per_topic:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
