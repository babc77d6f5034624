"""Spanish BM25 sparse vectors."""

from __future__ import annotations

from haystack import Document

from indexing.components.sparse_encoder import Bm25SparseEncoder
from indexing.components.sparse_query_encoder import SparseQueryEncoder


class TestBm25SparseEncoder:
    def test_stemming_accents_and_stopwords_match_across_forms(self) -> None:
        enc = Bm25SparseEncoder()
        doc = enc.encode_document("Las reuniones de seguimiento con la OIM")
        query = enc.encode_query("reunión OIM")
        assert len(query.indices) == 2
        assert set(query.indices) <= set(doc.indices)  # "reunión" ~ "reuniones", stopwords dropped
        assert query.values == [1.0, 1.0]

    def test_repeated_term_weighs_more(self) -> None:
        enc = Bm25SparseEncoder()
        doc = enc.encode_document("ACNUR ACNUR ACNUR y la OIM")
        weights = dict(zip(doc.indices, doc.values, strict=True))
        acnur = enc.encode_query("ACNUR").indices[0]
        oim = enc.encode_query("OIM").indices[0]
        assert weights[acnur] > weights[oim]

    def test_run_sets_sparse_embedding_and_keeps_ids(self) -> None:
        docs = [Document(id="a:0", content="Aporte de España"), Document(id="a:1", content="")]
        out = Bm25SparseEncoder().run(documents=docs)["documents"]
        assert [d.id for d in out] == ["a:0", "a:1"]
        assert len(out[0].sparse_embedding.indices) == 2
        assert out[1].sparse_embedding.indices == []
        assert docs[0].sparse_embedding is None  # inputs untouched

    def test_query_component(self) -> None:
        out = SparseQueryEncoder().run(text="Banco Mundial")
        assert len(out["sparse_embedding"].indices) == 2

    def test_round_trip_dict(self) -> None:
        enc = Bm25SparseEncoder(k=1.5, b=0.5, avg_len=100.0)
        again = Bm25SparseEncoder.from_dict(enc.to_dict())
        assert (again.k, again.b, again.avg_len) == (1.5, 0.5, 100.0)
