"""POST /v1/feedback (👍/👎 on an answer, with an optional comment) and its admin export."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import ComponentsDep
from api.security import AdminDep
from assistant.feedback import (
    MAX_ANSWER_CHARS,
    MAX_COMMENT_CHARS,
    MAX_QUESTION_CHARS,
    Feedback,
    FeedbackStore,
)

router = APIRouter(prefix="/v1", tags=["feedback"])


def get_feedback_store(components: ComponentsDep) -> FeedbackStore:
    return components.feedback


FeedbackStoreDep = Annotated[FeedbackStore, Depends(get_feedback_store)]


class FeedbackIn(BaseModel):
    rating: Literal["up", "down"]
    session_id: str | None = Field(None, max_length=100)
    question: str | None = Field(None, max_length=MAX_QUESTION_CHARS)
    answer: str | None = Field(None, max_length=MAX_ANSWER_CHARS)
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS)


class FeedbackOut(BaseModel):
    id: int
    rating: Literal["up", "down"]
    session_id: str | None
    question: str | None
    answer: str | None
    comment: str | None
    origin: str | None
    created_at: dt.datetime


class FeedbackReceipt(BaseModel):
    id: int
    rating: Literal["up", "down"]
    created_at: dt.datetime


class FeedbackExport(BaseModel):
    counts: dict[str, int]
    items: list[FeedbackOut]


def _out(fb: Feedback) -> dict:
    d = fb.to_dict()
    d["created_at"] = dt.datetime.fromtimestamp(fb.created_at or 0, tz=dt.timezone.utc)
    return d


@router.post("/feedback", status_code=201, response_model=FeedbackReceipt)
async def post_feedback(body: FeedbackIn, request: Request, store: FeedbackStoreDep) -> dict:
    """Store one rating; the embedding page's origin is kept so that sites can be told apart."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    fb = Feedback(origin=origin[:300] if origin else None, **body.model_dump())
    return _out(await run_in_threadpool(store.add, fb))


@router.get("/admin/feedback", response_model=FeedbackExport)
async def export_feedback(
    _: AdminDep,
    store: FeedbackStoreDep,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
    offset: Annotated[int, Query(ge=0)] = 0,
    rating: Literal["up", "down"] | None = None,
    since: Annotated[dt.datetime | None, Query(description="ISO time; only feedback at or after it")] = None,
) -> dict:
    """Feedback, newest first, with counts (admin API key required)."""
    items = await run_in_threadpool(store.list, limit, offset, rating, since.timestamp() if since else None)
    counts = await run_in_threadpool(store.counts)
    return {"counts": counts, "items": [_out(fb) for fb in items]}
