"""The LLM generator: numbered retrieved articles in the prompt, citations required, streamed token by token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant.answers.evidence import Article
from assistant.errors import HuiqiError, LLMUnavailable

SYSTEM = (
    "你是惠企助手，为企业解答法规政策问题。只能依据给出的条文回答，不要使用条文以外的知识。"
    "回答要简洁，先直接回答问题，每句话后用[编号]标注依据的条文。"
    "条文中没有的数字、金额、期限一律不要写。如果条文不足以回答，只回答：未找到依据。"
)
NO_BASIS_REPLY = "未找到依据"
MAX_ARTICLE_CHARS = 360


def build_messages(question: str, articles: list[Article]) -> list[BaseMessage]:
    """The prompt: the numbered articles (trimmed to keep the prompt to a few hundred tokens) and the question."""
    lines = []
    for i, a in enumerate(articles, 1):
        text = a.text if len(a.text) <= MAX_ARTICLE_CHARS else a.text[:MAX_ARTICLE_CHARS] + "…"
        lines.append(f"[{i}]《{a.chunk.title}》{text}")
    body = "条文：\n" + "\n".join(lines) + f"\n\n问题：{question}\n回答（用[编号]标注依据）："
    return [SystemMessage(SYSTEM), HumanMessage(body)]


def prompt_sources(articles: list[Article]) -> list[str]:
    """The text of each numbered article exactly as the prompt shows it (what a citation may rest on)."""
    return [a.text if len(a.text) <= MAX_ARTICLE_CHARS else a.text[:MAX_ARTICLE_CHARS] for a in articles]


def stream_tokens(chat_model: Any, messages: list[BaseMessage]) -> Iterator[str]:
    """The model's reply piece by piece; any backend failure becomes LLMUnavailable."""
    try:
        for chunk in chat_model.stream(messages):
            piece = chunk.content if isinstance(chunk.content, str) else ""
            if piece:
                yield piece
    except HuiqiError:
        raise
    except Exception as err:  # a backend's own error type (httpx, openai, llama.cpp): one error with a home
        raise LLMUnavailable(f"the chat model failed: {err}") from err
