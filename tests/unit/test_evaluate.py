from __future__ import annotations

from corpus.evaluate import calibrate_confidence, reliability, sources, states_gold_fact, summarize


def test_sources_are_gold_and_also() -> None:
    q = {
        "answerable": True,
        "filename": "a.txt",
        "page": 1,
        "quote": "x",
        "also": [{"filename": "b.pdf", "page": 4, "quote": "y"}],
    }
    assert [(s["filename"], s["page"]) for s in sources(q)] == [("a.txt", 1), ("b.pdf", 4)]
    assert sources({"answerable": False}) == []


def test_states_gold_fact_needs_every_number() -> None:
    gold = "Noruega anunció NOK 40 millones para la respuesta regional"
    assert states_gold_fact("El Gobierno de Noruega anunció NOK 40 millones para la respuesta regional.", gold)
    assert not states_gold_fact("Noruega anunció NOK 60 millones para la respuesta regional.", gold)


def test_summarize_and_reliability() -> None:
    rows = [
        {
            "answerable": True,
            "search5": True,
            "mrr": 1.0,
            "pdf": True,
            "cite_ok": True,
            "page_ok": True,
            "fact_ok": True,
            "false_abstain": False,
            "ask_ms": 10.0,
            "search_ms": 5.0,
        },
        {
            "answerable": True,
            "search5": False,
            "mrr": 0.0,
            "pdf": False,
            "cite_ok": False,
            "page_ok": False,
            "fact_ok": False,
            "false_abstain": True,
            "ask_ms": 30.0,
            "search_ms": 5.0,
        },
        {"answerable": False, "abstain_ok": True, "ask_ms": 20.0, "search_ms": 5.0},
    ]
    s = summarize(rows)
    assert (s["search_answering_record@5"], s["ask_page_states_it_pdf"], s["abstention_unanswerable"]) == (
        0.5,
        1.0,
        1.0,
    )
    assert (s["wrongly_abstained"], s["ask_latency_ms_p50"]) == (0.5, 20.0)
    lines, ece = reliability([(0.9, True), (0.9, False), (0.1, False)])
    assert lines == ["[0.0,0.2) n=1 confianza=0.10 acierto=0.00", "[0.8,1.0) n=2 confianza=0.90 acierto=0.50"]
    assert ece == round(2 / 3 * 0.4 + 1 / 3 * 0.1, 3)


def test_calibrate_confidence_separates_scores() -> None:
    slope, mid, _ = calibrate_confidence([(1.0, False), (1.2, False), (2.8, True), (3.0, True)])
    assert 1.2 <= mid <= 2.8 and slope > 0


def test_smoothed_share_is_never_certain() -> None:
    from corpus.evaluate import smoothed_share

    assert smoothed_share([True] * 23) == 24 / 25
    assert smoothed_share([True] * 9 + [False] * 3) == 10 / 14
    assert smoothed_share([]) == 0.5
