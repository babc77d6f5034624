"""The web page through the real app (TestClient): the quote on its page (page image, highlight boxes, page text),
the original file, security headers, and sign-in, session cookie and CSRF with authentication on."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pypdfium2 as pdfium
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from indexing.engine import Engine
from indexing.keys import Caller, Principal, Scope
from indexing.settings import Settings
from service.app import create_app
from service.web.record_pages import fold_indexed
from service.web.session import COOKIE, CSP
from service.web.templating import quote_url
from tests.integration.records import CANADA_2021, acta_pdf

pytestmark = pytest.mark.integration

SPAIN = (
    "La delegación de España anunció una contribución de EUR 50 millones en donaciones para la integración "
    "socioeconómica de migrantes en el Perú y el Ecuador."
)
CANADA_QUOTE = (
    "La Conferencia Internacional de Donantes celebrada de manera virtual y organizada por el Gobierno de Canadá "
    "reunió anuncios por US$ 1.554 millones en donaciones y más de US$ 800 millones en préstamos."
)
ADMIN = "clave-admin-web-0123456789abcdef"
RECT_RE = re.compile(r'<rect class="hl-box" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)">')
MARK_RE = re.compile(r'<mark [^>]*class="cita">(.*?)</mark>', re.S)


def folded(text: str) -> str:
    return fold_indexed(text)[0]


def text_under_boxes(pdf: bytes, page_number: int, html: str) -> str:
    """The PDF's own text inside each highlight box of the page (as PDFium reads it), joined."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[page_number - 1]
        height = page.get_size()[1]
        textpage = page.get_textpage()
        parts = []
        for x, y, w, h in (tuple(map(float, m)) for m in RECT_RE.findall(html)):
            parts.append(textpage.get_text_bounded(left=x, bottom=height - y - h, right=x + w, top=height - y))
        return " ".join(parts)
    finally:
        doc.close()


# ----------------------------------------------------------------- authentication off (the shared engine)


def test_quote_url_is_the_record_view_contract() -> None:
    assert (
        quote_url("abc", 2, "«Hola» & 50 %") == "/documentos/abc?pagina=2&cita=%C2%ABHola%C2%BB%20%26%2050%20%25#cita"
    )
    assert quote_url("abc", 3) == "/documentos/abc?pagina=3#cita"


def test_pdf_quote_is_boxed_on_the_image_of_its_page(client: TestClient, doc_ids: dict[str, str]) -> None:
    doc = doc_ids["acta_bruselas_2023.pdf"]
    r = client.get(quote_url(doc, 2, SPAIN))
    assert r.status_code == 200
    html = r.text
    assert f'src="/documentos/{doc}/paginas/2.png"' in html
    assert len(RECT_RE.findall(html)) >= 2  # the sentence wraps over two lines
    assert folded(text_under_boxes(acta_pdf(), 2, html)) == folded(SPAIN)
    assert [unescape(m) for m in MARK_RE.findall(html)] == [SPAIN]
    assert "Página 2 de 3" in html
    assert "No se pudo situar la cita" not in html
    assert f'href="/documentos/{doc}/original"' in html


def test_quote_not_in_the_pdf_text_falls_back_to_the_page_text(client: TestClient, doc_ids: dict[str, str]) -> None:
    doc = doc_ids["acta_bruselas_2023.pdf"]
    r = client.get(quote_url(doc, 1, SPAIN))  # page 1 does not hold it
    assert r.status_code == 200
    assert RECT_RE.findall(r.text) == []
    assert MARK_RE.findall(r.text) == []
    assert "No se pudo situar la cita en la imagen de la página" in r.text
    assert "La cita no aparece en el texto indexado de esta página." in r.text


def test_text_record_marks_the_quote_in_the_page_text(client: TestClient, doc_ids: dict[str, str]) -> None:
    doc = doc_ids["canada_2021.txt"]
    r = client.get(quote_url(doc, 1, CANADA_QUOTE))
    assert r.status_code == 200
    assert [unescape(m) for m in MARK_RE.findall(r.text)] == [CANADA_QUOTE]
    assert 'id="cita"' in r.text
    assert "/paginas/" not in r.text
    original = client.get(f"/documentos/{doc}/original")
    assert original.status_code == 200
    assert original.content == CANADA_2021.encode("utf-8")
    assert original.headers["content-disposition"] == 'attachment; filename="canada_2021.txt"'


