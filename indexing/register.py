"""The commitments register: extraction at indexing time, then listing, totals, CSV, timelines and amount answers
at query time.

Indexing time: `extract_for_record` runs the rule-based extractor (`indexing.commitments`) on the cleaned pages of
one record, merges the statements of one commitment inside the record (a table row and the prose repeating it) and
returns JSON-able entries that the store writes with the record (`<prefix>_commitments`), atomically.

Query time: `Register` reads the active entries, merges the same commitment stated by several records
(`deduplicate`: same actor, amount, currency and event), links the stages of one commitment (`link_commitments`)
and answers the API. The merged view is cached per index state (the set of active records).

Events: `event` is the conference slug used by the records' `conference` metadata ("bruselas-2023"), and
`event_label` its human-readable name ("Conferencia de Bruselas 2023"). A conference named in the sentence wins;
otherwise the record's `conference` metadata, if the record was written at the conference (dated within 20 days
after it) — a follow-up report restates pledges of earlier conferences too. A later stage without event (signature,
disbursement) takes the event of the pledge it is linked to, with `event_inferred` true. An unknown conference value
is kept as given in both fields.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from haystack import Document

from indexing import constants as K
from indexing.commitments._data import load
from indexing.commitments.actors import actor_info, find_actors, normalize_actor, rollup_name
from indexing.commitments.compare import Comparison, compare_rows
from indexing.commitments.dedup import deduplicate
from indexing.commitments.extract import detect_event, event_date, extract_commitments
from indexing.commitments.link import DISBURSED, Chain, link_commitments
from indexing.commitments.model import PLEDGE_STATUSES, STATUS_ORDER, Commitment, Equivalent, Source
from indexing.query.answer import Answer, Citation, coverage, question_terms
from indexing.text.formatting import format_amount
from indexing.text.tables import find_tables, link_pages
from indexing.text.tokens import fold_same_length
from indexing.types import DocumentRecord, SearchFilters

__all__ = [
    "CSV_HEADER",
    "GROUP_BY",
    "INSTRUMENTS",
    "STATUSES",
    "CommitmentFilters",
    "Register",
    "build_view",
    "commitment_from_payload",
    "entries_to_csv",
    "event_label",
    "event_slug",
    "extract_for_record",
    "filter_entries",
    "summarize",
]

STATUSES = STATUS_ORDER
INSTRUMENTS = ("donación", "préstamo", "cooperación técnica", "en especie", "unknown")
GROUP_BY = ("actor", "event", "currency", "status")
CSV_HEADER = (
    "id",
    "actor",
    "actor_agregado",
    "pais",
    "monto",
    "moneda",
    "monto_texto",
    "instrumento",
    "destinatario",
    "proposito",
    "estado",
    "evento",
    "evento_nombre",
    "fecha",
    "es_total",
    "documentos",
    "fuentes",
)


# --- events ---------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _event_tables() -> tuple[dict[str, str], dict[str, str]]:
    events = load("events")["events"]
    return {e["slug"]: e["name"] for e in events}, {e["name"]: e["slug"] for e in events}


def event_label(slug: str | None) -> str | None:
    """Human-readable name of a conference slug ("bruselas-2023" → "Conferencia de Bruselas 2023")."""
    if not slug:
        return None
    return _event_tables()[0].get(slug, slug)


def event_slug(value: str | None) -> str | None:
    """Slug of a conference given as slug, name ("Conferencia de Bruselas 2023") or free text naming it.

    :returns: the known slug, or the value itself when it names no known conference (None for None/blank).
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    by_slug, by_name = _event_tables()
    if value in by_slug:
        return value
    folded = fold_same_length(value)
    for name, slug in by_name.items():
        if fold_same_length(name) == folded or fold_same_length(slug) == folded:
            return slug
    named = detect_event(value)
    return by_name[named] if named else value


def _event_name(slug: str | None) -> str | None:
    """The extractor's internal event value (the conference name) for a stored slug."""
    return event_label(slug)


# --- indexing time --------------------------------------------------------------------------------------------


