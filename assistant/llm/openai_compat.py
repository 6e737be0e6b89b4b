"""Any OpenAI-compatible chat server (vLLM, Ollama, llama.cpp server) with failures as LLMUnavailable."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import openai
from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_openai import ChatOpenAI

from assistant.errors import LLMUnavailable


class OpenAICompatibleChatModel(ChatOpenAI):
    """ChatOpenAI whose transport and server errors become ``LLMUnavailable`` so callers can fall back.

    Every ``openai.APIError`` is mapped, not only connection failures: a 4xx from a self-hosted
    server (unknown model name, prompt over its context) leaves the caller in the same place — no
    generated answer — and the extractive path is the right response to all of them.
    """

    @property
    def _llm_type(self) -> str:
        return "openai-compatible"

    def warm_up(self) -> None:
        """Nothing to load in-process; the server owns the weights."""

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        try:
            return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)
        except openai.APIError as err:
            raise self._unavailable(err) from err

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        try:
            yield from super()._stream(messages, stop=stop, run_manager=run_manager, **kwargs)
        except openai.APIError as err:
            raise self._unavailable(err) from err

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        try:
            return await super()._agenerate(messages, stop=stop, run_manager=run_manager, **kwargs)
        except openai.APIError as err:
            raise self._unavailable(err) from err

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        try:
            async for chunk in super()._astream(messages, stop=stop, run_manager=run_manager, **kwargs):
                yield chunk
        except openai.APIError as err:
            raise self._unavailable(err) from err

    def _unavailable(self, err: openai.APIError) -> LLMUnavailable:
        where = f"chat model server {self.openai_api_base or 'api.openai.com'} (model {self.model_name})"
        if isinstance(err, openai.APITimeoutError):
            return LLMUnavailable(f"{where} timed out after {self.request_timeout}s")
        if isinstance(err, openai.APIConnectionError):
            return LLMUnavailable(f"connection to {where} failed: {_root_cause(err)}")
        if isinstance(err, openai.APIStatusError):
            return LLMUnavailable(f"{where} answered HTTP {err.status_code}: {err.message}")
        return LLMUnavailable(f"{where} failed: {err}")


def _root_cause(err: BaseException) -> BaseException:
    """The innermost exception (e.g. ConnectionRefusedError) under the client's generic "Connection error."."""
    seen = {id(err)}
    while (inner := err.__cause__ or err.__context__) is not None and id(inner) not in seen:
        seen.add(id(inner))
        err = inner
    return err
