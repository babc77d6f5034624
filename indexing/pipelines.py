"""Factory functions for the Haystack pipelines. Component names are stable: tests and tracing rely on them."""

from __future__ import annotations

from haystack import Pipeline
from haystack.components.joiners import DocumentJoiner
from haystack.components.routers import FileTypeRouter

from indexing.components.dense_embedders import DenseQueryEmbedder
from indexing.components.docx_pages_converter import DocxPagesConverter
from indexing.components.hybrid_retriever import HybridRetriever
from indexing.components.metadata_extractor import RecordMetadataExtractor
from indexing.components.ocr_pages import OcrPages
from indexing.components.pdf_pages_converter import PdfPagesConverter
from indexing.components.record_limits import RecordLimits
from indexing.components.sniffer import DOCX, ODT
from indexing.components.spanish_chunker import SpanishSentenceChunker
from indexing.components.spanish_cleaner import SpanishDocumentCleaner
from indexing.components.sparse_encoder import Bm25SparseEncoder
from indexing.components.sparse_query_encoder import SparseQueryEncoder
from indexing.components.text_pages_converter import TextPagesConverter
from indexing.embedders import EmbeddingBackend
from indexing.ocr import OcrConfig
from indexing.store import Store

PDF = "application/pdf"
TEXT = "text/plain"
MARKDOWN = "text/markdown"


def build_ingestion_pipeline(
    *,
    min_words: int = 120,
    max_words: int = 250,
    sparse: Bm25SparseEncoder | None = None,
    max_pages: int | None = None,
    max_chars: int | None = None,
    max_chunks: int | None = None,
    ocr: OcrConfig | None = None,
    max_xml_bytes: int = 64 * 1024 * 1024,
) -> Pipeline:
    """File bytes → cleaned pages → chunks with sparse vectors, ready for dense embedding.

    Dense embedding is not a step of this pipeline: the indexer runs `DenseDocumentEmbedder` on the chunks of one or
    several records, so conversion of the next file can overlap with embedding of the current one and bulk loads
    embed across files.

    Inputs: `router.sources` (ByteStreams whose `mime_type` was set by content sniffing), `metadata.meta`.
    Outputs: `sparse.documents` (chunks) and, when requested with `include_outputs_from={"metadata"}`, the cleaned
    pages with their final metadata.

    :param min_words: smallest chunk, in words, where the page allows.
    :param max_words: largest chunk, in words.
    :param sparse: BM25 encoder to share with the query side.
    :param max_pages: most pages of a record (checked by the converters, before text extraction).
    :param max_chars: most characters of a record, checked on the converters' text (a len(), before any cleaning:
        a 2 MiB single-line record is refused in milliseconds) and again on the cleaned text, before chunking.
    :param max_chunks: most passages of a record (checked before embedding).
    :param ocr: how pages without a text layer are OCR'd (`OcrPages`, between the PDF converter and the joiner);
        default `OcrConfig()`.
    :param max_xml_bytes: most uncompressed XML read from a Word or OpenDocument record (`MAX_DOCUMENT_XML_MB`).
    """
    ocr = ocr or OcrConfig()
    p = Pipeline()
    p.add_component("router", FileTypeRouter(mime_types=[PDF, TEXT, MARKDOWN, DOCX, ODT]))
    p.add_component("pdf_converter", PdfPagesConverter(max_pages=max_pages))
    p.add_component(
        "ocr",
        OcrPages(
            command=ocr.command,
            language=ocr.language,
            dpi=ocr.dpi,
            page_timeout=ocr.page_timeout,
            record_timeout=ocr.record_timeout,
            deskew=ocr.deskew,
        ),
    )
    p.add_component("text_converter", TextPagesConverter(max_pages=max_pages))
    p.add_component("docx_converter", DocxPagesConverter(max_pages=max_pages, max_xml_bytes=max_xml_bytes))
    p.add_component("joiner", DocumentJoiner(join_mode="concatenate", sort_by_score=False))
    p.add_component("raw_limits", RecordLimits(max_chars=max_chars))
    p.add_component("cleaner", SpanishDocumentCleaner())
    p.add_component("limits", RecordLimits(max_chars=max_chars))
    p.add_component("metadata", RecordMetadataExtractor())
    p.add_component("chunker", SpanishSentenceChunker(min_words=min_words, max_words=max_words, overlap_sentences=1))
    p.add_component("chunk_limits", RecordLimits(max_chunks=max_chunks))
    p.add_component("sparse", sparse or Bm25SparseEncoder())
    p.connect("router.application/pdf", "pdf_converter.sources")
    p.connect("router.text/plain", "text_converter.sources")
    p.connect("router.text/markdown", "text_converter.sources")
    p.connect("pdf_converter.documents", "ocr.documents")
    p.connect("ocr.documents", "joiner.documents")
    p.connect(f"router.{DOCX}", "docx_converter.sources")
    p.connect(f"router.{ODT}", "docx_converter.sources")
    p.connect("text_converter.documents", "joiner.documents")
    p.connect("docx_converter.documents", "joiner.documents")
    p.connect("joiner.documents", "raw_limits.documents")
    p.connect("raw_limits.documents", "cleaner.documents")
    p.connect("cleaner.documents", "limits.documents")
    p.connect("limits.documents", "metadata.documents")
    p.connect("metadata.documents", "chunker.documents")
    p.connect("chunker.documents", "chunk_limits.documents")
    p.connect("chunk_limits.documents", "sparse.documents")
    return p


def build_search_pipeline(
    backend: EmbeddingBackend, store: Store, *, candidates: int = 40, sparse: Bm25SparseEncoder | None = None
) -> Pipeline:
    """Query text → dense + BM25 query vectors → hybrid retrieval (RRF) in the store → the pool re-ranked by
    normalized score fusion (`indexing.query.retrieval`) when `retriever.text` is given.

    Inputs: `dense_query.text`, `sparse_query.text`, `retriever.filters`, `retriever.top_k`, `retriever.text`,
    `retriever.interpretation`.
    Outputs: `retriever.chunks`, and `dense_query.embedding` with `include_outputs_from={"dense_query"}`.
    """
    p = Pipeline()
    p.add_component("dense_query", DenseQueryEmbedder(backend))
    p.add_component("sparse_query", SparseQueryEncoder(sparse))
    p.add_component("retriever", HybridRetriever(store, candidates=candidates))
    p.connect("dense_query.vector", "retriever.query_embedding")
    p.connect("sparse_query.sparse_embedding", "retriever.query_sparse_embedding")
    return p
