"""Documentos, sign-in, scopes, CSRF and escaping in Chromium, against a service with authentication on (one service
for the module: real store, real model)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.browser.conftest import LiveService
from tests.factories import make_pdf

ADMIN = "clave-admin-navegador-0123456789"
WIDTHS = (1280, 390)
ACTA_TEXT = (
    "Acta de la reunión de coordinación de cooperantes\n\n"
    "Lima, 12 de abril de 2024\n\n"
    "La Agencia Peruana de Cooperación Internacional presidió la reunión. La delegación de Suiza anunció un aporte "
    "de CHF 3 millones para la integración de migrantes en Arequipa.\n"
)
PDF_PAGES = [
    "Informe de la misión técnica a Tumbes\n\nLa misión visitó el Centro Binacional de Atención en Frontera.",
    "Conclusiones\n\nLa misión recomendó ampliar la atención de salud en la frontera norte durante 2024.",
]


@pytest.fixture(scope="module")
def auth_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    service = LiveService(tmp_path_factory.mktemp("web-auth") / "data", env={"ADMIN_API_KEY": ADMIN}).start()
    yield service
    service.stop()


@pytest.fixture(scope="module")
def read_key(auth_service: LiveService) -> str:
    r = httpx.post(
        f"{auth_service.url}/v1/keys",
        json={"name": "personal-lectura", "scope": "read"},
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert r.status_code == 201, r.text
    return str(r.json()["key"])


def new_page(browser: object, width: int = 1280) -> tuple[object, object]:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-ES")  # type: ignore[attr-defined]
    return context, context.new_page()


def sign_in(page: object, service: LiveService, key: str, target: str = "/documentos") -> None:
    page.goto(service.url + target)  # type: ignore[attr-defined]
    page.wait_for_url("**/entrar?siguiente=*")  # type: ignore[attr-defined]
    page.get_by_label("Clave de API").fill(key)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Entrar").click()  # type: ignore[attr-defined]
    page.wait_for_url(service.url + target)  # type: ignore[attr-defined]


def api_documents(service: LiveService) -> list[dict]:
    r = httpx.get(f"{service.url}/v1/documents", headers={"Authorization": f"Bearer {ADMIN}"})
    return list(r.json()["documents"])


def test_sign_in_page_and_a_wrong_key(browser: object, auth_service: LiveService, screenshot: object) -> None:
    for width in WIDTHS:
        context, page = new_page(browser, width)
        page.goto(auth_service.url + "/")  # type: ignore[attr-defined]
        page.wait_for_url("**/entrar?siguiente=%2F")  # type: ignore[attr-defined]
        screenshot(page, f"web-entrar-{width}")  # type: ignore[operator]
        page.get_by_label("Clave de API").fill("clave-equivocada")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Entrar").click()  # type: ignore[attr-defined]
        alert = page.locator("#error-entrar")  # type: ignore[attr-defined]
        assert alert.inner_text() == "La clave no es válida o ha sido revocada."
        context.close()  # type: ignore[attr-defined]


def test_upload_two_records_with_metadata_and_see_progress_finish(
    browser: object, auth_service: LiveService, screenshot: object, tmp_path: Path
) -> None:
    acta = tmp_path / "acta_coordinacion_2024.txt"
    acta.write_text(ACTA_TEXT, encoding="utf-8")
    informe = tmp_path / "informe_mision_tumbes.pdf"
    informe.write_bytes(make_pdf(PDF_PAGES, title="Informe de misión"))
    empty = tmp_path / "vacio.txt"
    empty.write_bytes(b"")
    context, page = new_page(browser)
    sign_in(page, auth_service, ADMIN)
    # One file dropped on the drop zone, two chosen with the file picker.
    page.evaluate(  # type: ignore[attr-defined]
        """([name, text]) => {
            const dt = new DataTransfer();
            dt.items.add(new File([text], name, { type: "text/plain" }));
            const drop = new DragEvent("drop", { dataTransfer: dt, bubbles: true });
            document.getElementById("dropzone").dispatchEvent(drop);
        }""",
        [acta.name, ACTA_TEXT],
    )
    page.locator("#files").set_input_files([str(informe), str(empty)])  # type: ignore[attr-defined]
    items = page.locator("#upload-list li.upload-item")  # type: ignore[attr-defined]
    assert items.count() == 3
    items.nth(0).locator("input.item-title").fill("Acta de coordinación de cooperantes (abril de 2024)")
    items.nth(1).locator("input.item-title").fill("Informe de la misión técnica a Tumbes")
    page.get_by_label("Fecha").fill("2024-04-12")  # type: ignore[attr-defined]
    page.get_by_label("Conferencia").first.fill("seguimiento-2024")  # type: ignore[attr-defined]
    page.get_by_label("Tipo", exact=True).first.fill("acta")  # type: ignore[attr-defined]
    page.get_by_label("Etiquetas").fill("cooperantes, frontera")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Subir e indexar").click()  # type: ignore[attr-defined]
    # Every item ends with an outcome (no wait_for_function: the page's CSP forbids the eval it needs).
    page.locator("#upload-list li[data-outcome]").nth(2).wait_for(timeout=240_000)  # type: ignore[attr-defined]
    states = items.locator(".state").all_inner_texts()
    assert states[0] == "Indexado: 1 página, 1 pasaje."
    assert states[1] == "Indexado: 2 páginas, 2 pasajes."
    assert states[2] == "El archivo está vacío (0 bytes)."  # the API's own Spanish detail
    assert items.locator("progress").evaluate_all("bs => bs.map(b => b.value)") == [100, 100, 100]
    assert [items.nth(i).get_attribute("data-outcome") for i in range(3)] == ["ok", "ok", "error"]
    screenshot(page, "web-documentos-subida-1280")  # type: ignore[operator]
    by_name = {d["filename"]: d for d in api_documents(auth_service)}
    assert by_name["acta_coordinacion_2024.txt"]["title"] == "Acta de coordinación de cooperantes (abril de 2024)"
    assert by_name["informe_mision_tumbes.pdf"]["title"] == "Informe de la misión técnica a Tumbes"
    for name in ("acta_coordinacion_2024.txt", "informe_mision_tumbes.pdf"):
        assert by_name[name]["date"] == "2024-04-12"
        assert by_name[name]["conference"] == "seguimiento-2024"
        assert by_name[name]["doc_type"] == "acta"
        assert by_name[name]["tags"] == ["cooperantes", "frontera"]
    page.goto(auth_service.url + "/documentos")  # type: ignore[attr-defined]
    row = page.locator("#docs-table tr", has_text="Informe de la misión técnica a Tumbes")  # type: ignore[attr-defined]
    assert row.locator("td[data-label='Fecha']").inner_text() == "12 de abril de 2024"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})  # type: ignore[attr-defined]
        screenshot(page, f"web-documentos-{width}")  # type: ignore[operator]
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]


def test_delete_asks_for_confirmation(browser: object, auth_service: LiveService) -> None:
    r = httpx.post(
        f"{auth_service.url}/v1/documents",
        files={"file": ("borrar.txt", "Nota breve que se va a borrar desde la página web.".encode(), "text/plain")},
        data={"metadata": '{"title": "Nota para borrar"}'},
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert r.status_code == 201, r.text
    doc = r.json()["id"]
    context, page = new_page(browser)
    sign_in(page, auth_service, ADMIN)
    row = page.locator(f"#docs-table tr[data-id='{doc}']")  # type: ignore[attr-defined]
    messages: list[str] = []

    def answer(dialog: object) -> None:
        messages.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss() if len(messages) == 1 else dialog.accept()  # type: ignore[attr-defined]

    page.on("dialog", answer)  # type: ignore[attr-defined]
    row.get_by_role("button").click()
    assert row.count() == 1  # dismissed: nothing deleted
    row.get_by_role("button").click()
    row.wait_for(state="detached")
    assert messages[0] == (
        "¿Borrar «Nota para borrar»? Sus pasajes y compromisos dejarán de aparecer en las búsquedas."
    )
    assert page.locator("#delete-status").inner_text() == "Se borró «Nota para borrar»."  # type: ignore[attr-defined]
    assert doc not in {d["id"] for d in api_documents(auth_service)}
    context.close()  # type: ignore[attr-defined]


def test_read_key_sees_no_upload_control(
    browser: object, auth_service: LiveService, read_key: str, screenshot: object
) -> None:
    for width in WIDTHS:
        context, page = new_page(browser, width)
        sign_in(page, auth_service, read_key)
        assert page.locator(".session .who").inner_text() == "personal-lectura (read)"  # type: ignore[attr-defined]
        assert page.locator("#upload-form").count() == 0  # type: ignore[attr-defined]
        assert page.locator("input[type=file]").count() == 0  # type: ignore[attr-defined]
        assert page.locator(".delete-button").count() == 0  # type: ignore[attr-defined]
        assert page.locator("#docs-table tbody tr").count() >= 2  # type: ignore[attr-defined]
        screenshot(page, f"web-documentos-lectura-{width}")  # type: ignore[operator]
        page.get_by_role("button", name="Salir").click()  # type: ignore[attr-defined]
        page.wait_for_url("**/entrar")  # type: ignore[attr-defined]
        page.goto(auth_service.url + "/documentos")  # type: ignore[attr-defined]
        assert "/entrar?siguiente=" in page.url  # type: ignore[attr-defined]
        context.close()  # type: ignore[attr-defined]


def test_script_in_a_title_is_shown_as_text_and_never_runs(
    browser: object, auth_service: LiveService, screenshot: object
) -> None:
    title = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
    r = httpx.post(
        f"{auth_service.url}/v1/documents",
        files={"file": ("<b>hostil</b>.txt", "Registro de prueba con un título hostil.".encode(), "text/plain")},
        data={"metadata": json.dumps({"title": title})},
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert r.status_code == 201, r.text
    doc = r.json()["id"]
    context, page = new_page(browser)
    sign_in(page, auth_service, ADMIN)
    link = page.locator(f"#docs-table tr[data-id='{doc}'] td.title-cell a")  # type: ignore[attr-defined]
    assert link.inner_text() == title
    assert page.evaluate("window.__xss") is None  # type: ignore[attr-defined]
    link.click()
    page.wait_for_url(f"**/documentos/{doc}?pagina=1*")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == title  # type: ignore[attr-defined]
    assert page.evaluate("window.__xss") is None  # type: ignore[attr-defined]
    screenshot(page, "web-registro-titulo-hostil-1280")  # type: ignore[operator]
    context.close()  # type: ignore[attr-defined]


def test_a_write_without_the_csrf_token_is_refused(browser: object, auth_service: LiveService) -> None:
    context, page = new_page(browser)
    sign_in(page, auth_service, ADMIN)
    body = '{"query": "cooperantes", "top_k": 1}'
    status = page.evaluate(  # type: ignore[attr-defined]
        """body => fetch('/v1/search', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
            .then(r => r.json().then(j => [r.status, j.code]))""",
        body,
    )
    assert status == [403, "csrf_failed"]
    with_token = page.evaluate(  # type: ignore[attr-defined]
        """body => Compromisos.apiFetch('/v1/search', { method: 'POST', headers: { 'Content-Type': 'application/json' },
            body }).then(r => r.status)""",
        body,
    )
    assert with_token == 200
    context.close()  # type: ignore[attr-defined]
