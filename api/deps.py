"""Dependencies injected into routers (overridable in tests)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.answers.service import AnswerService
from assistant.components import Components
from assistant.retrieval import HybridRetriever


def get_components(request: Request) -> Components:
    return request.app.state.components


def get_retriever(components: Annotated[Components, Depends(get_components)]) -> HybridRetriever:
    return components.retriever


def get_answers(components: Annotated[Components, Depends(get_components)]) -> AnswerService:
    return components.answers


ComponentsDep = Annotated[Components, Depends(get_components)]
RetrieverDep = Annotated[HybridRetriever, Depends(get_retriever)]
AnswersDep = Annotated[AnswerService, Depends(get_answers)]
