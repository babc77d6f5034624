"""Spanish formatting of dates, numbers and amounts for the register and the briefings."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from indexing.text.dates import MONTH_NAMES

_ISO_PREFIX_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def format_date_es(iso: str | None) -> str:
    """Spanish long date: "2023-07-17" → "17 de julio de 2023", "2023-07" → "julio de 2023", "2023" → "2023".

    A timestamp ("2023-07-17T10:00:00+00:00") is formatted by its date part. Anything else is returned unchanged.

    :param iso: ISO date (or prefix of one).
    :returns: the formatted date, "" for None or "".
    """
    if not iso:
        return ""
    m = _ISO_PREFIX_RE.match(iso.strip())
    if not m:
        return iso
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        return iso
    if day is None:
        return f"{MONTH_NAMES[int(month) - 1]} de {year}"
    return f"{int(day)} de {MONTH_NAMES[int(month) - 1]} de {year}"


def page_label_es(page: int, page_kind: str = "page") -> str:
    """Where a quote is, for people: "p. 3", or "sección 2" when the record counts sections, not pages.

    :param page: the 1-based page (or section) number.
    :param page_kind: "page" or "section" (`constants.PAGE_KIND`).
    :returns: the label.
    """
    return f"sección {page}" if page_kind == "section" else f"p. {page}"


def month_heading_es(iso: str | None) -> str:
    """Capitalized month and year of an ISO date ("2023-03-15" → "Marzo de 2023"); "Sin fecha" when unknown.

    :param iso: ISO date (or prefix of one), or None.
    :returns: the heading.
    """
    if not iso:
        return "Sin fecha"
    m = _ISO_PREFIX_RE.match(iso.strip())
    if not m:
        return "Sin fecha"
    if m.group(2) is None or not 1 <= int(m.group(2)) <= 12:
        return m.group(1)
    return f"{MONTH_NAMES[int(m.group(2)) - 1].capitalize()} de {m.group(1)}"


def format_number_es(x: int | float | Decimal | str, decimals: int | None = None) -> str:
    """Spanish number: "." groups thousands, "," separates decimals (1500000 → "1.500.000", 2.5 → "2,5").

    :param x: the number (a float is taken by its shortest representation, so 1500.5 → "1.500,5").
    :param decimals: fixed number of decimals; None keeps the significant ones.
    :returns: the formatted number.
    :raises ValueError: when `x` is not a number.
    """
    try:
        value = Decimal(str(x)) if not isinstance(x, Decimal) else x
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {x!r}") from exc
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals))
        text = format(value, "f")
    else:
        text = format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    return f"{sign}{out},{frac}" if frac else f"{sign}{out}"


def _spanish_number(value: float, decimals: int = 2) -> str:
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def format_amount(amount: float, currency: str | None) -> str:
    """Amount in Spanish: "EUR 50 millones", "USD 12,3 millones", "USD 1.554 millones", "CHF 450.000".

    :param amount: the amount in units of the currency.
    :param currency: ISO code, or None.
    :returns: the amount in millions from one million up, rounded to two decimals.
    """
    prefix = f"{currency} " if currency else ""
    if amount >= 1_000_000:
        millions = amount / 1_000_000
        unit = "millón" if millions == 1 else "millones"
        return f"{prefix}{_spanish_number(millions)} {unit}"
    return f"{prefix}{_spanish_number(amount)}"
