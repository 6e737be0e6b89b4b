"""GET /v1/search: hybrid search over the corpus."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from api.deps import RetrieverDep
from assistant.retrieval import MAX_QUERY_CHARS, SearchFilters

router = APIRouter(prefix="/v1", tags=["search"])

DocType = Literal["law", "policy", "guide", "list", "text"]


class SearchHit(BaseModel):
    id: str
    source: str
    title: str
    article: str
    chapter: str
    version_date: str | None
    status: str
    doc_type: str
    region: str | None
    score: float
    dense_rank: int | None
    bm25_rank: int | None
    dense_score: float | None
    text: str


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHit]
    timings_ms: dict[str, float]


@router.get("/search", response_model=SearchResponse)
async def search(
    retriever: RetrieverDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="the question or keywords")],
    k: Annotated[int, Query(ge=1, le=100)] = 8,
    all_versions: Annotated[bool, Query(description="include superseded versions")] = False,
    type: Annotated[list[DocType] | None, Query(description="document types")] = None,
    region: Annotated[str | None, Query(max_length=50)] = None,
) -> SearchResponse:
    """Top-k articles/sections for a query, in-force versions only unless asked."""
    filters = SearchFilters(in_force_only=not all_versions, doc_types=set(type) if type else None, region=region)
    result = await run_in_threadpool(retriever.run, q, k, filters)
    return SearchResponse(query=result.query, hits=[SearchHit(**h.to_dict()) for h in result.hits],
                          timings_ms={k: round(v, 2) for k, v in result.timings_ms.items()})
