"""Inputs and outputs end to end: caps, broken characters, unreadable files, a lost Qdrant server, safe exports,
request ids and metrics. Real app, real embedded Qdrant, real bundled model."""

from __future__ import annotations

import csv
import io
import logging
import re
import socket

import pytest
from fastapi.testclient import TestClient
from qdrant_client import QdrantClient

from indexing.components import pdf_pages_converter
from indexing.engine import Engine
from indexing.errors import TooManyChunks
from indexing.ingest import Indexer
from indexing.store.guard import guard_client
from service.app import create_app
from tests.factories import make_surrogate_pdf
from tests.integration.test_api import upload

pytestmark = pytest.mark.integration

SENTENCE = "El Gobierno de España anunció una contribución de 50 millones de euros para la respuesta regional en 2023. "
CHILE = "El Gobierno de Chile aporta USD 3 millones para la respuesta regional a refugiados venezolanos en 2023 #"
FORMULA = '=HYPERLINK("http://example.org/x","clic")'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TestCaps:
    def test_two_mib_single_line_record_is_refused_before_cleaning(
        self, client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # In process (no worker), so that the components watched here are the ones that run; the worker path is
        # tested in test_ingest_worker.py.
        monkeypatch.setattr(engine.indexer, "_worker", None)
        data = (SENTENCE * 20000).encode()[: 2 * 1024 * 1024]
        chunker_runs: list[int] = []
        watched = [engine.indexer.pipeline.get_component(name) for name in ("cleaner", "chunker")]
        for part in watched:
            monkeypatch.setattr(part, "run", lambda real=part.run, **kw: chunker_runs.append(1) or real(**kw))
        r = upload(client, "una_linea.txt", data)
        assert r.status_code == 413
        assert r.json() == {
            "code": "too_many_chars",
            "detail": "una_linea.txt tiene 2.039.957 caracteres y el límite es 1.000.000 por registro "
            "(MAX_RECORD_CHARS): divídalo en varios archivos.",
        }
        assert chunker_runs == []
        assert "una_linea.txt" not in {d["filename"] for d in client.get("/v1/documents").json()["documents"]}

    def test_too_many_pages(self, client: TestClient) -> None:
        r = upload(client, "paginas.txt", ("Página con texto de la reunión.\f" * 1001).encode())
        assert r.status_code == 413
        assert r.json() == {
            "code": "too_many_pages",
            "detail": "paginas.txt tiene 1001 páginas y el límite es 1000 por registro (MAX_RECORD_PAGES): "
            "divídalo en varios archivos.",
        }

    def test_too_many_chunks_stops_before_embedding(self, engine: Engine) -> None:
        indexer = Indexer(engine.store, engine.backend, max_bytes=10**6, min_words=10, max_words=20, max_chunks=2)
        indexer.warm_up()
        embedded: list[int] = []
        dense = indexer.dense
        real_run = dense.run
        dense.run = lambda **kw: embedded.append(1) or real_run(**kw)  # type: ignore[method-assign]
        text = " ".join(f"La reunión número {n} de Quito trató los compromisos de la región andina." for n in range(9))
        before = len(engine.store.all_documents())
        with pytest.raises(TooManyChunks) as err:
            indexer.ingest(text.encode(), "pasajes.txt")
        assert err.value.detail.startswith("pasajes.txt se divide en ")
        assert err.value.detail.endswith(
            " pasajes y el límite es 2 por registro (MAX_RECORD_CHUNKS): divídalo en varios archivos."
        )
        assert embedded == []
        assert len(engine.store.all_documents()) == before

    @pytest.mark.parametrize(
        ("metadata", "status", "body"),
        [
            (
                {"tags": [f"t{n}" for n in range(51)]},
                422,
                {"code": "too_many_tags", "detail": "«tags» tiene 51 etiquetas y el límite es 50 (MAX_TAGS)."},
            ),
            (
                {"tags": ["ok", "x" * 101]},
                422,
                {
                    "code": "tag_too_long",
                    "detail": "Una etiqueta de «tags» tiene 101 caracteres y el límite es 100 (MAX_TAG_CHARS).",
                },
            ),
            (
                {"title": "x" * 70000},
                413,
                {"code": "body_too_large", "detail": "«metadata» supera el límite de 64 KB (MAX_JSON_BODY_KB)."},
            ),
        ],
    )
    def test_metadata_caps(self, client: TestClient, metadata: dict, status: int, body: dict) -> None:
        r = upload(client, "etiquetas.txt", "Acta breve de la reunión de Quito sobre etiquetas.".encode(), metadata)
        assert (r.status_code, r.json()) == (status, body)

    def test_filename_length(self, client: TestClient) -> None:
        r = upload(client, "a" * 252 + ".txt", "Acta breve de la reunión de Quito.".encode())
        assert (r.status_code, r.json()) == (
            422,
            {
                "code": "filename_too_long",
                "detail": "El nombre del archivo tiene 256 caracteres y el límite es 255: acórtelo.",
            },
        )

    @pytest.mark.parametrize(
        ("path", "body", "detail"),
        [
            ("/v1/search", {"query": "x" * 2001}, "«query» admite como máximo 2000 caracteres"),
            ("/v1/ask", {"question": "x" * 2001}, "«question» admite como máximo 2000 caracteres"),
            ("/v1/briefings", {"topic": "x" * 501}, "«topic» admite como máximo 500 caracteres"),
            (
                "/v1/search",
                {"query": "Quito", "filters": {"conference": "x" * 501}},
                "«filters.conference» admite como máximo 500 caracteres",
            ),
            (
                "/v1/search",
                {"query": "Quito", "filters": {"document_ids": ["x" * 129]}},
                "«filters.document_ids.0» admite como máximo 128 caracteres",
            ),
            (
                "/v1/search",
                {"query": "Quito", "filters": {"document_ids": ["x"] * 1001}},
                "«filters.document_ids» admite como máximo 1000 elementos",
            ),
        ],
    )
    def test_string_field_lengths(self, client: TestClient, path: str, body: dict, detail: str) -> None:
        r = client.post(path, json=body)
        expected = {"code": "field_too_long", "detail": f"Solicitud no válida: {detail}."}
        assert (r.status_code, r.json()) == (422, expected)

    def test_path_id_length(self, client: TestClient) -> None:
        r = client.get("/v1/documents/" + "x" * 129)
        assert (r.status_code, r.json()["code"]) == (422, "field_too_long")

    def test_json_body_size(self, client: TestClient) -> None:
        r = client.post("/v1/search", json={"query": "Quito", "filters": {"document_ids": ["x" * 100] * 700}})
        assert r.status_code == 413
        assert r.json() == {
            "code": "body_too_large",
            "detail": "El cuerpo de la solicitud supera el límite de 64 KB (MAX_JSON_BODY_KB).",
        }

    def test_upload_content_length_above_the_limit(self, client: TestClient) -> None:
        r = upload(client, "enorme.txt", b"a" * (51 * 1024 * 1024))
        assert r.status_code == 413
        assert r.json() == {"code": "file_too_large", "detail": "El archivo supera el límite de 50 MB (MAX_UPLOAD_MB)."}


class TestBrokenInput:
    def test_pdf_with_a_lone_surrogate_is_indexed_without_it(self, client: TestClient, engine: Engine) -> None:
        r = upload(client, "chile.pdf", make_surrogate_pdf(CHILE, "#"), mime="application/pdf")
        assert r.status_code == 201, r.text
        doc_id = r.json()["id"]
        try:
            chunks = engine.store.document_chunks(doc_id)
            assert [c.text for c in chunks] == [
                "El Gobierno de Chile aporta USD 3 millones para la respuesta regional a refugiados venezolanos en 2023"
            ]
        finally:
            assert client.delete(f"/v1/documents/{doc_id}").status_code == 204

    def test_unexpected_reading_failure_is_422_unreadable_file(
        self, client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(engine.indexer, "_worker", None)  # the patch below acts in this process only
        # Without the stripping, the surrogate reaches Haystack's id hashing: the failure that used to be a 500.
        monkeypatch.setattr(pdf_pages_converter, "strip_undecodable", lambda text: text)
        r = upload(client, "roto.pdf", make_surrogate_pdf(CHILE.replace("Chile", "Perú"), "#"), mime="application/pdf")
        assert r.status_code == 422
        assert r.json() == {
            "code": "unreadable_file",
            "detail": "No se pudo leer el archivo roto.pdf: su contenido está dañado o tiene un formato que este "
            "servicio no sabe leer. Pruebe a exportarlo de nuevo (por ejemplo, a PDF o a texto UTF-8).",
        }


    def test_lone_surrogates_in_metadata_are_stripped(self, client: TestClient) -> None:
        # Found by the fuzzer's neighbourhood: JSON escapes can carry lone surrogates, which used to reach the
        # embedder (title) and fail with a 500.
        r = client.post(
            "/v1/documents",
            files={"file": ("sur.txt", "Acta de la reunión de Lima sobre caracteres rotos.".encode(), "text/plain")},
            data={"metadata": '{"title": "Acta\\ud800 rota", "tags": ["\\udfff", "lima"]}'},
        )
        assert r.status_code == 201, r.text
        doc = client.get(f"/v1/documents/{r.json()['id']}").json()
        assert (doc["title"], doc["tags"]) == ("Acta rota", ["lima"])
        assert client.delete(f"/v1/documents/{doc['id']}").status_code == 204

    def test_lone_surrogates_in_a_query_are_422(self, client: TestClient) -> None:
        r = client.post(
            "/v1/search", content=b'{"query": "\\ud800 Quito"}', headers={"Content-Type": "application/json"}
        )
        assert (r.status_code, r.json()) == (
            422,
            {"code": "invalid_request", "detail": "Solicitud no válida: «query» no es texto Unicode válido."},
        )


@pytest.mark.filterwarnings("ignore:Failed to obtain server version")  # nobody listens there, on purpose
class TestStoreUnavailable:
    def test_server_gone_after_start_up_is_503(
        self, client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        url = f"http://127.0.0.1:{free_port()}"  # nobody listens there
        monkeypatch.setattr(engine.store, "client", guard_client(QdrantClient(url=url, timeout=5), url))
        detail = (
            f"El servidor Qdrant en {url} no responde o falló (ResponseHandlingException). Nada se ha perdido: "
            "reintente en unos segundos; si persiste, revise el servidor."
        )
        for r in (
            client.get("/v1/documents"),
            client.post("/v1/search", json={"query": "aportes de España"}),
            client.post("/v1/ask", json={"question": "¿Cuánto aportó España?"}),
            client.get("/v1/commitments"),
            upload(client, "nuevo.txt", "Acta breve de la reunión de Lima sobre el servidor caído.".encode()),
        ):
            assert (r.status_code, r.json()) == (503, {"code": "store_unavailable", "detail": detail})
        assert client.get("/readyz").status_code == 503


class TestExports:
    def test_csv_and_markdown_from_hostile_metadata(self, client: TestClient) -> None:
        text = (
            "Acta de compromisos\n\nLa delegación de Noruega anunció una contribución de EUR 7 millones en donaciones "
            "para la integración de migrantes en Colombia."
        )
        meta = {"title": "Acta <script>alert(1)</script> *final*", "conference": FORMULA, "doc_type": "acta"}
        r = upload(client, "=cmd.txt", text.encode(), meta)
        assert r.status_code == 201, r.text
        doc_id = r.json()["id"]
        try:
            data = client.get("/v1/commitments.csv", params={"document_id": doc_id}).content.decode("utf-8-sig")
            header, *rows = list(csv.reader(io.StringIO(data, newline=""), delimiter=";"))
            assert len(rows) == 1
            row = dict(zip(header, rows[0], strict=True))
            assert (row["actor"], row["monto"], row["moneda"]) == ("Noruega", "7000000", "EUR")
            assert row["evento"] == "'" + FORMULA
            assert row["fuentes"].startswith("'=cmd.txt p. 1: ")
            assert not [cell for cell in rows[0] if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]

            summary = client.post(f"/v1/documents/{doc_id}/summary", json={}).json()
            md = summary["summary_markdown"]
            assert "<script>" not in md
            assert "*Acta &lt;script&gt;alert(1)&lt;/script&gt; \\*final\\**, p. 1: «" in md
            exported = client.get(f"/v1/briefings/{summary['id']}", params={"format": "md"}).text
            assert exported == md
        finally:
            assert client.delete(f"/v1/documents/{doc_id}").status_code == 204


class TestRequestId:
    def test_sane_incoming_id_is_echoed(self, client: TestClient) -> None:
        r = client.get("/healthz", headers={"X-Request-ID": "portal-apci:42.a_b"})
        assert r.headers["X-Request-ID"] == "portal-apci:42.a_b"

    @pytest.mark.parametrize("incoming", [None, "con espacios", "x" * 129, "<script>"])
    def test_otherwise_a_new_one(self, client: TestClient, incoming: str | None) -> None:
        headers = {"X-Request-ID": incoming} if incoming is not None else {}
        r = client.get("/v1/documents/desconocido", headers=headers)
        assert r.status_code == 404
        assert re.fullmatch(r"[0-9a-f]{32}", r.headers["X-Request-ID"])

    def test_every_log_line_of_a_request_carries_it(self, client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
        text = "Nota breve\n\nEl 3 de mayo de 2024 Suecia anunció SEK 5 millones para la respuesta en Ecuador."
        with caplog.at_level(logging.INFO):
            r = client.post(
                "/v1/documents",
                files={"file": ("nota_suecia.txt", text.encode(), "text/plain")},
                headers={"X-Request-ID": "subida-1"},
            )
        assert r.status_code == 201
        mine = [rec for rec in caplog.records if rec.getMessage().startswith("Indexed nota_suecia.txt")]
        assert [rec.request_id for rec in mine] == ["subida-1"]  # type: ignore[attr-defined]
        assert client.delete(f"/v1/documents/{r.json()['id']}").status_code == 204

    def test_an_unexpected_error_keeps_the_id_in_log_and_response(
        self, client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
    ) -> None:
        def boom(*args: object, **kwargs: object) -> None:
            raise RuntimeError("fallo simulado")

        monkeypatch.setattr(engine, "search", boom)
        with caplog.at_level(logging.ERROR):
            r = client.post("/v1/search", json={"query": "Quito"}, headers={"X-Request-ID": "falla-7"})
        assert (r.status_code, r.json()["code"]) == (500, "internal_error")
        assert r.headers["X-Request-ID"] == "falla-7"
        errors = [rec for rec in caplog.records if rec.getMessage() == "Unexpected error"]
        assert [rec.request_id for rec in errors] == ["falla-7"]  # type: ignore[attr-defined]


class TestMetrics:
    def test_prometheus_text_counts_uploads_asks_abstentions_and_errors(
        self, engine: Engine, doc_ids: dict[str, str]
    ) -> None:
        from tests.integration.records import shared_records

        name, data, meta = shared_records()[2]
        with TestClient(create_app(engine=engine), raise_server_exceptions=False) as c:
            assert upload(c, name, data, meta).status_code == 200  # duplicate of a shared record
            paella = c.post("/v1/ask", json={"question": "¿Cuál es la receta de la paella valenciana?"})
            assert paella.json()["found"] is False
            assert c.get("/v1/documents/desconocido").status_code == 404
            assert upload(c, "vacio.txt", b"   ").status_code == 422
            r = c.get("/metrics")
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/plain; version=")
        lines = set(r.text.splitlines())
        assert {
            'compromisos_uploads_total{status="duplicate"} 1.0',
            'compromisos_uploads_total{status="empty_file"} 1.0',
            "compromisos_asks_total 1.0",
            "compromisos_abstentions_total 1.0",
            'compromisos_errors_total{code="not_found"} 1.0',
            'compromisos_errors_total{code="empty_file"} 1.0',
            "compromisos_ingest_seconds_count 2.0",
        } <= lines
        assert any(line.startswith('compromisos_pipeline_stage_seconds_count{stage="dense_query"} ') for line in lines)
        ask_line = 'http_requests_total{handler="/v1/ask",method="POST",status="200"} '
        assert any(line.startswith(ask_line) for line in lines)


def test_a_repeated_query_parameter_is_refused(client: TestClient) -> None:
    response = client.get("/v1/commitments/compare", params=[("actor", "Alemania"), ("actor", "España")])
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_query",
        "detail": "El parámetro «actor» aparece más de una vez; indique un solo valor.",
    }
