"""API keys, scopes, owners and the audit trail through the real app (own engine with ADMIN_API_KEY set), the
offline `keys` commands (real subprocesses) and the loopback rule of `python -m service`."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexing.engine import Engine
from indexing.settings import Settings
from service.__main__ import _refuse_open_bind, is_loopback, main
from service.app import create_app

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
ADMIN = "clave-admin-de-prueba-0123456789"
KEY_RE = re.compile(r"^[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$")
MISSING = {
    "code": "unauthorized",
    "detail": "Falta la clave de API: envíela en la cabecera «Authorization: Bearer <clave>» o «X-API-Key».",
}
INVALID = {"code": "unauthorized", "detail": "La clave de API no es válida o ha sido revocada."}


def run_service_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HAYSTACK_TELEMETRY_ENABLED": "False", "PYTHONPATH": str(ROOT)}
    env.pop("ADMIN_API_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "service", *args], capture_output=True, text=True, env=env, timeout=300, cwd=ROOT
    )


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def upload(c: TestClient, key: str, name: str, text: str, owner: str | None = None):
    form = {"owner": owner} if owner else None
    return c.post("/v1/documents", files={"file": (name, text.encode(), "text/plain")}, data=form, headers=bearer(key))


def forbidden(name: str, scope: str, needed: str) -> dict[str, str]:
    detail = f"La clave «{name}» tiene ámbito «{scope}»; esta operación necesita {needed}."
    return {"code": "forbidden", "detail": detail}


@pytest.fixture(scope="module")
def auth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("auth")


@pytest.fixture(scope="module")
def cli_key(auth_dir: Path) -> str:
    """A read key created offline, before the service opens the store."""
    result = run_service_cli("keys", "create", "--name", "portal-cli", "--scope", "read", "--data-dir", str(auth_dir))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "Clave «portal-cli» creada con ámbito «read». Guárdela: no se volverá a mostrar."
    assert KEY_RE.match(lines[-1])
    return lines[-1]


@pytest.fixture(scope="module")
def auth_engine(auth_dir: Path, cli_key: str) -> Iterator[Engine]:
    # Every client here is "testclient" and this module sends dozens of wrong keys on purpose: the throttle of
    # failed attempts gets a limit above them (it is tested on an app of its own, TestFailedAttemptsThrottle).
    eng = Engine.open(
        Settings(data_dir=auth_dir, admin_api_key=ADMIN, auth_failures_max=1000, _env_file=None)  # type: ignore[call-arg]
    )
    yield eng
    eng.close()


@pytest.fixture(scope="module")
def api(auth_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine=auth_engine), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def keys(api: TestClient) -> dict[str, str]:
    """name → key of the keys the tests use, created over HTTP by the bootstrap admin."""
    out = {}
    for name, scope in (("apci", "write"), ("cancilleria", "write"), ("lector", "read"), ("ops", "admin")):
        r = api.post("/v1/keys", json={"name": name, "scope": scope}, headers=bearer(ADMIN))
        assert r.status_code == 201, r.text
        body = r.json()
        assert set(body) == {"name", "scope", "key"}
        assert (body["name"], body["scope"]) == (name, scope)
        assert KEY_RE.match(body["key"])
        out[name] = body["key"]
    return out


def protected_routes(c: TestClient) -> list[tuple[str, str]]:
    """(method, path with "x" for each parameter) of every operation in the OpenAPI schema but the health checks."""
    routes = []
    for path, operations in c.get("/openapi.json").json()["paths"].items():
        if path not in ("/healthz", "/readyz"):
            routes.extend((method.upper(), re.sub(r"\{[^}]+\}", "x", path)) for method in operations)
    return routes


class TestAuthentication:
    def test_every_route_but_health_needs_a_key(self, api: TestClient, keys: dict[str, str]) -> None:
        routes = protected_routes(api)
        # /metrics, commitments/compare(.csv), /v1/jobs, /v1/briefings/{id}/export and /v1/admin/snapshot included
        assert len(routes) == 24
        for method, path in routes:
            r = api.request(method, path)
            assert (r.status_code, r.json()) == (401, MISSING), (method, path)
            assert r.headers["www-authenticate"] == "Bearer"
            wrong = api.request(method, path, headers=bearer("0123456789abcdef." + "a" * 43))
            assert (wrong.status_code, wrong.json()) == (401, INVALID), (method, path)
        assert api.get("/healthz").status_code == 200
        assert api.get("/readyz").status_code == 200

    def test_bearer_and_x_api_key_are_both_accepted(self, api: TestClient, keys: dict[str, str]) -> None:
        assert api.get("/v1/documents", headers=bearer(keys["lector"])).status_code == 200
        assert api.get("/v1/documents", headers={"X-API-Key": keys["lector"]}).status_code == 200
        basic = api.get("/v1/documents", headers={"Authorization": f"Basic {keys['lector']}"})
        assert (basic.status_code, basic.json()) == (401, MISSING)
        assert api.get("/v1/documents", headers={"X-API-Key": "no-es-una-clave"}).json() == INVALID

    def test_the_key_created_offline_works(self, api: TestClient, cli_key: str) -> None:
        assert api.get("/v1/documents", headers=bearer(cli_key)).status_code == 200
        r = api.delete("/v1/documents/x", headers=bearer(cli_key))
        assert (r.status_code, r.json()) == (403, forbidden("portal-cli", "read", "escritura (write)"))

    def test_read_scope(self, api: TestClient, keys: dict[str, str]) -> None:
        h = bearer(keys["lector"])
        assert api.post("/v1/search", json={"query": "aportes de España"}, headers=h).status_code == 200
        assert api.post("/v1/ask", json={"question": "¿Cuánto aportó España?"}, headers=h).status_code == 200
        assert api.post("/v1/briefings", json={"topic": "aportes de España"}, headers=h).status_code == 200
        assert api.get("/v1/commitments", headers=h).json() == {"commitments": [], "total": 0}
        assert api.get("/v1/documents/x", headers=h).json()["code"] == "not_found"
        write = forbidden("lector", "read", "escritura (write)")
        up = upload(api, keys["lector"], "nota.txt", "Nota\n\nEl Perú recibió fondos.")
        assert (up.status_code, up.json()) == (403, write)
        assert api.delete("/v1/documents/x", headers=h).json() == write
        admin = forbidden("lector", "read", "administración (admin)")
        for method, path in (("GET", "/v1/keys"), ("POST", "/v1/keys"), ("DELETE", "/v1/keys/x"), ("GET", "/v1/audit")):
            r = api.request(method, path, headers=h)
            assert (r.status_code, r.json()) == (403, admin), (method, path)

    def test_write_scope_is_not_admin(self, api: TestClient, keys: dict[str, str]) -> None:
        h = bearer(keys["apci"])
        admin = forbidden("apci", "write", "administración (admin)")
        assert api.get("/v1/audit", headers=h).json() == admin
        r = api.post("/v1/keys", json={"name": "otra", "scope": "admin"}, headers=h)
        assert (r.status_code, r.json()) == (403, admin)

    def test_metrics_need_the_admin_scope(self, api: TestClient, keys: dict[str, str]) -> None:
        for name, scope in (("lector", "read"), ("apci", "write")):
            r = api.get("/metrics", headers=bearer(keys[name]))
            assert (r.status_code, r.json()) == (403, forbidden(name, scope, "administración (admin)"))
        ok = api.get("/metrics", headers=bearer(ADMIN))
        assert ok.status_code == 200
        assert ok.headers["content-type"].startswith("text/plain; version=")
        # The two refusals above are counted (with those of earlier tests on this app).
        assert any(line.startswith('compromisos_errors_total{code="forbidden"} ') for line in ok.text.splitlines())

    def test_openapi_declares_both_schemes(self, api: TestClient) -> None:
        schema = api.get("/openapi.json").json()
        assert schema["components"]["securitySchemes"] == {
            "HTTPBearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "Clave de API: `Authorization: Bearer <clave>`.",
            },
            "APIKeyHeader": {
                "type": "apiKey",
                "in": "header",
                "name": "X-API-Key",
                "description": "Clave de API en la cabecera X-API-Key.",
            },
        }
        assert schema["paths"]["/v1/documents"]["post"]["security"] == [{"HTTPBearer": []}, {"APIKeyHeader": []}]
        assert "security" not in schema["paths"]["/healthz"]["get"]


class TestKeyManagement:
    def test_create_list_revoke_over_http(self, api: TestClient, keys: dict[str, str]) -> None:
        h = bearer(keys["ops"])
        created = api.post("/v1/keys", json={"name": "portal-temporal", "scope": "write"}, headers=h)
        assert created.status_code == 201
        key = created.json()["key"]
        listed = api.get("/v1/keys", headers=h).json()["keys"]
        assert [(k["name"], k["scope"]) for k in listed] == [
            ("apci", "write"),
            ("cancilleria", "write"),
            ("lector", "read"),
            ("ops", "admin"),
            ("portal-cli", "read"),
            ("portal-temporal", "write"),
        ]
        assert all(set(k) == {"name", "scope", "created_at"} for k in listed)
        created_at = dt.datetime.fromisoformat(listed[-1]["created_at"])
        assert abs((dt.datetime.now(dt.UTC) - created_at).total_seconds()) < 600
        assert key not in api.get("/v1/keys", headers=h).text
        assert api.get("/v1/documents", headers=bearer(key)).status_code == 200
        assert api.delete("/v1/keys/portal-temporal", headers=h).status_code == 204
        # Revoked: it stops working at once, though it was just verified (and cached).
        assert api.get("/v1/documents", headers=bearer(key)).json() == INVALID
        gone = api.delete("/v1/keys/portal-temporal", headers=h)
        assert (gone.status_code, gone.json()) == (
            404,
            {"code": "not_found", "detail": "No hay ninguna clave llamada «portal-temporal»."},
        )

    def test_taken_reserved_and_invalid_names(self, api: TestClient, keys: dict[str, str]) -> None:
        h = bearer(ADMIN)
        taken = api.post("/v1/keys", json={"name": "apci", "scope": "read"}, headers=h)
        assert (taken.status_code, taken.json()) == (
            409,
            {
                "code": "key_exists",
                "detail": "Ya existe una clave llamada «apci». Revóquela antes o elija otro nombre.",
            },
        )
        reserved = api.post("/v1/keys", json={"name": "admin", "scope": "read"}, headers=h)
        assert (reserved.status_code, reserved.json()["code"]) == (409, "key_exists")
        for body in ({"name": "Con Espacios", "scope": "read"}, {"name": "x" * 65, "scope": "read"},
                     {"name": "ok", "scope": "root"}, {"name": "ok"}):
            r = api.post("/v1/keys", json=body, headers=h)
            assert (r.status_code, r.json()["code"]) == (422, "invalid_request"), body

    def test_cli_refuses_while_the_service_holds_the_store(
        self, auth_dir: Path, api: TestClient, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["keys", "list", "--data-dir", str(auth_dir)]) == 3
        err = capsys.readouterr().err
        where = auth_dir / "edge"  # the default embedded engine (Qdrant Edge)
        assert err.startswith(f"No se pudo abrir el almacén: El almacén embebido en «{where}» está en uso")

    def test_cli_list_and_revoke(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        d = str(tmp_path / "d")

        def cli(*args: str) -> tuple[int, str, str]:
            code = main(["keys", *args, "--data-dir", d])
            out = capsys.readouterr()
            return code, out.out, out.err

        assert cli("list") == (0, "No hay claves guardadas.\n", "")
        code, out, _ = cli("create", "--name", "portal-apci", "--scope", "write")
        assert code == 0
        assert KEY_RE.match(out.splitlines()[-1])
        assert cli("create", "--name", "portal-apci", "--scope", "read") == (
            1,
            "",
            "Error: Ya existe una clave llamada «portal-apci». Revóquela antes o elija otro nombre.\n",
        )
        code, out, _ = cli("list")
        name, scope, created_at = out.rstrip("\n").split("\t")
        assert (code, name, scope) == (0, "portal-apci", "write")
        dt.datetime.fromisoformat(created_at)
        assert cli("revoke", "--name", "portal-apci") == (0, "Clave «portal-apci» revocada.\n", "")
        assert cli("revoke", "--name", "portal-apci") == (1, "", "Error: No hay ninguna clave llamada «portal-apci».\n")
        code, _, err = cli("create", "--name", "Mayúsculas", "--scope", "read")
        assert (code, err) == (
            1,
            "Error: Nombre de clave no válido: «Mayúsculas». Use de 1 a 64 caracteres entre a-z, 0-9, punto, guion y "
            "guion bajo.\n",
        )


ACTA_A1 = "Acta de la reunión de Lima\n\nLa APCI registró el aporte de Suiza para el Perú en 2022."
ACTA_A2 = "Acta de la reunión de Lima\n\nLa APCI corrigió el aporte de Suiza y añadió el de Noruega en 2022."
ACTA_B = "Acta de la reunión de Quito\n\nLa Cancillería registró la visita de la misión de Islandia en 2023."


class TestOwners:
    def test_same_filename_two_owners_two_records_same_owner_replaces(
        self, api: TestClient, keys: dict[str, str]
    ) -> None:
        a1 = upload(api, keys["apci"], "acta.txt", ACTA_A1)
        b = upload(api, keys["cancilleria"], "acta.txt", ACTA_B)
        assert (a1.status_code, a1.json()["owner"], a1.json()["status"]) == (201, "apci", "indexed")
        assert (b.status_code, b.json()["owner"], b.json()["status"]) == (201, "cancilleria", "indexed")
        read = bearer(keys["lector"])
        listed = api.get("/v1/documents", headers=read).json()["documents"]
        assert sorted((d["filename"], d["owner"], d["id"]) for d in listed) == sorted(
            [("acta.txt", "apci", a1.json()["id"]), ("acta.txt", "cancilleria", b.json()["id"])]
        )
        # The same owner again: its own record is replaced, the other owner's stays.
        a2 = upload(api, keys["apci"], "acta.txt", ACTA_A2)
        assert (a2.status_code, a2.json()["status"]) == (201, "indexed")
        assert api.get(f"/v1/documents/{a1.json()['id']}", headers=read).status_code == 404
        assert api.get(f"/v1/documents/{b.json()['id']}", headers=read).json()["owner"] == "cancilleria"
        assert api.get(f"/v1/documents/{a2.json()['id']}", headers=read).json()["owner"] == "apci"
        # The same bytes from another owner: the content is already indexed, the existing record is returned.
        dup = upload(api, keys["apci"], "copia.txt", ACTA_B)
        assert (dup.status_code, dup.json()) == (200, {**b.json(), "status": "duplicate"})
        # Uploading on behalf of another owner needs admin; an admin doing so replaces that owner's record.
        on_behalf = upload(api, keys["cancilleria"], "acta.txt", ACTA_A1, owner="apci")
        assert (on_behalf.status_code, on_behalf.json()) == (
            403,
            {
                "code": "forbidden",
                "detail": "Solo una clave «admin» puede subir registros en nombre de otro propietario («apci»).",
            },
        )
        a3 = upload(api, keys["ops"], "acta.txt", ACTA_A1, owner="apci")
        assert (a3.status_code, a3.json()["owner"], a3.json()["id"]) == (201, "apci", a1.json()["id"])
        assert api.get(f"/v1/documents/{a2.json()['id']}", headers=read).status_code == 404
        for doc_id in (a3.json()["id"], b.json()["id"]):
            assert api.delete(f"/v1/documents/{doc_id}", headers=bearer(keys["ops"])).status_code == 204

    def test_deleting_another_owners_record(self, api: TestClient, keys: dict[str, str]) -> None:
        doc_id = upload(api, keys["cancilleria"], "memo.txt", ACTA_B).json()["id"]
        r = api.delete(f"/v1/documents/{doc_id}", headers=bearer(keys["apci"]))
        assert (r.status_code, r.json()) == (
            403,
            {
                "code": "forbidden",
                "detail": f"El registro «{doc_id}» pertenece a «cancilleria»: solo su propietario o una clave «admin» "
                "puede borrarlo.",
            },
        )
        assert api.get(f"/v1/documents/{doc_id}", headers=bearer(keys["lector"])).status_code == 200
        assert api.delete(f"/v1/documents/{doc_id}", headers=bearer(keys["ops"])).status_code == 204
        assert api.get(f"/v1/documents/{doc_id}", headers=bearer(keys["lector"])).status_code == 404
        mine = upload(api, keys["apci"], "propio.txt", ACTA_A2).json()["id"]
        assert api.delete(f"/v1/documents/{mine}", headers=bearer(keys["apci"])).status_code == 204


class TestAudit:
    def test_every_write_is_audited(self, api: TestClient, keys: dict[str, str]) -> None:
        admin = bearer(ADMIN)
        key = api.post("/v1/keys", json={"name": "auditado", "scope": "write"}, headers=admin).json()["key"]
        first = upload(api, key, "informe.txt", ACTA_A1)
        second_version = upload(api, key, "informe.txt", ACTA_A2)
        v1, v2 = first.json()["id"], second_version.json()["id"]
        duplicate = upload(api, key, "otro.txt", ACTA_A2)
        assert duplicate.json()["status"] == "duplicate"
        empty = upload(api, key, "vacio.txt", "   ")
        assert empty.status_code == 422
        deleted_r = api.delete(f"/v1/documents/{v2}", headers=bearer(key))
        assert deleted_r.status_code == 204
        assert api.delete("/v1/keys/auditado", headers=admin).status_code == 204

        page = api.get("/v1/audit", params={"actor": "auditado"}, headers=bearer(keys["ops"])).json()
        assert page["total"] == 5
        rows = page["entries"]
        common = {"actor": "auditado", "key_name": None, "client": "testclient"}

        def rid(r) -> str:  # noqa: ANN001 - the id the request-id middleware gave that write
            return r.headers["X-Request-ID"]

        assert [{k: v for k, v in e.items() if k not in ("id", "at")} for e in rows] == [
            {**common, "action": "document.deleted", "document_id": v2, "filename": "informe.txt",
             "replaced": [], "error": None, "request_id": rid(deleted_r)},
            {**common, "action": "document.rejected", "document_id": None, "filename": "vacio.txt",
             "replaced": [], "error": "empty_file", "request_id": rid(empty)},
            {**common, "action": "document.duplicate", "document_id": v2, "filename": "informe.txt",
             "replaced": [], "error": None, "request_id": rid(duplicate)},
            {**common, "action": "document.replaced", "document_id": v2, "filename": "informe.txt",
             "replaced": [v1], "error": None, "request_id": rid(second_version)},
            {**common, "action": "document.indexed", "document_id": v1, "filename": "informe.txt",
             "replaced": [], "error": None, "request_id": rid(first)},
        ]
        times = [dt.datetime.fromisoformat(e["at"]) for e in rows]
        assert times == sorted(times, reverse=True)
        assert all(t.utcoffset() == dt.timedelta(0) for t in times)
        assert abs((dt.datetime.now(dt.UTC) - times[0]).total_seconds()) < 600
        assert len({e["id"] for e in rows}) == 5

        key_rows = api.get("/v1/audit", params={"actor": "admin", "limit": 2}, headers=admin).json()["entries"]
        assert [(e["action"], e["key_name"], e["client"]) for e in key_rows] == [
            ("key.revoked", "auditado", "testclient"),
            ("key.created", "auditado", "testclient"),
        ]
        second = api.get("/v1/audit", params={"actor": "auditado", "limit": 2, "offset": 1}, headers=admin).json()
        assert [e["action"] for e in second["entries"]] == ["document.rejected", "document.duplicate"]
        deleted = api.get("/v1/audit", params={"action": "document.deleted", "actor": "auditado"}, headers=admin)
        assert [e["document_id"] for e in deleted.json()["entries"]] == [v2]


class TestAuthOff:
    def test_single_local_user_owns_everything(self, client: TestClient) -> None:
        r = client.post("/v1/documents", files={"file": ("local.txt", ACTA_B.encode() + b" Local.", "text/plain")})
        assert (r.status_code, r.json()["owner"]) == (201, "local")
        doc_id = r.json()["id"]
        assert client.get(f"/v1/documents/{doc_id}").json()["owner"] == "local"
        assert client.delete(f"/v1/documents/{doc_id}").status_code == 204
        rows = client.get("/v1/audit", params={"limit": 2}).json()["entries"]
        assert [(e["action"], e["actor"], e["document_id"]) for e in rows] == [
            ("document.deleted", "local", doc_id),
            ("document.indexed", "local", doc_id),
        ]


class TestLoopbackRule:
    def test_open_address_without_keys_refuses_to_start(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["--host", "0.0.0.0", "--data-dir", str(tmp_path / "d")]) == 2
        err = capsys.readouterr().err
        assert err == (
            "No se arranca en 0.0.0.0: sin claves de API cualquiera que alcance el puerto podría subir y borrar "
            "registros. Sin claves el servicio solo escucha en una dirección local (--host 127.0.0.1). Para abrirlo "
            "a la red, cree una clave: defina ADMIN_API_KEY (por ejemplo ADMIN_API_KEY=$(openssl rand -hex 32)) o "
            f"ejecute `python -m service keys create --name operador --scope admin --data-dir {tmp_path / 'd'}`, y "
            "vuelva a arrancar.\n"
        )

    def test_a_key_or_a_loopback_address_lets_it_start(self, tmp_path: Path) -> None:
        settings = Settings(data_dir=tmp_path / "d", _env_file=None)  # type: ignore[call-arg]
        for host in ("127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"):
            assert is_loopback(host), host
            assert _refuse_open_bind(settings, host) is None
        for host in ("0.0.0.0", "::", "192.168.1.10", "servidor.local"):
            assert not is_loopback(host), host
        assert _refuse_open_bind(settings, "192.168.1.10") is not None
        with_admin = Settings(data_dir=tmp_path / "d", admin_api_key=ADMIN, _env_file=None)  # type: ignore[call-arg]
        assert _refuse_open_bind(with_admin, "0.0.0.0") is None
        assert main(["keys", "create", "--name", "ops", "--scope", "admin", "--data-dir", str(tmp_path / "d")]) == 0
        assert _refuse_open_bind(settings, "0.0.0.0") is None

    def test_a_short_admin_key_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="ADMIN_API_KEY debe tener al menos 16 caracteres"):
            Settings(data_dir=tmp_path, admin_api_key="corta", _env_file=None)  # type: ignore[call-arg]


def test_upload_jobs_are_seen_by_their_submitter_and_admins(api: TestClient, keys: dict[str, str]) -> None:
    files = {"file": ("trabajo.txt", b"Nota de trabajo\n\nEl Ecuador anuncio un plan de regularizacion.", "text/plain")}
    accepted = api.post("/v1/documents", files=files, headers={**bearer(keys["apci"]), "Prefer": "respond-async"})
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["job"]["id"]
    location = accepted.headers["location"]
    deadline = time.monotonic() + 300
    while (job := api.get(location, headers=bearer(keys["apci"])).json()["job"])["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert job["status"] == "done"
    assert job["owner"] == "apci"
    assert job["result"]["owner"] == "apci"
    other = api.get(location, headers=bearer(keys["cancilleria"]))
    assert other.status_code == 404
    assert job_id not in [j["id"] for j in api.get("/v1/jobs", headers=bearer(keys["cancilleria"])).json()["jobs"]]
    assert job_id in [j["id"] for j in api.get("/v1/jobs", headers=bearer(keys["apci"])).json()["jobs"]]
    assert job_id in [j["id"] for j in api.get("/v1/jobs", headers=bearer(keys["ops"])).json()["jobs"]]
    assert api.get(location, headers=bearer(keys["ops"])).json()["job"] == job


class TestFailedAttemptsThrottle:
    """An address that sent too many wrong keys waits, on the API and at the web page's sign-in alike."""

    @pytest.fixture()
    def throttled(self, tmp_path: Path) -> Iterator[tuple[TestClient, list[float]]]:
        from service.throttle import FailedAuthThrottle

        settings = Settings(  # type: ignore[call-arg]
            data_dir=tmp_path / "data", admin_api_key=ADMIN, auth_failures_max=3, _env_file=None
        )
        eng = Engine.open(settings)
        now = [500.0]
        app = create_app(engine=eng)
        app.state.auth_throttle = FailedAuthThrottle(3, settings.auth_failure_window_s, clock=lambda: now[0])
        with TestClient(app, raise_server_exceptions=False) as c:
            yield c, now
        eng.close()

    def test_wrong_keys_then_429_for_any_key_from_that_address(self, throttled: tuple[TestClient, list[float]]) -> None:
        api, now = throttled
        wrong = bearer("0123456789abcdef." + "b" * 43)
        for _ in range(3):
            r = api.get("/v1/documents", headers=wrong)
            assert (r.status_code, r.json()) == (401, INVALID)
            now[0] += 100
        # Calls without a key are not attempts: still the "missing key" answer.
        assert (api.get("/v1/documents").status_code, api.get("/v1/documents").json()) == (401, MISSING)
        refused = api.get("/v1/documents", headers=bearer(ADMIN))
        assert refused.status_code == 429
        # failures at 500, 600, 700; now 800: the first leaves the 900 s window at 1400.
        assert refused.headers["retry-after"] == "600"
        assert refused.json() == {
            "code": "too_many_failed_attempts",
            "detail": "Demasiados intentos con claves no válidas desde esta dirección. Espere 600 s antes de volver "
            "a intentarlo.",
        }
        page = api.post("/entrar", data={"clave": ADMIN}, follow_redirects=False)
        assert page.status_code == 429 and page.headers["retry-after"] == "600"
        assert "Demasiados intentos con claves no válidas desde esta dirección. Espere 600 s" in page.text
        assert "compromisos_sesion" not in page.headers.get("set-cookie", "")
        other = TestClient(api.app, client=("10.0.0.9", 40000))  # no `with`: the app is already started
        assert other.get("/v1/documents", headers=bearer(ADMIN)).status_code == 200
        now[0] = 1400.0
        assert api.get("/v1/documents", headers=bearer(ADMIN)).status_code == 200

    def test_failed_sign_ins_count_too(self, throttled: tuple[TestClient, list[float]]) -> None:
        api, now = throttled
        for _ in range(3):
            r = api.post("/entrar", data={"clave": "no-es-una-clave"}, follow_redirects=False)
            assert r.status_code == 401 and "La clave no es válida o ha sido revocada." in r.text
        empty = api.post("/entrar", data={"clave": "  "}, follow_redirects=False)
        assert empty.status_code == 401 and "Escriba su clave de API." in empty.text
        r = api.get("/v1/documents", headers=bearer(ADMIN))
        assert (r.status_code, r.headers["retry-after"]) == (429, "900")
