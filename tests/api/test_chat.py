"""Chat API over a small real index: JSON answers, SSE frames, the OpenAI protocol, sessions and bad input."""

from __future__ import annotations

import json
import sqlite3

import httpx
import pytest
from fastapi.testclient import TestClient
from openai import APIError, OpenAI

from api.app import create_app
from api.deps import get_answers
from assistant.answers.service import AnswerService
from assistant.answers.sessions import RedisSessionStore
from tests.conftest import LAWS
from tests.redis_server import redis_server, redis_url  # noqa: F401 (fixtures)

NEW = "行政法规/保障中小企业款项支付条例(2025-03-17).md"
FILES = ["行政法规/保障中小企业款项支付条例(2020-07-05).md", NEW, "行政法规/职工带薪年休假条例(2007-12-14).md"]
QUESTION = "机关、事业单位从中小企业采购货物，最晚应当在多少日内支付款项？"
FIRST, FOLLOW = "职工累计工作满12年，每年带薪年休假有几天？", "那满20年的呢？"


@pytest.fixture(scope="module")
def small_components(tmp_path_factory, embedder, cache_dir):
    from assistant.components import Components
    from assistant.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("chat"), cache_dir=cache_dir, _env_file=None)
    comps = Components(settings, embedder=embedder)
    comps.ingester().run([LAWS / f for f in FILES], root=LAWS)
    return comps


@pytest.fixture(scope="module")
def client(small_components):
    with TestClient(create_app(components=small_components)) as c:
        yield c


def sse_frames(text: str) -> list[tuple[str | None, str]]:
    """(event, data) of each SSE frame; comment frames (pings) left out."""
    frames = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        event, data = None, []
        for line in block.split("\n"):
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
        if data:
            frames.append((event, "\n".join(data)))
    return frames


def test_chat_returns_the_answer_with_citations(client):
    r = client.post("/v1/chat", json={"question": QUESTION})
    assert r.status_code == 200, r.text
    body = r.json()
    assert not body["abstained"] and body["generator"] == "extractive" and body["session_id"]
    cite = body["citations"][0]
    assert cite["source"] == NEW and cite["status"] == "in_force" and cite["quote"] in body["answer"]
    assert {"title", "version_date", "article", "quote"} <= set(cite) and body["query"] == QUESTION


def test_stream_sends_deltas_then_citations_then_done(client):
    r = client.post("/v1/chat/stream", json={"question": QUESTION})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    frames = sse_frames(r.text)
    kinds = [e for e, _ in frames]
    assert kinds[-2:] == ["citations", "done"] and set(kinds[:-2]) == {"delta"} and len(kinds) > 3
    done = json.loads(frames[-1][1])
    assert "".join(json.loads(d)["text"] for e, d in frames if e == "delta") == done["answer"]
    assert json.loads(frames[-2][1])["citations"] == done["citations"] and done["citations"][0]["source"] == NEW


def test_follow_up_in_a_session_keeps_the_context_and_the_session_can_be_read_and_deleted(client):
    first = client.post("/v1/chat", json={"question": FIRST}).json()
    sid = first["session_id"]
    follow = client.post("/v1/chat", json={"question": FOLLOW, "session_id": sid}).json()
    assert follow["session_id"] == sid and "年休假" in follow["query"] and follow["query"].startswith(FOLLOW)
    assert follow["citations"][0]["title"] == "职工带薪年休假条例"
    turns = client.get(f"/v1/sessions/{sid}").json()["turns"]
    assert [t["role"] for t in turns] == ["user", "assistant", "user", "assistant"]
    assert turns[2]["content"] == FOLLOW and turns[3]["citations"][0]["title"] == "职工带薪年休假条例"
    assert client.delete(f"/v1/sessions/{sid}").status_code == 204
    for r in (client.get(f"/v1/sessions/{sid}"), client.delete(f"/v1/sessions/{sid}"),
              client.post("/v1/chat", json={"question": FOLLOW, "session_id": sid})):
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found" and sid in r.json()["error"]["message"]


def test_openai_client_non_stream(client):
    ai = OpenAI(base_url=f"{client.base_url}/v1", api_key="unused", http_client=client, max_retries=0)
    completion = ai.chat.completions.create(model="some-model-we-do-not-have",
                                            messages=[{"role": "system", "content": "你是助手"},
                                                      {"role": "user", "content": QUESTION}])
    assert completion.object == "chat.completion" and completion.model == "some-model-we-do-not-have"
    choice = completion.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    extra = completion.model_extra
    assert extra["citations"][0]["source"] == NEW and choice.message.content == extra["huiqi"]["answer"]


