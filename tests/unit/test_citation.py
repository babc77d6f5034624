"""One `Citation` type for answers, briefings and register sources (`indexing.types`)."""

from __future__ import annotations

import json
from dataclasses import asdict

from indexing import briefing
from indexing.briefing import model as briefing_model
from indexing.commitments import model as commitments_model
from indexing.query import answer
from indexing.types import Citation


def test_answers_briefings_and_register_sources_share_one_type() -> None:
    assert answer.Citation is Citation
    assert briefing.Citation is Citation
    assert briefing_model.Citation is Citation
    assert commitments_model.Source is Citation


def test_a_register_source_is_built_from_its_six_positional_fields() -> None:
    source = commitments_model.Source("d1", "acta.pdf", 2, "España anunció EUR 5 millones.", 10, 40)
    assert source == Citation(
        document_id="d1",
        filename="acta.pdf",
        page=2,
        quote="España anunció EUR 5 millones.",
        char_start=10,
        char_end=40,
    )
    assert (source.n, source.title, source.date, source.score, source.table_header, source.ocr, source.page_kind) == (
        0,
        "",
        None,
        0.0,
        (),
        False,
        "page",
    )
    assert {source: 1}[Citation("d1", "acta.pdf", 2, "España anunció EUR 5 millones.", 10, 40)] == 1


def test_from_dict_reads_back_a_json_round_trip() -> None:
    c = Citation(
        n=3,
        document_id="d2",
        filename="cuadro.pdf",
        title="Cuadro de aportes",
        date="2023-03-16",
        page=4,
        quote="Alemania | 22,2",
        char_start=120,
        char_end=135,
        score=0.8125,
        table_header=("Donante", "Monto"),
        ocr=True,
        page_kind="section",
    )
    data = json.loads(json.dumps(asdict(c)))
    assert data["table_header"] == ["Donante", "Monto"]
    assert Citation.from_dict(data) == c


def test_from_dict_reads_a_briefing_citation_stored_before_the_merge() -> None:
    stored = {
        "n": 1,
        "document_id": "d1",
        "filename": "acta.pdf",
        "title": "Acta",
        "date": None,
        "page": 2,
        "quote": "Canadá desembolsó USD 30 millones.",
        "ocr": False,
        "page_kind": "page",
    }
    assert Citation.from_dict(stored) == Citation(
        n=1, document_id="d1", filename="acta.pdf", title="Acta", page=2, quote="Canadá desembolsó USD 30 millones."
    )
