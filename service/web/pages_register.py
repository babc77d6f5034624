"""The «Compromisos» page: the register with its filters, totals per currency, the per-donor comparison across
conferences (one bar chart per currency, drawn here as inline SVG) and each entry's timeline with its sources.

Filters travel in the URL with the API's own parameter names (`actor`, `event`, `currency`, `instrument`, `status`,
`date_from`, `date_to`), so a view can be shared and its CSV link is the same query on `/v1/commitments.csv`.
The page reads the register through the engine's methods, exactly as the API routes do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from indexing.register import CommitmentFilters
from indexing.text.formatting import format_amount
from service.deps import get_engine
from service.web.templating import render

router = APIRouter()

FILTER_KEYS = ("actor", "event", "currency", "instrument", "status", "date_from", "date_to")
STATUSES = ("anunciado", "comprometido", "firmado", "desembolsado", "ejecutado")
INSTRUMENTS = ("donación", "préstamo", "cooperación técnica", "en especie")
STAGES = (("pledged", "Comprometido"), ("signed", "Firmado"), ("disbursed", "Desembolsado"))
_CURRENCY_RE = re.compile(r"^[A-Za-z]{3}$")
_MAX_TEXT = 200
PAGE_SIZE = 100

# Geometry of the comparison chart (SVG user units; the SVG scales to its container's width).
CHART_WIDTH = 440
BAR_AREA = 270
BAR_HEIGHT = 18
BAR_GAP = 4
LABEL_HEIGHT = 24
GROUP_GAP = 14
LEGEND_HEIGHT = 30


@dataclass
class Bar:
    """One bar of the chart: a stage's amount in one currency for one conference."""

    stage: str
    label: str
    amount: float
    text: str
    y: float
    width: float


@dataclass
class BarGroup:
    """The three bars (pledged, signed, disbursed) of one conference."""

    label: str
    y: float
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Chart:
    """One currency's chart: a group of bars per conference, never mixing currencies."""

    currency: str
    height: float
    groups: list[BarGroup]

    @property
    def description(self) -> str:
        """Text alternative of the chart (also given as the table next to it)."""
        parts = [f"{g.label}: " + ", ".join(f"{b.label.lower()} {b.text}" for b in g.bars) for g in self.groups]
        return f"Montos en {self.currency} por conferencia. " + "; ".join(parts) + "."


def stage_amount(amounts: list[dict[str, Any]], currency: str) -> float:
    """The amount of one stage in `currency` (0 when the stage has none in it).

    :param amounts: the stage's amounts, one per currency.
    :param currency: ISO code.
    :returns: the amount.
    """
    return sum(float(a["amount"]) for a in amounts if a["currency"] == currency)


def build_charts(rows: list[dict[str, Any]]) -> list[Chart]:
    """One chart per currency of a donor's comparison rows (one bar group per conference with an amount in it).

    Bars are scaled to the largest amount of their own currency only.

    :param rows: `Comparison.to_dict()["rows"]`.
    :returns: the charts, currencies in order of first appearance.
    """
    currencies: list[str] = []
    for row in rows:
        for key, _ in STAGES:
            for a in row[key]:
                if a["currency"] not in currencies:
                    currencies.append(a["currency"])
    charts = []
    for currency in currencies:
        in_currency = [r for r in rows if any(a["currency"] == currency for k, _ in STAGES for a in r[k])]
        top = max(stage_amount(r[k], currency) for r in in_currency for k, _ in STAGES) or 1.0
        y = float(LEGEND_HEIGHT)
        groups = []
        for row in in_currency:
            group = BarGroup(label=row["event_label"] or "Sin conferencia", y=y + LABEL_HEIGHT - 7)
            y += LABEL_HEIGHT
            for key, label in STAGES:
                amount = stage_amount(row[key], currency)
                text = format_amount(amount, currency) if amount else "sin registro"
                width = max(BAR_AREA * amount / top, 2.0) if amount else 0.0
                group.bars.append(Bar(stage=key, label=label, amount=amount, text=text, y=y, width=width))
                y += BAR_HEIGHT + BAR_GAP
            y += GROUP_GAP
            groups.append(group)
        charts.append(Chart(currency=currency, height=y, groups=groups))
    return charts