def test_openai_client_stream_ends_with_done(client):
    ai = OpenAI(base_url=f"{client.base_url}/v1", api_key="unused", http_client=client, max_retries=0)
    chunks = list(ai.chat.completions.create(model="extractive", stream=True,
                                             messages=[{"role": "user", "content": QUESTION}]))
    assert all(c.object == "chat.completion.chunk" for c in chunks) and len({c.id for c in chunks}) == 1
    assert chunks[0].choices[0].delta.role == "assistant" and chunks[-1].choices[0].finish_reason == "stop"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    last = chunks[-1].model_extra
    assert text == last["huiqi"]["answer"] and last["citations"][0]["source"] == NEW
    raw = client.post("/v1/chat/completions",
                      json={"stream": True, "messages": [{"role": "user", "content": QUESTION}]})
    frames = sse_frames(raw.text)
    assert frames[-1] == (None, "[DONE]") and all(e is None for e, _ in frames)


def test_openai_messages_are_the_conversation_and_none_of_it_is_kept(client, small_components):
    def kept() -> int:
        db = sqlite3.connect(small_components.settings.data_dir / "sessions.sqlite3")
        return db.execute("SELECT count(*) FROM sessions").fetchone()[0]

    before = kept()
    messages = [{"role": "user", "content": FIRST}, {"role": "assistant", "content": "每年10天。"},
                {"role": "user", "content": [{"type": "text", "text": FOLLOW}]}]
    for stream in (False, True):
        r = client.post("/v1/chat/completions", json={"model": "gpt-4o", "messages": messages, "stream": stream})
        huiqi = json.loads(sse_frames(r.text)[-2][1])["huiqi"] if stream else r.json()["huiqi"]
        assert huiqi["query"].startswith(FOLLOW) and FIRST in huiqi["query"]
        assert huiqi["citations"][0]["title"] == "职工带薪年休假条例" and huiqi["session_id"] is None
    assert kept() == before


@pytest.mark.parametrize("route", ["/v1/chat", "/v1/chat/stream"])
@pytest.mark.parametrize("body, status, fragment", [
    ({"question": ""}, 422, "question"),
    ({"question": "   "}, 422, "empty"),
    ({"question": "税" * 2001}, 422, "question"),
    ({"question": 7}, 422, "question"),
    ({}, 422, "question"),
    ({"question": "年假", "generator": "gpt-9"}, 400, "extractive, llm"),
    ({"question": "年假", "session_id": "no-such-session"}, 404, "no-such-session"),
])
def test_bad_chat_requests_are_plain_json_4xx(client, route, body, status, fragment):
    r = client.post(route, json=body)
    assert r.status_code == status and r.headers["content-type"].startswith("application/json")
    assert fragment in r.json()["error"]["message"]


def test_malformed_and_oversized_bodies(client):
    r = client.post("/v1/chat", content='{"question": "年假"'.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    r = client.post("/v1/chat", content=b'{"question": "' + b"a" * (2 << 20) + b'"}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize("body, fragment", [
    ({"messages": []}, "messages"),
    ({"messages": [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": "好"}]}, "last message"),
    ({"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}, "empty"),
    ({"messages": [{"role": "wizard", "content": "年假"}]}, "role"),
    ({"stream": True, "messages": [{"role": "user", "content": " "}]}, "empty"),
])
def test_bad_openai_requests_are_422(client, body, fragment):
    r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == 422 and fragment in r.json()["error"]["message"]


def test_failure_after_the_stream_started_is_an_error_event(small_components, redis_url):
    """Redis refuses writes once the stream is under way (history read, turn not stored): an `error` frame."""
    import redis

    store = RedisSessionStore(redis_url, ttl=600)
    service = AnswerService(small_components.retriever, store, None, small_components.settings)
    app = create_app(components=small_components)
    app.dependency_overrides[get_answers] = lambda: service
    with TestClient(app) as c:
        sid = c.post("/v1/chat", json={"question": FIRST}).json()["session_id"]
        redis.Redis.from_url(redis_url).config_set("min-replicas-to-write", 1)  # writes now fail, reads work
        frames = sse_frames(c.post("/v1/chat/stream", json={"question": FOLLOW, "session_id": sid}).text)
        assert frames[0][0] == "delta" and frames[-1][0] == "error"
        error = json.loads(frames[-1][1])
        assert error["code"] == "store_unavailable" and "Redis" in error["message"]
        ai = OpenAI(base_url=f"{c.base_url}/v1", api_key="unused", http_client=c, max_retries=0)
        with pytest.raises(APIError, match="Redis"):
            list(ai.chat.completions.create(model="m", stream=True, extra_body={"session_id": sid},
                                            messages=[{"role": "user", "content": FOLLOW}]))


def test_stream_over_real_http(small_components):
    """uvicorn on loopback: SSE frames arrive over a real connection, and the server answers others meanwhile."""
    import threading

    import uvicorn

    from tests.redis_server import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(components=small_components), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            for _ in range(200):
                try:
                    if http.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    threading.Event().wait(0.05)
            with http.stream("POST", "/v1/chat/stream", json={"question": QUESTION}) as r:
                lines = r.iter_lines()
                first = next(lines)
                assert http.get("/healthz").json() == {"status": "ok"}
                text = "\n".join([first, *lines])
        assert first.startswith("event: delta") and sse_frames(text)[-1][0] == "done"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