def _to_payload(
    c: Commitment, sources_meta: dict[str, dict[str, Any]], ocr_pages: frozenset[int] = frozenset()
) -> dict[str, Any]:
    info = actor_info(c.actor)
    country = info.country if info and info.country else (c.actor if info and info.type == "país" else None)
    slug = _event_tables()[1].get(c.event, c.event) if c.event else None
    return {
        "id": c.id,
        "actor": c.actor,
        "actor_rollup": None if c.is_total else (c.actor_rollup or rollup_name(c.actor)),
        "country": None if c.is_total else country,
        "amount": c.amount,
        "amount_text": c.amount_text,
        "currency": c.currency,
        "instrument": c.instrument,
        "recipient": c.recipient,
        "purpose": c.purpose,
        "status": c.status,
        "status_explicit": c.status_explicit,
        "event": slug,
        "event_label": event_label(slug),
        "event_explicit": c.event_explicit,
        "date": c.date,
        "is_total": c.is_total,
        "kind": c.kind,
        "flags": list(c.flags),
        "equivalents": [{"amount": e.amount, "currency": e.currency} for e in c.equivalents],
        "qualifier": c.qualifier,
        "sources": [
            {
                "document_id": s.document_id,
                "filename": s.filename,
                **sources_meta.get(s.document_id, {}),
                "page": s.page,
                "quote": s.quote,
                "char_start": s.char_start,
                "char_end": s.char_end,
                "ocr": s.page in ocr_pages,
            }
            for s in c.sources
        ],
    }


def commitment_from_payload(p: dict[str, Any]) -> Commitment:
    """The extractor's `Commitment` of a stored entry (for deduplication and linking at query time)."""
    return Commitment(
        id=p["id"],
        actor=p["actor"],
        amount=float(p["amount"]),
        currency=p.get("currency"),
        instrument=p.get("instrument") or "unknown",
        recipient=p.get("recipient"),
        purpose=p.get("purpose"),
        status=p.get("status") or "comprometido",
        event=_event_name(p.get("event")),
        date=p.get("date"),
        sources=[
            Source(
                s["document_id"], s["filename"], int(s["page"]), s["quote"], int(s["char_start"]), int(s["char_end"])
            )
            for s in p.get("sources") or []
        ],
        kind=p.get("kind") or "compromiso",
        is_total=bool(p.get("is_total")),
        status_explicit=bool(p.get("status_explicit", True)),
        actor_rollup=p.get("actor_rollup"),
        amount_text=p.get("amount_text") or "",
        flags=tuple(p.get("flags") or ()),
        equivalents=tuple(Equivalent(float(e["amount"]), e["currency"]) for e in p.get("equivalents") or ()),
        qualifier=p.get("qualifier"),
        event_explicit=bool(p.get("event_explicit", False)),
    )


# A record dated more than this many days after its conference is a follow-up: the commitments it restates may
# come from earlier conferences, so its `conference` metadata is not their event.
_CONFERENCE_RECORD_DAYS = 20


def _record_event(record: DocumentRecord) -> str | None:
    """The event of a record's commitments when their sentence names none: its `conference` metadata, if the
    record was written at that conference (dated on it or within `_CONFERENCE_RECORD_DAYS` days after)."""
    if not record.conference:
        return None
    name = _event_name(event_slug(record.conference))
    held = event_date(name)
    if held is None or record.date is None:
        return name
    gap = (dt.date.fromisoformat(record.date[:10]) - dt.date.fromisoformat(held)).days
    return name if 0 <= gap <= _CONFERENCE_RECORD_DAYS else None


def extract_for_record(pages: list[Document], record: DocumentRecord) -> list[dict[str, Any]]:
    """Commitment entries (JSON-able, each with an "id") found in the cleaned pages of one record.

    Quotes and offsets index the cleaned page text (what the store keeps and citations quote). The record's
    `conference` metadata is the event of every commitment whose sentence names no conference.

    :param pages: the record's cleaned page Documents (`content`, meta `page`).
    :param record: the record being indexed (id, filename, title, date, conference, doc_type).
    :returns: one entry per commitment of the record, statements of one commitment merged (several sources).
    """
    event = _record_event(record)
    found: list[Commitment] = []
    texts = [page.content or "" for page in pages]
    tables = link_pages([find_tables(t) for t in texts], texts)
    for i, (page, text, page_tables) in enumerate(zip(pages, texts, tables, strict=True), start=1):
        if not text.strip():
            continue
        found.extend(
            extract_commitments(
                text,
                document_id=record.id,
                filename=record.filename,
                page=int(page.meta.get(K.PAGE) or i),
                date=record.date,
                event=event,
                tables=page_tables,
            )
        )
    meta = {record.id: {"title": record.title, "conference": record.conference, "doc_type": record.doc_type}}
    ocr_pages = frozenset(int(p.meta.get(K.PAGE) or i) for i, p in enumerate(pages, start=1) if p.meta.get(K.OCR))
    return [_to_payload(c, meta, ocr_pages) for c in deduplicate(found)]


