"""Buscar / Preguntar and the quote on its page, in Chromium against the sample corpus (authentication off)."""

from __future__ import annotations

from urllib.parse import quote

import pypdfium2 as pdfium

from service.web.record_pages import fold_indexed
from tests.browser.conftest import LiveService

QUESTION = "¿En qué fecha suscribieron la AECID y la APCI el convenio de integración?"
QUOTE = "El convenio entre la AECID y la APCI fue firmado el 14 de octubre de 2020."
UNANSWERABLE = "¿Cuánto comprometió Australia en la conferencia de Bruselas de 2023?"
WIDTHS = (1280, 390)


def folded(text: str) -> str:
    return fold_indexed(text)[0]


def text_under_boxes(pdf: bytes, page_number: int, boxes: list[list[float]]) -> str:
    """What the PDF itself holds inside the highlight boxes (PDFium's text in each rectangle), joined."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[page_number - 1]
        height = page.get_size()[1]
        textpage = page.get_textpage()
        return " ".join(
            textpage.get_text_bounded(left=x, bottom=height - y - h, right=x + w, top=height - y)
            for x, y, w, h in boxes
        )
    finally:
        doc.close()


def test_answer_with_its_quote_then_the_highlight_on_the_right_page(
    browser: object, corpus_service: LiveService, screenshot: object
) -> None:
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-ES")  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(corpus_service.url + "/")
        page.get_by_label("Pregunta o búsqueda").fill(QUESTION)
        page.get_by_role("button", name="Buscar", exact=True).click()
        page.wait_for_url("**/?q=*")
        assert page.locator("#found-badge").inner_text() == "encontrada"
        answer_text = page.locator("#answer-text").inner_text()
        # The quote's citation (its rank among near-tied sentences depends on the corpus' term statistics; the
        # ranking itself is measured by corpus.evaluate): its marker follows the quote in the answer text.
        first = page.locator("li.citation").filter(has_text=QUOTE)
        assert first.count() == 1
        assert first.locator("blockquote").inner_text() == QUOTE
        assert f"{QUOTE} {first.locator('.cite-n').inner_text()}" in answer_text
        screenshot(page, f"web-buscar-respuesta-{width}")  # type: ignore[operator]

        first.locator("a.cite-link").click()
        page.wait_for_url("**/documentos/**")
        assert "pagina=2" in page.url
        assert page.locator(".pager [aria-current='page']").inner_text() == "Página 2 de 3"
        image = page.locator(".page-canvas img")
        image.wait_for()
        image.evaluate("img => img.decode()")  # resolves once the PNG is loaded and decoded
        assert image.evaluate("img => img.naturalWidth") > 1000
        boxes = page.locator("rect.hl-box").evaluate_all(
            "rs => rs.map(r => ['x', 'y', 'width', 'height'].map(a => parseFloat(r.getAttribute(a))))"
        )
        assert boxes
        record_id = page.url.split("/documentos/")[1].split("?")[0]
        pdf = page.request.get(f"{corpus_service.url}/documentos/{record_id}/original").body()
        assert folded(text_under_boxes(pdf, 2, boxes)) == folded(QUOTE)
        assert page.locator("mark.cita").inner_text() == QUOTE
        # The highlight is on screen: the fragment scrolled the page to it.
        assert page.locator("#cita").is_visible()
        screenshot(page, f"web-cita-en-su-pagina-{width}")  # type: ignore[operator]
        context.close()


def test_unanswerable_question_says_no_record_answers(
    browser: object, corpus_service: LiveService, screenshot: object
) -> None:
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-ES")  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(f"{corpus_service.url}/?q={quote(UNANSWERABLE)}&conference=bruselas-2023")
        assert page.locator("#respuesta-titulo").inner_text().startswith("Ningún registro responde")
        assert page.locator("#found-badge").inner_text() == "sin respuesta"
        assert "Australia" in page.locator("#answer-text").inner_text()
        assert page.locator("a.cite-link").count() == 0
        assert page.locator("#conference").input_value() == "bruselas-2023"
        # The related passages are apart from any answer, and say so.
        if page.locator("section.related").count():
            assert "(no responden a la pregunta)" in page.locator("#relacionados-titulo").inner_text()
        screenshot(page, f"web-buscar-sin-respuesta-{width}")  # type: ignore[operator]
        context.close()


def test_home_is_keyboard_usable(browser: object, corpus_service: LiveService, screenshot: object) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-ES")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(corpus_service.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Saltar al contenido"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.type("convenio AECID APCI")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=convenio+AECID+APCI*")
    assert page.locator("#respuesta-titulo").count() == 1
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(corpus_service.url + "/")
        screenshot(page, f"web-buscar-inicio-{width}")  # type: ignore[operator]
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
    context.close()
