"""The engine's use-case methods (what routes and pages call instead of its parts) and briefings that list a
meeting's commitments from the register first, on the real store and model."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict

import pytest
from fastapi.testclient import TestClient

from indexing.briefing import BriefingRequest
from indexing.engine import Engine
from indexing.errors import NotFound
from indexing.register import CommitmentFilters
from indexing.types import SearchFilters

pytestmark = pytest.mark.integration

TITLE = "Acta de la reunión de seguimiento de la Conferencia de Bruselas 2023"
SUIZA = "La delegación de Suiza comprometió CHF 3 millones en donaciones para la regularización migratoria en el Perú."
NORUEGA = "Noruega anunció NOK 20 millones para programas de protección de la niñez migrante en Lima."
ACUERDO = (
    "Los cooperantes acordaron remitir a la Agencia Peruana de Cooperación Internacional la información de "
    "ejecución de sus proyectos antes del 31 de enero de 2024."
)
PAGE_1 = (
    f"{TITLE}\n\n"
    "Lima, 5 de diciembre de 2023\n\n"
    "La Agencia Peruana de Cooperación Internacional abrió la reunión de seguimiento y presentó la matriz de "
    "compromisos asumidos con el Perú desde la conferencia de marzo."
)
PAGE_2 = (
    "Compromisos de los cooperantes\n\n"
    f"{SUIZA} {NORUEGA}\n\n"
    "| Cooperante | Instrumento | Estado |\n"
    "| --- | --- | --- |\n\n"
    f"Acuerdos\n\n{ACUERDO}"
)
ACTA = f"{PAGE_1}\f{PAGE_2}\n"
META = {"conference": "bruselas-2023", "doc_type": "acta", "date": "2023-12-05", "title": TITLE}
FILENAME = "acta_seguimiento_2023_12_05.txt"


@pytest.fixture(scope="module")
def acta_id(engine: Engine, client: TestClient) -> Iterator[str]:
    doc_id = engine.indexer.ingest(ACTA.encode("utf-8"), FILENAME, META).id
    yield doc_id
    engine.delete_document(doc_id)


class TestRecords:
    def test_documents_and_one_document(self, engine: Engine, acta_id: str, doc_ids: dict[str, str]) -> None:
        names = [r.filename for r in engine.documents()]
        assert sorted(names) == sorted([*doc_ids, FILENAME])
        record = engine.document(acta_id)
        assert (record.id, record.filename, record.title, record.date, record.pages, record.conference) == (
            acta_id,
            FILENAME,
            TITLE,
            "2023-12-05",
            2,
            "bruselas-2023",
        )
        assert engine.find_document(acta_id) == record
        assert engine.find_document("no-existe") is None

    def test_document_raises_not_found(self, engine: Engine) -> None:
        with pytest.raises(NotFound) as err:
            engine.document("no-existe")
        assert str(err.value) == "No hay ningún documento indexado con id «no-existe»."

    def test_page_chunks_hold_the_page_text_in_order(self, engine: Engine, acta_id: str) -> None:
        chunks = engine.page_chunks(acta_id, 2)
        assert {c.page for c in chunks} == {2}
        assert [c.char_start for c in chunks] == sorted(c.char_start for c in chunks)
        assert chunks[0].char_start == 0
        assert any(SUIZA in c.text for c in chunks)
        assert any(ACUERDO in c.text for c in chunks)
        assert engine.page_chunks(acta_id, 3) == []
        assert engine.page_chunks("no-existe", 1) == []

    def test_original_and_page_image_paths(self, engine: Engine, acta_id: str) -> None:
        original = engine.original_path(acta_id)
        assert original is not None and original.read_bytes() == ACTA.encode("utf-8")
        image = engine.page_image_path(acta_id, "2-1.5.png")
        assert image.name == "2-1.5.png" and image.parent.is_dir()
        assert engine.original_path("no-existe") is None

    def test_upload_limit_ticket_embedder_and_keys(self, engine: Engine) -> None:
        assert engine.max_upload_bytes() == engine.settings.max_upload_bytes
        first = engine.upload_ticket()
        assert engine.upload_ticket() > first  # strictly increasing (wall-clock nanoseconds)
        assert engine.embedder_name() == engine.backend.name
        assert engine.key_exists("nadie") is False


class TestRegisterMethods:
    def test_commitments_of_the_record(self, engine: Engine, acta_id: str) -> None:
        entries = engine.commitments(CommitmentFilters(document_id=acta_id))
        assert [(e["actor"], e["amount"], e["currency"], e["status"]) for e in entries] == [
            ("Suiza", 3_000_000.0, "CHF", "comprometido"),
            ("Noruega", 20_000_000.0, "NOK", "anunciado"),
        ]
        assert [(s["page"], s["quote"]) for e in entries for s in e["sources"]] == [(2, SUIZA), (2, NORUEGA)]
        assert engine.commitments(CommitmentFilters(document_id=acta_id)) == engine.register.entries(
            CommitmentFilters(document_id=acta_id)
        )

    def test_summary_csv_compare_and_timeline(self, engine: Engine, acta_id: str) -> None:
        filters = CommitmentFilters(document_id=acta_id)
        summary = engine.commitments_summary("currency", filters)
        assert summary == engine.register.summary("currency", filters)
        assert sorted((t["currency"], t["pledged"], t["count"]) for g in summary["groups"] for t in g["totals"]) == [
            ("CHF", 3_000_000.0, 1),
            ("NOK", 20_000_000.0, 1),
        ]
        csv = engine.commitments_csv(filters)
        assert csv.startswith("\ufeff".encode()) and csv == engine.register.csv(filters)
        assert csv.decode("utf-8").count("\n") == 3  # header + two entries
        [suiza] = engine.compare_commitments(["Suiza"])
        assert suiza.to_dict() == engine.register.compare(["Suiza"])[0].to_dict()
        entry = engine.commitments(filters)[0]
        timeline = engine.commitment_timeline(entry["id"])
        assert timeline is not None and timeline["commitment_id"] == entry["id"]
        assert [s["id"] for s in timeline["stages"]] == [entry["id"]]
        assert engine.commitment_timeline("no-existe") is None


class TestBriefingOnAMeeting:
    TOPIC = "los compromisos de la reunión de seguimiento del 5 de diciembre"

    def test_the_meeting_commitments_come_first_each_with_its_source(self, engine: Engine, acta_id: str) -> None:
        b = engine.briefing(BriefingRequest(topic=self.TOPIC, max_points=6))
        assert b.found is True
        first = b.sections[0]
        assert first.heading == "Compromisos registrados en la reunión de seguimiento del 5 de diciembre"
        assert [(p.text, p.citations) for p in first.points] == [(SUIZA, [1]), (NORUEGA, [2])]
        page_2 = PAGE_2
        assert [(c.n, c.document_id, c.filename, c.title, c.date, c.page, c.quote) for c in b.citations[:2]] == [
            (1, acta_id, FILENAME, TITLE, "2023-12-05", 2, SUIZA),
            (2, acta_id, FILENAME, TITLE, "2023-12-05", 2, NORUEGA),
        ]
        for c in b.citations[:2]:
            assert page_2[c.char_start : c.char_end] == c.quote
        # Spain's pledge at the conference itself (another record, another date) is no commitment of this meeting.
        assert all("España" not in p.text for p in first.points)
        # The other points never repeat a commitment, and no point is a heading or a table's header row.
        rest = [p.text for s in b.sections[1:] for p in s.points]
        assert SUIZA not in rest and NORUEGA not in rest
        every = [p.text for s in b.sections for p in s.points]
        assert all("|" not in t and t not in ("Compromisos de los cooperantes", "Acuerdos", TITLE) for t in every)
        assert len(every) <= 6

    def test_the_commitments_respect_the_request_filters(self, engine: Engine, acta_id: str) -> None:
        for filters in (SearchFilters(doc_type="nota_prensa"), SearchFilters(date_to="2023-06-30")):
            b = engine.briefing(BriefingRequest(topic=self.TOPIC, filters=asdict(filters), max_points=4), filters)
            assert all(not s.heading.startswith("Compromisos registrados") for s in b.sections)
        acta = SearchFilters(doc_type="acta", date_from="2023-12-01")
        b = engine.briefing(BriefingRequest(topic=self.TOPIC, filters=asdict(acta), max_points=4), acta)
        assert [p.text for p in b.sections[0].points] == [SUIZA, NORUEGA]

    def test_a_topic_without_an_event_lists_no_register_section(self, engine: Engine, acta_id: str) -> None:
        b = engine.briefing(BriefingRequest(topic="compromisos de Suiza con la regularización migratoria"))
        assert all(not s.heading.startswith("Compromisos registrados") for s in b.sections)

    def test_through_the_api_the_shape_is_unchanged(self, client: TestClient, acta_id: str) -> None:
        body = client.post("/v1/briefings", json={"topic": self.TOPIC, "max_points": 6}).json()
        assert body["sections"][0]["points"][0] == {"id": "p1", "text": SUIZA, "citations": [1]}
        assert set(body["citations"][0]) == {
            "n",
            "document_id",
            "filename",
            "title",
            "date",
            "page",
            "quote",
            "ocr",
            "page_kind",
        }
