"""The backend registry, the scripted test double, and building a chat model from settings."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.errors import InvalidInput, LLMUnavailable, UnknownBackend
from assistant.llm import available_backends, chat_model_from_settings, create_chat_model
from assistant.llm.fake import ScriptedChatModel, split_tokens
from assistant.llm.llamacpp import LlamaCppChatModel
from assistant.llm.openai_compat import OpenAICompatibleChatModel
from assistant.settings import Settings

REPLY = "依据《中华人民共和国中小企业促进法》第十条, SMEs get support."


def test_registry_lists_its_backends():
    assert available_backends() == ["fake", "llamacpp", "openai"]


def test_unknown_backend_lists_valid_names():
    with pytest.raises(UnknownBackend) as info:
        create_chat_model("gpt5")
    assert info.value.status == 400 and info.value.code == "unknown_backend"
    assert "'gpt5'" in info.value.message and "fake, llamacpp, openai" in info.value.message


def test_unexpected_parameter_is_invalid_input_naming_accepted_ones():
    with pytest.raises(InvalidInput, match="n_gpu_layers") as info:
        create_chat_model("llamacpp", n_gpu_layers=99)
    assert "model_path" in info.value.message and info.value.status == 422


@pytest.mark.parametrize(
    ("params", "missing"),
    [({"model": "qwen"}, "base_url"), ({"base_url": "http://127.0.0.1:8080/v1"}, "model")],
)
def test_openai_backend_requires_a_server_and_a_model(params, missing):
    with pytest.raises(InvalidInput, match=missing):
        create_chat_model("openai", **params)


def test_constructors_are_light():
    # Nothing is loaded or contacted: a GGUF that does not exist is only a problem at warm_up().
    model = create_chat_model("llamacpp", model_path="/nonexistent/model.gguf")
    assert isinstance(model, LlamaCppChatModel) and not model.is_loaded
    remote = create_chat_model("openai", base_url="http://127.0.0.1:1/v1", model="qwen")
    assert isinstance(remote, OpenAICompatibleChatModel) and isinstance(remote, BaseChatModel)


def test_split_tokens_splits_chinese_per_character_and_joins_back():
    tokens = split_tokens(REPLY)
    assert "".join(tokens) == REPLY
    assert tokens[:3] == ["依", "据", "《"] and "SMEs" in tokens


def test_fake_streams_token_by_token_like_a_real_model():
    model = create_chat_model("fake", replies=[REPLY])
    chunks = [c.content for c in model.stream([HumanMessage("中小企业有哪些扶持?")])]
    assert len([c for c in chunks if c]) == len(split_tokens(REPLY))
    assert "".join(chunks) == REPLY


def test_fake_invoke_cycles_the_script_and_records_prompts():
    model = create_chat_model("fake", replies=["一", "二"])
    assert isinstance(model, ScriptedChatModel)
    answers = [model.invoke([SystemMessage("只答数字"), HumanMessage(f"第{i}个")]).content for i in range(3)]
    assert answers == ["一", "二", "一"]
    assert [call[1].content for call in model.calls] == ["第0个", "第1个", "第2个"]


def test_fake_raises_scripted_errors_so_callers_can_test_fallbacks():
    model = create_chat_model("fake", replies=[LLMUnavailable("server down"), "好"])
    with pytest.raises(LLMUnavailable, match="server down"):
        list(model.stream("hi"))
    assert model.invoke("hi").content == "好"


def test_fake_streams_asynchronously():
    model = create_chat_model("fake", replies=["异步流式"])

    async def collect():
        return [c.content async for c in model.astream("hi")]

    assert "".join(asyncio.run(collect())) == "异步流式"


def test_settings_without_backend_mean_no_llm():
    assert chat_model_from_settings(Settings(_env_file=None)) is None


def test_settings_build_the_openai_backend_with_their_knobs():
    settings = SimpleNamespace(
        llm_backend="openai",
        llm_base_url="http://127.0.0.1:8080/v1",
        llm_model="qwen2.5-coder",
        llm_api_key=None,
        llm_temperature=0.3,
        llm_max_tokens=256,
        llm_timeout=12,
    )
    model = chat_model_from_settings(settings)
    assert isinstance(model, OpenAICompatibleChatModel)
    assert (model.openai_api_base, model.model_name) == ("http://127.0.0.1:8080/v1", "qwen2.5-coder")
    assert (model.temperature, model.max_tokens, model.request_timeout) == (0.3, 256, 12)


def test_settings_build_the_llamacpp_backend_from_the_cache_dir(tmp_path):
    settings = SimpleNamespace(llm_backend="llamacpp", cache_dir=tmp_path, llm_n_ctx=1024)
    model = chat_model_from_settings(settings)
    assert isinstance(model, LlamaCppChatModel)
    assert (model.cache_dir, model.model_path, model.n_ctx, model.n_threads) == (tmp_path, None, 1024, 2)


def test_settings_with_an_unknown_backend_name_it():
    with pytest.raises(UnknownBackend, match="'ollama'.*openai, llamacpp"):
        chat_model_from_settings(SimpleNamespace(llm_backend="ollama"))
    with pytest.raises(UnknownBackend, match="unknown llm_backend .fake."):  # a script cannot come from settings
        chat_model_from_settings(SimpleNamespace(llm_backend="fake"))
