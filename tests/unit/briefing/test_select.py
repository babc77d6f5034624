"""Extractive selection: relevance, near-duplicates, MMR, sections, ordering, threshold, determinism."""

from __future__ import annotations

import json
import random

import pytest

from indexing.briefing import Briefing, briefing_id, build_briefing, summarize_document
from indexing.briefing.actors import default_actor_finder
from indexing.briefing.render import NO_RESULTS_ES

from .factories import (
    ACUERDO,
    BRUSELAS,
    CANADA,
    NOW,
    QUERY,
    UE_ACTA,
    UE_PRENSA,
    actor_finder,
    bruselas_chunk,
    clima_chunk,
    corpus,
    make_chunk,
    unit,
)

TOPIC = "compromisos de la Unión Europea y desembolsos pendientes"


def build(chunks=None, **kwargs) -> Briefing:
    kwargs.setdefault("now", NOW)
    kwargs.setdefault("actor_finder", actor_finder)
    return build_briefing(TOPIC, corpus() if chunks is None else chunks, QUERY, **kwargs)


def point_texts(briefing: Briefing) -> list[str]:
    return [p.text for s in briefing.sections for p in s.points]


def test_press_release_and_minutes_collapse_into_one_point_citing_both():
    briefing = build()
    ue_points = [p for s in briefing.sections for p in s.points if "1.500 millones" in p.text]
    assert len(ue_points) == 1
    point = ue_points[0]
    assert point.text == UE_ACTA
    cited = [briefing.citation(n) for n in point.citations]
    assert [(c.document_id, c.page, c.quote) for c in cited] == [
        ("doc-acta", 2, UE_ACTA),
        ("doc-prensa", 1, UE_PRENSA),
    ]


def test_every_quote_is_an_exact_substring_of_its_chunk_and_points_are_verbatim():
    chunks = corpus()
    briefing = build(chunks)
    by_place = {(c.document_id, c.page): c.text for c in chunks}
    for citation in briefing.citations:
        assert citation.quote in by_place[(citation.document_id, citation.page)]
    for text in point_texts(briefing):
        assert any(text in chunk.text for chunk in chunks)
    # The heading line of the minutes is not part of any quote.
    assert all("ACTA DE LA REUNIÓN" not in c.quote for c in briefing.citations)


def test_sections_by_document_are_chronological_and_citations_numbered_by_first_appearance():
    briefing = build()
    assert briefing.found is True
    assert briefing.title == f"Ayuda memoria: {TOPIC}"
    assert [s.heading for s in briefing.sections] == [
        "Declaración conjunta de Bruselas (17 de marzo de 2022)",
        "Acta de la reunión de seguimiento (16 de marzo de 2023)",
        "Comunicado de prensa (17 de marzo de 2023)",
    ]
    assert [p.text for p in briefing.sections[1].points] == [UE_ACTA, ACUERDO, CANADA]
    flat = [n for s in briefing.sections for p in s.points for n in p.citations]
    assert flat == list(range(1, len(briefing.citations) + 1))
    assert [c.n for c in briefing.citations] == flat


def test_off_topic_record_is_not_cited():
    briefing = build()
    assert "doc-clima" not in {c.document_id for c in briefing.citations}


def test_group_by_date_sections_per_month_in_order():
    extra = make_chunk(
        "España firmó un acuerdo de cooperación con la Unión Europea para financiar albergues temporales.",
        document_id="doc-madrid",
        filename="madrid.pdf",
        title="Nota de Madrid",
        date="2023-06-02",
        embedding=unit(0.95, 0.3, 0, 0),
    )
    briefing = build([*corpus(), extra], group_by="date")
    assert [s.heading for s in briefing.sections] == ["Marzo de 2022", "Marzo de 2023", "Junio de 2023"]
    march = briefing.sections[1]
    # Minutes (16 March) before the press release (17 March); inside the minutes by offset.
    assert [p.text for p in march.points] == [
        UE_ACTA,
        ACUERDO,
        CANADA,
        "El comunicado fue difundido por la oficina de prensa de la conferencia.",
    ]


