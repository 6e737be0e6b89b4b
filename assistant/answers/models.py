"""What an answer is: the text, the citations it rests on, and how it was made."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.documents import Hit


@dataclass
class Citation:
    """One article an answer rests on, bound to the retrieved chunk it was quoted from."""

    source: str
    title: str
    version_date: str | None
    article: str
    quote: str
    chunk_id: str
    status: str = "in_force"

    @classmethod
    def from_hit(cls, hit: Hit, quote: str | None = None) -> Citation:
        c = hit.chunk
        return cls(
            source=c.source,
            title=c.title,
            version_date=c.version_date,
            article=c.article,
            quote=c.text if quote is None else quote,
            chunk_id=c.id,
            status=c.status,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def label(self) -> str:
        """《标题》第X条, as an answer names it."""
        return f"《{self.title}》{self.article}"


@dataclass
class Answer:
    """An answer as every caller (API, CLI, widget, evals) receives it."""

    answer: str
    citations: list[Citation]
    abstained: bool
    query: str  # the standalone query actually used for retrieval and the answer
    session_id: str | None = None
    generator: str = "extractive"  # "extractive" | "llm"
    notice: str | None = None  # e.g. an LLM fallback note or a superseded-version note
    suggestion: str | None = None  # the department or hotline to ask, when abstaining
    hits: list[Hit] = field(default_factory=list)

    def to_dict(self, include_hits: bool = False) -> dict[str, Any]:
        """JSON-able; the retrieved hits only when asked."""
        out: dict[str, Any] = {
            "answer": self.answer,
            "citations": [c.to_dict() for c in self.citations],
            "abstained": self.abstained,
            "query": self.query,
            "session_id": self.session_id,
            "generator": self.generator,
            "notice": self.notice,
            "suggestion": self.suggestion,
        }
        if include_hits:
            out["hits"] = [h.to_dict() for h in self.hits]
        return out
