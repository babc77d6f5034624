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