def test_group_by_actor_with_others_last():
    briefing = build(group_by="actor")
    headings = [s.heading for s in briefing.sections]
    assert headings == ["Canadá", "Unión Europea", "Otros"]
    assert [p.text for p in briefing.sections[0].points] == [CANADA]
    assert [p.text for p in briefing.sections[1].points] == [BRUSELAS, UE_ACTA]
    assert ACUERDO in [p.text for p in briefing.sections[2].points]


def test_mmr_prefers_a_diverse_point_over_a_redundant_one():
    base = "El Banco Mundial aprobó financiamiento para la integración de migrantes venezolanos en Colombia."
    redundant = (
        "El Banco Mundial aprobó un financiamiento adicional para la integración económica de migrantes en Perú."
    )
    diverse = "Los ministros evaluaron los avances del plan regional de respuesta para refugiados y migrantes."
    chunks = [
        make_chunk(base, document_id="d1", filename="a.txt", embedding=unit(1, 0, 0, 0)),
        make_chunk(redundant, document_id="d2", filename="b.txt", embedding=unit(1, 0, 0, 0)),
        make_chunk(diverse, document_id="d3", filename="c.txt", embedding=unit(0.9, 0, 0.436, 0)),
    ]
    topic = "financiamiento integración migrantes plan regional"
    top3 = build_briefing(topic, chunks, QUERY, max_points=3, now=NOW, actor_finder=actor_finder)
    texts = point_texts(top3)
    # By relevance alone the redundant sentence ranks above the diverse one...
    assert set(texts) == {base, redundant, diverse}
    top2 = build_briefing(topic, chunks, QUERY, max_points=2, now=NOW, actor_finder=actor_finder)
    # ...but with two points MMR keeps the diverse one.
    assert set(point_texts(top2)) == {base, diverse}


def test_two_sentences_of_one_chunk_are_deduplicated_by_their_words():
    first = "Canadá anunció una contribución de 30 millones de dólares para la respuesta regional."
    second = "Canadá anunció una contribución de 30 millones de dólares para la respuesta regional este año."
    chunk = make_chunk(f"{first} {second}", embedding=unit(1, 0, 0, 0))
    briefing = build_briefing("contribución de Canadá", [chunk], QUERY, now=NOW, actor_finder=actor_finder)
    assert [(p.text, p.citations) for s in briefing.sections for p in s.points] == [(first, [1, 2])]


def test_short_sentences_and_headings_are_skipped():
    text = "Compromisos financieros\nSe aprobó. La Unión Europea anunció 200 millones de euros para la salud."
    briefing = build_briefing(
        "Unión Europea", [make_chunk(text)], QUERY, now=NOW, actor_finder=actor_finder, min_relevance=0.0
    )
    assert point_texts(briefing) == ["La Unión Europea anunció 200 millones de euros para la salud."]


def test_nothing_relevant_gives_found_false_and_no_content():
    briefing = build_briefing(
        "vacunación infantil contra el sarampión", [clima_chunk()], QUERY, now=NOW, actor_finder=actor_finder
    )
    assert briefing.found is False
    assert briefing.sections == []
    assert briefing.citations == []
    assert NO_RESULTS_ES in briefing.summary_markdown


def test_min_relevance_is_a_caller_calibrated_threshold():
    chunks = [bruselas_chunk()]  # dense 0.8 → relevance 0.48 plus lexical share
    assert build(chunks, min_relevance=0.9).found is False
    assert build(chunks, min_relevance=0.5).found is True


def test_lexical_only_when_there_is_no_query_embedding():
    briefing = build_briefing(TOPIC, corpus(), None, now=NOW, actor_finder=actor_finder, min_relevance=0.2)
    assert briefing.found is True
    assert "doc-clima" not in {c.document_id for c in briefing.citations}


