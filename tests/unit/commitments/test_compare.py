"""Per-event comparison rows: chains counted once, breakdowns inside their pledge, currencies never added."""

from __future__ import annotations

from indexing.commitments.compare import CompareAmount, compare_rows

from .factories import commitment


def entry(c, event: str | None) -> dict:
    return {"id": c.id, "event": event, "event_label": event, "date": c.date, "currency": c.currency,
            "is_total": c.is_total, "sources": [{"filename": s.filename, "page": s.page} for s in c.sources]}


def test_breakdown_is_part_of_its_pledge_and_currencies_stay_apart() -> None:
    regional = commitment("Alemania", 20e6, status="anunciado", document_id="a", event="Conferencia de Donantes 2020")
    peru = commitment("Alemania", 6e6, status="comprometido", document_id="a", start=10,
                      event="Conferencia de Donantes 2020", recipient="Perú")
    usd = commitment("Alemania", 3e6, "USD", status="anunciado", document_id="b", event="Conferencia de Donantes 2020")
    later = commitment("Alemania", 12e6, status="anunciado", document_id="c", event="Conferencia de Canadá 2021")
    signed = commitment("Alemania", 12e6, status="firmado", document_id="d", date="2022-03-22")
    paid = commitment("Alemania", 9e6, status="desembolsado", document_id="e", date="2023-12-20")
    cs = [regional, peru, usd, later, signed, paid]
    events = ["conferencia-2020"] * 3 + ["canada-2021"] * 3
    result = compare_rows("Alemania", [entry(c, e) for c, e in zip(cs, events, strict=True)],
                          {c.id: c for c in cs}, {"conferencia-2020": "2020-05-26", "canada-2021": "2021-06-17"})
    got = [(r.event, r.date, r.pledged, r.signed, r.disbursed, r.entries) for r in result.rows]
    assert got == [
        ("conferencia-2020", "2020-05-26", [CompareAmount("EUR", 20e6), CompareAmount("USD", 3e6)], [], [],
         [regional.id, peru.id, usd.id]),
        ("canada-2021", "2021-06-17", [CompareAmount("EUR", 12e6)], [CompareAmount("EUR", 12e6)],
         [CompareAmount("EUR", 9e6)], [later.id, signed.id, paid.id]),
    ]


def test_totals_and_entries_without_currency_are_not_row_amounts() -> None:
    c = commitment("Alemania", 5e6, status="anunciado", event="Conferencia de Bruselas 2023")
    total = commitment("Comunidad internacional", 815e6, document_id="t", event="Conferencia de Bruselas 2023")
    total.is_total = True
    result = compare_rows("Alemania", [entry(c, "bruselas-2023"), entry(total, "bruselas-2023")],
                          {c.id: c, total.id: total}, {})
    assert [(r.pledged, r.entries) for r in result.rows] == [([CompareAmount("EUR", 5e6)], [c.id])]
    assert result.to_dict()["rows"][0]["pledged"] == [{"currency": "EUR", "amount": 5e6, "qualifier": None}]
