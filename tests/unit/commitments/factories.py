"""Plain-function factories for commitment tests."""

from __future__ import annotations

from indexing.commitments.extract import extract_commitments
from indexing.commitments.model import Commitment, Source


def extract(text: str, **kwargs) -> list[Commitment]:
    """Commitments of one page of a test record."""
    defaults = {"document_id": "doc1", "filename": "registro.txt", "page": 1}
    return extract_commitments(text, **{**defaults, **kwargs})


def commitment(
    actor: str,
    amount: float,
    currency: str = "EUR",
    *,
    status: str = "comprometido",
    document_id: str = "doc1",
    page: int = 1,
    start: int = 0,
    date: str | None = None,
    event: str | None = None,
    instrument: str = "unknown",
    recipient: str | None = None,
    explicit: bool = True,
    event_explicit: bool = False,
) -> Commitment:
    """A commitment with one source, built directly."""
    src = Source(document_id, f"{document_id}.txt", page, "cita", start, start + 4)
    return Commitment(
        id=f"{document_id}-{page}-{start}",
        actor=actor,
        amount=amount,
        currency=currency,
        instrument=instrument,
        recipient=recipient,
        status=status,
        event=event,
        date=date,
        sources=[src],
        status_explicit=explicit,
        actor_rollup=actor,
        event_explicit=event_explicit,
    )
