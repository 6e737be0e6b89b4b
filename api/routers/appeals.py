"""POST /v1/appeals/triage and /v1/appeals/triage:batch: route enterprise appeals (涉企诉求) to departments."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from assistant.errors import TriageUnavailable
from assistant.triage.triager import MAX_APPEAL_CHARS, Appeal, Triager

router = APIRouter(prefix="/v1/appeals", tags=["appeals"])


def get_triager(request: Request) -> Triager:
    """The app's triager (set on ``app.state.triager`` by the app factory)."""
    triager = getattr(request.app.state, "triager", None)
    if triager is None:
        raise TriageUnavailable("appeal triage is not configured on this server")
    return triager


TriagerDep = Annotated[Triager, Depends(get_triager)]


class AppealIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_APPEAL_CHARS, description="the appeal as received")
    id: str | None = Field(None, max_length=100)
    received: dt.date | None = Field(None, description="date received (ISO); default today")


class BatchIn(BaseModel):
    appeals: list[AppealIn] = Field(min_length=1)


class CandidateOut(BaseModel):
    id: str
    name: str
    score: float
    reason: str
    terms: list[str]
    mandate: str | None


class TriageOut(BaseModel):
    id: str | None
    departments: list[CandidateOut]
    type: str
    tier: str
    sla_days: int
    received: dt.date
    due: dt.date
    masked_text: str
    adjudicated: bool


class BatchOut(BaseModel):
    results: list[TriageOut]


def _appeal(a: AppealIn) -> Appeal:
    return Appeal(text=a.text, id=a.id, received=a.received)


@router.post("/triage", response_model=TriageOut)
async def triage(appeal: AppealIn, triager: TriagerDep) -> dict:
    """Top-3 departments with reasons, type, complexity tier, due date and the masked text of one appeal."""
    result = await run_in_threadpool(triager.triage, _appeal(appeal))
    return result.to_dict()


@router.post("/triage:batch", response_model=BatchOut)
async def triage_batch(batch: BatchIn, triager: TriagerDep) -> dict:
    """Triage many appeals in one call (at most the server's batch limit; 413 beyond it)."""
    results = await run_in_threadpool(triager.triage_batch, [_appeal(a) for a in batch.appeals])
    return {"results": [r.to_dict() for r in results]}
