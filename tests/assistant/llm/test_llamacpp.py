"""The in-process llama.cpp backend on the real packaged GGUF: streaming, usage, locking, errors."""

from __future__ import annotations

import asyncio
import threading

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from assistant.errors import InvalidInput, LLMUnavailable, ModelUnavailable
from assistant.llm import create_chat_model
from tests.assistant.llm.local_llm import AMOUNT, grounded_prompt, needs_llama_cpp

pytestmark = pytest.mark.llm

PROMPT = grounded_prompt()


def test_streams_a_grounded_chinese_answer_token_by_token(llama_chat):
    chunks = [c.content for c in llama_chat.stream(PROMPT)]
    text = "".join(chunks).strip()
    assert len([c for c in chunks if c]) >= 3, chunks  # really streamed, not one blob
    assert text
    assert any(amount in text for amount in AMOUNT), text


def test_invoke_reports_usage_and_finish_reason(llama_chat):
    message = llama_chat.invoke(PROMPT, max_tokens=8)
    assert isinstance(message, AIMessage) and message.content
    assert message.usage_metadata["input_tokens"] > 20
    assert 0 < message.usage_metadata["output_tokens"] <= 8
    assert message.response_metadata["finish_reason"] in ("stop", "length")


def test_streams_asynchronously(llama_chat):
    async def collect():
        return [c.content async for c in llama_chat.astream(PROMPT, max_tokens=6)]

    chunks = asyncio.run(collect())
    assert len([c for c in chunks if c]) >= 2 and "".join(chunks).strip()


def test_concurrent_calls_are_serialised_not_corrupted(llama_chat):
    results: dict[int, str] = {}
    errors: list[BaseException] = []

    def ask(i: int) -> None:
        try:
            results[i] = llama_chat.invoke([HumanMessage(f"{i}+{i}=?只回答数字。")], max_tokens=4).content
        except BaseException as err:  # collected and re-raised in the test thread
            errors.append(err)

    threads = [threading.Thread(target=ask, args=(i,)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors and sorted(results) == [1, 2]
    assert all(results.values())


def test_abandoned_stream_releases_the_model(llama_chat):
    stream = llama_chat.stream(PROMPT)
    assert next(stream) is not None
    stream.close()  # a client that disconnects mid-answer
    done = threading.Event()
    worker = threading.Thread(target=lambda: (llama_chat.invoke(PROMPT, max_tokens=2), done.set()))
    worker.start()
    worker.join(timeout=300)  # a deadlock guard, not a speed assertion
    assert done.is_set(), "the lock was still held by the abandoned stream"


def test_counts_tokens_in_its_own_vocabulary(llama_chat):
    assert 0 < llama_chat.get_num_tokens("中华人民共和国") < len("中华人民共和国")


def test_prompt_over_the_context_window_is_llm_unavailable(llama_chat):
    with pytest.raises(LLMUnavailable, match="context window") as info:
        llama_chat.invoke([HumanMessage("企业" * 1500)])
    assert info.value.status == 503


def test_unsupported_option_is_invalid_input(llama_chat):
    with pytest.raises(InvalidInput, match="n_gpu_layers"):
        llama_chat.invoke(PROMPT, n_gpu_layers=1)


@needs_llama_cpp
def test_a_file_that_is_not_a_gguf_is_model_unavailable(tmp_path):
    bogus = tmp_path / "model.gguf"
    bogus.write_bytes(b"not a gguf" * 100)
    model = create_chat_model("llamacpp", model_path=bogus)
    with pytest.raises(ModelUnavailable, match="could not load"):
        model.warm_up()
    assert not model.is_loaded


@needs_llama_cpp
def test_a_missing_gguf_is_model_unavailable(tmp_path):
    model = create_chat_model("llamacpp", model_path=tmp_path / "absent.gguf")
    with pytest.raises(ModelUnavailable, match="absent.gguf"):
        model.invoke("你好")


def test_langchain_call_options_pass_through(llama_chat):
    # langchain passes stream=... itself; stop sequences reach llama.cpp.
    assert llama_chat.invoke(PROMPT, stream=True, max_tokens=4).content
    text = llama_chat.bind(stop=["万"]).invoke(PROMPT).content
    assert "万" not in text and text