# --- query time: the merged view ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentFilters:
    """Restrictions on register entries, all optional and combinable. Dates are ISO strings, inclusive."""

    actor: str | None = None
    event: str | None = None
    currency: str | None = None
    instrument: str | None = None
    status: str | None = None
    recipient: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    document_id: str | None = None


@dataclass
class RegisterView:
    """Entries of every active record after cross-record deduplication, and their chains."""

    entries: list[dict[str, Any]]
    by_id: dict[str, dict[str, Any]]
    alias: dict[str, str]
    chain_of: dict[str, Chain]
    commitments: dict[str, Commitment]


_PUBLIC_SOURCE_KEYS = ("document_id", "filename", "title", "page", "quote", "char_start", "char_end")


def _sort_key(p: dict[str, Any]) -> tuple:
    first = (p.get("sources") or [{}])[0]
    return (
        p.get("date") is None,
        p.get("date") or "",
        first.get("document_id") or "",
        int(first.get("page") or 0),
        int(first.get("char_start") or 0),
        p["id"],
    )


def build_view(payloads: list[dict[str, Any]]) -> RegisterView:
    """Merge stored entries of all records into the register's view (pure; see `Register`).

    :param payloads: stored entries (as written by `extract_for_record`, plus store fields).
    :returns: entries in date order with merged sources, the id aliases of merged statements and the chains.
    """
    payloads = sorted((p for p in payloads if (p.get("kind") or "compromiso") == "compromiso"), key=_sort_key)
    source_meta: dict[str, dict[str, Any]] = {}
    for p in payloads:
        for s in p.get("sources") or []:
            source_meta.setdefault(
                s["document_id"],
                {"title": s.get("title"), "conference": s.get("conference"), "doc_type": s.get("doc_type")},
            )
    originals = [commitment_from_payload(p) for p in payloads]
    merged = deduplicate(originals)
    alias: dict[str, str] = {}
    merged_ids = {m.id for m in merged}
    holders: dict[Source, list[Commitment]] = defaultdict(list)  # source -> merged commitments citing it, in order
    for m in merged:
        for src in dict.fromkeys(m.sources):
            holders[src].append(m)
    for c in originals:
        if c.id in merged_ids:
            alias[c.id] = c.id
            continue
        home = next(
            (m for m in holders.get(c.sources[0], ()) if m.amount == c.amount and m.currency == c.currency), None
        )
        if home is not None:
            alias[c.id] = home.id
    chains = link_commitments(merged)
    chain_of = {c.id: ch for ch in chains for c in ch.stages}
    entries = []
    for m in merged:
        entry = _public_entry(_to_payload(m, source_meta))
        entry["event_inferred"] = False
        chain_event = _chain_event(chain_of.get(m.id))
        if entry["event"] is None and chain_event is not None:
            # A later stage (signature, disbursement in a follow-up report) belongs to the conference of its pledge.
            entry["event"], entry["event_label"], entry["event_inferred"] = chain_event, event_label(chain_event), True
        entries.append(entry)
    entries.sort(key=_sort_key)
    return RegisterView(
        entries=entries,
        by_id={e["id"]: e for e in entries},
        alias=alias,
        chain_of=chain_of,
        commitments={m.id: m for m in merged},
    )


def _chain_event(chain: Chain | None) -> str | None:
    if chain is None:
        return None
    events = {c.event for c in chain.stages if c.event and c.status not in DISBURSED}
    if len(events) != 1:
        return None
    return _event_tables()[1].get(next(iter(events)), next(iter(events)))


