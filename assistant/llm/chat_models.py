"""Chat-model backends by name: every caller gets a langchain ``BaseChatModel``, whichever runs it."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

from langchain_core.language_models.chat_models import BaseChatModel
from pydantic import SecretStr

from assistant.errors import InvalidInput, UnknownBackend


def _openai(
    *,
    base_url: str | None = None,
    model: str | None = None,
    api_key: str | SecretStr | None = None,
    temperature: float = 0.1,
    max_tokens: int | None = 512,
    timeout: float = 60,
    max_retries: int = 1,
) -> BaseChatModel:
    """An OpenAI-compatible server (vLLM, Ollama, llama.cpp server) at ``base_url``."""
    from assistant.llm.openai_compat import OpenAICompatibleChatModel

    # Nothing here reaches api.openai.com, so a server address and a model name are never implied.
    if not base_url:
        raise InvalidInput("the openai backend needs base_url (HUIQI_LLM_BASE_URL), e.g. http://127.0.0.1:8080/v1")
    if not model:
        raise InvalidInput("the openai backend needs model (HUIQI_LLM_MODEL), the name the server serves")
    if isinstance(api_key, str):
        api_key = SecretStr(api_key)
    return OpenAICompatibleChatModel(
        base_url=base_url,
        # Self-hosted servers mostly ignore the key, but the client insists on one.
        api_key=api_key or SecretStr("not-needed"),
        model=model,
        temperature=temperature,
        max_tokens=max_tokens,
        timeout=timeout,
        max_retries=max_retries,
    )


def _llamacpp(
    *,
    model_path: str | Path | None = None,
    cache_dir: str | Path | None = None,
    n_ctx: int = 4096,
    n_threads: int = 2,
    temperature: float = 0.1,
    max_tokens: int = 512,
    seed: int | None = None,
) -> BaseChatModel:
    """A GGUF in this process; without ``model_path`` the packaged Qwen2.5-Coder-1.5B under ``cache_dir``."""
    from assistant.llm.llamacpp import LlamaCppChatModel

    return LlamaCppChatModel(
        model_path=Path(model_path) if model_path else None,
        cache_dir=Path(cache_dir) if cache_dir else None,
        n_ctx=n_ctx,
        n_threads=n_threads,
        temperature=temperature,
        max_tokens=max_tokens,
        seed=seed,
    )


def _fake(*, replies: list[str | Exception]) -> BaseChatModel:
    """A scripted model for unit tests only; it streams its replies token by token."""
    from assistant.llm.fake import ScriptedChatModel

    return ScriptedChatModel(replies=list(replies))


CHAT_BACKENDS: dict[str, Callable[..., BaseChatModel]] = {
    "openai": _openai,
    "llamacpp": _llamacpp,
    "fake": _fake,
}


def available_backends() -> list[str]:
    """Names ``create_chat_model`` accepts."""
    return sorted(CHAT_BACKENDS)


def create_chat_model(backend: str, **params: object) -> BaseChatModel:
    """A chat model of the named backend; nothing is loaded or contacted until ``warm_up()`` or first use."""
    factory = CHAT_BACKENDS.get(backend)
    if factory is None:
        raise UnknownBackend(f"unknown chat-model backend {backend!r}; valid: {', '.join(available_backends())}")
    signature = inspect.signature(factory)
    try:
        signature.bind(**params)
    except TypeError as err:
        accepted = ", ".join(signature.parameters)
        raise InvalidInput(f"chat-model backend {backend!r}: {err}; it accepts {accepted}") from err
    return factory(**params)
