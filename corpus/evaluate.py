"""Evaluation: `python -m corpus.evaluate [--calibrate] [--failures dev] [--json PATH] [--data-dir D]`.

Indexes the dev records (`corpus/records`) AND the check records (`corpus/holdout/records`) into one embedded
store, then runs the dev questions (`corpus/dev_eval.jsonl`) and the check questions (`corpus/holdout/eval.jsonl`)
against that union and prints both side by side, overall and per question type. The union is the realistic
setting: a person asks an archive that holds both parts, so every check question must also resist the dev
records' overlapping donors, meetings and conferences (and vice versa).

The check part is written before tuning and never used to tune: no weight or threshold is fitted on it, and
`--failures` lists dev failures only.

A record *answers* a question when it is the gold record or one of its `also` entries (other records stating the
same fact). Measures:

- search: a record that answers in the top 5 chunks; MRR@10 of the first such chunk;
- ask citation: a citation from a record that answers;
- ask page: a citation on the page that states it, over questions with a PDF record among those that answer;
- ask facts: the answer's quotes state the fact of the gold (or an `also`) quote: every number of that quote and
  at least half of its content terms;
- abstention: unanswerable questions answered with `found: false`; wrongly abstained: answerable ones;
- confidence reliability: mean confidence and share correct per confidence bin (correct = a citation from an
  answering record for answerable questions, abstention for unanswerable ones);
- ask latency p50/p95;
- plus the briefing (dev topics) and commitments register measures.

`corpus` must not import `service`; it drives `indexing.engine.Engine` directly.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import indexing  # noqa: F401
from indexing.engine import Engine
from indexing.query.answer import PassageEvidence
from indexing.settings import Settings

HERE = Path(__file__).resolve().parent
DEV = HERE
CHECK = HERE / "holdout"
SPLITS = {"dev": (DEV, DEV / "dev_eval.jsonl"), "check": (CHECK, CHECK / "eval.jsonl")}


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
    """The cited text states the gold quote's fact: every number of the gold quote and at least half of its content
    terms are in it."""
    from indexing.text.tokens import content_terms

    numbers = set(_NUMBER_RE.findall(gold))
    gold_terms = set(content_terms(gold))
    have = set(content_terms(cited))
    return numbers <= set(_NUMBER_RE.findall(cited)) and len(gold_terms & have) >= 0.5 * len(gold_terms)


def sources(q: dict[str, Any]) -> list[dict[str, Any]]:
    """The gold source and its `also` entries: every {filename, page, quote} that states the fact."""
    if not q.get("answerable", True):
        return []
    return [{"filename": q["filename"], "page": q["page"], "quote": q["quote"]}, *q.get("also", [])]


def _ratio(num: float, den: int) -> float | None:
    return round(num / den, 3) if den else None


def evaluate(engine: Engine, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Run every question through search and ask. :returns: the measures, per type under `_by_type`, plus the raw
    evidence (`_evidences`), confidence points (`_confidence`) and failure lines (`_failures`)."""
    rows: list[dict[str, Any]] = []
    evidences: list[tuple[bool, list[PassageEvidence]]] = []
    failures: list[str] = []
    for q in questions:
        t0 = time.perf_counter()
        found = engine.search(q["question"], top_k=10)
        search_ms = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        ans = engine.ask(q["question"])
        ask_ms = (time.perf_counter() - t0) * 1000
        answerable = q.get("answerable", True)
        evidences.append(
            (answerable, engine.answerer.passage_evidence(q["question"], found.query_embedding, found.chunks))
        )
        row: dict[str, Any] = {
            "score": ans.evidence.get("score") if ans.found and "register" not in ans.evidence else None,
            "register": ans.found and "register" in ans.evidence,
            "type": q.get("type", "other"),
            "answerable": answerable,
            "ask_ms": ask_ms,
            "search_ms": search_ms,
            "found": ans.found,
            "confidence": float(getattr(ans, "confidence", 1.0 if ans.found else 0.0)),
        }
        if not answerable:
            row["abstain_ok"] = not ans.found
            row["correct"] = not ans.found
            if ans.found:
                c = ans.citations[0]
                failures.append(f"{q['id']} debió abstenerse: {c.filename} p{c.page}: {c.quote[:90]}")
            rows.append(row)
            continue
        src = sources(q)
        files = {s["filename"] for s in src}
        pages = {(s["filename"], s["page"]) for s in src}
        doc_hits = [c.filename in files for c in found.chunks]
        row["search5"] = any(doc_hits[:5])
        row["mrr"] = next((1 / (i + 1) for i, h in enumerate(doc_hits[:10]) if h), 0.0)
        row["pdf"] = any(f.endswith(".pdf") for f in files)
        row["false_abstain"] = not ans.found
        cited = ans.citations if ans.found else []
        row["cite_ok"] = any(c.filename in files for c in cited)
        row["page_ok"] = any((c.filename, c.page) in pages for c in cited)
        joined = " ".join(c.quote for c in cited)
        row["fact_ok"] = bool(cited) and any(states_gold_fact(joined, s["quote"]) for s in src)
        row["correct"] = row["cite_ok"]
        if not ans.found:
            failures.append(f"{q['id']} se abstuvo: {ans.answer[:120]}")
        elif not (row["cite_ok"] and row["page_ok"] and row["fact_ok"]):
            c = cited[0]
            failures.append(
                f"{q['id']} [{row['type']}] citó {c.filename} p{c.page} ({c.quote[:80]}), oro {q['filename']} "
                f"p{q['page']} cita={row['cite_ok']} pág={row['page_ok']} hechos={row['fact_ok']}"
            )
        rows.append(row)
    report = summarize(rows)
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_type[r["type"]].append(r)
    report["_by_type"] = {t: summarize(rs) for t, rs in sorted(by_type.items())}
    report["_evidences"] = evidences
    report["_confidence"] = [(r["confidence"], bool(r["correct"])) for r in rows]
    report["_scores"] = [(r["score"], bool(r["correct"])) for r in rows if r["score"] is not None]
    report["_register"] = [bool(r["correct"]) for r in rows if r["register"]]
    report["_abstentions"] = [bool(r["correct"]) for r in rows if not r["found"]]
    report["_failures"] = failures
    return report


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]
    pdf = [r for r in ans if r["pdf"]]
    ask_ms = [r["ask_ms"] for r in rows]
    return {
        "questions": len(rows),
        "answerable": len(ans),
        "unanswerable": len(una),
        "search_answering_record@5": _ratio(sum(r["search5"] for r in ans), len(ans)),
        "search_mrr@10": _ratio(sum(r["mrr"] for r in ans), len(ans)),
        "ask_citation_answering_record": _ratio(sum(r["cite_ok"] for r in ans), len(ans)),
        "ask_page_states_it_pdf": _ratio(sum(r["page_ok"] for r in pdf), len(pdf)),
        "ask_facts_in_quotes": _ratio(sum(r["fact_ok"] for r in ans), len(ans)),
        "abstention_unanswerable": _ratio(sum(r["abstain_ok"] for r in una), len(una)),
        "wrongly_abstained": _ratio(sum(r["false_abstain"] for r in ans), len(ans)),
        "ask_latency_ms_p50": round(pct(ask_ms, 0.5), 1),
        "ask_latency_ms_p95": round(pct(ask_ms, 0.95), 1),
        "search_latency_ms_p50": round(pct([r["search_ms"] for r in rows], 0.5), 1),
    }


