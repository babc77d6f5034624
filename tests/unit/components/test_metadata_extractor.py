"""RecordMetadataExtractor: title, date, conference, type and tags on every page."""

from __future__ import annotations

import pytest
from haystack import Document

from indexing.components.metadata_extractor import RecordMetadataExtractor
from indexing.errors import InvalidMetadata


def pages(*texts: str, pdf_title: str | None = None) -> list[Document]:
    return [
        Document(content=text, meta={"page": n, "pdf_title": pdf_title, "filename": "acta.pdf"})
        for n, text in enumerate(texts, start=1)
    ]


def extract(docs: list[Document], meta: dict | None = None) -> list[Document]:
    return RecordMetadataExtractor().run(documents=docs, meta=meta)["documents"]


class TestRecordMetadataExtractor:
    def test_given_metadata_wins(self) -> None:
        docs = extract(
            pages("Acta\n\nBruselas, 29 de octubre de 2019", "Fin.", pdf_title="Título del PDF"),
            {
                "title": " Acta oficial ",
                "date": "2019-10-28",
                "conference": "Bruselas 2019",
                "doc_type": "acta",
                "tags": ["UE", " ACNUR ", "UE", ""],
            },
        )
        expected = {
            "title": "Acta oficial",
            "date": "2019-10-28",
            "conference": "Bruselas 2019",
            "doc_type": "acta",
            "tags": ["UE", "ACNUR"],
        }
        assert [{k: d.meta[k] for k in expected} for d in docs] == [expected, expected]
        assert [d.meta["page"] for d in docs] == [1, 2]

    def test_pdf_title_then_date_from_text(self) -> None:
        docs = extract(pages("Comunicado\n\nBruselas, 29 de octubre de 2019", pdf_title="Comunicado conjunto"))
        assert (docs[0].meta["title"], docs[0].meta["date"]) == ("Comunicado conjunto", "2019-10-29")
        assert (docs[0].meta["conference"], docs[0].meta["doc_type"], docs[0].meta["tags"]) == (None, None, [])

    @pytest.mark.parametrize(
        ("pdf_title", "expected"),
        [
            ("Microsoft Word - Acta final.docx", "Acta final"),
            ("Untitled", "COMUNICADO CONJUNTO"),
            ("untitled", "COMUNICADO CONJUNTO"),
            ("Documento1", "COMUNICADO CONJUNTO"),
            (None, "COMUNICADO CONJUNTO"),
        ],
    )
    def test_junk_pdf_titles_fall_back_to_first_line(self, pdf_title: str | None, expected: str) -> None:
        docs = extract(pages("", "COMUNICADO CONJUNTO\n\nTexto.", pdf_title=pdf_title))
        assert docs[0].meta["title"] == expected

    def test_long_first_line_is_trimmed(self) -> None:
        docs = extract(pages("palabra " * 60))
        assert len(docs[0].meta["title"]) <= 200
        assert docs[0].meta["title"] == " ".join(["palabra"] * 25)

    def test_month_year_when_no_full_date(self) -> None:
        assert extract(pages("Informe de julio de 2023"))[0].meta["date"] == "2023-07-01"
        assert extract(pages("Sin fecha"))[0].meta["date"] is None

    @pytest.mark.parametrize("date", ["17/07/2023", "2023-02-30", "2023-7-1", 20230717])
    def test_invalid_date(self, date: object) -> None:
        with pytest.raises(InvalidMetadata) as excinfo:
            extract(pages("Texto"), {"date": date})
        assert excinfo.value.code == "invalid_metadata"
        assert "no" in excinfo.value.detail

    def test_invalid_tags(self) -> None:
        with pytest.raises(InvalidMetadata):
            extract(pages("Texto"), {"tags": [1, 2]})
