"""Briefings list the register's commitments of the event their topic names first (`indexing.briefing.commitments`
and the `lead` of `build_briefing`), and never make a point of a heading or a table's header row."""

from __future__ import annotations

from typing import Any

from indexing.briefing import build_briefing
from indexing.briefing.commitments import asks_for_commitments, event_entries, lead_heading, lead_points
from indexing.query.interpretation import interpret
from indexing.types import Citation, DocumentRecord, SearchFilters

from .factories import NOW, QUERY, actor_finder, make_chunk

SUIZA = "La delegación de Suiza comprometió CHF 3 millones en donaciones para la regularización migratoria."
NORUEGA = "Noruega anunció NOK 20 millones para programas de protección de la niñez migrante en Lima."
ESPANA = "La delegación de España anunció una contribución de EUR 50 millones en donaciones para el Perú."
ACUERDO = "Los cooperantes acordaron remitir la información de ejecución de sus proyectos antes de enero."


def source(document_id: str, quote: str, page: int = 2, start: int = 0) -> dict[str, Any]:
    return {
        "document_id": document_id,
        "filename": f"{document_id}.txt",
        "title": f"Título {document_id}",
        "page": page,
        "quote": quote,
        "char_start": start,
        "char_end": start + len(quote),
    }


def entry(eid: str, actor: str, event: str | None, date: str, *sources: dict[str, Any], total: bool = False):
    return {"id": eid, "actor": actor, "event": event, "date": date, "is_total": total, "sources": list(sources)}


ENTRIES = [
    entry("e1", "España", "bruselas-2023", "2023-03-17", source("acta-bruselas", ESPANA)),
    entry("e2", "Suiza", "bruselas-2023", "2023-07-17", source("acta-julio", SUIZA, start=10)),
    entry("e3", "Noruega", "bruselas-2023", "2023-07-17", source("acta-julio", NORUEGA, start=120)),
    entry("e4", "Suiza", None, "2024-03-14", source("acta-marzo", SUIZA, page=1)),
]
RECORDS = {
    r.id: r
    for r in (
        DocumentRecord(
            "acta-bruselas", "acta-bruselas.txt", "Acta de la Conferencia de Bruselas 2023", 2, 2, "2023-03-17"
        ),
        DocumentRecord(
            "acta-julio",
            "acta-julio.txt",
            "Acta de la reunión de seguimiento (17 de julio de 2023)",
            2,
            2,
            "2023-07-17",
        ),
        DocumentRecord(
            "acta-marzo",
            "acta-marzo.txt",
            "Acta de la sesión ordinaria N.º 01-2024 de la Mesa de Trabajo Intersectorial",
            1,
            1,
            "2024-03-14",
            doc_type="acta",
        ),
    )
}


def ids(topic: str, **kwargs: Any) -> list[str]:
    return [e["id"] for e in event_entries(interpret(topic), ENTRIES, RECORDS, **kwargs)]


def test_a_topic_about_commitments() -> None:
    assert asks_for_commitments("los compromisos de la reunión del 17 de julio")
    assert asks_for_commitments("Aportes anunciados en Bruselas")
    assert not asks_for_commitments("participantes de la reunión del 17 de julio")


def test_a_meeting_by_its_day_is_the_record_of_that_date() -> None:
    assert ids("los compromisos de la reunión del 17 de julio") == ["e2", "e3"]
    assert ids("compromisos de la reunión de seguimiento del 17 de julio de 2023") == ["e2", "e3"]
    assert ids("compromisos de la reunión de seguimiento del 17 de julio de 2022") == []
    # Named by its month only: a record of that month whose title names that kind of meeting.
    assert ids("compromisos de la sesión de marzo de 2024") == ["e4"]
    assert ids("compromisos de la mesa intersectorial de marzo de 2024") == ["e4"]
    assert ids("compromisos de la reunión de seguimiento de marzo de 2024") == []
    assert ids("compromisos de la reunión de julio de 2023") == ["e2", "e3"]


def test_a_conference_by_its_slug() -> None:
    assert ids("compromisos anunciados en la Conferencia de Bruselas 2023") == ["e1", "e2", "e3"]


def test_no_event_no_entries() -> None:
    assert ids("compromisos de Suiza") == []
    assert ids("compromisos de la conferencia de donantes de 2022 organizada por México") == []


def test_actors_and_filters_restrict_the_entries() -> None:
    suiza = {"e2", "e4"}
    by_actor = lambda name: [e for e in ENTRIES if e["id"] in suiza] if name == "Suiza" else []  # noqa: E731
    assert ids("compromisos de Suiza en la reunión del 17 de julio", actor_entries=by_actor) == ["e2"]
    assert ids("compromisos de la Conferencia de Bruselas 2023", filters=SearchFilters(date_from="2023-06-01")) == [
        "e2",
        "e3",
    ]
    assert ids(
        "compromisos de la Conferencia de Bruselas 2023", filters=SearchFilters(document_ids=("acta-julio",))
    ) == [
        "e2",
        "e3",
    ]


def test_lead_points_quote_each_source_once_totals_first() -> None:
    total = entry(
        "t",
        "Comunidad internacional",
        "bruselas-2023",
        "2023-07-17",
        source("acta-julio", ACUERDO, start=300),
        total=True,
    )
    shared = entry("e5", "Suiza", "bruselas-2023", "2023-07-17", source("acta-julio", SUIZA, start=10))
    points = lead_points([ENTRIES[1], ENTRIES[2], shared, total], RECORDS)
    assert [p.text for p in points] == [ACUERDO, SUIZA, NORUEGA]
    assert points[1].sources == (
        Citation(
            document_id="acta-julio",
            filename="acta-julio.txt",
            page=2,
            quote=SUIZA,
            char_start=10,
            char_end=10 + len(SUIZA),
            title="Acta de la reunión de seguimiento (17 de julio de 2023)",
            date="2023-07-17",
        ),
    )


