"""SpanishSentenceChunker: exact offsets, overlap, pages, long sentences; chunk ids."""

from __future__ import annotations

import uuid

import pytest
from haystack import Document

from indexing.components.spanish_chunker import SpanishSentenceChunker
from indexing.ids import chunk_point_id, document_id

S1 = "Uno dos tres cuatro."
S2 = "Cinco seis siete ocho."
S3 = "Nueve diez once doce."
S4 = "Trece catorce quince dieciséis."
PAGE = f"{S1} {S2} {S3} {S4}"


def chunk(texts: list[str], **params: int) -> list[Document]:
    docs = [
        Document(content=text, meta={"page": n, "document_id": "abc", "filename": "a.txt"})
        for n, text in enumerate(texts, start=1)
    ]
    return SpanishSentenceChunker(**params).run(documents=docs)["documents"]


class TestSpanishSentenceChunker:
    def test_exact_offsets_and_overlap(self) -> None:
        chunks = chunk([PAGE], min_words=4, max_words=10)
        assert [(c.meta["char_start"], c.meta["char_end"]) for c in chunks] == [(0, 43), (21, 65), (44, 97)]
        assert [c.content for c in chunks] == [f"{S1} {S2}", f"{S2} {S3}", f"{S3} {S4}"]
        assert [c.meta["chunk_index"] for c in chunks] == [0, 1, 2]
        assert all(c.content == PAGE[c.meta["char_start"] : c.meta["char_end"]] for c in chunks)

    def test_short_remainder_is_merged(self) -> None:
        page = f"{S1} {S2} Fin."
        chunks = chunk([page], min_words=6, max_words=8)
        assert [c.content for c in chunks] == [page]

    def test_short_page_is_one_chunk_and_pages_never_mix(self) -> None:
        chunks = chunk([S1, "", f"{S2} {S3}"])
        assert [(c.meta["page"], c.content, c.meta["chunk_index"]) for c in chunks] == [
            (1, S1, 0),
            (3, f"{S2} {S3}", 1),
        ]
        assert chunks[1].meta == {
            "page": 3,
            "document_id": "abc",
            "filename": "a.txt",
            "char_start": 0,
            "char_end": 44,
            "chunk_index": 1,
        }

    def test_long_sentence_cut_at_comma_outside_amounts(self) -> None:
        text = (
            "Los donantes, reunidos en Bruselas con los países de acogida, que aportaron US$ 1.500 millones, "
            "el 17 de julio de 2023 y otras sumas menores."
        )
        chunks = chunk([text], min_words=4, max_words=14)
        assert [c.content for c in chunks] == [
            "Los donantes, reunidos en Bruselas con los países de acogida,",
            "que aportaron US$ 1.500 millones, el 17 de julio de 2023 y otras sumas menores.",
        ]

    @pytest.mark.parametrize("max_words", [3, 4, 5, 6, 7, 8])
    def test_word_cut_never_inside_amount_or_date(self, max_words: int) -> None:
        text = "Aportaron US$ 1.500 millones el 17 de julio de 2023 para ellos"
        pieces = [c.content for c in chunk([text], min_words=2, max_words=max_words, overlap_sentences=0)]
        assert " ".join(pieces) == text
        for piece in pieces:
            for whole in ("US$ 1.500 millones", "17 de julio de 2023"):
                words = whole.split()
                assert not (words[0] in piece.split() and whole not in piece and words[-1] not in piece.split())

    def test_document_ids_are_chunk_point_ids(self) -> None:
        chunks = chunk([PAGE], min_words=4, max_words=10)
        assert [c.id for c in chunks] == [chunk_point_id("abc", i) for i in range(3)]

    def test_invalid_sizes(self) -> None:
        with pytest.raises(ValueError):
            SpanishSentenceChunker(min_words=300, max_words=250)

    def test_serialization_round_trip(self) -> None:
        chunker = SpanishSentenceChunker.from_dict(SpanishSentenceChunker(min_words=50, max_words=90).to_dict())
        assert (chunker.min_words, chunker.max_words, chunker.overlap_sentences) == (50, 90, 1)


class TestIds:
    def test_document_id_is_sha256_prefix(self) -> None:
        assert document_id(b"hola") == "b221d9dbb083a7f33428d7c2a3c3198a"

    def test_chunk_point_id_is_deterministic_uuid(self) -> None:
        first = chunk_point_id("b221d9dbb083a7f33428d7c2a3c3198a", 0)
        assert first == chunk_point_id("b221d9dbb083a7f33428d7c2a3c3198a", 0)
        assert first != chunk_point_id("b221d9dbb083a7f33428d7c2a3c3198a", 1)
        assert uuid.UUID(first).version == 5


