"""Folding, tokens, stopwords and content terms."""

from __future__ import annotations

from indexing.text.tokens import STOPWORDS, content_terms, fold, tokens


class TestTerms:
    def test_fold_and_tokens(self) -> None:
        assert fold("Reunión en Perú, Ñuñoa") == "reunion en peru, nunoa"
        assert tokens("La UE aportó 1.500 millones") == ["La", "UE", "aportó", "1.500", "millones"]

    def test_content_terms_drop_stopwords_and_stem(self) -> None:
        assert content_terms("Los Estados Unidos anunciaron US$ 1.500 millones para la reunión") == [
            "estad",
            "unid",
            "anunci",
            "us",
            "1.500",
            "millon",
            "reunion",
        ]

    def test_stopwords_are_folded(self) -> None:
        assert {"mas", "tambien", "segun", "estan"} <= STOPWORDS
        assert all(word == fold(word) for word in STOPWORDS)
        assert "estados" not in STOPWORDS
