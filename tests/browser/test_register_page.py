"""The «Compromisos» page in a real browser, against the real service with the sample corpus indexed: filters in
the URL, totals per currency equal to the API's, the per-donor comparison with one chart per currency, timelines
with linked sources, CSV links carrying the filters, keyboard use and the 390 px layout."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from indexing.text.formatting import format_amount
from service.web.templating import quote_url
from tests.browser.conftest import LiveService

pytestmark = pytest.mark.integration

FILTERS = {"actor": "Alemania", "event": "canada-2021"}


def api(service: LiveService, path: str, **params: str) -> dict:
    r = httpx.get(service.url + path, params=params, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def new_page(browser: object, width: int) -> object:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-ES")  # type: ignore[attr-defined]
    return context.new_page()


def test_filters_totals_and_csv_match_the_api(browser: object, corpus_service: LiveService, screenshot: object) -> None:
    page = new_page(browser, 1280)
    page.goto(corpus_service.url + "/compromisos")
    page.get_by_label("Actor", exact=True).fill(FILTERS["actor"])
    page.get_by_label("Conferencia o evento", exact=True).select_option(FILTERS["event"])
    page.get_by_role("button", name="Filtrar").click()
    page.wait_for_url("**/compromisos?*")
    query = parse_qs(urlsplit(page.url).query)
    assert (query["actor"], query["event"]) == (["Alemania"], ["canada-2021"])

    summary = api(corpus_service, "/v1/commitments/summary", group_by="currency", **FILTERS)
    expected = [t for g in summary["groups"] for t in g["totals"]]
    assert expected, "the sample corpus has commitments of Alemania at Canadá 2021"
    rows = page.locator("#totales tbody tr")
    assert rows.count() == len(expected)
    for i, t in enumerate(expected):
        row = rows.nth(i)
        cells = row.locator("td")
        assert row.get_attribute("data-currency") == t["currency"]
        assert row.locator("th").inner_text() == t["currency"]
        assert float(cells.nth(0).get_attribute("data-amount")) == t["pledged"]
        assert float(cells.nth(1).get_attribute("data-amount")) == t["disbursed"]
        assert cells.nth(0).inner_text() == format_amount(t["pledged"], t["currency"])
        assert cells.nth(1).inner_text() == format_amount(t["disbursed"], t["currency"])
        assert cells.nth(2).inner_text() == str(t["count"])

    listed = api(corpus_service, "/v1/commitments", limit="1000", **FILTERS)
    assert page.locator("#registro tbody tr").count() == listed["total"]
    assert page.locator("#registro tbody tr").evaluate_all("rows => rows.map(r => r.dataset.id)") == [
        c["id"] for c in listed["commitments"]
    ]
    assert page.locator("#entry-count").inner_text() == f"({listed['total']} compromisos)"

    csv_href = page.locator("#csv-link").get_attribute("href")
    assert csv_href == "/v1/commitments.csv?" + urlencode(FILTERS)
    csv = httpx.get(corpus_service.url + csv_href, timeout=30)
    assert csv.status_code == 200
    assert csv.content == httpx.get(corpus_service.url + "/v1/commitments.csv", params=FILTERS, timeout=30).content
    assert len(csv.content.decode("utf-8-sig").strip().splitlines()) == listed["total"] + 1
    screenshot(page, "compromisos-filtrado-1280")  # type: ignore[operator]
    page.context.close()


def test_shared_url_opens_the_same_view_and_a_bad_filter_is_explained(
    browser: object, corpus_service: LiveService
) -> None:
    page = new_page(browser, 1280)
    page.goto(
        corpus_service.url + "/compromisos?" + urlencode({**FILTERS, "status": "desembolsado", "currency": "eur"})
    )
    assert page.get_by_label("Actor", exact=True).input_value() == "Alemania"
    assert page.get_by_label("Estado", exact=True).input_value() == "desembolsado"
    assert page.get_by_label("Moneda", exact=True).input_value() == "EUR"
    listed = api(corpus_service, "/v1/commitments", limit="1000", status="desembolsado", currency="EUR", **FILTERS)
    assert page.locator("#registro tbody tr").count() == listed["total"]
    assert listed["total"] > 0
    page.goto(corpus_service.url + "/compromisos?date_from=17-07-2023&status=perdido")
    alerts = page.get_by_role("alert").all_inner_texts()
    assert alerts == [
        "«perdido» no es un estado conocido; se ignoró.",
        "«17-07-2023» no es una fecha AAAA-MM-DD; se ignoró.",
    ]
    page.context.close()


def test_donor_comparison_one_group_per_conference_with_the_api_amounts(
    browser: object, corpus_service: LiveService, screenshot: object
) -> None:
    page = new_page(browser, 1280)
    page.goto(corpus_service.url + "/compromisos")
    page.get_by_label("Donante", exact=True).fill("Alemania")
    page.get_by_label("Donante", exact=True).press("Enter")
    page.wait_for_url("**comparar=Alemania*")
    compared = api(corpus_service, "/v1/commitments/compare", actor="Alemania")
    rows = compared["rows"]
    assert len(rows) >= 2, "Alemania is in the register at several conferences"
    table_rows = page.locator("#comparacion tbody tr")
    assert table_rows.count() == len(rows)
    stages = ("pledged", "signed", "disbursed")
    currencies = list(dict.fromkeys(a["currency"] for r in rows for s in stages for a in r[s]))
    charts = page.locator("figure.chart")
    assert charts.evaluate_all("fs => fs.map(f => f.dataset.currency)") == currencies
    for i, row in enumerate(rows):
        tr = table_rows.nth(i)
        assert tr.get_attribute("data-event") == (row["event"] or "")
        assert tr.locator("th").inner_text() == (row["event_label"] or "Sin conferencia")
        for stage in stages:
            shown = tr.locator(f"td[data-stage='{stage}'] .amount").evaluate_all(
                "xs => xs.map(x => [x.dataset.currency, Number(x.dataset.amount)])"
            )
            assert shown == [[a["currency"], a["amount"]] for a in row[stage]]
    for currency in currencies:
        chart = page.locator(f"figure.chart[data-currency='{currency}']")
        in_currency = [r for r in rows if any(a["currency"] == currency for s in stages for a in r[s])]
        groups = chart.locator("g.group")
        assert groups.count() == len(in_currency)
        for k, row in enumerate(in_currency):
            group = groups.nth(k)
            assert group.locator("text.group-label").text_content() == (row["event_label"] or "Sin conferencia")
            bars = group.locator("g.bar").evaluate_all("bs => bs.map(b => [b.dataset.stage, Number(b.dataset.amount)])")
            assert bars == [[s, sum(a["amount"] for a in row[s] if a["currency"] == currency)] for s in stages]
        label = chart.locator("svg").get_attribute("aria-label")
        assert label.startswith(f"Montos en {currency} por conferencia. ")
    assert page.locator("#compare-csv-link").get_attribute("href") == "/v1/commitments/compare.csv?actor=Alemania"
    csv = httpx.get(corpus_service.url + "/v1/commitments/compare.csv?actor=Alemania", timeout=30)
    assert csv.status_code == 200
    page.context.close()


def test_timeline_by_keyboard_links_every_stage_to_its_quote(browser: object, corpus_service: LiveService) -> None:
    page = new_page(browser, 1280)
    page.goto(corpus_service.url + "/compromisos?" + urlencode(FILTERS))
    first = page.locator("#registro tbody tr").first
    entry_id = first.get_attribute("data-id")
    timeline = api(corpus_service, f"/v1/commitments/{entry_id}/timeline")
    summary = first.locator("details summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert first.locator("details").evaluate("d => d.open") is True
    stages = first.locator("ol.timeline > li")
    assert stages.count() == len(timeline["stages"])
    for i, stage in enumerate(timeline["stages"]):
        links = stages.nth(i).locator(".stage-sources a")
        assert links.count() == len(stage["sources"])
        for j, src in enumerate(stage["sources"]):
            href = links.nth(j).get_attribute("href")
            assert href == quote_url(src["document_id"], src["page"], src["quote"])
        quotes = stages.nth(i).locator(".stage-sources .q").all_inner_texts()
        assert quotes == [f"«{src['quote']}»" for src in stage["sources"]]
    # The focus ring is visible on the control that holds the focus.
    outline = summary.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"
    page.context.close()


def test_small_screen_scrolls_tables_not_the_page(
    browser: object, corpus_service: LiveService, screenshot: object
) -> None:
    page = new_page(browser, 390)
    page.goto(corpus_service.url + "/compromisos?comparar=Alemania")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    scroll = page.locator("#registro").locator("xpath=..")
    assert scroll.evaluate("e => e.scrollWidth > e.clientWidth") is True
    assert page.locator("figure.chart").first.evaluate("f => f.getBoundingClientRect().right") <= 390
    screenshot(page, "compromisos-390")  # type: ignore[operator]
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "compromisos-1280")  # type: ignore[operator]
    page.context.close()
