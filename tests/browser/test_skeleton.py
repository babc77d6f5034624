"""The web page is served by the app, in Spanish, with its own assets and no outside requests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import LiveService


@pytest.fixture(scope="module")
def empty_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    service = LiveService(tmp_path_factory.mktemp("web-empty") / "data").start()
    yield service
    service.stop()


def test_every_section_is_reachable_and_nothing_is_fetched_from_outside(
    browser: object, empty_service: LiveService, screenshot: object
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-ES")  # type: ignore[attr-defined]
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(empty_service.url) else None)
    page.goto(empty_service.url + "/")
    assert page.locator("html").get_attribute("lang") == "es"
    labels = page.locator("nav.site-nav a").all_inner_texts()
    assert labels == ["Buscar", "Ayuda memoria", "Compromisos", "Documentos"]
    for label in labels:
        page.get_by_role("navigation", name="Secciones").get_by_role("link", name=label, exact=True).click()
        assert page.locator("nav.site-nav a[aria-current='page']").inner_text() == label
    assert outside == []
    path = screenshot(page, "skeleton")  # type: ignore[operator]
    assert Path(path).stat().st_size > 0
    context.close()
