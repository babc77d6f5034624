"""Verify the corpus manifests and evaluation sets.

Run with ``python -m corpus.check_eval``. Checks that:
* every manifest lists exactly the files of its records folder, with valid fields;
* every answerable question's quote (8-40 words) is an exact substring of the text of the cited page
  after whitespace normalization (PDF, Word and OpenDocument pages as the ingestion converters read them, two-column
  pages column by column; an image-only scan as its source text in ``scan_sources/``; a text file is page 1);
* every question has a known ``type``; the optional ``also`` list of other {filename, page, quote} that state the same
  fact is checked like the main quote;
* unanswerable questions carry no filename/page/quote;
* every briefing key fact occurs in at least one record that matches the topic's filters;
* every commitments gold entry names existing record pages, one of which writes its amount (and each equivalent),
  with a known status, qualifier and event; every `totals` and `non_commitments` text is verbatim on its page, and
  `links` index existing entries at most once.
Exits with status 1 and lists the problems if any check fails.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

from haystack.dataclasses import ByteStream

from indexing.components.docx_pages_converter import DocxPagesConverter
from indexing.components.pdf_pages_converter import PdfPagesConverter

CORPUS_DIR = Path(__file__).resolve().parent
SETS = (
    (
        CORPUS_DIR / "manifest.json",
        CORPUS_DIR / "records",
        CORPUS_DIR / "dev_eval.jsonl",
        CORPUS_DIR / "commitments_gold.json",
    ),
    (
        CORPUS_DIR / "holdout" / "manifest.json",
        CORPUS_DIR / "holdout" / "records",
        CORPUS_DIR / "holdout" / "eval.jsonl",
        CORPUS_DIR / "holdout" / "commitments_gold.json",
    ),
)
BRIEFING = CORPUS_DIR / "briefing_eval.json"
CONFERENCES = {"bruselas-2019", "conferencia-2020", "canada-2021", "bruselas-2023", None}
DOC_TYPES = {"nota_prensa", "acta", "comunicado", "tabla_compromisos", "informe_seguimiento", "carta", "convocatoria"}
DOC_TYPES |= {"memorando"}
FILTER_KEYS = {"conference", "doc_type", "date_from", "date_to"}
STATUSES = {"anunciado", "comprometido", "firmado", "desembolsado", "ejecutado"}
QUALIFIERS = {"más de", "alrededor de", "hasta"}
NUMBER_WORDS = {
    50_000_000: "cincuenta millones",
    15_000_000: "quince millones",
    40_000_000: "cuarenta millones",
    1_000_000: "un millón",
}
_MILLION_WORDS = dict(enumerate(["dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"], start=2))
# "table" and "two_column": answered only by a table row on a later page, or by the right column of a page.
QUESTION_TYPES = {"amount", "count", "date", "place", "entities", "explanation", "yesno", "table", "two_column"}


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


@cache
def page_texts(path: Path) -> tuple[str, ...]:
    """Normalized text of each page of a record (a text file has one page)."""
    if path.suffix.lower() == ".pdf":
        scan_source = path.parent.parent / "scan_sources" / f"{path.stem}.txt"
        if scan_source.exists():  # an image-only scan (corpus/make_scans.py): its quotes come from the source text
            return (normalize(scan_source.read_text(encoding="utf-8")),)
        pages = PdfPagesConverter().run(sources=[ByteStream(path.read_bytes())])["documents"]
        return tuple(normalize(p.content or "") for p in pages)  # as ingestion reads them: columns in order
    if path.suffix.lower() in (".docx", ".odt"):
        pages = DocxPagesConverter().run(sources=[ByteStream(path.read_bytes())])["documents"]
        return tuple(normalize(p.content or "") for p in pages)
    return (normalize(decode_text(path.read_bytes())),)


def check_manifest(manifest: Path, records: Path, errors: list[str]) -> set[str]:
    entries = json.loads(manifest.read_text(encoding="utf-8"))["records"]
    names = [e["filename"] for e in entries]
    on_disk = {p.name for p in records.iterdir() if p.is_file()}
    if len(names) != len(set(names)):
        errors.append(f"{manifest.name}: duplicate filenames")
    for missing in sorted(on_disk - set(names)):
        errors.append(f"{manifest}: {missing} not listed")
    for extra in sorted(set(names) - on_disk):
        errors.append(f"{manifest}: {extra} listed but missing")
    for e in entries:
        where = f"{manifest.name}:{e.get('filename')}"
        if set(e) != {"filename", "title", "date", "conference", "doc_type", "tags"}:
            errors.append(f"{where}: unexpected keys {sorted(e)}")
        try:
            date.fromisoformat(e["date"])
        except (KeyError, ValueError):
            errors.append(f"{where}: bad date")
        if e.get("conference") not in CONFERENCES:
            errors.append(f"{where}: bad conference")
        if e.get("doc_type") not in DOC_TYPES:
            errors.append(f"{where}: bad doc_type")
        if not isinstance(e.get("tags"), list):
            errors.append(f"{where}: tags must be a list")
    return set(names)


def check_quote(where: str, records: Path, names: set[str], cited: dict, errors: list[str]) -> None:
    """Check that `cited` ({filename, page, quote}) names a record page whose text contains the quote."""
    filename, page, quote = cited.get("filename"), cited.get("page"), cited.get("quote", "")
    if filename not in names:
        errors.append(f"{where}: unknown filename {filename!r}")
        return
    pages = page_texts(records / filename)
    if not isinstance(page, int) or not 1 <= page <= len(pages):
        errors.append(f"{where}: page {page!r} out of range 1..{len(pages)}")
        return
    n_words = len(quote.split())
    if not 8 <= n_words <= 40:
        errors.append(f"{where}: quote has {n_words} words (expected 8-40)")
    if normalize(quote) not in pages[page - 1]:
        errors.append(f"{where}: quote not found on page {page} of {filename}: {quote!r}")


def check_eval(eval_path: Path, records: Path, names: set[str], errors: list[str]) -> tuple[int, int, Counter[str]]:
    answerable = unanswerable = 0
    types: Counter[str] = Counter()
    seen: set[str] = set()
    for lineno, line in enumerate(eval_path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        q = json.loads(line)
        where = f"{eval_path.name}:{lineno} ({q.get('id')})"
        if q.get("id") in seen:
            errors.append(f"{where}: duplicate id")
        seen.add(q.get("id"))
        if not q.get("question", "").strip():
            errors.append(f"{where}: empty question")
        if q.get("type") not in QUESTION_TYPES:
            errors.append(f"{where}: type must be one of {sorted(QUESTION_TYPES)}")
        types[q.get("type")] += 1
        if q.get("answerable") is False:
            unanswerable += 1
            if any(k in q for k in ("filename", "page", "quote", "also")):
                errors.append(f"{where}: unanswerable question must not cite a passage")
            continue
        if q.get("answerable") is not True:
            errors.append(f"{where}: 'answerable' must be true or false")
            continue
        answerable += 1
        check_quote(where, records, names, q, errors)
        for k, other in enumerate(q.get("also", [])):
            if (other.get("filename"), other.get("page")) == (q.get("filename"), q.get("page")):
                errors.append(f"{where}: also[{k}] repeats the gold page")
            check_quote(f"{where} also[{k}]", records, names, other, errors)
    return answerable, unanswerable, types


def amount_spellings(amount: float) -> set[str]:
    """Ways a record may write `amount`: '12.300.000', '4 200 000', '12,3' (millions, with or without ',0'), '850'
    (thousands, in a table that says so), '1.000' or words ('cuatro millones')."""
    out = set()
    if amount == int(amount):
        out.add(f"{int(amount):,}".replace(",", "."))
    millions = round(amount / 1e6, 3)
    if millions >= 0.1:
        whole = f"{millions:,.3f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",").replace(" ", ".")
        out.add(whole)
        if millions == int(millions):
            out.add(f"{whole},0")
    if int(amount) in NUMBER_WORDS:
        out.add(NUMBER_WORDS[int(amount)])
    if millions == int(millions) and int(millions) in _MILLION_WORDS:
        out.add(f"{_MILLION_WORDS[int(millions)]} millones")  # "cuatro millones de euros"
    if amount == int(amount):
        out.add(f"{int(amount):,}".replace(",", " "))  # "4 200 000"
        if amount % 1000 == 0:
            out.add(f"{int(amount) // 1000:,}".replace(",", "."))  # a table in thousands ("Monto (miles de USD)")
    return out


def written(amount: float, text: str) -> bool:
    """Whether one spelling of `amount` is in `text` as a whole number (not part of a longer one)."""
    for spelling in amount_spellings(amount):
        if re.search(rf"(?<![\d.,]){re.escape(spelling)}(?![\d]|[.,]\d)", text):
            return True
    return False


def check_gold(gold_path: Path, records: Path, names: set[str], errors: list[str]) -> tuple[int, int, int]:
    data = json.loads(gold_path.read_text(encoding="utf-8"))
    entries = data["commitments"]
    where0 = gold_path.relative_to(CORPUS_DIR)
    for i, g in enumerate(entries):
        where = f"{where0}: commitments[{i}] ({g.get('filename')} {g.get('actor')} {g.get('amount')})"
        if g.get("filename") not in names:
            errors.append(f"{where}: unknown filename")
            continue
        pages = page_texts(records / g["filename"])
        wanted = g.get("pages") or [g.get("page")]
        if g.get("page") not in wanted or any(not isinstance(n, int) or not 1 <= n <= len(pages) for n in wanted):
            errors.append(f"{where}: bad page(s) {wanted}")
            continue
        if not any(written(float(g["amount"]), pages[n - 1]) for n in wanted):
            errors.append(f"{where}: amount not written on page(s) {wanted}")
        for eq in g.get("equivalents", []):
            if not any(written(float(eq["amount"]), pages[n - 1]) for n in wanted):
                errors.append(f"{where}: equivalent {eq} not written on page(s) {wanted}")
        if g.get("status") not in STATUSES:
            errors.append(f"{where}: unknown status {g.get('status')!r}")
        if "qualifier" in g and g["qualifier"] not in QUALIFIERS:
            errors.append(f"{where}: unknown qualifier {g['qualifier']!r}")
        if g.get("event", "missing") not in CONFERENCES:
            errors.append(f"{where}: missing or unknown event {g.get('event', 'missing')!r}")
    linked = [i for group in data.get("links", []) for i in group]
    if len(linked) != len(set(linked)) or any(not 0 <= i < len(entries) for i in linked):
        errors.append(f"{where0}: links must index existing entries at most once")
    extra = [("totals", t) for t in data.get("totals", [])]
    extra += [("non_commitments", n) for n in data.get("non_commitments", [])]
    for kind, item in extra:
        where = f"{where0}: {kind} ({item.get('filename')} p. {item.get('page')})"
        if item.get("filename") not in names:
            errors.append(f"{where}: unknown filename")
            continue
        pages = page_texts(records / item["filename"])
        page = item.get("page")
        if not isinstance(page, int) or not 1 <= page <= len(pages):
            errors.append(f"{where}: bad page")
        elif normalize(item.get("text", "")) not in pages[page - 1]:
            errors.append(f"{where}: text not on the page: {item.get('text')!r}")
        if kind == "totals" and item.get("is_total") is not True:
            errors.append(f"{where}: a total must have is_total true")
    return len(entries), len(data.get("totals", [])), len(data.get("non_commitments", []))


def matches(entry: dict, filters: dict) -> bool:
    """Whether a manifest entry satisfies a briefing's filters."""
    if "conference" in filters and entry["conference"] != filters["conference"]:
        return False
    if "doc_type" in filters and entry["doc_type"] != filters["doc_type"]:
        return False
    if "date_from" in filters and entry["date"] < filters["date_from"]:
        return False
    if "date_to" in filters and entry["date"] > filters["date_to"]:
        return False
    return True