def _public_entry(p: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in p.items() if k not in ("kind",)}
    out["sources"] = [
        {
            **{k: s.get(k) for k in _PUBLIC_SOURCE_KEYS},
            "_conference": s.get("conference"),
            "_doc_type": s.get("doc_type"),
        }
        for s in p.get("sources") or []
    ]
    return out


def public(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry as the API shows it (without the record metadata kept for filtering)."""
    return {
        **entry,
        "sources": [{k: v for k, v in s.items() if not k.startswith("_")} for s in entry["sources"]],
    }


def _matches_actor(entry: dict[str, Any], actor: str) -> bool:
    canonical = normalize_actor(actor) or actor.strip()
    folded = fold_same_length(canonical)
    return folded in (fold_same_length(entry["actor"]), fold_same_length(entry.get("actor_rollup") or ""))


def filter_entries(entries: list[dict[str, Any]], f: CommitmentFilters | None) -> list[dict[str, Any]]:
    """Entries matching every given filter.

    `actor` matches the actor or the actor its totals roll up to, by name as written ("el Gobierno alemán",
    "alemania" → Alemania; "España" also lists AECID). `event` is a slug, a conference name or text naming one.
    `currency` is an ISO code (any case). `recipient` matches accent- and case-insensitively. Dates compare the
    entry's date (the record's date). `document_id` matches any source.
    """
    if f is None:
        return list(entries)
    slug = event_slug(f.event) if f.event else None
    currency = f.currency.upper() if f.currency else None
    recipient = fold_same_length(f.recipient.strip()) if f.recipient else None
    out = []
    for e in entries:
        if f.actor and not _matches_actor(e, f.actor):
            continue
        if slug and e.get("event") != slug:
            continue
        if currency and (e.get("currency") or "") != currency:
            continue
        if f.instrument and e.get("instrument") != f.instrument:
            continue
        if f.status and e.get("status") != f.status:
            continue
        if recipient and fold_same_length(e.get("recipient") or "") != recipient:
            continue
        date = e.get("date")
        if f.date_from and (not date or date < f.date_from):
            continue
        if f.date_to and (not date or date > f.date_to):
            continue
        if f.document_id and all(s["document_id"] != f.document_id for s in e["sources"]):
            continue
        out.append(e)
    return out


# --- totals ---------------------------------------------------------------------------------------------------


def _group_key(entry: dict[str, Any], group_by: str, rollup: bool) -> str | None:
    if group_by == "actor":
        return (entry.get("actor_rollup") or entry["actor"]) if rollup else entry["actor"]
    return entry.get(group_by)


def _group_label(key: str | None, group_by: str) -> str:
    if key is None:
        return {"event": "sin conferencia", "currency": "sin moneda"}.get(group_by, "sin dato")
    return event_label(key) or key if group_by == "event" else key


def summarize(
    entries: list[dict[str, Any]],
    group_by: str,
    commitments: dict[str, Commitment],
    *,
    rollup: bool = False,
) -> dict[str, Any]:
    """Totals per group and currency; currencies are never added together.

    In each group and currency, the entries are linked into chains (the stages of one commitment) and each chain
    counts once: `pledged` adds the pledged or signed amount of each chain, `disbursed` the largest disbursed or
    executed amount reported for it (reports are cumulative). Conference totals (`is_total`) are never added;
    their ids are listed in `excluded_totals`.

    :param entries: filtered entries (see `filter_entries`).
    :param group_by: "actor", "event", "currency" or "status".
    :param commitments: the view's commitments by id (to link stages).
    :param rollup: with group_by "actor", group agencies under their country and bodies under their parent.
    :returns: {"group_by", "groups": [{"key", "label", "totals": [{"currency", "pledged", "disbursed", "count",
        "entries"}]}], "excluded_totals"}.
    """
    groups: dict[str | None, dict[str | None, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    excluded = []
    for e in entries:
        if e.get("is_total"):
            excluded.append(e["id"])
            continue
        groups[_group_key(e, group_by, rollup)][e.get("currency")].append(e)
    out_groups = []
    for key in sorted(groups, key=lambda k: (k is None, fold_same_length(k or ""))):
        totals = []
        for currency in sorted(groups[key], key=lambda c: (c is None, c or "")):
            members = groups[key][currency]
            chains = link_commitments([commitments[e["id"]] for e in members])
            totals.append(
                {
                    "currency": currency,
                    "pledged": sum(ch.pledged or 0.0 for ch in chains),
                    "disbursed": sum(ch.disbursed for ch in chains),
                    "count": len(members),
                    "entries": [e["id"] for e in members],
                }
            )
        out_groups.append({"key": key, "label": _group_label(key, group_by), "totals": totals})
    return {"group_by": group_by, "groups": out_groups, "excluded_totals": excluded}


# --- CSV ------------------------------------------------------------------------------------------------------


def _csv_number(value: float) -> str:
    # Decimal comma: with ";" as separator, Excel in a Spanish locale reads the column as numbers.
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").replace(".", ",")


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A text cell that a spreadsheet shows as text: one starting with = + - @, tab or CR gets a leading "'".

    Spreadsheets evaluate such cells as formulas (`=HYPERLINK(...)` from an upload's metadata would be a live
    link); the apostrophe is the usual "this is text" mark. Only for text columns: numbers are written as numbers.

    :param value: the cell's text.
    :returns: the text, prefixed when needed.
    """
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def entries_to_csv(entries: list[dict[str, Any]]) -> bytes:
    """Entries as CSV: UTF-8 with BOM, ";" separator, decimal comma, one row per entry, sources joined by " || ".

    A source is written as «filename p. N: quote»; `documentos` lists the record ids joined by " | ". Text cells go
    through `csv_text`, so no cell is read as a formula.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    amount_column = CSV_HEADER.index("monto")
    for e in entries:
        row = [
            e["id"],
            e["actor"],
            e.get("actor_rollup") or "",
            e.get("country") or "",
            _csv_number(e["amount"]),
            e.get("currency") or "",
            e.get("amount_text") or "",
            e.get("instrument") or "",
            e.get("recipient") or "",
            e.get("purpose") or "",
            e.get("status") or "",
            e.get("event") or "",
            e.get("event_label") or "",
            e.get("date") or "",
            "sí" if e.get("is_total") else "no",
            " | ".join(dict.fromkeys(s["document_id"] for s in e["sources"])),
            " || ".join(f"{s['filename']} p. {s['page']}: {s['quote']}" for s in e["sources"]),
        ]
        writer.writerow([cell if i == amount_column else csv_text(cell) for i, cell in enumerate(row)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


COMPARE_CSV_HEADER = (
    "actor",
    "conferencia",
    "conferencia_nombre",
    "fecha",
    "etapa",
    "moneda",
    "monto",
    "calificador",
    "compromisos",
    "fuentes",
)


def _event_dates() -> dict[str, str]:
    return {e["slug"]: e["date"] for e in load("events")["events"]}


def comparisons_to_csv(comparisons: list[Comparison]) -> bytes:
    """Comparisons as CSV (UTF-8 with BOM, ";", decimal comma): one line per actor, event, stage and currency.

    Text cells go through `csv_text`, so no cell is read as a formula; a row's sources are «filename p. N» joined
    by " | ".
    """
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(COMPARE_CSV_HEADER)
    for comparison in comparisons:
        for row in comparison.rows:
            sources = " | ".join(dict.fromkeys(f"{s['filename']} p. {s['page']}" for s in row.sources))
            stages = (("comprometido", row.pledged), ("firmado", row.signed), ("desembolsado", row.disbursed))
            for stage, amounts in stages:
                for a in amounts:
                    cells = [
                        csv_text(comparison.actor),
                        csv_text(row.event or ""),
                        csv_text(row.event_label or "sin conferencia"),
                        row.date or "",
                        stage,
                        a.currency,
                        _csv_number(a.amount),
                        a.qualifier or "",
                        " | ".join(row.entries),
                        csv_text(sources),
                    ]
                    writer.writerow(cells)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# --- the register ---------------------------------------------------------------------------------------------


class RegisterStore(Protocol):
    def commitments_payloads(self, document_id: str | None = None) -> list[dict[str, Any]]: ...

    def index_state(self) -> str: ...


_YEAR_RE = re.compile(r"(?<!\d)(20\d\d|19\d\d)(?!\d)")
_DISBURSED_Q = re.compile(r"\b(?:desembols\w*|ejecut\w*|transfiri\w*|transferid\w*|entreg\w*|pag[oó]\w*)\b")
_VERBS = {
    "anunciado": "anunció",
    "comprometido": "comprometió",
    "firmado": "firmó",
    "desembolsado": "desembolsó",
    "ejecutado": "ejecutó",
}
_MAX_ENTRIES_IN_ANSWER = 6


class Register:
    """The commitments register of the index.

    :param store: the store (reads active commitment entries; the view is rebuilt when the set of active records
        changes).
    """

    def __init__(self, store: RegisterStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._cached: tuple[str, RegisterView] | None = None

    def view(self) -> RegisterView:
        """The merged view of the current index state (cached per state)."""
        state = self.store.index_state()
        with self._lock:
            if self._cached is not None and self._cached[0] == state:
                return self._cached[1]
            view = build_view(self.store.commitments_payloads())
            self._cached = (state, view)
            return view

    def entries(self, filters: CommitmentFilters | None = None) -> list[dict[str, Any]]:
        """Public entries matching `filters`, by date then record and position."""
        return [public(e) for e in filter_entries(self.view().entries, filters)]

    def summary(self, group_by: str, filters: CommitmentFilters | None = None, *, rollup: bool = False) -> dict:
        """Totals per group and currency of the entries matching `filters` (see `summarize`)."""
        view = self.view()
        return summarize(filter_entries(view.entries, filters), group_by, view.commitments, rollup=rollup)

    def csv(self, filters: CommitmentFilters | None = None) -> bytes:
        """The entries matching `filters` as CSV (see `entries_to_csv`)."""
        return entries_to_csv(filter_entries(self.view().entries, filters))

    def compare(self, actors: list[str]) -> list[Comparison]:
        """Per-event pledged, signed and disbursed amounts of each actor (see `indexing.commitments.compare`).

        :param actors: actor names as written ("Alemania", "el Gobierno de España"); agencies roll up to their
            country as in the `actor` filter.
        :returns: one comparison per actor, in the order given.
        """
        view = self.view()
        dates = _event_dates()
        out = []
        for actor in actors:
            entries = filter_entries(view.entries, CommitmentFilters(actor=actor))
            out.append(compare_rows(actor, [public(e) for e in entries], view.commitments, dates))
        return out

    def timeline(self, commitment_id: str) -> dict[str, Any] | None:
        """The chain of stages of a commitment (announced, signed, disbursed...), oldest first, or None if unknown.

        :param commitment_id: an entry id (the id of a statement merged into another entry also works).
        :returns: {"id", "commitment_id", "actor", "currency", "pledged", "disbursed", "disbursement_status",
            "stages": [entry + "stage_date"]}.
        """
        view = self.view()
        cid = view.alias.get(commitment_id, commitment_id)
        entry = view.by_id.get(cid)
        if entry is None:
            return None
        chain = view.chain_of.get(cid) or Chain(id=cid, stages=[view.commitments[cid]])
        stages = []
        for c in chain.stages:
            e = public(view.by_id[c.id])
            stages.append({**e, "stage_date": e.get("date") or event_date(c.event)})
        return {
            "id": chain.id,
            "commitment_id": cid,
            "actor": chain.actor,
            "currency": chain.currency,
            "pledged": chain.pledged,
            "disbursed": chain.disbursed,
            "disbursement_status": chain.disbursement_status,
            "stages": stages,
        }

    # ------------------------------------------------------------------------------ answers

    def amount_answer(
        self,
        question: str,
        filters: SearchFilters | None = None,
        passages: list[tuple[str, int]] | None = None,
    ) -> Answer | None:
        """Answer "¿Cuánto comprometió X en Y?" from the register, or None to let the passages answer.

        Conservative: every donor named in the question (outside a conference's name, "Conferencia de Canadá")
        must have matching entries, its own or its agencies'; a conference named in the question must be the
        entry's event, a bare year the conference's year (for a pledge) or the record's (for a disbursement). The
        question's verb picks the stages: disbursement verbs ("desembolsó", "ejecutó") → disbursed entries, other
        verbs → announced, committed or signed entries. Conference totals never answer for an actor. The stages of
        one commitment (announced, then signed, restated in follow-up reports) are stated once, and amounts are not
        added up (a part of a pledge is often reported next to the pledge).

        :param question: the user's question (already typed "amount").
        :param filters: the request's search filters (conference, doc_type, dates, document ids) on the records.
        :param passages: (document id, page) of the passages retrieved for the question, best first: of the records
            that state a commitment, the one the question is most about is cited first.
        :returns: the verbatim source sentences each followed by [n], then the register's amounts in Spanish with
            the same [n]; or None when the question names no donor or the register has no matching entry.
        """
        actors = _question_actors(question)
        if not actors:
            return None
        event = detect_event(question)
        slug = _event_tables()[1].get(event) if event else None
        year = None if slug else next(iter(_YEAR_RE.findall(question)), None)
        disbursed = bool(_DISBURSED_Q.search(fold_same_length(question)))
        statuses = DISBURSED if disbursed else PLEDGE_STATUSES | {"firmado"}
        view = self.view()
        entries = [e for e in view.entries if not e.get("is_total") and e.get("status") in statuses]
        entries = [e for e in entries if _record_filters_match(e, filters)]
        if slug:
            entries = [e for e in entries if e.get("event") == slug]
        else:
            places = _question_places(question)
            if places:
                entries = [e for e in entries if e.get("event") in places]
            if year:
                entries = [e for e in entries if _year_of(e, by_date=disbursed) == year]
        recipients = _question_recipients(question)
        per_actor: list[tuple[str, list[dict[str, Any]]]] = []
        for actor in actors:
            mine = [e for e in entries if e["actor"] == actor or e.get("actor_rollup") == actor]
            if not mine:
                return None  # an actor without entries must not borrow someone else's amount
            # "¿... para el Perú?": the entries for that recipient, when the register knows any.
            mine = [e for e in mine if e.get("recipient") in recipients] or mine
            per_actor.append((actor, _one_per_commitment(mine, view, disbursed)[:_MAX_ENTRIES_IN_ANSWER]))
        return _render_answer(per_actor, _source_ranker(question, passages or []))


def _source_ranker(question: str, passages: list[tuple[str, int]]) -> Callable[[dict[str, Any]], tuple[int, float]]:
    """Sort key of a source: its page's place among the retrieved passages, then how many of the question's terms
    its quote holds."""
    rank: dict[tuple[str, int], int] = {}
    for i, passage in enumerate(passages):
        rank.setdefault(passage, i)
    terms = question_terms(question)

    def sort_key(source: dict[str, Any]) -> tuple[int, float]:
        return rank.get((source["document_id"], int(source["page"])), len(rank)), -coverage(terms, source["quote"])

    return sort_key


_IN_EVENT_NAME_RE = re.compile(
    r"\b(?:conferencia|cumbre|reunion|encuentro)\b[^.?]{0,40}\b(?:de|en)\s+(?:la\s+|el\s+)?$"
)


def _question_actors(question: str) -> list[str]:
    """Donors named in a question, leaving out the host of a named conference ("la Conferencia de Canadá")."""
    folded = fold_same_length(question)
    return list(
        dict.fromkeys(
            m.canonical
            for m in find_actors(question)
            if m.info.donor and not _IN_EVENT_NAME_RE.search(folded[max(0, m.start - 60) : m.start])
        )
    )


def _question_places(question: str) -> set[str]:
    """Slugs of the conferences whose place a question names without a year ("lo anunciado en Bruselas"). A place
    that is also a donor ("Canadá") counts only inside a conference's name."""
    folded = fold_same_length(question)
    out: set[str] = set()
    for slug, name in _event_tables()[0].items():
        place = fold_same_length(re.sub(r"^Conferencia de |\s*\d{4}$", "", name))
        for m in re.finditer(rf"\b{re.escape(place)}\b", folded):
            is_actor = normalize_actor(place) is not None
            if not is_actor or _IN_EVENT_NAME_RE.search(folded[max(0, m.start() - 60) : m.start()]):
                out.add(slug)
    return out


_RECIPIENT_Q = re.compile(r"\b(?:para|al|a|en)\s+(?:el\s+|la\s+)?$")


def _question_recipients(question: str) -> set[str]:
    """Host countries a question names as recipient ("para el Perú", "al Perú")."""
    folded = fold_same_length(question)
    return {
        m.canonical
        for m in find_actors(question)
        if m.info.host and _RECIPIENT_Q.search(folded[max(0, m.start - 12) : m.start])
    }


def _one_per_commitment(entries: list[dict[str, Any]], view: RegisterView, disbursed: bool) -> list[dict[str, Any]]:
    """One entry per chain: its first pledge stage, or its largest disbursement (reports are cumulative)."""
    chosen: dict[str, dict[str, Any]] = {}
    for e in entries:
        chain = view.chain_of.get(e["id"])
        key = chain.id if chain is not None else e["id"]
        have = chosen.get(key)
        if have is None or (disbursed and e["amount"] >= have["amount"]):
            chosen[key] = e
    return list(chosen.values())


def _year_of(entry: dict[str, Any], *, by_date: bool) -> str | None:
    """Year a question's "en 2020" refers to: the conference's year for a pledge, the record's for a disbursement."""
    m = None if by_date else _YEAR_RE.search(entry.get("event_label") or "")
    if m:
        return m.group(1)
    return (entry.get("date") or "")[:4] or None


def _record_filters_match(entry: dict[str, Any], f: SearchFilters | None) -> bool:
    """True when at least one source record passes the search filters (as passages are filtered)."""
    if f is None:
        return True
    for s in entry["sources"]:
        if f.conference and s.get("_conference") != f.conference:
            continue
        if f.doc_type and s.get("_doc_type") != f.doc_type:
            continue
        if f.document_ids is not None and s["document_id"] not in f.document_ids:
            continue
        date = entry.get("date")
        if f.date_from and (not date or date < f.date_from):
            continue
        if f.date_to and (not date or date > f.date_to):
            continue
        return True
    return False


def _render_answer(
    per_actor: list[tuple[str, list[dict[str, Any]]]],
    source_key: Callable[[dict[str, Any]], tuple[int, float]] | None = None,
) -> Answer:
    """Quotes first (each followed by [n]), then one clause per commitment: "España anunció EUR 50 millones
    (donación; Conferencia de Bruselas 2023) [1]". The clause names the entry's own actor (an agency or body of
    the actor asked about keeps its name)."""
    citations: list[Citation] = []
    index: dict[tuple[str, int, int], int] = {}
    clauses = []
    for _, entries in per_actor:
        for e in entries:
            marks = []
            sources = sorted(e["sources"], key=source_key) if source_key else e["sources"]
            for s in sources[:2]:
                key = (s["document_id"], s["page"], s["char_start"])
                if key not in index:
                    index[key] = len(citations) + 1
                    citations.append(
                        Citation(
                            n=index[key],
                            document_id=s["document_id"],
                            filename=s["filename"],
                            title=s.get("title") or s["filename"],
                            page=int(s["page"]),
                            quote=s["quote"],
                            score=1.0,
                            char_start=int(s["char_start"]),
                            char_end=int(s["char_end"]),
                            ocr=bool(s.get("ocr", False)),
                        )
                    )
                marks.append(f"[{index[key]}]")
            details = [d for d in (_instrument_text(e), e.get("event_label")) if d]
            suffix = f" ({'; '.join(details)})" if details else ""
            verb = _VERBS.get(e["status"], "comprometió")
            amount = format_amount(e["amount"], e.get("currency"))
            clauses.append(f"{e['actor']} {verb} {amount}{suffix} {''.join(marks)}")
    quotes = " ".join(f"{c.quote} [{c.n}]" for c in citations)
    text = f"{quotes} Según el registro de compromisos: " + "; ".join(clauses) + "."
    return Answer(True, text, citations, {"register": float(len(clauses))})


def _instrument_text(entry: dict[str, Any]) -> str | None:
    instrument = entry.get("instrument")
    return None if not instrument or instrument == "unknown" else instrument
