"""GET /v1/articles: the text of a cited article, its neighbouring articles and its document's version history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.concurrency import run_in_threadpool

from api.deps import ComponentsDep
from assistant.article_view import ArticleView, ArticleViews

router = APIRouter(prefix="/v1/articles", tags=["articles"])

CHUNK_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$"


def get_article_views(components: ComponentsDep) -> ArticleViews:
    return components.article_views


ArticleViewsDep = Annotated[ArticleViews, Depends(get_article_views)]


@router.get("", response_model=ArticleView)
async def article_by_label(
    views: ArticleViewsDep,
    source: Annotated[str, Query(min_length=1, max_length=1000, description="the document's source path")],
    article: Annotated[str, Query(min_length=1, max_length=100, description="the label, e.g. 第三条 or 3")],
) -> dict:
    """An article by document and label (第3条, 第三条 and 3 are the same label)."""
    view = await run_in_threadpool(views.by_label, source, article)
    return view.to_dict()


@router.get("/{chunk_id}", response_model=ArticleView)
async def article_by_id(
    views: ArticleViewsDep,
    chunk_id: Annotated[str, Path(pattern=CHUNK_ID, description="a citation's chunk_id")],
) -> dict:
    """The article a citation points to, with up to two articles either side and every version of its document."""
    view = await run_in_threadpool(views.by_id, chunk_id)
    return view.to_dict()

