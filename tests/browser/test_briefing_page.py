"""The «Ayuda memoria» page in a real browser, against the real service with the sample corpus indexed: draft a
briefing, remove a point, reorder by keyboard, edit the title, export DOCX and Markdown of THE EDITED briefing."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from docx import Document as DocxDocument

from service.web.templating import quote_url
from tests.browser.conftest import LiveService

pytestmark = pytest.mark.integration

TOPIC = "compromisos anunciados en la Conferencia de Bruselas 2023"


def one_line(text: str) -> str:
    return " ".join(text.split())


def draft(browser: object, service: LiveService, width: int) -> tuple[object, dict]:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-ES", accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(service.url + "/ayuda-memoria")
    page.get_by_label("Tema").fill(TOPIC)
    page.get_by_role("button", name="Redactar borrador").click()
    page.wait_for_selector("#borrador")
    briefing_id = page.locator("#borrador").get_attribute("data-briefing-id")
    stored = httpx.get(f"{service.url}/v1/briefings/{briefing_id}", timeout=30).json()
    return page, stored


def expected_edition(stored: dict, order: list[str]) -> tuple[list[dict], list[dict]]:
    """(points, citations) of the edition: points in `order`, footnotes renumbered by first citation."""
    points = {p["id"]: p for s in stored["sections"] for p in s["points"]}
    by_n = {c["n"]: c for c in stored["citations"]}
    renumber: dict[int, int] = {}
    kept = []
    for pid in order:
        numbers = []
        for n in points[pid]["citations"]:
            renumber.setdefault(n, len(renumber) + 1)
            numbers.append(renumber[n])
        kept.append({**points[pid], "citations": numbers})
    citations = [{**by_n[old], "n": new} for old, new in renumber.items()]
    return kept, citations


def test_remove_reorder_retitle_and_export_docx(
    browser: object, corpus_service: LiveService, screenshot: object, tmp_path: Path
) -> None:
    page, stored = draft(browser, corpus_service, 1280)
    assert stored["found"] is True
    ids = [p["id"] for s in stored["sections"] for p in s["points"]]
    assert len(ids) >= 4
    items = page.locator("#points > li.point")
    assert items.evaluate_all("xs => xs.map(x => x.dataset.id)") == ids
    texts = {p["id"]: p["text"] for s in stored["sections"] for p in s["points"]}
    assert [one_line(t) for t in page.locator("#points .point-text").all_inner_texts()] == [
        one_line(texts[i]) for i in ids
    ]
    # Each point's source opens the record at its page with the quote highlighted.
    first_cite = stored["citations"][stored["sections"][0]["points"][0]["citations"][0] - 1]
    assert items.first.locator("a.source-link").first.get_attribute("href") == quote_url(
        first_cite["document_id"], first_cite["page"], first_cite["quote"]
    )
    # Quotes are not editable in the page.
    assert page.locator("#points [contenteditable], #points textarea, #points input").count() == 0

    # Remove the second point: the focus goes to the next point's «Quitar».
    page.get_by_role("button", name="Quitar el punto 2").click()
    order = [ids[0], *ids[2:]]
    assert items.evaluate_all("xs => xs.map(x => x.dataset.id)") == order
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Quitar el punto 2"
    assert page.locator("#removed li").count() == 1
    # Move the (new) third point up with the keyboard: Enter on «Subir», then Alt+ArrowDown moves it back down
    # and Alt+ArrowUp up again.
    page.get_by_role("button", name="Subir el punto 3").focus()
    page.keyboard.press("Enter")
    order = [order[0], order[2], order[1], *order[3:]]
    assert items.evaluate_all("xs => xs.map(x => x.dataset.id)") == order
    page.keyboard.press("Alt+ArrowDown")
    page.keyboard.press("Alt+ArrowUp")
    assert items.evaluate_all("xs => xs.map(x => x.dataset.id)") == order
    assert page.get_by_role("status").inner_text() == f"Punto movido a la posición 2 de {len(order)}."
    title = "Bruselas 2023: lo anunciado (revisado)"
    page.get_by_label("Título").fill(title)

    kept, citations = expected_edition(stored, order)
    # The page numbers the footnotes as the export will.
    markers = [[int(x) for x in li.locator("sup.marker").all_inner_texts()] for li in items.all()]
    assert markers == [p["citations"] for p in kept]
    assert page.locator("#notes > li").evaluate_all("xs => xs.map(x => x.value)") == [c["n"] for c in citations]

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Exportar Word (DOCX)").click()
    download = download_info.value
    assert download.suggested_filename == f"ayuda_memoria_{stored['id']}_editada.docx"
    path = tmp_path / "am.docx"
    download.save_as(path)
    doc = DocxDocument(io.BytesIO(path.read_bytes()))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == title
    assert doc.core_properties.title == title
    body = [p for p in paragraphs if any(p.startswith(one_line(k["text"])) for k in kept)]
    expected_body = [one_line(k["text"]) + ",".join(str(n) for n in k["citations"]) for k in kept]
    assert body == expected_body
    assert not any(p.startswith(one_line(texts[ids[1]])) for p in paragraphs), "the removed point is left out"
    notes = paragraphs[paragraphs.index("Notas") + 1 :]
    assert [n.split(". ", 1)[0] for n in notes] == [str(c["n"]) for c in citations]
    for note, c in zip(notes, citations, strict=True):
        assert note.endswith(f"p. {c['page']}: «{one_line(c['quote'])}»")
    assert page.get_by_role("status").inner_text() == f"Exportada: {download.suggested_filename}."

    with page.expect_download() as md_info:
        page.get_by_role("button", name="Exportar Markdown").click()
    md_path = tmp_path / "am.md"
    md_info.value.save_as(md_path)
    md = md_path.read_text(encoding="utf-8")
    assert md.startswith("# Bruselas 2023: lo anunciado \\(revisado\\)\n") or md.startswith(f"# {title}\n")
    assert [line.split("]:", 1)[0] for line in md.splitlines() if line.startswith("[^")] == [
        f"[^{c['n']}" for c in citations
    ]
    page.locator("#borrador-h").scroll_into_view_if_needed()
    screenshot(page, "ayuda-memoria-editada-1280")  # type: ignore[operator]
    page.context.close()


def test_restore_a_removed_point_and_no_topic_match(browser: object, corpus_service: LiveService) -> None:
    page, stored = draft(browser, corpus_service, 1280)
    ids = [p["id"] for s in stored["sections"] for p in s["points"]]
    page.get_by_role("button", name="Quitar el punto 1").click()
    restore = page.locator("#removed button.restore")
    restore.click()
    assert page.locator("#points > li.point").evaluate_all("xs => xs.map(x => x.dataset.id)") == [*ids[1:], ids[0]]
    assert page.locator("#removed-box").is_hidden()
    page.goto(
        corpus_service.url
        + "/ayuda-memoria?"
        + urlencode({"tema": "precio internacional del cobre y aranceles mineros"})
    )
    assert page.locator("#no-results").inner_text() == (
        "Ningún registro trata este tema con los filtros elegidos: no hay puntos que citar."
    )
    assert page.locator("#borrador").count() == 0
    page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(browser: object, corpus_service: LiveService, screenshot: object, width: int) -> None:
    page, _ = draft(browser, corpus_service, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"ayuda-memoria-{width}")  # type: ignore[operator]
    page.context.close()
