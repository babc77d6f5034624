"""Commitments register evaluation: `python -m corpus.commitments_eval [RECORDS_DIR] [GOLD_JSON] [MANIFEST_JSON]`.

Without arguments, scores the dev part and the check part side by side (precision, recall, linking, equivalence
and qualifier accuracy, totals, non-commitments extracted) and lists the dev failures only.

Runs the REAL ingestion conversion and cleaning on every record (content sniffing → `PdfPagesConverter` /
`TextPagesConverter` → `SpanishDocumentCleaner` → `RecordMetadataExtractor` with the manifest's metadata; no
embedding), extracts each record's commitments exactly as indexing does (`indexing.register.extract_for_record`),
merges and links them exactly as the register does at query time (`indexing.register.build_view`), and scores them
against the hand-labelled gold list (`commitments_gold.json`): precision, recall and F1 of extraction, pairwise F1
of linking, plus the pledged totals per actor and currency. Quotes and offsets index the cleaned page text, so the
script also checks that every quote is the exact text of its page at its offsets.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from haystack import Document
from haystack.dataclasses import ByteStream

from corpus.commitments_scoring import (
    evaluate_details,
    evaluate_extraction,
    evaluate_totals,
    linking_scores,
    non_commitments_extracted,
    totals_by_actor,
)
from indexing import constants as K
from indexing.commitments.link import link_commitments
from indexing.commitments.model import Commitment
from indexing.components.docx_pages_converter import DocxPagesConverter
from indexing.components.metadata_extractor import RecordMetadataExtractor
from indexing.components.pdf_pages_converter import PdfPagesConverter
from indexing.components.sniffer import DOCX, ODT, PDF, sniff_content_type
from indexing.components.spanish_cleaner import SpanishDocumentCleaner
from indexing.components.text_pages_converter import TextPagesConverter
from indexing.ids import document_id
from indexing.ingest import safe_filename, validate_metadata
from indexing.register import build_view, commitment_from_payload, extract_for_record
from indexing.types import DocumentRecord

HERE = Path(__file__).resolve().parent
_META_KEYS = ("title", "date", "conference", "doc_type", "tags")
_SUFFIXES = (".pdf", ".txt", ".md", ".docx", ".odt")


def cleaned_pages(data: bytes, filename: str, metadata: dict[str, Any] | None = None) -> list[Document]:
    """The cleaned page Documents of one record, exactly as the ingestion pipeline hands them to the chunker.

    :param data: the file's bytes.
    :param filename: its name.
    :param metadata: upload metadata (title, date, conference, doc_type, tags).
    :raises CompromisosError: the same errors as an upload (unsupported type, damaged PDF...).
    """
    name = safe_filename(filename)
    mime = sniff_content_type(data, name)
    stream = ByteStream(data=data, mime_type=mime, meta={K.FILENAME: name, K.DOCUMENT_ID: document_id(data)})
    converter: PdfPagesConverter | DocxPagesConverter | TextPagesConverter
    if mime == PDF:
        converter = PdfPagesConverter()
    elif mime in (DOCX, ODT):
        converter = DocxPagesConverter()
    else:
        converter = TextPagesConverter()
    pages = converter.run(sources=[stream])["documents"]
    pages = SpanishDocumentCleaner().run(documents=pages)["documents"]
    return RecordMetadataExtractor().run(documents=pages, meta=validate_metadata(metadata))["documents"]


def record_of(pages: list[Document], data: bytes, filename: str) -> DocumentRecord:
    """The registry entry ingestion builds for these pages."""
    first = pages[0].meta
    return DocumentRecord(
        id=document_id(data),
        filename=safe_filename(filename),
        title=first.get(K.TITLE) or filename,
        pages=len(pages),
        chunks=0,
        date=first.get(K.DATE),
        conference=first.get(K.CONFERENCE),
        doc_type=first.get(K.DOC_TYPE),
        tags=tuple(first.get(K.TAGS) or ()),
    )


def _manifest(path: Path | None) -> dict[str, dict[str, Any]]:
    if path is None or not path.exists():
        return {}
    return {r["filename"]: r for r in json.loads(path.read_text(encoding="utf-8"))["records"]}


@lru_cache(maxsize=4)
def _record_payloads(
    records_dir: Path, manifest_path: Path | None
) -> tuple[tuple[dict[str, Any], ...], tuple[str, ...]]:
    payloads, problems = _extract_payloads(records_dir, manifest_path)
    return tuple(payloads), tuple(problems)


def record_payloads(records_dir: Path, manifest_path: Path | None = None) -> list[dict[str, Any]]:
    """The register entries of every record of `records_dir`, each merged within its record only."""
    return [dict(p) for p in _record_payloads(records_dir, manifest_path)[0]]


def extract_corpus(records_dir: Path, manifest_path: Path | None = None) -> tuple[list[Commitment], list[str]]:
    """Commitments of every record of `records_dir`, merged across records as the register does.

    :returns: (deduplicated commitments, problems found: quotes that are not the page text at their offsets).
    """
    payloads, problems = _record_payloads(records_dir, manifest_path)
    view = build_view([dict(p) for p in payloads])
    return list(view.commitments.values()), list(problems)


def _extract_payloads(records_dir: Path, manifest_path: Path | None) -> tuple[list[dict[str, Any]], list[str]]:
    manifest = _manifest(manifest_path)
    payloads: list[dict[str, Any]] = []
    problems: list[str] = []
    for path in sorted(p for p in records_dir.iterdir() if p.is_file() and p.suffix.lower() in _SUFFIXES):
        data = path.read_bytes()
        m = manifest.get(path.name, {})
        pages = cleaned_pages(data, path.name, {k: m[k] for k in _META_KEYS if m.get(k) is not None})
        record = record_of(pages, data, path.name)
        texts = {int(p.meta[K.PAGE]): p.content or "" for p in pages}
        for entry in extract_for_record(pages, record):
            for s in entry["sources"]:
                if texts.get(s["page"], "")[s["char_start"] : s["char_end"]] != s["quote"]:
                    problems.append(f"{path.name} p. {s['page']}: quote is not the page text at its offsets")
            payloads.append({**entry, "document_id": record.id})
    return payloads, problems


def _record_names(records_dir: Path) -> set[str]:
    return {p.name for p in records_dir.iterdir() if p.is_file() and p.suffix.lower() in _SUFFIXES}


def _gold_of(gold_data: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """The gold of the records named `names` only, so a directory holding part of a split (a new batch) is scored
    against its own labels: commitments, totals and non-commitments of other records are left out, and `links`
    become groups of gold dicts restricted to the records kept (groups left with one entry link nothing)."""
    commitments = gold_data["commitments"]
    links = [[commitments[i] for i in group if commitments[i]["filename"] in names] for group in gold_data["links"]]
    return {
        "commitments": [g for g in commitments if g["filename"] in names],
        "links": [group for group in links if len(group) > 1],
        "totals": [t for t in gold_data.get("totals", []) if t["filename"] in names],
        "non_commitments": [n for n in gold_data.get("non_commitments", []) if n["filename"] in names],
    }


def run(records_dir: Path | str, gold_path: Path | str, manifest_path: Path | str | None = None) -> dict[str, Any]:
    """Score extraction and linking of `records_dir` against the gold file.

    :param records_dir: directory of records (PDF, TXT, MD, DOCX, ODT).
    :param gold_path: the gold list (`commitments_gold.json`).
    :param manifest_path: record metadata (conference, date...); defaults to `manifest.json` next to `records_dir`.
    :returns: {"precision", "recall", "f1", "tp", "fp", "fn", "linking_f1", "equivalence_accuracy",
        "qualifier_accuracy", "totals_marked", "totals_as_pledge", "non_commitments_extracted",
        "people_or_percentages_extracted", "commitments", "chains", "totals", "disbursement", "quote_problems",
        "false_positives", "missed", ...}.
    """
    records_dir = Path(records_dir)
    manifest = Path(manifest_path) if manifest_path else records_dir.parent / "manifest.json"
    gold_data = _gold_of(json.loads(Path(gold_path).read_text(encoding="utf-8")), _record_names(records_dir))
    gold = gold_data["commitments"]
    links = gold_data["links"]
    commitments, problems = extract_corpus(records_dir, manifest)
    chains = link_commitments(commitments)
    scores = evaluate_extraction(commitments, gold)
    linking = linking_scores(chains, links, gold)
    scores["linking_f1"] = linking["f1"]
    scores["linking_precision"] = linking["precision"]
    scores["linking_recall"] = linking["recall"]
    # equivalents and qualifiers are labelled per record: score them on each record's own entries
    per_record = [commitment_from_payload(p) for p in record_payloads(records_dir, manifest)]
    scores.update(evaluate_details(per_record, gold))
    scores.update(evaluate_totals(commitments, gold_data.get("totals", [])))
    extracted = non_commitments_extracted(commitments, gold_data.get("non_commitments", []), gold)
    scores["non_commitments"] = len(gold_data.get("non_commitments", []))
    scores["non_commitments_extracted"] = sum(extracted.values())
    scores["people_or_percentages_extracted"] = extracted.get("people", 0) + extracted.get("percentage", 0)
    scores["non_commitments_by_kind"] = extracted
    scores["commitments"] = len(commitments)
    scores["chains"] = len(chains)
    scores["totals"] = totals_by_actor(commitments, chains)
    scores["disbursement"] = {
        f"{ch.actor} {ch.pledged or ch.disbursed:,.0f} {ch.currency}": ch.disbursement_status
        for ch in chains
        if len(ch.stages) > 1
    }
    scores["quote_problems"] = problems
    return scores


_SIDE_BY_SIDE = (
    ("precision", "precision"),
    ("recall", "recall"),
    ("f1", "f1"),
    ("linking_f1", "linking F1"),
    ("linking_precision", "linking precision"),
    ("linking_recall", "linking recall"),
    ("equivalence_accuracy", "equivalence accuracy"),
    ("qualifier_accuracy", "qualifier accuracy"),
    ("qualifier_found", "qualifiers found"),
    ("qualifier_gold", "qualifiers labelled"),
    ("equivalence_found", "equivalents found"),
    ("equivalence_gold", "equivalents labelled"),
    ("totals_marked", "totals marked is_total"),
    ("totals_as_pledge", "totals taken as pledges"),
    ("non_commitments_extracted", "non-commitments extracted"),
    ("people_or_percentages_extracted", "people counts / percentages extracted"),
    ("tp", "tp"),
    ("fp", "fp"),
    ("fn", "fn"),
)


def side_by_side() -> dict[str, dict[str, Any]]:
    """Scores of the dev part (`corpus/records`, for tuning) and of the check part (`corpus/holdout`, never tuned
    on), as {"dev": scores, "check": scores}."""
    return {
        "dev": run(HERE / "records", HERE / "commitments_gold.json", HERE / "manifest.json"),
        "check": run(HERE / "holdout" / "records", HERE / "holdout" / "commitments_gold.json"),
    }


def _print_side_by_side(parts: dict[str, dict[str, Any]]) -> None:
    print(f"{'':40} {'dev':>8} {'check':>8}")
    for key, label in _SIDE_BY_SIDE:
        row = [parts[p][key] for p in ("dev", "check")]
        cells = [f"{v:8.3f}" if isinstance(v, float) else f"{v:8d}" for v in row]
        print(f"{label:40} {cells[0]} {cells[1]}")
    print("(dev failures only below: the check part is never looked at for tuning)")
    _print_failures(parts["dev"])


def _print_failures(scores: dict[str, Any]) -> None:
    for fp in scores["false_positives"]:
        print("  FP", fp["filename"], sorted(fp["pages"]), fp["actor"], fp["amount"], fp["currency"])
    for g in scores["missed"]:
        print("  FN", g["filename"], g.get("pages") or g["page"], g["actor"], g["amount"], g["currency"])
    for detail in scores["wrong_details"]:
        print("  DETAIL", detail)
    for problem in scores["quote_problems"]:
        print("  QUOTE", problem)


def main(argv: list[str]) -> int:
    if not argv:
        _print_side_by_side(side_by_side())
        return 0
    records = Path(argv[0])
    gold = Path(argv[1]) if len(argv) > 1 else HERE / "commitments_gold.json"
    manifest = Path(argv[2]) if len(argv) > 2 else None
    scores = run(records, gold, manifest)
    print(
        f"precision {scores['precision']:.3f}  recall {scores['recall']:.3f}  f1 {scores['f1']:.3f}  "
        f"linking F1 {scores['linking_f1']:.3f} "
        f"(P {scores['linking_precision']:.3f} R {scores['linking_recall']:.3f})  "
        f"equivalence {scores['equivalence_accuracy']:.3f}  "
        f"qualifier {scores['qualifier_accuracy']:.3f}  ({scores['tp']} tp, {scores['fp']} fp, {scores['fn']} fn; "
        f"{scores['commitments']} commitments, {scores['chains']} chains; non-commitments extracted "
        f"{scores['non_commitments_extracted']}/{scores['non_commitments']}, people counts / percentages "
        f"{scores['people_or_percentages_extracted']}; totals marked "
        f"{scores['totals_marked']}/{scores['totals_gold']}; "
        f"qualifiers found {scores['qualifier_found']}/{scores['qualifier_gold']}, equivalents found "
        f"{scores['equivalence_found']}/{scores['equivalence_gold']})"
    )
    _print_failures(scores)
    for key, status in scores["disbursement"].items():
        print("  chain", key, "→", status)
    for actor, totals in sorted(scores["totals"].items()):
        print("  total", actor, ", ".join(f"{cur} {amount:,.0f}" for cur, amount in sorted(totals.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
