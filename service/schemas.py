"""Request and response models. Portals depend on these shapes: change them only additively."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from indexing.types import SearchFilters


class Filters(BaseModel):
    """Optional restrictions, all combinable."""

    model_config = ConfigDict(extra="forbid")

    conference: str | None = Field(default=None, examples=["bruselas-2023"])
    doc_type: str | None = Field(default=None, examples=["acta"])
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    document_ids: list[str] | None = Field(default=None, max_length=1000)

    def to_domain(self) -> SearchFilters:
        return SearchFilters(
            conference=self.conference,
            doc_type=self.doc_type,
            date_from=self.date_from.isoformat() if self.date_from else None,
            date_to=self.date_to.isoformat() if self.date_to else None,
            document_ids=tuple(self.document_ids) if self.document_ids is not None else None,
        )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("no puede estar vacío")
    if _CONTROL.search(value):
        raise ValueError("contiene caracteres de control")
    return value.strip()


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=2000, examples=["aportes de España en 2020"])
    top_k: int = Field(default=10, ge=1, le=100)
    filters: Filters | None = None

    _check = field_validator("query")(_not_blank)


class SearchResultPublic(BaseModel):
    document_id: str
    filename: str
    title: str
    page: int
    text: str
    score: float


class SearchResponse(BaseModel):
    results: list[SearchResultPublic]


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=2000, examples=["¿Cuánto comprometió España en 2020?"])
    top_k: int = Field(default=5, ge=1, le=50)
    filters: Filters | None = None

    _check = field_validator("question")(_not_blank)


class CitationPublic(BaseModel):
    n: int
    document_id: str
    filename: str
    title: str
    page: int
    quote: str
    score: float


class AskResponse(BaseModel):
    answer: str
    found: bool
    citations: list[CitationPublic]


class UploadPublic(BaseModel):
    id: str
    filename: str
    title: str
    pages: int
    chunks: int
    status: str
    owner: str = "local"


class DocumentPublic(BaseModel):
    id: str
    filename: str
    title: str
    pages: int
    chunks: int
    date: str | None = None
    conference: str | None = None
    doc_type: str | None = None
    tags: list[str] = []
    indexed_at: str | None = None
    owner: str = "local"


class DocumentsPage(BaseModel):
    documents: list[DocumentPublic]
    total: int


class KeyCreateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9._-]{1,64}$", examples=["portal-apci"])
    scope: Literal["read", "write", "admin"] = Field(examples=["write"])


class KeyCreatedPublic(BaseModel):
    name: str
    scope: str
    key: str = Field(description="La clave; solo se muestra ahora.")


class KeyPublic(BaseModel):
    name: str
    scope: str
    created_at: str


class KeysPage(BaseModel):
    keys: list[KeyPublic]


class AuditEntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    at: str
    actor: str
    action: str
    document_id: str | None = None
    filename: str | None = None
    key_name: str | None = None
    replaced: list[str] = []
    error: str | None = None
    client: str | None = None
    request_id: str | None = None


class AuditPage(BaseModel):
    entries: list[AuditEntryPublic]
    total: int


class ErrorPublic(BaseModel):
    code: str
    detail: str


class BriefingRequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str = Field(min_length=1, max_length=500, examples=["Compromisos y desembolsos de España"])
    filters: Filters | None = None
    max_points: int = Field(default=8, ge=1, le=30)
    group_by: Literal["document", "date", "actor"] = "document"
    mode: Literal["extractive", "abstractive"] = "extractive"

    _check = field_validator("topic")(_not_blank)


class SummaryRequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_points: int = Field(default=8, ge=1, le=30)


class BriefingPointPublic(BaseModel):
    text: str
    citations: list[int]


class BriefingSectionPublic(BaseModel):
    heading: str
    points: list[BriefingPointPublic]


class BriefingCitationPublic(BaseModel):
    n: int
    document_id: str
    filename: str
    title: str
    date: str | None
    page: int
    quote: str


class BriefingPublic(BaseModel):
    id: str
    title: str
    generated_at: str
    summary_markdown: str
    sections: list[BriefingSectionPublic]
    citations: list[BriefingCitationPublic]
    found: bool
    warnings: list[str] = []
    index_state: str = ""