def test_deterministic_whatever_the_input_order_and_round_trips():
    chunks = corpus()
    first = build(chunks, index_state="v7")
    shuffled = list(chunks)
    random.Random(3).shuffle(shuffled)
    second = build(shuffled, index_state="v7")
    assert first.to_dict() == second.to_dict()
    assert first.id == briefing_id("v7", first.request)
    assert len(first.id) == 16
    assert first.generated_at == "2024-05-06T09:30:00+00:00"
    assert Briefing.from_dict(json.loads(json.dumps(first.to_dict()))) == first


def test_id_depends_on_index_state_and_normalized_request():
    a = build(index_state="v1")
    assert build(index_state="v2").id != a.id
    same = build_briefing(f"  {TOPIC.upper()} ", corpus(), QUERY, now=NOW, index_state="v1", actor_finder=actor_finder)
    assert same.id == a.id
    assert build(index_state="v1", group_by="date").id != a.id
    assert a.request == {"topic": TOPIC, "filters": {}, "max_points": 8, "group_by": "document", "mode": "extractive"}


def test_max_points_is_respected():
    briefing = build(max_points=2)
    assert sum(len(s.points) for s in briefing.sections) == 2


@pytest.mark.parametrize("kwargs", [{"group_by": "tema"}, {"max_points": 0}])
def test_invalid_arguments(kwargs):
    with pytest.raises(ValueError):
        build(**kwargs)


def test_summarize_document_sections_by_page_range():
    welcome = "La sesión comenzó con palabras de bienvenida del anfitrión a todas las delegaciones presentes."
    pages = {
        1: "La Unión Europea anunció una contribución de 1.500 millones de euros para la respuesta regional.",
        2: "Canadá desembolsó 30 millones de dólares del compromiso asumido en la conferencia de 2022.",
        3: "Los participantes acordaron revisar los desembolsos pendientes en la próxima reunión de seguimiento.",
        4: "España firmó un acuerdo de cooperación para financiar albergues temporales en la frontera norte.",
    }
    vectors = {1: unit(1, 0.1, 0, 0), 2: unit(1, 0.2, 0, 0), 3: unit(0.9, 0.3, 0, 0), 4: unit(0.8, 0, 0.3, 0)}
    chunks = [make_chunk(t, page=p, chunk_index=p, embedding=vectors[p]) for p, t in pages.items()]
    # The greeting sits in a chunk of its own, far from the record's centre.
    chunks.append(make_chunk(welcome, page=1, chunk_index=0, char_start=300, embedding=unit(0.3, 0, 0, 1)))
    summary = summarize_document(chunks, max_points=4, now=NOW, index_state="v1", actor_finder=actor_finder)
    assert summary.found is True
    assert summary.title == "Resumen: Acta de la reunión de seguimiento"
    assert [s.heading for s in summary.sections] == ["Páginas 1–2", "Páginas 3–4"]
    points = [p.text for s in summary.sections for p in s.points]
    assert welcome not in points
    assert points == [
        pages[1],
        pages[2],
        pages[3],
        pages[4],
    ]
    assert [c.page for c in summary.citations] == [1, 2, 3, 4]
    assert summary.request == {"kind": "document_summary", "document_ids": ["doc-acta"], "max_points": 4}


def test_summarize_empty_document_is_not_found():
    summary = summarize_document([], now=NOW)
    assert summary.found is False
    assert summary.sections == []


def test_default_actor_finder_canonical_names_in_order():
    text = "Tras el anuncio de EE. UU., la UE y el BID firmaron con ACNUR; Canadá también aportó."
    assert default_actor_finder(text) == [
        "Estados Unidos",
        "Unión Europea",
        "Banco Interamericano de Desarrollo",
        "ACNUR",
        "Canadá",
    ]
    assert default_actor_finder("el bid de la subasta") == []