def test_page_image_is_the_rendered_page_and_is_cached(
    client: TestClient, engine: Engine, doc_ids: dict[str, str]
) -> None:
    doc = doc_ids["acta_bruselas_2023.pdf"]
    r = client.get(f"/documentos/{doc}/paginas/3.png")
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/png"
    assert r.headers["x-content-type-options"] == "nosniff"
    width, height = pdfium.PdfDocument(acta_pdf())[2].get_size()
    assert Image.open(io.BytesIO(r.content)).size == (round(width * 2), round(height * 2))
    cached = engine.originals.page_cache(doc, "3-2.png")
    assert cached.read_bytes() == r.content
    assert client.get(f"/documentos/{doc}/paginas/3.png").content == r.content
    assert client.get(f"/documentos/{doc}/paginas/4.png").status_code == 404
    assert client.get(f"/documentos/{doc_ids['canada_2021.txt']}/paginas/1.png").json()["code"] == "not_found"
    assert client.get("/documentos/desconocido/paginas/1.png").status_code == 404


def test_original_download_is_the_uploaded_pdf(client: TestClient, doc_ids: dict[str, str]) -> None:
    r = client.get(f"/documentos/{doc_ids['acta_bruselas_2023.pdf']}/original")
    assert r.status_code == 200
    assert r.content == acta_pdf()
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="acta_bruselas_2023.pdf"'


def test_unknown_record_page_is_a_spanish_404(client: TestClient) -> None:
    r = client.get("/documentos/no-existe?pagina=1")
    assert r.status_code == 404
    assert "No hay ningún registro indexado con el identificador «no-existe»." in r.text


def test_pages_carry_the_security_headers(client: TestClient) -> None:
    r = client.get("/documentos")
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert "<script>" not in r.text  # no inline script: every script is a static file
    assert "content-security-policy" not in client.get("/docs").headers
    assert client.get("/healthz").headers["x-content-type-options"] == "nosniff"


