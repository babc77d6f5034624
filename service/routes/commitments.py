"""The commitments register: entries with their sources, totals, CSV export and the stages of one commitment.

Entries are extracted when a record is indexed and removed with it. The same commitment stated in several places
(a table and the prose of one record; the press release and the minutes of one conference) is one entry with
several sources. `event` is the conference slug of the records' metadata ("bruselas-2023"), `event_label` its
name ("Conferencia de Bruselas 2023"); `event_inferred` marks a later stage (signature, disbursement) that takes
the conference of the pledge it is linked to.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from indexing.errors import InvalidQuery, NotFound
from indexing.register import CommitmentFilters, comparisons_to_csv
from service.auth import read_required
from service.deps import EngineDep
from service.schemas import ErrorPublic, IdPath
from service.schemas_commitments import (
    CommitmentsComparison,
    CommitmentsComparisons,
    CommitmentsPage,
    CommitmentsSummary,
    CommitmentTimeline,
)

router = APIRouter(prefix="/v1", tags=["compromisos"], dependencies=[Depends(read_required)])

Status = Literal["anunciado", "comprometido", "firmado", "desembolsado", "ejecutado"]
Instrument = Literal["donación", "préstamo", "cooperación técnica", "en especie", "unknown"]
_ERRORS: dict[int | str, dict[str, Any]] = {422: {"model": ErrorPublic}}


def commitment_filters(
    actor: Annotated[
        str | None, Query(max_length=200, description="Actor o aquel al que se agrega («España» incluye AECID).")
    ] = None,
    event: Annotated[str | None, Query(max_length=200, description="Conferencia: «bruselas-2023» o su nombre.")] = None,
    currency: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="Código ISO 4217: EUR, USD...")] = None,
    instrument: Annotated[Instrument | None, Query()] = None,
    status: Annotated[Status | None, Query()] = None,
    recipient: Annotated[str | None, Query(max_length=200, description="Destinatario, por ejemplo «Perú».")] = None,
    date_from: Annotated[dt.date | None, Query(description="AAAA-MM-DD, fecha del registro, inclusive.")] = None,
    date_to: Annotated[dt.date | None, Query(description="AAAA-MM-DD, inclusive.")] = None,
    document_id: Annotated[str | None, Query(max_length=100, description="Solo los de este registro.")] = None,
) -> CommitmentFilters:
    return CommitmentFilters(
        actor=actor,
        event=event,
        currency=currency.upper() if currency else None,
        instrument=instrument,
        status=status,
        recipient=recipient,
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
        document_id=document_id,
    )


FiltersDep = Annotated[CommitmentFilters, Depends(commitment_filters)]


@router.get("/commitments", response_model=CommitmentsPage, responses=_ERRORS)
def list_commitments(
    engine: EngineDep,
    filters: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> CommitmentsPage:
    """Lista los compromisos del registro con sus fuentes (registro, página, cita textual), por fecha."""
    entries = engine.commitments(filters)
    return CommitmentsPage.model_validate({"commitments": entries[offset : offset + limit], "total": len(entries)})


@router.get("/commitments/summary", response_model=CommitmentsSummary, responses=_ERRORS)
def summary(
    engine: EngineDep,
    filters: FiltersDep,
    group_by: Annotated[Literal["actor", "event", "currency", "status"], Query()] = "actor",
    rollup: Annotated[
        bool, Query(description="Con group_by=actor, agrega agencias a su país (AECID → España).")
    ] = False,
) -> CommitmentsSummary:
    """Totales por grupo y moneda (nunca suma monedas distintas), cada uno con los ids de sus compromisos; excluye
    los totales de conferencia."""
    return CommitmentsSummary.model_validate(engine.commitments_summary(group_by, filters, rollup=rollup))


@router.get(
    "/commitments.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "CSV UTF-8 con BOM, separador «;»"}, **_ERRORS},
)
def commitments_csv(engine: EngineDep, filters: FiltersDep) -> Response:
    """Exporta los compromisos filtrados a CSV (UTF-8 con BOM, «;», coma decimal; una fila por compromiso)."""
    return Response(
        engine.commitments_csv(filters),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="compromisos.csv"'},
    )


_MAX_COMPARE_ACTORS = 10


def compare_actors(
    actor: Annotated[str | None, Query(max_length=200, description="Un donante: «Alemania».")] = None,
    actors: Annotated[
        str | None, Query(max_length=1000, description="Varios donantes separados por comas: «Alemania,España».")
    ] = None,
) -> list[str]:
    names = [actor.strip()] if actor and actor.strip() else []
    names += [a.strip() for a in (actors or "").split(",") if a.strip()]
    names = list(dict.fromkeys(names))
    if not names:
        raise InvalidQuery("Indique un donante con «actor» o varios con «actors».")
    if len(names) > _MAX_COMPARE_ACTORS:
        raise InvalidQuery(f"Como máximo {_MAX_COMPARE_ACTORS} donantes por comparación.")
    return names


ActorsDep = Annotated[list[str], Depends(compare_actors)]


@router.get(
    "/commitments/compare",
    response_model=CommitmentsComparison | CommitmentsComparisons,
    responses=_ERRORS,
)
def compare(engine: EngineDep, names: ActorsDep) -> CommitmentsComparison | CommitmentsComparisons:
    """Compara lo comprometido, firmado y desembolsado por un donante en cada conferencia (una fila por
    conferencia, con sus compromisos y fuentes; nunca suma monedas distintas). Con «actors», una comparación por
    donante."""
    found = [CommitmentsComparison.model_validate(c.to_dict()) for c in engine.compare_commitments(names)]
    return found[0] if len(found) == 1 else CommitmentsComparisons(comparisons=found)


@router.get(
    "/commitments/compare.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "CSV UTF-8 con BOM, separador «;»"}, **_ERRORS},
)
def compare_csv(engine: EngineDep, names: ActorsDep) -> Response:
    """La comparación por conferencia en CSV: una fila por donante, conferencia, etapa y moneda."""
    return Response(
        comparisons_to_csv(engine.compare_commitments(names)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="comparacion_compromisos.csv"'},
    )


@router.get(
    "/commitments/{commitment_id}/timeline",
    response_model=CommitmentTimeline,
    responses={404: {"model": ErrorPublic}},
)
def timeline(engine: EngineDep, commitment_id: IdPath) -> CommitmentTimeline:
    """Etapas de un compromiso (anuncio, firma, desembolsos) ordenadas por fecha, y su estado de desembolso."""
    found = engine.commitment_timeline(commitment_id)
    if found is None:
        raise NotFound(f"No hay ningún compromiso con id «{commitment_id}».")
    return CommitmentTimeline.model_validate(found)
