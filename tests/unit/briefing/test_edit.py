"""Edition of a briefing: a subset of its points in a new order, footnotes renumbered, headings kept."""

from __future__ import annotations

import pytest

from indexing.briefing import Briefing, Citation, Point, Section
from indexing.briefing.edit import edit_briefing
from indexing.errors import DuplicateBriefingPoint, UnknownBriefingPoint


def two_sections() -> Briefing:
    return Briefing(
        id="0123456789abcdef",
        title="Ayuda memoria: Canadá",
        generated_at="2023-07-17T10:00:00+00:00",
        summary_markdown="",
        sections=[
            Section(
                "Acta (16 de marzo de 2023)",
                [Point("Canadá desembolsó USD 30 millones.", [1, 2]), Point("Se acordó otra reunión.", [3])],
            ),
            Section("Nota de prensa (17 de marzo de 2023)", [Point("España anunció EUR 5 millones.", [4])]),
        ],
        citations=[
            Citation(
                n=1,
                document_id="d1",
                filename="acta.pdf",
                title="Acta",
                date="2023-03-16",
                page=2,
                quote="Canadá desembolsó USD 30 millones.",
            ),
            Citation(
                n=2,
                document_id="d2",
                filename="nota.txt",
                title="Nota",
                date=None,
                page=1,
                quote="Canadá desembolsó USD 30 millones.",
            ),
            Citation(
                n=3,
                document_id="d1",
                filename="acta.pdf",
                title="Acta",
                date="2023-03-16",
                page=4,
                quote="Se acordó otra reunión.",
            ),
            Citation(
                n=4,
                document_id="d2",
                filename="nota.txt",
                title="Nota",
                date=None,
                page=2,
                quote="España anunció EUR 5 millones.",
            ),
        ],
        found=True,
        warnings=["Aviso."],
    )


def test_ids_are_positional_in_reading_order() -> None:
    assert [p.id for p in two_sections().points()] == ["p1", "p2", "p3"]


def test_reorder_across_sections_renumbers_and_keeps_headings() -> None:
    e = edit_briefing(two_sections(), " Canadá y España ", ["p3", "p1"])
    assert e.title == "Canadá y España"
    assert [(s.heading, [(p.id, p.text, p.citations) for p in s.points]) for s in e.sections] == [
        ("Nota de prensa (17 de marzo de 2023)", [("p3", "España anunció EUR 5 millones.", [1])]),
        ("Acta (16 de marzo de 2023)", [("p1", "Canadá desembolsó USD 30 millones.", [2, 3])]),
    ]
    assert [(c.n, c.document_id, c.page) for c in e.citations] == [(1, "d2", 2), (2, "d1", 2), (3, "d2", 1)]
    assert (e.id, e.generated_at, e.warnings, e.found) == (
        "0123456789abcdef",
        "2023-07-17T10:00:00+00:00",
        ["Aviso."],
        True,
    )
    assert e.summary_markdown.splitlines()[0] == "# Canadá y España"
    assert "[^3]: *Nota*, p. 1: «Canadá desembolsó USD 30 millones.»" in e.summary_markdown


def test_points_of_one_section_moved_apart_repeat_its_heading() -> None:
    e = edit_briefing(two_sections(), "T", ["p1", "p3", "p2"])
    assert [s.heading for s in e.sections] == [
        "Acta (16 de marzo de 2023)",
        "Nota de prensa (17 de marzo de 2023)",
        "Acta (16 de marzo de 2023)",
    ]


def test_unknown_and_repeated_ids_are_refused() -> None:
    with pytest.raises(UnknownBriefingPoint) as unknown:
        edit_briefing(two_sections(), "T", ["p1", "p9"])
    assert (unknown.value.code, unknown.value.status) == ("unknown_point", 422)
    with pytest.raises(DuplicateBriefingPoint) as repeated:
        edit_briefing(two_sections(), "T", ["p2", "p2"])
    assert (repeated.value.code, repeated.value.status) == ("duplicate_point", 422)


def test_stored_ids_survive_a_round_trip() -> None:
    e = edit_briefing(two_sections(), "T", ["p3", "p1"])
    again = Briefing.from_dict(e.to_dict())
    assert [p.id for p in again.points()] == ["p3", "p1"]
