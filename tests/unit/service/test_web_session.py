"""Session store, CSRF comparison and redirect targets of the web page (no app, no store)."""

from __future__ import annotations

import pytest

from indexing.keys import Principal, Scope
from service.web import session as web_session
from service.web.session import SessionStore, WebSession, _cross_site, csrf_matches, safe_target


def test_sessions_have_random_ids_and_tokens_and_map_to_the_principal() -> None:
    store = SessionStore(ttl_seconds=60)
    a = store.create(Principal("portal", Scope.READ))
    b = store.create(Principal("portal", Scope.READ))
    assert a.id != b.id and a.csrf_token != b.csrf_token
    assert len(a.id) == 43 and len(a.csrf_token) == 43
    got = store.get(a.id)
    assert got is a
    assert got.principal == Principal("portal", Scope.READ)
    assert store.get("desconocida") is None
    assert store.get(None) is None
    store.drop(a.id)
    assert store.get(a.id) is None
    assert store.get(b.id) is b


def test_sessions_expire_after_the_idle_time_and_each_use_extends_them(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(web_session.time, "monotonic", lambda: now[0])
    store = SessionStore(ttl_seconds=60)
    s = store.create(Principal("portal", Scope.WRITE))
    now[0] = 1059.0
    assert store.get(s.id) is s  # used: now valid until 1119
    now[0] = 1118.0
    assert store.get(s.id) is s
    now[0] = 1178.5
    assert store.get(s.id) is None


def test_csrf_token_must_match_exactly() -> None:
    s = WebSession("id", Principal("p", Scope.READ), "token-correcto", 0.0)
    assert csrf_matches(s, "token-correcto")
    assert not csrf_matches(s, "token-correct")
    assert not csrf_matches(s, "")
    assert not csrf_matches(s, None)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/documentos?q=acta", "/documentos?q=acta"),
        ("/", "/"),
        ("", "/"),
        (None, "/"),
        ("//malicioso.example/x", "/"),
        ("https://malicioso.example/", "/"),
        ("/\\malicioso.example", "/"),
        ("documentos", "/"),
    ],
)
def test_redirect_after_sign_in_stays_on_this_site(target: str | None, expected: str) -> None:
    assert safe_target(target) == expected


@pytest.mark.parametrize(
    ("headers", "cross"),
    [
        ({"origin": "http://127.0.0.1:8000", "host": "127.0.0.1:8000"}, False),
        ({"origin": "http://127.0.0.1:8001", "host": "127.0.0.1:8000"}, True),
        ({"origin": "null", "host": "127.0.0.1:8000"}, True),
        ({"host": "127.0.0.1:8000", "sec-fetch-site": "same-origin"}, False),
        ({"host": "127.0.0.1:8000", "sec-fetch-site": "cross-site"}, True),
        ({"host": "127.0.0.1:8000"}, False),
    ],
)
def test_cross_site_writes_are_told_by_origin_then_fetch_metadata(headers: dict[str, str], cross: bool) -> None:
    assert _cross_site(headers) is cross