def check_briefing(errors: list[str]) -> int:
    topics = json.loads(BRIEFING.read_text(encoding="utf-8"))
    entries = json.loads((CORPUS_DIR / "manifest.json").read_text(encoding="utf-8"))["records"]
    for i, topic in enumerate(topics):
        filters = topic.get("filters", {})
        corpus = [
            text for e in entries if matches(e, filters) for text in page_texts(CORPUS_DIR / "records" / e["filename"])
        ]
        if not topic.get("topic"):
            errors.append(f"briefing[{i}]: empty topic")
        if set(topic.get("filters", {})) - FILTER_KEYS:
            errors.append(f"briefing[{i}]: unknown filter keys")
        facts = topic.get("key_facts", [])
        if not 3 <= len(facts) <= 6:
            errors.append(f"briefing[{i}]: expected 3-6 key facts")
        for fact in facts:
            if not any(normalize(fact) in text for text in corpus):
                errors.append(f"briefing[{i}]: key fact not found in the filtered records: {fact!r}")
    return len(topics)


def main() -> int:
    errors: list[str] = []
    for manifest, records, eval_path, gold_path in SETS:
        names = check_manifest(manifest, records, errors)
        n_gold, n_totals, n_non = check_gold(gold_path, records, names, errors)
        print(f"{gold_path.relative_to(CORPUS_DIR)}: {n_gold} commitments, {n_totals} totals, {n_non} non-commitments")
        a, u, types = check_eval(eval_path, records, names, errors)
        by_type = ", ".join(f"{t} {n}" for t, n in sorted(types.items(), key=lambda kv: str(kv[0])))
        print(f"{eval_path.relative_to(CORPUS_DIR)}: {a} answerable, {u} unanswerable ({by_type})")
    print(f"briefing_eval.json: {check_briefing(errors)} topics")
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
