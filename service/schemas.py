"""Request and response models. Portals depend on these shapes: change them only additively."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from indexing.constants import PageKind
from indexing.types import SearchFilters

PageKindPublic = Annotated[
    PageKind,
    Field(description='Qué numera `page`: "page" (página) o "section" (sección de un Word sin saltos de página).'),
]

# Length caps of request strings (part of the public schema, so portals see them in the OpenAPI document).
MAX_ID_CHARS = 128
MAX_FILTER_CHARS = 500
MAX_QUERY_CHARS = 2000
MAX_TOPIC_CHARS = 500

IdStr = Annotated[str, StringConstraints(max_length=MAX_ID_CHARS)]
IdPath = Annotated[str, Path(max_length=MAX_ID_CHARS)]


class Filters(BaseModel):
    """Optional restrictions, all combinable."""

    model_config = ConfigDict(extra="forbid")

    conference: str | None = Field(default=None, max_length=MAX_FILTER_CHARS, examples=["bruselas-2023"])
    doc_type: str | None = Field(default=None, max_length=MAX_FILTER_CHARS, examples=["acta"])
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    document_ids: list[IdStr] | None = Field(default=None, max_length=1000)

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

    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, examples=["aportes de España en 2020"])
    top_k: int = Field(default=10, ge=1, le=100)
    filters: Filters | None = None

    _check = field_validator("query")(_not_blank)


class SearchResultPublic(BaseModel):
    document_id: str
    filename: str
    title: str
    page: int
    page_kind: PageKindPublic = "page"
    text: str
    score: float
    table_header: list[str] = Field(
        default=[],
        description="Si el pasaje son filas de un cuadro: los nombres de sus columnas (la cabecera puede estar en "
        "otra página).",
    )
    ocr: bool = Field(default=False, description="El texto de la página se leyó con OCR de una imagen escaneada.")


class SearchResponse(BaseModel):
    results: list[SearchResultPublic]


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, examples=["¿Cuánto comprometió España en 2020?"])
    top_k: int = Field(default=5, ge=1, le=50)
    filters: Filters | None = None

    _check = field_validator("question")(_not_blank)


class CitationPublic(BaseModel):
    """An answer's citation (`indexing.types.Citation`, read by attribute)."""

    model_config = {"from_attributes": True}

    n: int
    document_id: str
    filename: str
    title: str
    page: int
    page_kind: PageKindPublic = "page"
    quote: str
    score: float
    table_header: list[str] = Field(
        default=[],
        description="Si la cita es una fila de un cuadro: los nombres de sus columnas (contexto, no parte de la cita).",
    )
    ocr: bool = Field(default=False, description="La cita es lo que leyó el OCR de una página escaneada.")


class EventPublic(BaseModel):
    slugs: list[str] = []
    label: str = ""
    meeting: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    unknown_conference: bool = False
    ordinal: str | None = Field(default=None, description="Qué reunión de una serie («segunda», «tercera»).")
    description: str = ""


class InterpretationPublic(BaseModel):
    """How the question was read: the kind of answer asked for and its constraints."""

    kind: str
    actors: list[str] = []
    recipient: str | None = None
    event: EventPublic | None = None
    disbursement: bool = False
    names: list[str] = []
    count_of: str | None = None
    measure: list[str] = []
    person: bool = False
    topic: list[str] = []
    phrases: list[str] = []
    given_amounts: list[str] = []
    share: bool = False
    need: bool = False
    realised: bool = True
    channels: list[str] = []
    pledge: bool = False


class AskResponse(BaseModel):
    answer: str
    found: bool
    citations: list[CitationPublic]
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    related: list[CitationPublic] = []
    interpretation: InterpretationPublic | None = None


class UploadPublic(BaseModel):
    id: str
    filename: str
    title: str
    pages: int
    chunks: int
    status: str
    owner: str = "local"
    superseded_by: str | None = None


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


ERROR_RESPONSES: dict[int | str, dict] = {
    400: {"model": ErrorPublic, "description": "Cuerpo ilegible"},
    401: {"model": ErrorPublic, "description": "Falta una clave de API válida (con autenticación activa)"},
    403: {"model": ErrorPublic, "description": "La clave no tiene el ámbito necesario"},
    413: {"model": ErrorPublic, "description": "Cuerpo, archivo o registro demasiado grande"},
    422: {"model": ErrorPublic, "description": "Solicitud no válida"},
    500: {"model": ErrorPublic, "description": "Error interno"},
    503: {"model": ErrorPublic, "description": "Almacén no disponible"},
}
"""Error answers any /v1 route can give, all in the one error shape (documented on every operation)."""


class BriefingRequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str = Field(min_length=1, max_length=MAX_TOPIC_CHARS, examples=["Compromisos y desembolsos de España"])
    filters: Filters | None = None
    max_points: int = Field(default=8, ge=1, le=30)
    group_by: Literal["document", "date", "actor"] = "document"
    mode: Literal["extractive", "abstractive"] = "extractive"

    _check = field_validator("topic")(_not_blank)


class SummaryRequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_points: int = Field(default=8, ge=1, le=30)


class BriefingPointPublic(BaseModel):
    id: str = Field(description="Identificador del punto en su ayuda memoria («p1», «p2»...), para editarla.")
    text: str
    citations: list[int]


MAX_BRIEFING_TITLE_CHARS = 300


class BriefingEditionBody(BaseModel):
    """Staff's edition of a stored briefing: a new title and the points kept, in order (never their text)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=MAX_BRIEFING_TITLE_CHARS, examples=["Ayuda memoria: Bruselas 2023"])
    points: list[Annotated[str, StringConstraints(max_length=20)]] = Field(
        min_length=1, max_length=200, description="Ids de los puntos conservados, en el nuevo orden.",
        examples=[["p3", "p1"]],
    )

    _check = field_validator("title")(_not_blank)


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
    ocr: bool = Field(default=False, description="La cita es lo que leyó el OCR de una página escaneada.")
    page_kind: PageKindPublic = "page"


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


class JobProgressPublic(BaseModel):
    model_config = {"from_attributes": True}

    stage: str = Field(description="queued, converting, ocr, embedding o committing.")
    done: int
    total: int


class JobPublic(BaseModel):
    """An upload job (`Prefer: respond-async`). `result`: the body of the synchronous answer; `error`: its error."""

    model_config = {"from_attributes": True}

    id: str
    status: str = Field(description="queued, running, done o failed.")
    filename: str
    owner: str
    created_at: str
    updated_at: str
    progress: JobProgressPublic
    result: UploadPublic | None = None
    error: ErrorPublic | None = None


class JobEnvelope(BaseModel):
    job: JobPublic


class JobsPage(BaseModel):
    jobs: list[JobPublic]
