"""An in-process GGUF chat model (llama-cpp-python) behind langchain's BaseChatModel."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ChatMessage,
    HumanMessage,
    SystemMessage,
)
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from assistant.errors import InvalidInput, LLMUnavailable, ModelUnavailable

# Per-call options a caller may override through ``invoke(..., temperature=0)`` etc.
_CALL_OPTIONS = ("temperature", "max_tokens", "top_p", "top_k", "repeat_penalty", "seed")


class LlamaCppChatModel(BaseChatModel):
    """A GGUF model run by llama.cpp in this process; its chat template comes from the GGUF itself.

    Light constructor: the weights load on ``warm_up()`` or the first call. When ``model_path`` is
    None the packaged Qwen2.5-Coder GGUF is assembled (once) under ``cache_dir``. One llama.cpp
    context is not re-entrant, so calls are serialised by a lock held for the whole generation.
    """

    model_path: Path | None = None
    cache_dir: Path | None = None
    n_ctx: int = 4096
    n_threads: int = 2
    temperature: float = 0.1
    max_tokens: int = 512
    seed: int | None = None

    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _load_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {
            "model_path": str(self.model_path) if self.model_path else None,
            "n_ctx": self.n_ctx,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }

    @property
    def is_loaded(self) -> bool:
        """Whether the weights are in memory."""
        return self._llama is not None

    def warm_up(self) -> None:
        """Assemble the GGUF if needed and load it (idempotent)."""
        self._load()

    def get_num_tokens(self, text: str) -> int:
        """Tokens of ``text`` in this model's own vocabulary (for prompt budgeting)."""
        return len(self._load().tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def _load(self) -> Any:
        if self._llama is not None:
            return self._llama
        with self._load_lock:
            if self._llama is None:
                self._llama = self._open()
        return self._llama

    def _open(self) -> Any:
        # ggml's OpenMP workers spin while waiting; on 2 cores shared with the embedder and the API that
        # spinning starves everyone (measured under load: 0.5 tokens/s spinning, 5-6 passive). libgomp
        # reads this once, when llama_cpp loads it; an explicit OMP_WAIT_POLICY still wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import llama_cpp
        except ImportError:
            raise ModelUnavailable(
                "llama-cpp-python is not installed; install the local-llm extra: pip install 'huiqi[local-llm]'"
            ) from None
        path = self.model_path
        if path is None:
            from assistant.llm.gguf import ensure_local_gguf

            if self.cache_dir is None:
                raise ModelUnavailable("LlamaCppChatModel needs model_path or cache_dir to find its GGUF")
            path = ensure_local_gguf(self.cache_dir)
        if not Path(path).is_file():
            raise ModelUnavailable(f"GGUF model file not found: {path}")
        options: dict[str, Any] = {"n_ctx": self.n_ctx, "n_threads": self.n_threads, "verbose": False}
        if self.seed is not None:
            options["seed"] = self.seed
        try:
            return llama_cpp.Llama(model_path=str(path), **options)
        except ValueError as err:  # llama-cpp-python reports an unreadable GGUF as ValueError
            raise ModelUnavailable(f"llama.cpp could not load {path}: {err}") from err

    def _request(self, messages: list[BaseMessage], stop: list[str] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
        # langchain itself passes ``stream`` (already decided by then) and ``ls_*`` tracing hints.
        kwargs = {k: v for k, v in kwargs.items() if k != "stream" and not k.startswith("ls_")}
        unknown = set(kwargs) - set(_CALL_OPTIONS)
        if unknown:
            raise InvalidInput(f"unsupported llamacpp options: {', '.join(sorted(unknown))}")
        request: dict[str, Any] = {
            "messages": [_to_llama_message(m) for m in messages],
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            **kwargs,
        }
        if stop:
            request["stop"] = stop
        return request

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        llama = self._load()
        request = self._request(messages, stop, kwargs)
        with self._lock:
            try:
                response = llama.create_chat_completion(stream=False, **request)
            except ValueError as err:  # e.g. "Requested tokens exceed context window"
                raise LLMUnavailable(f"llama.cpp refused the request: {err}") from err
        choice = response["choices"][0]
        usage = response.get("usage") or {}
        message = AIMessage(
            content=choice["message"].get("content") or "",
            response_metadata={"finish_reason": choice.get("finish_reason"), "model_name": response.get("model")},
            usage_metadata=UsageMetadata(
                input_tokens=usage.get("prompt_tokens", 0),
                output_tokens=usage.get("completion_tokens", 0),
                total_tokens=usage.get("total_tokens", 0),
            ),
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        llama = self._load()
        request = self._request(messages, stop, kwargs)
        # The lock is held until the stream ends or the consumer closes the generator (finally runs then).
        with self._lock:
            try:
                deltas = llama.create_chat_completion(stream=True, **request)
                for event in deltas:
                    choice = event["choices"][0]
                    text = choice["delta"].get("content") or ""
                    finish = choice.get("finish_reason")
                    if not text and not finish:
                        continue  # the opening role-only delta
                    metadata = {"finish_reason": finish, "model_name": event.get("model")} if finish else {}
                    chunk = ChatGenerationChunk(
                        message=AIMessageChunk(content=text, response_metadata=metadata)
                    )
                    if run_manager and text:
                        run_manager.on_llm_new_token(text, chunk=chunk)
                    yield chunk
            except ValueError as err:
                raise LLMUnavailable(f"llama.cpp refused the request: {err}") from err


def _to_llama_message(message: BaseMessage) -> dict[str, str]:
    """One langchain message as an OpenAI-style dict that llama.cpp's chat template renders."""
    if isinstance(message, SystemMessage):
        role = "system"
    elif isinstance(message, HumanMessage):
        role = "user"
    elif isinstance(message, AIMessage):
        role = "assistant"
    elif isinstance(message, ChatMessage):
        role = message.role
    else:
        raise InvalidInput(f"llamacpp backend does not support {type(message).__name__} messages")
    return {"role": role, "content": message.text}