def test_a_table_row_whose_figures_only_its_header_tells_apart_is_no_point() -> None:
    several = "| Total de los tres donantes | 10,5 | 25 | 2,5 | 21,5 |"
    one_figure = "| Unión Europea | Bruselas 2023 | 15 | EUR | Donación |"
    year_and_one = "| Noruega | 2023 | NOK 20 millones | Donación |"
    july = "2023-07-17"
    rows = [
        entry("r1", "Comunidad internacional", "bruselas-2023", july, source("acta-julio", several), total=True),
        entry("r2", "Unión Europea", "bruselas-2023", "2023-07-17", source("acta-julio", one_figure, start=60)),
        entry("r3", "Noruega", "bruselas-2023", "2023-07-17", source("acta-julio", year_and_one, start=120)),
        ENTRIES[1],
    ]
    assert [p.text for p in lead_points(rows, RECORDS)] == [one_figure, year_and_one, SUIZA]


def test_lead_heading_describes_the_event() -> None:
    assert lead_heading(interpret("los compromisos de la reunión del 17 de julio")) == (
        "Compromisos registrados en la reunión del 17 de julio"
    )
    assert lead_heading(interpret("compromisos de la Conferencia de Bruselas 2023")) == (
        "Compromisos registrados en la Conferencia de Bruselas 2023"
    )


def test_the_lead_comes_first_and_the_selection_fills_the_rest_without_repeating_it() -> None:
    page = f"{SUIZA} {NORUEGA} {ACUERDO}"
    chunk = make_chunk(page, document_id="acta-julio", filename="acta-julio.txt", page=2, char_start=0)
    prensa = make_chunk(
        "Según el comunicado, Suiza comprometió CHF 3 millones en donaciones para la regularización.",
        document_id="prensa",
        filename="prensa.txt",
        date="2023-07-18",
    )
    suiza = entry("e2", "Suiza", "bruselas-2023", "2023-07-17", source("acta-julio", SUIZA, start=0))
    noruega = entry("e3", "Noruega", "bruselas-2023", "2023-07-17", source("acta-julio", NORUEGA, start=len(SUIZA) + 1))
    lead = lead_points([suiza, noruega], RECORDS)
    b = build_briefing(
        "los compromisos de la reunión del 17 de julio",
        [chunk, prensa],
        QUERY,
        now=NOW,
        actor_finder=actor_finder,
        min_relevance=0.0,
        lead=lead,
        lead_heading="Compromisos registrados en la reunión del 17 de julio",
        max_points=3,
    )
    assert [(s.heading, [(p.id, p.text, p.citations) for p in s.points]) for s in b.sections] == [
        ("Compromisos registrados en la reunión del 17 de julio", [("p1", SUIZA, [1]), ("p2", NORUEGA, [2])]),
        ("Acta de la reunión de seguimiento (16 de marzo de 2023)", [("p3", ACUERDO, [3])]),
    ]
    assert [(c.n, c.document_id, c.quote, c.char_start) for c in b.citations] == [
        (1, "acta-julio", SUIZA, 0),
        (2, "acta-julio", NORUEGA, len(SUIZA) + 1),
        (3, "acta-julio", ACUERDO, len(SUIZA) + len(NORUEGA) + 2),
    ]


def test_the_lead_alone_makes_a_briefing() -> None:
    lead = lead_points([ENTRIES[1]], {})
    b = build_briefing("compromisos de la reunión del 17 de julio", [], QUERY, now=NOW, lead=lead, lead_heading="X")
    assert (b.found, [(s.heading, [p.text for p in s.points]) for s in b.sections]) == (True, [("X", [SUIZA])])
    assert b.citations[0].title == "Título acta-julio"


def test_table_header_rows_and_separators_are_never_points() -> None:
    row = "| Suiza | CHF 3 millones | Donación | Comprometido | Regularización migratoria en el Perú |"
    table = (
        "| Cooperante | Monto | Instrumento | Estado | Destino de los fondos en el país |\n"
        "| --- | --- | --- | --- | --- |\n"
        f"{row}"
    )
    header_only = table[: table.index(row) - 1]
    b = build_briefing(
        "compromisos de Suiza",
        [make_chunk(table), make_chunk(header_only, page=3)],
        QUERY,
        now=NOW,
        actor_finder=actor_finder,
        min_relevance=0.0,
    )
    assert [p.text for s in b.sections for p in s.points] == [row]
    assert [(c.page, c.quote, c.char_start) for c in b.citations] == [(1, row, table.index(row))]


def test_a_point_names_its_donor_and_the_asked_recipient_comes_first() -> None:
    unnamed = "- Conferencia de Bruselas, marzo de 2023: EUR 30 millones."
    for_colombia = "Noruega anunció NOK 20 millones para programas de protección en Colombia."
    rows = [
        entry("u", "Alemania", "bruselas-2023", "2023-03-17", source("acta-bruselas", unnamed)),
        {
            **entry("c", "Noruega", "bruselas-2023", "2023-03-17", source("acta-bruselas", for_colombia, start=90)),
            "recipient": "Colombia",
        },
        {**ENTRIES[0], "recipient": "Perú"},
    ]
    it = interpret("Compromisos de la Conferencia de Bruselas 2023 con destino al Perú")
    assert it.recipient == "Perú"
    ordered = event_entries(it, rows, RECORDS)
    assert [e["id"] for e in ordered] == ["e1", "u", "c"]
    assert [p.text for p in lead_points(ordered, RECORDS)] == [ESPANA, for_colombia]
