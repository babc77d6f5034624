"""Linking stages across records, disbursement status, evaluation and totals."""

from __future__ import annotations

from corpus.commitments_scoring import evaluate_extraction, evaluate_linking, totals_by_actor
from indexing.commitments.link import link_commitments

from .factories import commitment


def test_pledge_signature_and_partial_disbursements_form_one_chain() -> None:
    pledge = commitment(
        "Alemania",
        12e6,
        status="anunciado",
        document_id="nota",
        date="2021-06-17",
        event="Conferencia de Canadá 2021",
        recipient="Perú",
    )
    signed = commitment("Alemania", 12e6, status="firmado", document_id="convenio", date="2022-03-22")
    paid = commitment("Alemania", 4e6, status="desembolsado", document_id="informe", date="2023-01-31")
    paid_more = commitment("Alemania", 9e6, status="desembolsado", document_id="informe2", date="2023-12-20")
    other = commitment(
        "Alemania",
        20e6,
        status="anunciado",
        document_id="nota2020",
        date="2020-05-26",
        event="Conferencia de Donantes 2020",
    )
    chains = link_commitments([paid_more, other, signed, paid, pledge])
    by_amount = {ch.pledged: ch for ch in chains}
    assert [c.status for c in by_amount[12e6].stages] == ["anunciado", "firmado", "desembolsado", "desembolsado"]
    assert by_amount[12e6].disbursed == 9e6
    assert by_amount[12e6].disbursement_status == "desembolso parcial"
    assert by_amount[20e6].disbursement_status == "sin registro de desembolso"
    assert len(chains) == 2


def test_agency_stages_link_to_country_pledge_and_full_disbursement() -> None:
    pledge = commitment("España", 2.5e6, status="anunciado", document_id="tabla", date="2020-05-26")
    signed = commitment("AECID", 2.5e6, status="firmado", document_id="acta", date="2020-10-14")
    paid = commitment("AECID", 2.5e6, status="desembolsado", document_id="acta2", date="2022-06-15")
    [chain] = link_commitments([pledge, signed, paid])
    assert chain.disbursement_status == "desembolsado"
    assert chain.actor == "España"


def test_no_link_across_currencies_countries_or_two_conferences() -> None:
    a = commitment("Canadá", 10e6, "CAD", document_id="a", recipient="Perú", date="2021-08-16")
    b = commitment("Canadá", 10e6, "CAD", document_id="b", recipient="Colombia", date="2021-09-01")
    c = commitment("Canadá", 10e6, "USD", document_id="c", date="2021-09-01")
    d = commitment("Canadá", 75e6, "CAD", status="anunciado", document_id="d", event="Conferencia de Canadá 2021")
    e = commitment("Canadá", 75e6, "CAD", status="anunciado", document_id="e", event="Conferencia de Bruselas 2023")
    assert len(link_commitments([a, b, c, d, e])) == 5


def test_disbursement_larger_than_pledge_does_not_link() -> None:
    pledge = commitment("Suiza", 4.5e6, "CHF", document_id="a", date="2021-06-17")
    too_big = commitment("Suiza", 9e6, "CHF", status="desembolsado", document_id="b", date="2022-01-01")
    assert len(link_commitments([pledge, too_big])) == 2


def test_evaluate_extraction_and_linking() -> None:
    pred = [
        commitment("Alemania", 12e6, document_id="nota", page=1),
        commitment("Alemania", 12e6, status="firmado", document_id="acta", page=2, date="2022-01-01"),
        commitment("Suecia", 1e6, document_id="nota", page=1, start=10),
    ]
    gold = [
        {"filename": "nota.txt", "page": 1, "actor": "Alemania", "amount": 12e6, "currency": "EUR"},
        {"filename": "acta.txt", "pages": [2, 3], "page": 2, "actor": "Alemania", "amount": 12e6, "currency": "EUR"},
        {"filename": "acta.txt", "page": 4, "actor": "Francia", "amount": 1e6, "currency": "EUR"},
    ]
    scores = evaluate_extraction(pred, gold)
    assert (scores["tp"], scores["fp"], scores["fn"]) == (2, 1, 1)
    assert round(scores["precision"], 3) == 0.667
    chains = link_commitments(pred)
    assert evaluate_linking(chains, [[gold[0], gold[1]]], gold) == 1.0
    assert evaluate_linking(link_commitments(pred[:1] + pred[2:]), [[gold[0], gold[1]]], gold) == 0.0


def test_totals_never_add_currencies_or_stages() -> None:
    items = [
        commitment("AECID", 2.5e6, status="comprometido", document_id="a", date="2020-09-01"),
        commitment("AECID", 2.5e6, status="firmado", document_id="b", date="2020-10-14"),
        commitment("AECID", 1e6, status="desembolsado", document_id="c", date="2020-11-30"),
        commitment("Canadá", 10e6, "CAD", document_id="d"),
    ]
    items[0].actor_rollup = items[1].actor_rollup = items[2].actor_rollup = "España"
    chains = link_commitments(items)
    assert totals_by_actor(items, chains) == {"AECID": {"EUR": 2.5e6}, "Canadá": {"CAD": 10e6}}
    assert totals_by_actor(items, chains, rollup=True) == {"España": {"EUR": 2.5e6}, "Canadá": {"CAD": 10e6}}
    assert totals_by_actor(items) == {"AECID": {"EUR": 2.5e6}, "Canadá": {"CAD": 10e6}}


def test_a_disbursement_above_a_more_than_pledge_pays_it_but_not_above_a_plain_one() -> None:
    from dataclasses import replace

    pledge = replace(
        commitment("Francia", 4e6, status="anunciado", document_id="nota", date="2020-05-26", event="conferencia-2020"),
        qualifier="más de",
    )
    paid = commitment("Francia", 4.3e6, status="desembolsado", document_id="informe", date="2021-12-31")
    chains = link_commitments([pledge, paid])
    assert [[(c.amount, c.status) for c in ch.stages] for ch in chains] == [
        [(4e6, "anunciado"), (4.3e6, "desembolsado")]
    ]
    plain = replace(pledge, qualifier=None)
    chains = link_commitments([plain, paid])
    assert sorted(len(ch.stages) for ch in chains) == [1, 1]
