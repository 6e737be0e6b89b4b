"""Dependencies injected into routers (overridable in tests)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.components import Components
from assistant.retrieval import HybridRetriever


def get_components(request: Request) -> Components:
    return request.app.state.components


def get_retriever(components: Annotated[Components, Depends(get_components)]) -> HybridRetriever:
    return components.retriever


ComponentsDep = Annotated[Components, Depends(get_components)]
RetrieverDep = Annotated[HybridRetriever, Depends(get_retriever)]
