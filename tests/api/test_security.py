"""Access control, limits, error shape, request ids, masked logs and metrics of the public API."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.observability import JsonFormatter, request_id_var
from tests.api.hardening import KEY, components_with, write_small_corpus
from tests.redis_server import redis_server  # noqa: F401 (a fixture)

ADMIN = {"X-API-Key": KEY}


@pytest.fixture
def corpus(tmp_path):
    return write_small_corpus(tmp_path / "src")


def _client(settings, embedder, corpus, **overrides):
    comps = components_with(settings, embedder, **{"api_keys": KEY, **overrides})
    comps.ingester().run([corpus])
    app = create_app(components=comps)
    return app, TestClient(app)


@pytest.fixture
def client(settings, embedder, corpus):
    _, c = _client(settings, embedder, corpus)
    return c


# -- API keys -----------------------------------------------------------------------------------------------

def test_admin_routes_need_a_valid_api_key(client):
    r = client.get("/v1/admin/documents")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    r = client.get("/v1/admin/documents", headers={"X-API-Key": "wrong"})
    assert r.status_code == 401 and r.json()["error"]["message"] == "invalid API key"
    r = client.delete("/v1/admin/documents/示例年休假条例(2007-12-14).md")
    assert r.status_code == 401
    r = client.post("/v1/admin/ingest", json={"path": "."})
    assert r.status_code == 401
    assert client.get("/v1/admin/documents", headers=ADMIN).status_code == 200
    bearer = client.get("/v1/admin/documents", headers={"Authorization": f"Bearer {KEY}"})
    assert bearer.status_code == 200 and len(bearer.json()) == 2


def test_admin_api_is_off_without_configured_keys(settings, embedder, corpus):
    _, c = _client(settings, embedder, corpus, api_keys=None)
    r = c.get("/v1/admin/documents", headers=ADMIN)
    assert r.status_code == 403 and "HUIQI_API_KEYS" in r.json()["error"]["message"]


def test_public_routes_need_no_key(client):
    assert client.get("/v1/search", params={"q": "年休假"}).status_code == 200


# -- admin routes ---------------------------------------------------------------------------------------------

def test_upload_then_delete_a_document(client):
    doc = "# 示例研发费用加计扣除指引\n\n2023年1月1日 示例机关公布\n\n<!-- INFO END -->\n\n第一条 研发费用按100%加计扣除。\n"
    r = client.post("/v1/admin/ingest", headers=ADMIN,
                    files={"file": ("示例研发费用加计扣除指引(2023-01-01).md", doc.encode(), "text/markdown")})
    assert r.status_code == 200, r.text
    assert r.json()["added"] == 1
    hits = client.get("/v1/search", params={"q": "研发费用加计扣除", "k": 1}).json()["hits"]
    assert hits[0]["title"] == "示例研发费用加计扣除指引"
    r = client.delete(f"/v1/admin/documents/{hits[0]['source']}", headers=ADMIN)
    assert r.status_code == 200 and r.json()["deleted_chunks"] >= 1
    titles = {h["title"] for h in client.get("/v1/search", params={"q": "研发费用加计扣除"}).json()["hits"]}
    assert "示例研发费用加计扣除指引" not in titles
    r = client.delete(f"/v1/admin/documents/{hits[0]['source']}", headers=ADMIN)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_ingest_a_server_path_only_inside_the_ingest_roots(settings, embedder, corpus, tmp_path):
    _, c = _client(settings, embedder, corpus, ingest_roots=[corpus])
    r = c.post("/v1/admin/ingest", headers=ADMIN, json={"path": str(corpus), "force": True})
    assert r.status_code == 200 and r.json()["updated"] == 2
    r = c.post("/v1/admin/ingest", headers=ADMIN, json={"path": "/etc"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = c.post("/v1/admin/ingest", headers=ADMIN, json={"path": str(corpus / ".." / ".." )})
    assert r.status_code == 403
    r = c.post("/v1/admin/ingest", headers=ADMIN, json={"path": str(corpus / "missing.md")})
    assert r.status_code == 404


# -- rate limits ----------------------------------------------------------------------------------------------

def test_rate_limit_per_client_with_retry_after(settings, embedder, corpus):
    _, c = _client(settings, embedder, corpus, rate_limit=3, rate_limit_window=3600)
    for _ in range(3):
        assert c.get("/v1/search", params={"q": "年休假"}).status_code == 200
    r = c.get("/v1/search", params={"q": "年休假"})
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    assert int(r.headers["retry-after"]) >= 1
    assert c.get("/healthz").status_code == 200  # probes are never limited
    assert c.get("/metrics").status_code == 200
    # another client (here: an admin key) has its own budget
    assert c.get("/v1/admin/documents", headers=ADMIN).status_code == 200


def test_made_up_api_keys_do_not_buy_a_fresh_budget(settings, embedder, corpus):
    _, c = _client(settings, embedder, corpus, rate_limit=2, rate_limit_window=3600)
    codes = [c.get("/v1/search", params={"q": "年休假"}, headers={"X-API-Key": f"made-up-{i}"}).status_code
             for i in range(4)]
    assert codes == [200, 200, 429, 429]


@pytest.mark.server
def test_redis_rate_limit_is_shared_by_workers_and_survives_redis_loss(settings, embedder, corpus, redis_server):
    over = dict(rate_limit=4, rate_limit_window=3600, redis_url=redis_server.url)
    app, a = _client(settings, embedder, corpus, **over)
    b = TestClient(create_app(components=app.state.components))  # a second "worker" on the same Redis
    codes = [cl.get("/v1/search", params={"q": "年休假"}).status_code for cl in (a, b, a, b, a, b)]
    assert codes == [200, 200, 200, 200, 429, 429]
    redis_server.stop()  # Redis gone: limits fall back to each process, never a 500
    r = a.get("/v1/search", params={"q": "年休假"})
    assert r.status_code in (200, 429) and r.headers["content-type"].startswith("application/json")


# -- request size ---------------------------------------------------------------------------------------------

def test_body_over_the_limit_is_413_by_length_and_while_streaming(settings, embedder, corpus):
    _, c = _client(settings, embedder, corpus, max_body_bytes=4096)
    big = json.dumps({"text": "诉" * 5000}).encode()
    r = c.post("/v1/appeals/triage", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"

    def chunks():
        for _ in range(10):
            yield b"x" * 1000

    r = c.post("/v1/appeals/triage", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"


def test_upload_limit_is_separate_and_also_enforced(settings, embedder, corpus):
    _, c = _client(settings, embedder, corpus, max_body_bytes=4096, max_upload_bytes=8192)
    r = c.post("/v1/admin/ingest", headers=ADMIN, files={"file": ("a.txt", b"x" * 20000, "text/plain")})
    assert r.status_code == 413


# -- origins and CORS -----------------------------------------------------------------------------------------

def test_origin_allowlist_and_cors(settings, embedder, corpus):
    _, c = _client(settings, embedder, corpus, allowed_origins="https://www.example.gov.cn")
    ok = c.get("/v1/search", params={"q": "年休假"}, headers={"Origin": "https://www.example.gov.cn"})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "https://www.example.gov.cn"
    pre = c.options("/v1/search", headers={"Origin": "https://www.example.gov.cn",
                                          "Access-Control-Request-Method": "GET"})
    assert pre.status_code == 200
    bad = c.get("/v1/search", params={"q": "年休假"}, headers={"Origin": "https://evil.example.com"})
    assert bad.status_code == 403 and bad.json()["error"]["code"] == "forbidden_origin"
    bad_pre = c.options("/v1/search", headers={"Origin": "https://evil.example.com",
                                              "Access-Control-Request-Method": "POST"})
    assert bad_pre.status_code == 403 and "access-control-allow-origin" not in bad_pre.headers
    same = c.get("/v1/search", params={"q": "年休假"}, headers={"Origin": "http://testserver"})
    assert same.status_code == 200  # our own widget and console pages
    assert c.get("/v1/search", params={"q": "年休假"}).status_code == 200  # no Origin: not a browser


# -- error shape, request ids, logs, metrics ------------------------------------------------------------------

def test_every_error_is_json_with_a_request_id(settings, embedder, corpus):
    app, c = _client(settings, embedder, corpus)

    @app.get("/v1/boom")
    def boom():
        raise RuntimeError("secret 13812345678 internals")

    c = TestClient(app, raise_server_exceptions=False)
    for method, path, status in [("get", "/nope", 404), ("put", "/v1/search", 405), ("get", "/v1/search", 422),
                                 ("get", "/v1/boom", 500)]:
        r = getattr(c, method)(path)
        assert r.status_code == status
        assert set(r.json()["error"]) == {"code", "message"}
        assert len(r.headers["x-request-id"]) == 32
    assert "13812345678" not in c.get("/v1/boom").text


def test_request_id_is_echoed_when_sane(client):
    assert client.get("/healthz", headers={"X-Request-ID": "call-42"}).headers["x-request-id"] == "call-42"
    r = client.get("/healthz", headers={"X-Request-ID": "bad id\n<script>"})
    assert r.headers["x-request-id"] != "bad id\n<script>" and len(r.headers["x-request-id"]) == 32


def test_json_log_lines_mask_personal_data_and_carry_the_request_id():
    token = request_id_var.set("req-1")
    try:
        record = logging.LogRecord("huiqi.api", logging.WARNING, __file__, 1,
                                   "caller %s, id %s, mail %s", ("13812345678", "110101199003071234", "a@b.cn"), None)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["request_id"] == "req-1" and line["level"] == "warning"
    assert "13812345678" not in line["msg"] and "110101199003071234" not in line["msg"] and "a@b.cn" not in line["msg"]
    assert "[电话]" in line["msg"] and "[身份证号]" in line["msg"]


def test_access_log_has_no_query_string(client, caplog):
    with caplog.at_level(logging.INFO, logger="huiqi.access"):
        client.get("/v1/search", params={"q": "我的电话13812345678"})
    lines = [r for r in caplog.records if r.name == "huiqi.access"]
    assert lines and all("13812345678" not in r.getMessage() for r in lines)
    assert lines[-1].route == "/v1/search" and lines[-1].status == 200


def _metric(text: str, name: str, **labels) -> float:
    """Sum of the samples of ``name`` whose labels include ``labels``."""
    total = 0.0
    for line in text.splitlines():
        head = line.split(" ", 1)[0]
        if head.split("{", 1)[0] == name and all(f'{k}="{v}"' in head for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_metrics_count_requests_retrieval_answers_abstentions_and_triage(settings, embedder, corpus):
    app, _ = _client(settings, embedder, corpus)
    with TestClient(app) as c:  # lifespan: the triager loads
        before = c.get("/metrics").text
        c.get("/v1/search", params={"q": "年休假"})
        c.get("/v1/search", params={"q": ""})
        answered = c.post("/v1/chat", json={"question": "职工累计工作已满10年不满20年的，年休假几天？"}).json()
        declined = c.post("/v1/chat", json={"question": "高新技术企业认定需要什么条件？"}).json()
        triaged = c.post("/v1/appeals/triage", json={"text": "企业反映工程款被拖欠半年，请求协调支付"})
        after = c.get("/metrics").text

    def grew(name: str, **labels) -> float:
        return _metric(after, name, **labels) - _metric(before, name, **labels)

    assert grew("huiqi_http_requests_total", route="/v1/search", status="200") == 1
    assert grew("huiqi_http_requests_total", route="/v1/search", status="422") == 1
    assert grew("huiqi_http_request_duration_seconds_count", route="/v1/chat") == 2
    assert grew("huiqi_retrieval_duration_seconds_count", stage="total") >= 3  # one search, two answers
    assert not answered["abstained"] and declined["abstained"]
    assert grew("huiqi_answers_total", outcome="answered") == 1 and grew("huiqi_answers_total", outcome="abstained") == 1
    assert grew("huiqi_abstentions_total") == 1
    assert triaged.status_code == 200, triaged.text
    assert grew("huiqi_triage_total", department=triaged.json()["departments"][0]["id"]) == 1
