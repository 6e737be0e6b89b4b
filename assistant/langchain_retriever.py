"""huiqi's hybrid retriever as a LangChain ``BaseRetriever``: the same hits, as ``Document``s, for LangChain chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.documents import Hit
from assistant.retrieval import HybridRetriever, SearchFilters


def hit_to_document(hit: Hit) -> Document:
    """A hit as a LangChain Document: the article text, with its citation fields and scores as metadata."""
    meta = {k: v for k, v in hit.to_dict().items() if k != "text" and v is not None}
    return Document(page_content=hit.chunk.text, metadata=meta, id=hit.chunk.id)


class HuiqiRetriever(BaseRetriever):
    """Wraps a :class:`HybridRetriever`; ``k`` and ``filters`` apply to every call."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any  # HybridRetriever (Any: pydantic need not know the class)
    k: int = 8
    filters: SearchFilters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        result = self.retriever.run(query, self.k, self.filters)
        return [hit_to_document(h) for h in result.hits]

    @classmethod
    def from_components(cls, components: Any, **kwargs: Any) -> HuiqiRetriever:
        """The retriever of a deployment (``assistant.components.Components``)."""
        retriever: HybridRetriever = components.retriever
        return cls(retriever=retriever, **kwargs)
