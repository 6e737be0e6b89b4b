"""The chat-model layer: one langchain ``BaseChatModel`` interface over a local GGUF or any OpenAI-compatible server."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel

from assistant.errors import UnknownBackend
from assistant.llm.chat_models import available_backends, create_chat_model

__all__ = ["available_backends", "chat_model_from_settings", "create_chat_model"]


def chat_model_from_settings(settings: Any) -> BaseChatModel | None:
    """The configured chat model, or None when ``llm_backend`` is unset (extractive answers only)."""
    backend = getattr(settings, "llm_backend", None)
    if not backend:
        return None
    temperature = getattr(settings, "llm_temperature", 0.1)
    max_tokens = getattr(settings, "llm_max_tokens", 512)
    if backend == "llamacpp":
        return create_chat_model(
            "llamacpp",
            model_path=getattr(settings, "llm_gguf_path", None),
            cache_dir=getattr(settings, "cache_dir", None),
            n_ctx=getattr(settings, "llm_n_ctx", 4096),
            n_threads=getattr(settings, "llm_n_threads", 2),
            temperature=temperature,
            max_tokens=max_tokens,
        )
    if backend == "openai":
        return create_chat_model(
            "openai",
            base_url=getattr(settings, "llm_base_url", None),
            model=getattr(settings, "llm_model", None),
            api_key=getattr(settings, "llm_api_key", None),
            temperature=temperature,
            max_tokens=max_tokens,
            timeout=getattr(settings, "llm_timeout", 60),
            max_retries=getattr(settings, "llm_max_retries", 1),
        )
    # "fake" needs a script, which settings cannot carry: only tests build it, through create_chat_model.
    raise UnknownBackend(
        f"unknown llm_backend {backend!r}; valid: openai, llamacpp, or unset (extractive answers only)"
    )
