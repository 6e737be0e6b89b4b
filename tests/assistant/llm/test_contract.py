"""One contract for every chat-model backend: the scripted double behaves like the real ones."""

from __future__ import annotations

import asyncio
import functools

import pytest
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage

from assistant.llm import create_chat_model
from tests.assistant.llm.local_llm import ALIAS, grounded_prompt

PROMPT = grounded_prompt()


@pytest.fixture(
    params=[
        "fake",
        pytest.param("llamacpp", marks=pytest.mark.llm),
        pytest.param("openai", marks=[pytest.mark.llm, pytest.mark.server]),
    ]
)
def chat_model(request) -> BaseChatModel:
    if request.param == "fake":
        return create_chat_model("fake", replies=["依据第七条,可获一次性奖励三十万元。"])
    if request.param == "llamacpp":
        return request.getfixturevalue("llama_chat")
    base_url = request.getfixturevalue("llama_server")
    return create_chat_model("openai", base_url=base_url, model=ALIAS, temperature=0.0, max_tokens=24, timeout=300)


def test_is_a_langchain_chat_model_with_warm_up(chat_model):
    assert isinstance(chat_model, BaseChatModel)
    chat_model.warm_up()  # idempotent, also after the first load


def test_invoke_returns_text(chat_model):
    message = chat_model.invoke(PROMPT)
    assert isinstance(message, AIMessage) and isinstance(message.content, str) and message.content.strip()


def test_stream_yields_several_chunks_that_add_up(chat_model):
    chunks = list(chat_model.stream(PROMPT))
    texts = [c.content for c in chunks if c.content]
    assert len(texts) >= 3
    merged = functools.reduce(lambda a, b: a + b, chunks)
    assert merged.content == "".join(texts)
    assert merged.response_metadata.get("finish_reason") in ("stop", "length")


def test_astream_yields_several_chunks(chat_model):
    async def collect():
        return [c.content async for c in chat_model.astream(PROMPT)]

    assert len([t for t in asyncio.run(collect()) if t]) >= 3
