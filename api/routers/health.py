"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from api.deps import ComponentsDep
from assistant.errors import StoreUnavailable

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(components: ComponentsDep) -> dict:
    """The store answers and the corpus snapshot is loaded; 503 otherwise."""
    await run_in_threadpool(components.index.vectors.ping)
    snap = await run_in_threadpool(components.index.snapshot)
    if len(snap) == 0:
        raise StoreUnavailable("the corpus is empty: run `huiqi ingest PATH` first")
    return {"status": "ready", "chunks": len(snap), "generation": snap.generation,
            "embedding_model": components.embedder.name}