def read_filters(params: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The valid filters of the page's query string, and a Spanish message for each one left out.

    :param params: the query parameters.
    :returns: (filters by API name, messages).
    """
    values: dict[str, str] = {}
    problems: list[str] = []
    for key in FILTER_KEYS:
        raw = (params.get(key) or "").strip()
        if not raw:
            continue
        if len(raw) > _MAX_TEXT:
            problems.append(f"El filtro «{key}» es demasiado largo; se ignoró.")
        elif key == "currency" and not _CURRENCY_RE.match(raw):
            problems.append(f"«{raw}» no es un código de moneda de tres letras; se ignoró.")
        elif key == "status" and raw not in STATUSES:
            problems.append(f"«{raw}» no es un estado conocido; se ignoró.")
        elif key == "instrument" and raw not in (*INSTRUMENTS, "unknown"):
            problems.append(f"«{raw}» no es un instrumento conocido; se ignoró.")
        elif key.startswith("date_"):
            try:
                values[key] = dt.date.fromisoformat(raw).isoformat()
            except ValueError:
                problems.append(f"«{raw}» no es una fecha AAAA-MM-DD; se ignoró.")
        else:
            values[key] = raw.upper() if key == "currency" else raw
    return values, problems


def query_string(values: dict[str, str], **extra: str) -> str:
    """`values` (and `extra`) as a query string, empty values left out, in a stable order."""
    merged = {**values, **extra}
    return urlencode({k: v for k, v in merged.items() if v})


@router.get("/compromisos", response_class=HTMLResponse)
def page(request: Request) -> HTMLResponse:
    """The register page (filters, totals, comparison, timelines).

    :param request: the current request.
    :returns: the HTML page.
    """
    engine = get_engine(request)
    params = dict(request.query_params)
    values, problems = read_filters(params)
    filters = CommitmentFilters(**values)
    every = engine.commitments()
    entries = engine.commitments(filters)
    summary = engine.commitments_summary("currency", filters)
    totals = [t for g in summary["groups"] for t in g["totals"]]

    donor = (params.get("comparar") or values.get("actor") or "").strip()[:_MAX_TEXT]
    comparison: dict[str, Any] | None = None
    charts: list[Chart] = []
    if donor:
        comparison = engine.compare_commitments([donor])[0].to_dict()
        charts = build_charts(comparison["rows"])

    try:
        offset = max(int(params.get("desde", "0")), 0)
    except ValueError:
        offset = 0
    shown = entries[offset : offset + PAGE_SIZE]
    timelines = {e["id"]: engine.commitment_timeline(e["id"]) for e in shown}

    events: dict[str, str] = {}
    for e in every:
        if e["event"] and e["event"] not in events:
            events[e["event"]] = e["event_label"] or e["event"]
    context = {
        "title": "Compromisos",
        "values": values,
        "problems": problems,
        "entries": shown,
        "total": len(entries),
        "offset": offset,
        "page_size": PAGE_SIZE,
        "totals": totals,
        "excluded_totals": len(summary["excluded_totals"]),
        "timelines": timelines,
        "donor": donor,
        "comparison": comparison,
        "charts": charts,
        "stages": STAGES,
        "chart": {"width": CHART_WIDTH, "bar_area": BAR_AREA, "bar_height": BAR_HEIGHT, "legend": LEGEND_HEIGHT},
        "actors": sorted({e["actor"] for e in every} | {e["actor_rollup"] for e in every if e["actor_rollup"]}),
        "events": sorted(events.items(), key=lambda kv: kv[1]),
        "currencies": sorted({e["currency"] for e in every if e["currency"]}),
        "statuses": STATUSES,
        "instruments": INSTRUMENTS,
        "query": query_string(values),
        "csv_url": "/v1/commitments.csv?" + query_string(values) if values else "/v1/commitments.csv",
        "compare_csv_url": "/v1/commitments/compare.csv?" + urlencode({"actor": donor}) if donor else "",
        "page_url": lambda **extra: "/compromisos?" + query_string(values, **extra),
        "stage_amount": stage_amount,
    }
    return render(request, "register.html", context)