def reliability(points: list[tuple[float, bool]], bins: int = 5) -> tuple[list[str], float]:
    """Reliability of the confidence: per bin, count, mean confidence and share correct; and the expected
    calibration error (count-weighted |confidence − accuracy|)."""
    lines, ece, n = [], 0.0, max(1, len(points))
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        members = [(c, ok) for c, ok in points if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not members:
            continue
        mean_c = sum(c for c, _ in members) / len(members)
        acc = sum(ok for _, ok in members) / len(members)
        ece += len(members) / n * abs(mean_c - acc)
        lines.append(f"[{lo:.1f},{hi:.1f}) n={len(members)} confianza={mean_c:.2f} acierto={acc:.2f}")
    return lines, round(ece, 3)


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
    list (`commitments_gold.json` of the dev or check corpus), on the text the real ingestion cleaner produces."""
    from corpus.commitments_eval import run

    result = run(base / "records", base / "commitments_gold.json", base / "manifest.json")
    return {
        f"commitments_{k}": round(v, 3) if isinstance(v, float) else v
        for k, v in result.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }


def calibrate(evidences: list[tuple[bool, list[PassageEvidence]]]) -> tuple[float, float, float, float]:
    """Grid search of (min_dense, min_coverage, min_key_coverage) maximizing balanced accuracy (answerable
    questions answered, unanswerable ones abstained) on the dev questions; ties keep the loosest thresholds.

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


def calibrate_confidence(scores: list[tuple[float, bool]]) -> tuple[float, float, float]:
    """Logistic confidence of extractive answers, fit on the dev questions by grid search of (slope, midpoint)
    minimizing the log-loss of "cites a record that answers". :returns: (slope, midpoint, log-loss)."""
    import math

    best = (0.0, 0.0, float("inf"))
    for slope in [x / 4 for x in range(1, 41)]:
        for mid in [x / 20 for x in range(0, 81)]:
            loss = 0.0
            for score, ok in scores:
                p = min(1 - 1e-6, max(1e-6, 1 / (1 + math.exp(-slope * (score - mid)))))
                loss -= math.log(p if ok else 1 - p)
            if loss < best[2]:
                best = (slope, mid, loss)
    return best[0], best[1], round(best[2] / max(1, len(scores)), 4)


def smoothed_share(outcomes: list[bool]) -> float:
    """Laplace-smoothed share of right outcomes, (right + 1) / (n + 2): a small sample all right is not certainty."""
    return (sum(outcomes) + 1) / (len(outcomes) + 2)


def _passes(passages: list[PassageEvidence], d: float, c: float, k: float) -> bool:
    # As the answerer decides: one passage must reach every threshold.
    return any(e.dense >= d and e.coverage >= c and e.key_coverage >= k for e in passages)


def _fmt(v: Any) -> str:
    return "-" if v is None else str(v)


def print_side_by_side(reports: dict[str, dict[str, Any]]) -> None:
    names = list(reports)
    keys = [k for k in reports[names[0]] if not k.startswith("_")]
    print(f"{'measure':34s} " + " ".join(f"{n:>10s}" for n in names))
    for k in keys:
        print(f"{k:34s} " + " ".join(f"{_fmt(reports[n].get(k)):>10s}" for n in names))
    shown = (
        "search_answering_record@5",
        "ask_citation_answering_record",
        "ask_page_states_it_pdf",
        "ask_facts_in_quotes",
        "abstention_unanswerable",
        "wrongly_abstained",
        "ask_latency_ms_p95",
    )
    short = ("srch@5", "cite", "page", "facts", "abst", "wrong", "p95")
    for n in names:
        print(f"\n{n} per type: n(ans/una) " + " ".join(f"{s:>6s}" for s in short))
        for t, r in reports[n]["_by_type"].items():
            head = f"  {t:12s} {r['answerable']:>3d}/{r['unanswerable']:<3d}"
            print(head + " " * 8 + " ".join(f"{_fmt(r[k]):>6s}" for k in shown))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus.evaluate")
    parser.add_argument("--calibrate", action="store_true", help="Print the best abstention thresholds (dev only).")
    parser.add_argument("--data-dir", type=Path, default=None, help="Reuse an index (default: a temp dir).")
    parser.add_argument("--failures", action="store_true", help="List the dev questions that failed.")
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures to this JSON file.")
    parser.add_argument("--only", choices=tuple(SPLITS), default=None, help="Run one split's questions only.")
    parser.add_argument("--no-extras", action="store_true", help="Skip the briefing and commitments measures.")
    args = parser.parse_args(argv)

    reports: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=args.data_dir or Path(tmp))
        engine = Engine.open(settings)
        try:
            total, secs = 0, 0.0
            for base, _ in SPLITS.values():
                n, s = index_corpus(engine, base / "records", base / "manifest.json")
                total, secs = total + n, secs + s
            print(f"Indexed {total} records, dev + check ({engine.store.count_chunks()} chunks) in {secs:.1f} s")
            for name, (_, qpath) in SPLITS.items():
                if args.only in (None, name):
                    reports[name] = evaluate(engine, load_questions(qpath))
            extras: dict[str, Any] = {}
            if not args.no_extras:
                extras = evaluate_briefings(engine, DEV / "briefing_eval.json")
        finally:
            engine.close()
    print_side_by_side(reports)
    for name, rep in reports.items():
        lines, ece = reliability(rep["_confidence"])
        print(f"\n{name} confidence reliability (ECE {ece}):")
        for line in lines:
            print("  " + line)
        rep["confidence_ece"] = ece
    if not args.no_extras:
        per_topic = extras.pop("_per_topic", [])
        print()
        for key, value in extras.items():
            print(f"{key:34s} {value}")
        for name, (base, _) in SPLITS.items():
            for key, value in evaluate_commitments(base).items():
                print(f"{name} {key:30s} {value}")
    if args.calibrate and "dev" in reports:
        d, c, k, score = calibrate(reports["dev"]["_evidences"])
        print(
            f"calibrated (dev) ABSTAIN_MIN_DENSE={d:.3f} ABSTAIN_MIN_COVERAGE={c:.2f} "
            f"ABSTAIN_MIN_KEY_COVERAGE={k:.2f} (balanced accuracy {score:.3f})"
        )
    if args.calibrate and "dev" in reports:
        dev = reports["dev"]
        slope, mid, loss = calibrate_confidence(dev["_scores"])
        reg, abst = dev["_register"], dev["_abstentions"]
        print(
            f"calibrated (dev) CONFIDENCE_SLOPE={slope} CONFIDENCE_MIDPOINT={mid} (log-loss {loss}); "
            f"REGISTER_CONFIDENCE={smoothed_share(reg):.2f} (n={len(reg)}); "
            f"ABSTENTION_CONFIDENCE={smoothed_share(abst):.2f} (n={len(abst)})"
        )
    if args.failures and "dev" in reports:
        print("\ndev failures:")
        for line in reports["dev"]["_failures"]:
            print("  " + line)
        if not args.no_extras:
            for line in per_topic:
                print("  " + line)
    if args.json:
        out = {n: {k: v for k, v in r.items() if not k.startswith("_") or k == "_by_type"} for n, r in reports.items()}
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
