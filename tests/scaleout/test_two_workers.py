"""Scale-out on loopback: a Chroma server, Redis, and two `huiqi serve` workers sharing them.

Ingest through one worker, search through the other; a conversation started on one continues on the
other; the rate limit is one budget across both; deleting on one is seen by the other.
"""

from __future__ import annotations

import json
import shutil

import httpx
import pytest

from tests.api.hardening import KEY, write_small_corpus
from tests.assistant.store.test_chroma_server import CHROMA, ChromaServer
from tests.redis_server import start_redis
from tests.scaleout.workers import HuiqiWorker

pytestmark = [pytest.mark.server, pytest.mark.slow]

ADMIN = {"X-API-Key": KEY}
RATE_LIMIT = 40
DOC = ("# 示例扩容测试补贴办法\n\n2024年6月1日 示例机关公布\n\n<!-- INFO END -->\n\n"
       "第一条 新招用高校毕业生的小微企业，每人一次性发放扩岗补贴1500元。\n\n"
       "第二条 申请扩岗补贴应当提交劳动合同和社保缴费记录。\n")


@pytest.fixture
def cluster(tmp_path, cache_dir):
    """(worker A, worker B) over one Chroma server, one Redis and one data directory."""
    if not CHROMA.exists() and shutil.which("chroma") is None:
        pytest.skip("the chroma CLI is not installed")
    chroma = ChromaServer(tmp_path / "chroma")
    chroma.start()
    redis = start_redis(tmp_path / "redis")
    env = {"HUIQI_DATA_DIR": str(tmp_path / "data"), "HUIQI_CACHE_DIR": str(cache_dir),
           "HUIQI_CHROMA_URL": chroma.url, "HUIQI_REDIS_URL": redis.url, "HUIQI_API_KEYS": KEY,
           "HUIQI_CORPUS_DIR": str(write_small_corpus(tmp_path / "corpus")),
           "HUIQI_INGEST_ROOTS": f'["{tmp_path / "corpus"}"]',
           "HUIQI_RATE_LIMIT": str(RATE_LIMIT), "HUIQI_RATE_LIMIT_WINDOW": "3600"}
    workers = [HuiqiWorker(tmp_path / name, env) for name in ("a", "b")]
    try:
        for w in workers:
            w.start()
        for w in workers:
            w.wait_ready()
        yield workers
    finally:
        for w in workers:
            w.stop()
        redis.stop()
        chroma.stop()


def test_two_workers_share_the_index_sessions_and_limits(cluster):
    a, b = cluster
    used = 0  # requests charged to this client's address (admin-key requests have their own budget)

    def call(worker, method, path, **kw) -> httpx.Response:
        nonlocal used
        used += "headers" not in kw
        return worker.client.request(method, path, **kw)

    r = call(a, "POST", "/v1/admin/ingest", headers=ADMIN, json={"path": a.env["HUIQI_CORPUS_DIR"]})
    assert r.status_code == 200 and r.json()["added"] == 2, r.text
    r = call(a, "POST", "/v1/admin/ingest", headers=ADMIN,
             files={"file": ("示例扩容测试补贴办法(2024-06-01).md", DOC.encode(), "text/markdown")})
    assert r.status_code == 200 and r.json()["added"] == 1, r.text

    # ingested through A, found through B (vectors in the Chroma server, manifest in the shared data dir)
    r = call(b, "GET", "/v1/search", params={"q": "招用高校毕业生扩岗补贴多少钱", "k": 3})
    assert r.status_code == 200, r.text
    hits = r.json()["hits"]
    assert hits[0]["title"] == "示例扩容测试补贴办法" and hits[0]["article"] == "第一条"
    assert b.client.get("/readyz").json()["chunks"] == a.client.get("/readyz").json()["chunks"] == 6

    # a conversation started on A continues on B (sessions in Redis)
    first = call(a, "POST", "/v1/chat", json={"question": "小微企业新招高校毕业生有什么补贴？"})
    assert first.status_code == 200, first.text
    sid = first.json()["session_id"]
    follow = call(b, "POST", "/v1/chat", json={"question": "需要提交什么材料？", "session_id": sid})
    assert follow.status_code == 200, follow.text
    assert any(c["title"] == "示例扩容测试补贴办法" for c in follow.json()["citations"])
    turns = call(b, "GET", f"/v1/sessions/{sid}").json()["turns"]
    assert [t["role"] for t in turns] == ["user", "assistant", "user", "assistant"]

    # deleted through B, gone through A
    r = call(b, "DELETE", "/v1/admin/documents/示例扩容测试补贴办法(2024-06-01).md", headers=ADMIN)
    assert r.status_code == 200, r.text
    titles = {h["title"] for h in call(a, "GET", "/v1/search", params={"q": "扩岗补贴"}).json()["hits"]}
    assert "示例扩容测试补贴办法" not in titles

    # one rate-limit budget for both workers (counted in Redis); the admin key has its own
    left = RATE_LIMIT - used
    codes = [w.client.get("/v1/search", params={"q": "年休假"}).status_code for _ in range(RATE_LIMIT) for w in (a, b)]
    assert codes.count(200) == left and set(codes[left:]) == {429}
    assert a.client.get("/healthz").status_code == b.client.get("/healthz").status_code == 200

    # the workers' logs: JSON access lines with request ids, and never a question from a query string
    log = b.log_tail(1 << 20)
    assert "?q=" not in log and "招用高校毕业生" not in log
    access = [json.loads(line) for line in log.splitlines() if line.startswith("{") and '"huiqi.access"' in line]
    assert any(x["route"] == "/v1/search" and x["status"] == 200 and len(x["request_id"]) == 32 for x in access)
