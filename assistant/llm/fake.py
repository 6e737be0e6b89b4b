"""A scripted chat model for unit tests: it replies from a script and streams token by token like a real one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

# ASCII words stay whole, every other character (a Chinese character, a punctuation mark) is its own
# token: closer to a real tokenizer than langchain's whitespace split, which never splits Chinese.
_TOKEN = re.compile(r"[A-Za-z0-9_]+|\s+|.", re.DOTALL)


def split_tokens(text: str) -> list[str]:
    """The pieces ``text`` streams as; they join back to ``text``."""
    return _TOKEN.findall(text)


class ScriptedChatModel(BaseChatModel):
    """Replies with ``replies`` in turn (cycling); an Exception in the script is raised instead.

    Only for tests of code that calls a chat model (a remote LLM cannot run here). ``calls``
    records the messages of every call so tests can check the prompt they sent.
    """

    replies: list[str | Exception]

    _turn: int = PrivateAttr(default=0)
    _calls: list[list[BaseMessage]] = PrivateAttr(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    @property
    def calls(self) -> list[list[BaseMessage]]:
        """The messages of each call so far, oldest first."""
        return self._calls

    def warm_up(self) -> None:
        """Nothing to load."""

    def _next_reply(self, messages: list[BaseMessage]) -> str:
        if not self.replies:
            raise ValueError("ScriptedChatModel has an empty script")
        self._calls.append(list(messages))
        reply = self.replies[self._turn % len(self.replies)]
        self._turn += 1
        if isinstance(reply, Exception):
            raise reply
        return reply

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        message = AIMessage(content=self._next_reply(messages), response_metadata={"finish_reason": "stop"})
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        for token in split_tokens(self._next_reply(messages)):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=token))
            if run_manager:
                run_manager.on_llm_new_token(token, chunk=chunk)
            yield chunk
        yield ChatGenerationChunk(message=AIMessageChunk(content="", response_metadata={"finish_reason": "stop"}))
