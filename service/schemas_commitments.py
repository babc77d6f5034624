"""Response models of the commitments register. Portals depend on these shapes: change them only additively."""

from __future__ import annotations

from pydantic import BaseModel


class CommitmentSourcePublic(BaseModel):
    document_id: str
    filename: str
    title: str | None = None
    page: int
    quote: str
    char_start: int
    char_end: int
    ocr: bool = False


class EquivalentPublic(BaseModel):
    amount: float
    currency: str


class CommitmentPublic(BaseModel):
    id: str
    actor: str
    actor_rollup: str | None = None
    country: str | None = None
    amount: float
    amount_text: str = ""
    currency: str | None = None
    instrument: str
    recipient: str | None = None
    purpose: str | None = None
    status: str
    status_explicit: bool = True
    event: str | None = None
    event_label: str | None = None
    event_inferred: bool = False
    date: str | None = None
    is_total: bool = False
    flags: list[str] = []
    equivalents: list[EquivalentPublic] = []
    qualifier: str | None = None
    sources: list[CommitmentSourcePublic]


class CommitmentsPage(BaseModel):
    commitments: list[CommitmentPublic]
    total: int


class CurrencyTotalPublic(BaseModel):
    currency: str | None
    pledged: float
    disbursed: float
    count: int
    entries: list[str]


class SummaryGroupPublic(BaseModel):
    key: str | None
    label: str
    totals: list[CurrencyTotalPublic]


class CommitmentsSummary(BaseModel):
    group_by: str
    groups: list[SummaryGroupPublic]
    excluded_totals: list[str]


class TimelineStagePublic(CommitmentPublic):
    stage_date: str | None = None


class CommitmentTimeline(BaseModel):
    id: str
    commitment_id: str
    actor: str
    currency: str | None
    pledged: float | None
    disbursed: float
    disbursement_status: str
    stages: list[TimelineStagePublic]


class CompareAmountPublic(BaseModel):
    currency: str
    amount: float
    qualifier: str | None = None


class CompareSourcePublic(BaseModel):
    document_id: str
    filename: str
    title: str | None = None
    page: int
    quote: str


class CompareRowPublic(BaseModel):
    event: str | None
    event_label: str | None
    date: str | None
    pledged: list[CompareAmountPublic]
    signed: list[CompareAmountPublic]
    disbursed: list[CompareAmountPublic]
    entries: list[str]
    sources: list[CompareSourcePublic]


class CommitmentsComparison(BaseModel):
    actor: str
    rows: list[CompareRowPublic]


class CommitmentsComparisons(BaseModel):
    comparisons: list[CommitmentsComparison]
