"""The appeals router on a tiny app (the real app factory wires the same router and error handler)."""

import datetime as dt

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from api.routers.appeals import router
from assistant.errors import HuiqiError
from assistant.triage import Triager


def _app(triager: Triager | None) -> FastAPI:
    app = FastAPI()
    app.include_router(router)

    @app.exception_handler(HuiqiError)
    async def _huiqi_error(request: Request, exc: HuiqiError) -> JSONResponse:
        return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, status_code=exc.status)

    if triager is not None:
        app.state.triager = triager
    return app


@pytest.fixture(scope="module")
def client():
    triager = Triager(batch_limit=3, today=lambda: dt.date(2025, 3, 7))
    triager.warm_up()
    return TestClient(_app(triager))


def test_triage_one(client):
    r = client.post("/v1/appeals/triage", json={"text": "出口退税三个月还没到账，电话13912345678", "id": "T1"})
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == "T1" and body["departments"][0]["id"] == "taxation"
    assert len(body["departments"]) == 3 and body["departments"][0]["reason"]
    assert "13912345678" not in body["masked_text"]
    assert body["type"] in {"咨询", "投诉", "求助", "建议", "举报"} and body["tier"] in {"简易", "一般", "复杂"}
    assert body["received"] == "2025-03-07" and body["due"] >= "2025-03-07"


def test_triage_batch(client):
    r = client.post("/v1/appeals/triage:batch", json={"appeals": [
        {"text": "油烟扰民"}, {"text": "医保异地就医备案", "received": "2025-03-08"}]})
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x["departments"][0]["id"] for x in results] == ["urban_management", "healthcare_security"]
    assert results[1]["received"] == "2025-03-08"


def test_batch_over_the_limit_is_413(client):
    r = client.post("/v1/appeals/triage:batch", json={"appeals": [{"text": "停电"}] * 4})
    assert r.status_code == 413
    assert r.json() == {"error": {"code": "batch_too_large", "message": "4 appeals in one batch; the limit is 3"}}


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("/v1/appeals/triage", {"text": ""}),
        ("/v1/appeals/triage", {}),
        ("/v1/appeals/triage", {"text": "x" * 5001}),
        ("/v1/appeals/triage", {"text": "停电", "received": "昨天"}),
        ("/v1/appeals/triage:batch", {"appeals": []}),
    ],
)
def test_invalid_requests_are_422(client, path, payload):
    r = client.post(path, json=payload)
    assert r.status_code == 422


def test_whitespace_only_text_is_an_invalid_input(client):
    r = client.post("/v1/appeals/triage", json={"text": "   "})
    assert r.status_code == 422
    assert r.json()["error"] == {"code": "invalid_input", "message": "appeal #1 has no text"}


def test_no_triager_configured_is_503():
    r = TestClient(_app(None)).post("/v1/appeals/triage", json={"text": "停电"})
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "triage_unavailable"
