"""The openai backend: a real OpenAI-compatible server on loopback, and failures as LLMUnavailable."""

from __future__ import annotations

import json
import socket
import struct
import threading
import time

import pytest
from langchain_core.messages import HumanMessage

from assistant.errors import LLMUnavailable
from assistant.llm import create_chat_model
from tests.assistant.llm.local_llm import ALIAS, AMOUNT, free_port, grounded_prompt

PROMPT = grounded_prompt()


def test_unreachable_server_is_llm_unavailable():
    port = free_port()  # bound then released: nothing listens there
    model = create_chat_model("openai", base_url=f"http://127.0.0.1:{port}/v1", model=ALIAS, timeout=5)
    with pytest.raises(LLMUnavailable, match=f"connection to chat model server http://127.0.0.1:{port}/v1") as info:
        model.invoke("你好")
    assert info.value.status == 503 and info.value.code == "llm_unavailable"
    assert "Connection refused" in info.value.message


def test_unreachable_server_fails_the_stream_too():
    model = create_chat_model("openai", base_url=f"http://127.0.0.1:{free_port()}/v1", model=ALIAS, max_retries=0)
    with pytest.raises(LLMUnavailable, match="connection to .* failed"):
        list(model.stream("你好"))


def test_a_server_that_never_answers_times_out_as_llm_unavailable():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # the kernel completes the handshake; nobody ever reads or replies
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/v1"
        model = create_chat_model("openai", base_url=url, model=ALIAS, timeout=0.5, max_retries=0)
        with pytest.raises(LLMUnavailable, match=r"timed out after 0.5s"):
            model.invoke("你好")


def test_a_server_that_drops_mid_stream_fails_the_stream_as_llm_unavailable():
    # A real server cannot be made to die at an exact token, so this one is a socket that sends one
    # SSE frame and resets the connection: the SSE route must see an error, not a quietly short answer.
    frame = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": ALIAS,
             "choices": [{"index": 0, "delta": {"content": "依据"}, "finish_reason": None}]}  # fmt: skip
    body = f"data: {json.dumps(frame, ensure_ascii=False)}\n\n".encode()
    listener = socket.create_server(("127.0.0.1", 0))

    def serve_one_frame() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            head = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
            conn.sendall(head + f"{len(body):x}\r\n".encode() + body + b"\r\n")
            time.sleep(0.2)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST, not FIN

    server = threading.Thread(target=serve_one_frame, daemon=True)
    server.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    model = create_chat_model("openai", base_url=url, model=ALIAS, max_retries=0, timeout=10)
    received = []
    with pytest.raises(LLMUnavailable, match="failed"):
        for chunk in model.stream("你好"):
            received.append(chunk.content)
    server.join(timeout=10)
    listener.close()
    assert "".join(received) == "依据"


@pytest.fixture
def remote_chat(llama_server):
    return create_chat_model("openai", base_url=llama_server, model=ALIAS, temperature=0.0, max_tokens=48, timeout=300)


@pytest.mark.llm
@pytest.mark.server
def test_answers_through_a_real_openai_compatible_server(remote_chat):
    message = remote_chat.invoke(PROMPT)
    assert any(amount in message.content for amount in AMOUNT), message.content
    assert message.usage_metadata["input_tokens"] > 20 and message.usage_metadata["output_tokens"] > 0


@pytest.mark.llm
@pytest.mark.server
def test_streams_over_sse_from_a_real_server(remote_chat):
    chunks = [c.content for c in remote_chat.stream(PROMPT, max_tokens=12)]
    assert len([c for c in chunks if c]) >= 3, chunks
    assert "".join(chunks).strip()


@pytest.mark.llm
@pytest.mark.server
def test_a_refusal_of_the_real_server_is_llm_unavailable(remote_chat):
    with pytest.raises(LLMUnavailable, match=r"answered HTTP 4\d\d") as info:
        remote_chat.invoke([HumanMessage("企业" * 1500)])  # over the server's 1024-token context
    assert info.value.status == 503
