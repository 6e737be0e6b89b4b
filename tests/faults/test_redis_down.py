"""Redis (sessions and rate limits) stopped under the API: search goes on, chat says 503 clearly, both recover."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.hardening import components_with, write_small_corpus
from tests.redis_server import redis_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.server

QUESTION = "职工累计工作已满10年不满20年的，年休假几天？"


def test_redis_down_keeps_search_up_and_chat_says_503_then_recovers(settings, embedder, tmp_path, redis_server):
    comps = components_with(settings, embedder, redis_url=redis_server.url, rate_limit=1000)
    comps.ingester().run([write_small_corpus(tmp_path / "src")])
    with TestClient(create_app(components=comps), raise_server_exceptions=False) as c:
        sid = c.post("/v1/chat", json={"question": QUESTION}).json()["session_id"]

        redis_server.stop()
        assert c.get("/v1/search", params={"q": QUESTION}).status_code == 200  # limits fall back to this process
        r = c.post("/v1/chat", json={"question": "需要什么条件？", "session_id": sid})
        assert r.status_code == 503, r.text
        err = r.json()["error"]
        assert err["code"] == "store_unavailable" and "Redis" in err["message"]

        redis_server.start()  # same port; an empty Redis (no persistence): old sessions are gone, new ones work
        r = c.post("/v1/chat", json={"question": QUESTION})
        assert r.status_code == 200 and r.json()["citations"], r.text
