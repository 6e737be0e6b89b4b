"""Wires the components of one deployment from its Settings; each is built on first use."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from assistant.embeddings.base import Embedder
from assistant.index import CorpusIndex
from assistant.retrieval import HybridRetriever
from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

    from assistant.answers.service import AnswerService
    from assistant.checklist.service import ChecklistService
    from assistant.triage.triager import Triager


class Components:
    """The embedder, index, retriever, chat model and services of one deployment, shared by the CLI and the API."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, chat_model=None):
        self.settings = settings
        self._embedder = embedder
        self._chat_model = chat_model

    @cached_property
    def embedder(self) -> Embedder:
        if self._embedder is not None:
            return self._embedder
        from assistant.embeddings.registry import create_embedder

        return create_embedder(self.settings, use_cache=True)

    @cached_property
    def index(self) -> CorpusIndex:
        return CorpusIndex(self.settings, self.embedder)

    @cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(self.index)

    @cached_property
    def chat_model(self) -> BaseChatModel | None:
        """The configured LLM, or None (extractive answers only)."""
        if self._chat_model is not None:
            return self._chat_model
        from assistant.llm import chat_model_from_settings

        return chat_model_from_settings(self.settings)

    @cached_property
    def checklists(self) -> ChecklistService:
        from assistant.checklist.service import create_checklist_service

        return create_checklist_service(self.settings, self.settings.checklist_guides, self.embedder)

    @cached_property
    def triager(self) -> Triager:
        from assistant.triage.triager import Triager

        chat_model = self.chat_model if self.settings.triage_adjudicate else None
        return Triager.from_settings(self.settings, self.embedder, chat_model)

    @cached_property
    def answers(self) -> AnswerService:
        from assistant.answers.service import AnswerService
        from assistant.answers.sessions import sessions_from_settings

        return AnswerService(self.retriever, sessions_from_settings(self.settings), self.chat_model, self.settings)

    @cached_property
    def article_views(self):
        """Article views (text, neighbours, versions) over the live snapshot."""
        from assistant.article_view import ArticleViews

        return ArticleViews(self.index)

    @cached_property
    def feedback(self):
        """The feedback store (SQLite under data_dir)."""
        from assistant.feedback import FeedbackStore

        return FeedbackStore(self.settings.data_dir / "feedback.sqlite3")

    def ingester(self):
        from ingest.pipeline import Ingester

        return Ingester(self.index)
