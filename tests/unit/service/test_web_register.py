"""The register page's pure parts: reading the filters of its URL and the geometry of the comparison charts."""

from __future__ import annotations

from service.web.pages_register import BAR_AREA, build_charts, query_string, read_filters


def row(event: str, label: str, pledged: list, signed: list, disbursed: list) -> dict:
    return {
        "event": event,
        "event_label": label,
        "date": None,
        "pledged": pledged,
        "signed": signed,
        "disbursed": disbursed,
        "entries": [],
        "sources": [],
    }


def eur(amount: float) -> dict:
    return {"currency": "EUR", "amount": amount, "qualifier": None}


def usd(amount: float) -> dict:
    return {"currency": "USD", "amount": amount, "qualifier": None}


def test_one_chart_per_currency_scaled_to_its_own_maximum() -> None:
    rows = [
        row("bruselas-2019", "Conferencia de Bruselas 2019", [eur(20e6), usd(5e6)], [], [eur(10e6)]),
        row("canada-2021", "Conferencia de Canadá 2021", [eur(40e6)], [eur(40e6)], []),
    ]
    charts = build_charts(rows)
    assert [c.currency for c in charts] == ["EUR", "USD"]
    eur_chart, usd_chart = charts
    assert [g.label for g in eur_chart.groups] == ["Conferencia de Bruselas 2019", "Conferencia de Canadá 2021"]
    assert [[(b.stage, b.amount, b.width, b.text) for b in g.bars] for g in eur_chart.groups] == [
        [
            ("pledged", 20e6, BAR_AREA / 2, "EUR 20 millones"),
            ("signed", 0.0, 0.0, "sin registro"),
            ("disbursed", 10e6, BAR_AREA / 4, "EUR 10 millones"),
        ],
        [
            ("pledged", 40e6, BAR_AREA, "EUR 40 millones"),
            ("signed", 40e6, BAR_AREA, "EUR 40 millones"),
            ("disbursed", 0.0, 0.0, "sin registro"),
        ],
    ]
    # USD is drawn on its own: only the conference with a USD amount, scaled to USD's maximum.
    assert [(g.label, [(b.amount, b.width) for b in g.bars]) for g in usd_chart.groups] == [
        ("Conferencia de Bruselas 2019", [(5e6, BAR_AREA), (0.0, 0.0), (0.0, 0.0)])
    ]
    assert usd_chart.description == (
        "Montos en USD por conferencia. Conferencia de Bruselas 2019: comprometido USD 5 millones, "
        "firmado sin registro, desembolsado sin registro."
    )


def test_filters_of_the_url_are_checked_and_explained() -> None:
    values, problems = read_filters(
        {
            "actor": " Alemania ",
            "currency": "eur",
            "status": "perdido",
            "date_from": "2023-07-17",
            "date_to": "17/07/2023",
            "instrument": "préstamo",
            "event": "",
        }
    )
    assert values == {"actor": "Alemania", "currency": "EUR", "instrument": "préstamo", "date_from": "2023-07-17"}
    assert problems == [
        "«perdido» no es un estado conocido; se ignoró.",
        "«17/07/2023» no es una fecha AAAA-MM-DD; se ignoró.",
    ]
    assert query_string(values, comparar="España") == (
        "actor=Alemania&currency=EUR&instrument=pr%C3%A9stamo&date_from=2023-07-17&comparar=Espa%C3%B1a"
    )