TABLE_PAGE_1 = (
    "Aportes de los cooperantes europeos.\n"
    "| Donante | Monto | Moneda | Estado |\n"
    "| Alemania | 22,2 | EUR | desembolsado |\n"
    "| Italia | 1,8 | EUR | firmado |\n"
    "Los montos se consignan tal como fueron comunicados."
)
TABLE_PAGE_2 = "| Finlandia | 1,4 | EUR | firmado |\n| Austria | 0,7 | EUR | anunciado |\nFin del cuadro."


class TestTableChunks:
    def test_rows_stay_with_their_header_and_prose_is_chunked_apart(self) -> None:
        chunks = chunk([TABLE_PAGE_1, TABLE_PAGE_2], min_words=2, max_words=250)
        assert [(c.meta["page"], c.content) for c in chunks] == [
            (1, "Aportes de los cooperantes europeos."),
            (
                1,
                "| Donante | Monto | Moneda | Estado |\n| Alemania | 22,2 | EUR | desembolsado |\n"
                "| Italia | 1,8 | EUR | firmado |",
            ),
            (1, "Los montos se consignan tal como fueron comunicados."),
            (2, "| Finlandia | 1,4 | EUR | firmado |\n| Austria | 0,7 | EUR | anunciado |"),
            (2, "Fin del cuadro."),
        ]
        assert [c.meta["chunk_index"] for c in chunks] == [0, 1, 2, 3, 4]
        pages = {1: TABLE_PAGE_1, 2: TABLE_PAGE_2}
        assert all(c.content == pages[c.meta["page"]][c.meta["char_start"] : c.meta["char_end"]] for c in chunks)
        header = ["Donante", "Monto", "Moneda", "Estado"]
        table_1, table_2 = chunks[1], chunks[3]
        assert table_1.meta["table_header"] == header and table_2.meta["table_header"] == header
        # The caption (the sentence before the table) opens the table text, on the page that continues it too.
        assert table_1.meta["table_text"] == (
            "Aportes de los cooperantes europeos.\n"
            "Donante: Alemania | Monto: 22,2 | Moneda: EUR | Estado: desembolsado\n"
            "Donante: Italia | Monto: 1,8 | Moneda: EUR | Estado: firmado"
        )
        assert table_2.meta["table_text"] == (
            "Aportes de los cooperantes europeos.\n"
            "Donante: Finlandia | Monto: 1,4 | Moneda: EUR | Estado: firmado\n"
            "Donante: Austria | Monto: 0,7 | Moneda: EUR | Estado: anunciado"
        )
        rows_2 = [TABLE_PAGE_2[a:b] for a, b in table_2.meta["table_rows"]]
        assert rows_2 == ["| Finlandia | 1,4 | EUR | firmado |", "| Austria | 0,7 | EUR | anunciado |"]
        assert "table_header" not in chunks[0].meta and "table_text" not in chunks[2].meta

    def test_a_long_table_is_cut_between_rows_and_every_piece_keeps_the_header(self) -> None:
        rows = [f"| Cooperante {i} | {i},5 | EUR | firmado |" for i in range(1, 6)]
        page = "| Donante | Monto | Moneda | Estado |\n" + "\n".join(rows)
        chunks = chunk([page], min_words=2, max_words=20)
        assert [c.content for c in chunks] == [
            "| Donante | Monto | Moneda | Estado |\n" + "\n".join(rows[:1]),
            "\n".join(rows[1:3]),
            "\n".join(rows[3:5]),
        ]
        assert all(c.meta["table_header"] == ["Donante", "Monto", "Moneda", "Estado"] for c in chunks)
        assert [len(c.meta["table_rows"]) for c in chunks] == [1, 2, 2]
        assert chunks[1].meta["table_text"] == (
            "Donante: Cooperante 2 | Monto: 2,5 | Moneda: EUR | Estado: firmado\n"
            "Donante: Cooperante 3 | Monto: 3,5 | Moneda: EUR | Estado: firmado"
        )

    def test_a_table_without_header_is_prose(self) -> None:
        page = "| Finlandia | 1,4 | EUR |\n| Austria | 0,7 | EUR |"
        (only,) = chunk([page], min_words=2, max_words=250)
        assert only.content == page and "table_header" not in only.meta

    def test_markdown_table_with_caption_in_table_text(self) -> None:
        page = "Todas las cifras en millones de EUR.\n| Cooperante | Monto |\n|---|---|\n| Alemania | 12 |"
        chunks = chunk([page], min_words=2, max_words=250)
        assert [c.content for c in chunks] == [
            "Todas las cifras en millones de EUR.",
            "| Cooperante | Monto |\n|---|---|\n| Alemania | 12 |",
        ]
        assert chunks[1].meta["table_text"] == "Todas las cifras en millones de EUR.\nCooperante: Alemania | Monto: 12"
