"""Commitments register evaluation: `python -m corpus.commitments_eval [RECORDS_DIR] [GOLD_JSON]`.

Extracts commitments from every page of the sample records, deduplicates and links them, and scores them
against the hand-labelled gold list (`commitments_gold.json`): precision, recall and F1 of extraction, pairwise
F1 of linking, plus the pledged totals per actor and currency.

Page text: a .txt/.md file is one page (split on form feeds if it has any); a PDF page is pypdf's
`extract_text()` of that page. Text is lightly normalized (spaces collapsed within lines, hyphenated line breaks
joined) as the ingestion cleaner would; quotes and offsets index that normalized page text.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from indexing.commitments.evaluate import evaluate_extraction, evaluate_linking, totals_by_actor
from indexing.commitments.extract import (
    Commitment,
    deduplicate,
    detect_event,
    event_date,
    extract_commitments,
    find_record_date,
)
from indexing.commitments.link import Chain, link_commitments

HERE = Path(__file__).resolve().parent


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def normalize_page(text: str) -> str:
    """Spaces collapsed within lines, "coope-\\nración" joined, blank-line runs kept as one blank line."""
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _strip_running_lines(texts: list[str]) -> list[str]:
    """Drop running headers and footers: first/last lines repeated (digits aside) on most pages of a PDF."""
    if len(texts) < 2:
        return texts

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip())

    counts: dict[str, int] = {}
    for t in texts:
        lines = [ln for ln in t.split("\n") if ln.strip()]
        for ln in {key(x) for x in lines[:2] + lines[-2:]}:
            counts[ln] = counts.get(ln, 0) + 1
    running = {k for k, n in counts.items() if n >= max(2, len(texts) - 1)}
    return ["\n".join(ln for ln in t.split("\n") if key(ln) not in running).strip() for t in texts]


def load_pages(records_dir: Path) -> list[tuple[str, str, int, str]]:
    """(document_id, filename, page, text) for every page of every record, in file order."""
    pages = []
    for path in sorted(records_dir.iterdir()):
        data = path.read_bytes()
        doc_id = hashlib.sha256(data).hexdigest()[:16]
        if path.suffix.lower() == ".pdf":
            from pypdf import PdfReader

            texts = [normalize_page(p.extract_text() or "") for p in PdfReader(path).pages]
            for i, text in enumerate(_strip_running_lines(texts), start=1):
                pages.append((doc_id, path.name, i, text))
        elif path.suffix.lower() in (".txt", ".md"):
            for i, part in enumerate(_decode(data).split("\f"), start=1):
                pages.append((doc_id, path.name, i, normalize_page(part)))
    return pages


def extract_corpus(records_dir: Path) -> list[Commitment]:
    """Deduplicated commitments of every record of `records_dir`."""
    pages = load_pages(records_dir)
    dates: dict[str, str | None] = {}
    events: dict[str, str | None] = {}
    for doc_id, _, _, text in pages:
        if doc_id not in dates:
            # Record metadata as ingestion would set it: the first date and the conference named in the head of
            # the first page, if the record is dated at that conference (a follow-up report is not).
            dates[doc_id] = find_record_date(text)
            event = detect_event(text[:400], window=300)
            gap = _days(event_date(event), dates[doc_id])
            events[doc_id] = event if gap is not None and 0 <= gap <= 20 else None
    out: list[Commitment] = []
    for doc_id, filename, page, text in pages:
        out.extend(extract_commitments(text, document_id=doc_id, filename=filename, page=page, date=dates[doc_id],
                                       event=events[doc_id]))
    return deduplicate(out)


def _days(a: str | None, b: str | None) -> int | None:
    from datetime import date

    if not a or not b:
        return None
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def run(records_dir: Path | str, gold_path: Path | str) -> dict[str, Any]:
    """Score extraction and linking of `records_dir` against the gold file.

    :returns: {"precision", "recall", "f1", "linking_f1", "commitments", "chains", "totals", "false_positives",
        "missed", ...}.
    """
    gold_data = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    gold = gold_data["commitments"]
    links = [[gold[i] for i in group] for group in gold_data.get("links", [])]
    commitments = extract_corpus(Path(records_dir))
    chains: list[Chain] = link_commitments(commitments)
    scores = evaluate_extraction(commitments, gold)
    scores["linking_f1"] = evaluate_linking(chains, links, gold)
    scores["commitments"] = len(commitments)
    scores["chains"] = len(chains)
    scores["totals"] = totals_by_actor(commitments, chains)
    scores["disbursement"] = {
        f"{ch.actor} {ch.pledged or ch.disbursed:,.0f} {ch.currency}": ch.disbursement_status
        for ch in chains if len(ch.stages) > 1
    }
    return scores


def main(argv: list[str]) -> int:
    records = Path(argv[0]) if argv else HERE / "records"
    gold = Path(argv[1]) if len(argv) > 1 else HERE / "commitments_gold.json"
    scores = run(records, gold)
    print(f"precision {scores['precision']:.3f}  recall {scores['recall']:.3f}  f1 {scores['f1']:.3f}  "
          f"linking F1 {scores['linking_f1']:.3f}  ({scores['tp']} tp, {scores['fp']} fp, {scores['fn']} fn; "
          f"{scores['commitments']} commitments, {scores['chains']} chains)")
    for fp in scores["false_positives"]:
        print("  FP", fp["filename"], sorted(fp["pages"]), fp["actor"], fp["amount"], fp["currency"])
    for g in scores["missed"]:
        print("  FN", g["filename"], g.get("pages") or g["page"], g["actor"], g["amount"], g["currency"])
    for key, status in scores["disbursement"].items():
        print("  chain", key, "→", status)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