def test_cross_site_writes_are_refused_with_auth_off(client: TestClient) -> None:
    body = {"query": "España", "top_k": 1}
    r = client.post("/v1/search", json=body, headers={"Origin": "http://malicioso.example"})
    assert r.status_code == 403
    assert r.json() == {
        "code": "csrf_failed",
        "detail": "Escritura rechazada: la petición viene de otro sitio web.",
    }
    assert client.post("/v1/search", json=body, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.post("/v1/search", json=body, headers={"Origin": "http://testserver"}).status_code == 200
    assert client.post("/v1/search", json=body).status_code == 200  # curl sends no Origin


def test_search_page_answers_from_the_url(client: TestClient, doc_ids: dict[str, str]) -> None:
    q = "¿Cuánto anunció España en la Conferencia de Bruselas 2023?"
    r = client.get(f"/?q={quote(q)}&conference=bruselas-2023")
    assert r.status_code == 200
    html = unescape(r.text)
    assert "Respuesta" in html
    assert "EUR 50 millones" in html
    link = unescape(re.search(r'class="cite-link" href="([^"]+)"', r.text).group(1))  # type: ignore[union-attr]
    assert link.startswith(f"/documentos/{doc_ids['acta_bruselas_2023.pdf']}?pagina=2&cita=")
    assert '<option value="bruselas-2023" selected>' in r.text


def test_search_page_says_plainly_when_no_record_answers(client: TestClient) -> None:
    r = client.get(f"/?q={quote('¿Cuántos satélites lanzó Noruega a Marte en 1850?')}")
    assert r.status_code == 200
    assert "Ningún registro responde" in r.text
    assert 'class="cite-link"' not in r.text


def test_bad_date_filter_is_reported_not_applied(client: TestClient) -> None:
    r = client.get("/?q=Espa%C3%B1a&desde=2023-02-30")
    assert "La fecha «desde» no es válida (2023-02-30): use el formato AAAA-MM-DD. No se aplicó." in unescape(r.text)


# ----------------------------------------------------------------- originals on disk


@pytest.fixture(scope="module")
def own_engine(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("web-originals"), _env_file=None)  # type: ignore[call-arg]
    eng = Engine.open(settings, backend=engine.backend)
    yield eng
    eng.close()


def test_originals_follow_upload_replace_and_delete(own_engine: Engine) -> None:
    caller = Caller(Principal("local", Scope.ADMIN))
    first = own_engine.upload(
        b"Primera version del acta de seguimiento con texto suficiente.", "acta.txt", None, caller
    )
    path = own_engine.originals.path(first.id)
    assert path is not None and path.read_bytes() == b"Primera version del acta de seguimiento con texto suficiente."
    second = own_engine.upload(
        b"Segunda version del acta de seguimiento con texto suficiente.", "acta.txt", None, caller
    )
    assert second.replaced == [first.id]
    assert own_engine.originals.path(first.id) is None
    assert own_engine.originals.path(second.id) is not None
    assert own_engine.delete_document(second.id, caller) is True
    assert own_engine.originals.path(second.id) is None
    assert sorted(p.name for p in own_engine.originals.root.iterdir() if p.is_file()) == []


def test_orphan_originals_are_swept_at_open(own_engine: Engine) -> None:
    caller = Caller(Principal("local", Scope.ADMIN))
    kept = own_engine.upload(b"Registro que queda listado en el registro de documentos.", "queda.txt", None, caller)
    own_engine.originals.put("huerfano", b"sin registro")  # what a crash before the registry commit leaves
    removed = own_engine.originals.sweep(r.id for r in own_engine.store.all_documents())
    assert removed == 1
    assert own_engine.originals.path("huerfano") is None
    assert own_engine.originals.path(kept.id) is not None


def test_record_without_original_shows_its_text_and_says_so(own_engine: Engine) -> None:
    caller = Caller(Principal("local", Scope.ADMIN))
    text = "Nota antigua del archivo.\n\nEl Perú recibió la visita de la delegación de Noruega en marzo de 2021."
    result = own_engine.upload(text.encode(), "antigua.txt", {"title": "Nota antigua"}, caller)
    own_engine.originals.remove(result.id)  # as a record indexed before originals were kept
    with TestClient(create_app(engine=own_engine), raise_server_exceptions=False) as c:
        quote_ = "El Perú recibió la visita de la delegación de Noruega en marzo de 2021."
        r = c.get(quote_url(result.id, 1, quote_))
        assert r.status_code == 200
        assert "El original no está disponible" in r.text
        assert [unescape(m) for m in MARK_RE.findall(r.text)] == [quote_]
        missing = c.get(f"/documentos/{result.id}/original")
        assert missing.status_code == 404
        assert missing.json()["detail"].startswith("El original de «antigua.txt» no está disponible")
        # Uploading the same file again (a duplicate) brings the original back.
        again = own_engine.upload(text.encode(), "antigua.txt", None, caller)
        assert again.status == "duplicate"
        assert c.get(f"/documentos/{result.id}/original").content == text.encode()


# ----------------------------------------------------------------- authentication on: sign-in, session, CSRF


@pytest.fixture(scope="module")
def auth_client(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("web-auth"), admin_api_key=ADMIN, _env_file=None
    )
    eng = Engine.open(settings, backend=engine.backend)
    with TestClient(create_app(engine=eng), raise_server_exceptions=False) as c:
        yield c
    eng.close()


def make_key(c: TestClient, name: str, scope: str) -> str:
    r = c.post("/v1/keys", json={"name": name, "scope": scope}, headers={"Authorization": f"Bearer {ADMIN}"})
    assert r.status_code == 201, r.text
    return str(r.json()["key"])


def sign_in(c: TestClient, key: str) -> str:
    c.cookies.clear()
    r = c.post("/entrar", data={"clave": key, "siguiente": "/documentos"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/documentos"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert key not in cookie
    page = c.get("/documentos")
    assert page.status_code == 200
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
    assert token is not None
    return token.group(1)


def test_pages_redirect_to_sign_in(auth_client: TestClient) -> None:
    auth_client.cookies.clear()
    r = auth_client.get("/?q=Espa%C3%B1a", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/entrar?siguiente=%2F%3Fq%3DEspa%25C3%25B1a"
    assert auth_client.get("/documentos/x/original", follow_redirects=False).status_code == 303
    form = auth_client.get("/entrar?siguiente=/compromisos")
    assert form.status_code == 200
    assert '<input type="hidden" name="siguiente" value="/compromisos">' in form.text
    assert auth_client.get("/v1/documents").status_code == 401


def test_wrong_key_and_open_redirect_are_refused(auth_client: TestClient) -> None:
    auth_client.cookies.clear()
    r = auth_client.post("/entrar", data={"clave": "no-es-una-clave"}, follow_redirects=False)
    assert r.status_code == 401
    assert "La clave no es válida o ha sido revocada." in r.text
    assert "set-cookie" not in r.headers
    ok = auth_client.post(
        "/entrar", data={"clave": ADMIN, "siguiente": "//malicioso.example/x"}, follow_redirects=False
    )
    assert ok.headers["location"] == "/"


def test_session_cookie_is_an_api_credential_and_writes_need_the_token(auth_client: TestClient) -> None:
    key = make_key(auth_client, "web-escritura", "write")
    token = sign_in(auth_client, key)
    assert auth_client.get("/v1/documents").status_code == 200
    body = {"query": "España", "top_k": 1}
    refused = auth_client.post("/v1/search", json=body)
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert auth_client.post("/v1/search", json=body, headers={"X-CSRF-Token": "otro"}).status_code == 403
    assert auth_client.post("/v1/search", json=body, headers={"X-CSRF-Token": token}).status_code == 200
    files = {"file": ("web.txt", "Acta breve de la reunión de la mesa de trabajo en Lima.".encode(), "text/plain")}
    no_token = auth_client.post("/v1/documents", files=files)
    assert no_token.status_code == 403 and no_token.json()["code"] == "csrf_failed"
    up = auth_client.post("/v1/documents", files=files, headers={"X-CSRF-Token": token})
    assert up.status_code == 201
    assert up.json()["owner"] == "web-escritura"
    page = auth_client.get("/documentos")
    assert 'id="upload-form"' in page.text
    assert "web-escritura (write)" in page.text
    # A Bearer caller is unaffected by CSRF.
    assert auth_client.post("/v1/search", json=body, headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_read_session_shows_no_upload_or_delete_control(auth_client: TestClient) -> None:
    token = sign_in(auth_client, make_key(auth_client, "web-lectura", "read"))
    page = auth_client.get("/documentos")
    assert 'id="upload-form"' not in page.text
    assert "delete-button" not in page.text
    files = {"file": ("l.txt", b"Texto de prueba para una clave de lectura.", "text/plain")}
    r = auth_client.post("/v1/documents", files=files, headers={"X-CSRF-Token": token})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_sign_out_needs_the_token_and_ends_the_session(auth_client: TestClient) -> None:
    token = sign_in(auth_client, make_key(auth_client, "web-salir", "read"))
    assert auth_client.post("/salir", follow_redirects=False).status_code == 403
    assert auth_client.get("/", follow_redirects=False).status_code == 200
    r = auth_client.post("/salir", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/entrar"
    assert auth_client.get("/", follow_redirects=False).status_code == 303


def test_revoked_key_ends_its_session(auth_client: TestClient) -> None:
    sign_in(auth_client, make_key(auth_client, "web-revocada", "read"))
    r = auth_client.delete("/v1/keys/web-revocada", headers={"Authorization": f"Bearer {ADMIN}"})
    assert r.status_code == 204
    assert auth_client.get("/", follow_redirects=False).status_code == 303
    assert auth_client.get("/v1/documents").status_code == 401


def test_untrusted_title_is_escaped(auth_client: TestClient, tmp_path: Path) -> None:
    sign_in(auth_client, ADMIN)
    files = {
        "file": ("<img src=x onerror=alert(1)>.txt", "Texto de un registro con título hostil.".encode(), "text/plain")
    }
    meta = '{"title": "<script>alert(1)</script>", "tags": ["<b>negrita</b>"]}'
    r = auth_client.post(
        "/v1/documents", files=files, data={"metadata": meta}, headers={"Authorization": f"Bearer {ADMIN}"}
    )
    assert r.status_code == 201, r.text
    page = auth_client.get("/documentos").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "<b>negrita</b>" not in page and "&lt;b&gt;negrita&lt;/b&gt;" in page
    assert "<img src=x" not in page
