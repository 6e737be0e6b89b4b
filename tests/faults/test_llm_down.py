"""The OpenAI-compatible LLM server unreachable or hanging: the answer is the extractive one, with a notice."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.answers.service import LLM_FAILED_NOTICE
from tests.api.hardening import components_with, write_small_corpus
from tests.redis_server import free_port

QUESTION = "职工累计工作已满10年不满20年的，年休假几天？"


class SilentServer:
    """A loopback port that accepts connections and never answers: a hung LLM server."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
                self.held.append(conn)  # read nothing, answer nothing
            except OSError:
                continue

    def close(self) -> None:
        self._stop.set()
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture(params=["refused", "timeout"])
def llm_url(request) -> Iterator[str]:
    """The base URL of an LLM server that refuses connections, or accepts and hangs."""
    if request.param == "refused":
        yield f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
        return
    server = SilentServer()
    yield f"http://127.0.0.1:{server.port}/v1"
    server.close()


@pytest.fixture
def client(settings, embedder, tmp_path, llm_url):
    comps = components_with(settings, embedder, llm_backend="openai", llm_base_url=llm_url, llm_model="qwen2.5-7b",
                            llm_timeout=1.0, llm_max_retries=0, answer_generator="llm", rate_limit=0)
    comps.ingester().run([write_small_corpus(tmp_path / "src")])
    with TestClient(create_app(components=comps)) as c:
        yield c


def test_unreachable_llm_gives_the_extractive_answer_with_a_notice(client):
    r = client.post("/v1/chat", json={"question": QUESTION, "generator": "llm"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["generator"] == "extractive" and not body["abstained"]
    assert LLM_FAILED_NOTICE in body["notice"]
    assert "10天" in body["answer"]
    assert [(c["title"], c["article"]) for c in body["citations"]][:1] == [("示例年休假条例", "第二条")]


def test_unreachable_llm_while_streaming_ends_with_the_extractive_answer(client):
    with client.stream("POST", "/v1/chat/stream", json={"question": QUESTION, "generator": "llm"}) as r:
        assert r.status_code == 200
        events = [(e, json.loads(d)) for e, d in _sse(r.iter_lines())]
    names = [e for e, _ in events]
    assert "error" not in names and names[-2:] == ["citations", "done"]
    done = events[-1][1]
    assert done["generator"] == "extractive" and LLM_FAILED_NOTICE in done["notice"]
    assert any("10天" in d.get("text", "") for e, d in events if e == "delta")


def _sse(lines) -> Iterator[tuple[str, str]]:
    event = None
    for line in lines:
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            yield event or "message", line.split(":", 1)[1].strip()
