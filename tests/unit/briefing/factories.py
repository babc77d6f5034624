"""Plain factory functions for briefing tests: chunks with hand-made 4-dim embeddings and real Spanish text."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import indexing  # noqa: F401  (before anything that may import Haystack)
from indexing.types import Chunk

NOW = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
QUERY = [1.0, 0.0, 0.0, 0.0]


def unit(*values: float) -> list[float]:
    """L2-normalized vector."""
    norm = math.sqrt(sum(v * v for v in values))
    return [v / norm for v in values]


def make_chunk(
    text: str,
    *,
    document_id: str = "doc-acta",
    filename: str = "acta.pdf",
    title: str = "Acta de la reunión de seguimiento",
    date: str | None = "2023-03-16",
    page: int = 1,
    char_start: int = 0,
    chunk_index: int = 0,
    embedding: list[float] | None = None,
    chunk_id: str | None = None,
) -> Chunk:
    """A chunk as the store returns it."""
    return Chunk(
        chunk_id=chunk_id or f"{document_id}-{page}-{char_start}",
        document_id=document_id,
        filename=filename,
        title=title,
        page=page,
        text=text,
        char_start=char_start,
        char_end=char_start + len(text),
        chunk_index=chunk_index,
        date=date,
        embedding=embedding if embedding is not None else unit(1, 0, 0, 0),
    )


UE_ACTA = "La Unión Europea anunció una contribución de 1.500 millones de euros para la respuesta regional."
UE_PRENSA = (
    "La Unión Europea anunció una contribución de 1.500 millones de euros para la respuesta regional, "
    "según el comunicado."
)
ACUERDO = "Los participantes acordaron revisar los desembolsos pendientes en la próxima reunión de seguimiento."
CANADA = "Canadá desembolsó 30 millones de dólares del compromiso asumido en la conferencia de 2022."
BRUSELAS = "La Unión Europea se comprometió a mantener su apoyo a los países de acogida durante 2022."
CLIMA = "El pronóstico anuncia lluvias intensas en la costa durante todo el fin de semana largo."


def acta_chunk() -> Chunk:
    """Minutes of the March 2023 follow-up meeting, page 2 (heading, the EU pledge, the agreement, Canada)."""
    return make_chunk(
        f"ACTA DE LA REUNIÓN\n{UE_ACTA} {ACUERDO}\n{CANADA}",
        page=2,
        char_start=120,
        embedding=unit(0.9, 0.44, 0, 0),
    )


def prensa_chunk() -> Chunk:
    """Press release of the same meeting, one day later: says the same as the minutes about the EU."""
    return make_chunk(
        f"{UE_PRENSA} El comunicado fue difundido por la oficina de prensa de la conferencia.",
        document_id="doc-prensa",
        filename="comunicado.txt",
        title="Comunicado de prensa",
        date="2023-03-17",
        page=1,
        embedding=unit(0.88, 0.47, 0, 0),
    )


def bruselas_chunk() -> Chunk:
    """Joint declaration of the 2022 conference."""
    return make_chunk(
        BRUSELAS,
        document_id="doc-bruselas",
        filename="declaracion.pdf",
        title="Declaración conjunta de Bruselas",
        date="2022-03-17",
        page=3,
        char_start=40,
        embedding=unit(0.8, 0, 0.6, 0),
    )


def clima_chunk() -> Chunk:
    """An off-topic record (orthogonal embedding, no shared words)."""
    return make_chunk(
        CLIMA,
        document_id="doc-clima",
        filename="clima.txt",
        title="Boletín meteorológico",
        date="2023-01-10",
        embedding=unit(0, 0, 0, 1),
    )


def corpus() -> list[Chunk]:
    return [acta_chunk(), prensa_chunk(), bruselas_chunk(), clima_chunk()]


def actor_finder(text: str) -> list[str]:
    """Deterministic fake finder: the actors named literally in the text, in order of appearance."""
    found = [(text.find(name), name) for name in ("Unión Europea", "Canadá") if name in text]
    return [name for _, name in sorted(found)]
