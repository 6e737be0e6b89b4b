"""/v1/policies over a real index of corpus/policies: list, match, candidates, and their errors."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.errors import install_error_handlers
from api.routers import policies
from assistant.components import Components
from tests.assistant.matching.corpus_index import PROFILES, demo_profiles, policy_components

AS_OF = {"as_of": "2025-03-01"}


def _app(components) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(policies.router)
    app.state.components = components
    return app


@pytest.fixture(scope="module")
def comps(tmp_path_factory, cache_dir, embedder):
    return policy_components(tmp_path_factory.mktemp("api-policies") / "data", cache_dir, embedder)


@pytest.fixture(scope="module")
def client(comps):
    return TestClient(_app(comps))


def test_list_policies_with_their_conditions(client):
    r = client.get("/v1/policies")
    assert r.status_code == 200
    body = {p["id"]: p for p in r.json()}
    assert len(body) >= 15
    kejixing = body["kejixing-zhongxiao-qiye"]
    assert kejixing["department"] == "示例县科学技术局" and kejixing["window"]["end"] == "2025-07-31"
    kinds = {c["kind"] for c in kejixing["conditions"]}
    assert {"region", "headcount", "certification", "exclusion", "text", "window"} <= kinds
    assert all(c["text"] and c["citation"]["source"] for c in kejixing["conditions"])


def test_match_a_profile(client):
    r = client.post("/v1/policies/match", params=AS_OF, json=demo_profiles()["SLX-E23"])
    assert r.status_code == 200
    decisions = r.json()
    first = decisions[0]
    assert first["outcome"] == "eligible" and first["policy_id"] == "jishu-gaizao-buzhu"  # 300万元, the largest
    zj = next(d for d in decisions if d["policy_id"] == "zhuanjing-texin-2025")
    assert zj["outcome"] == "eligible" and zj["deadline"] == "2025-06-30"
    assert any("小巨人" in c["text"] for c in zj["passed"] if c["kind"] == "certification")


def test_candidates_from_json_jsonl_and_csv(client):
    rows = list(demo_profiles().values())
    by_json = client.post("/v1/policies/shuzihua-gaizao/candidates", params=AS_OF, json=rows).json()
    jsonl = PROFILES.read_bytes()
    by_jsonl = client.post("/v1/policies/shuzihua-gaizao/candidates", params=AS_OF, content=jsonl,
                           headers={"content-type": "application/x-ndjson"}).json()
    assert by_json == by_jsonl
    assert by_json["total"] == len(rows) and sum(by_json["counts"].values()) == len(rows)
    remind = {x["profile_id"]: x for x in by_json["remind"]}
    assert remind["SLX-E01"]["outcome"] == "eligible" and "SLX-E04" not in remind  # a large enterprise
    assert remind["SLX-E32"]["outcome"] == "possibly_eligible" and "industry" in remind["SLX-E32"]["missing_facts"]
    csv = "id,name,region,industry,headcount,revenue\nC1,丙公司,浙江省示例县,C3484,50,3000\n"
    r = client.post("/v1/policies/shuzihua-gaizao/candidates", params=AS_OF, content=csv.encode("utf-8"),
                    headers={"content-type": "text/csv"})
    assert r.status_code == 200 and r.json()["remind"][0]["profile_id"] == "C1"


@pytest.mark.parametrize(
    ("path", "kwargs", "status", "code", "message"),
    [
        ("/v1/policies/nope/candidates", {"json": []}, 404, "not_found", "no policy 'nope'"),
        ("/v1/policies/gaoxin-qiye-jiangli/candidates", {"json": {"id": "A"}}, 422, "invalid_input",
         "profiles must be a JSON list"),
        ("/v1/policies/gaoxin-qiye-jiangli/candidates", {"content": b"", "headers": {"content-type": "text/csv"}},
         422, "invalid_input", "no profiles sent"),
        ("/v1/policies/gaoxin-qiye-jiangli/candidates", {"content": b"<x/>", "headers": {"content-type": "text/xml"}},
         422, "invalid_input", "unsupported content type 'text/xml'"),
        ("/v1/policies/gaoxin-qiye-jiangli/candidates",
         {"content": b"id,colour\nA,red\n", "headers": {"content-type": "text/csv"}}, 422, "invalid_input",
         "unknown CSV column(s): colour"),
        ("/v1/policies/match", {"json": {"headcount": "many"}}, 422, "invalid_request", "headcount"),
        ("/v1/policies/match", {"json": {"employees": 3}}, 422, "invalid_request", "employees"),
    ],
)
def test_bad_input_is_a_clear_4xx(client, path, kwargs, status, code, message):
    r = client.post(path, **kwargs)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code and message in r.json()["error"]["message"]


def test_candidates_from_an_uploaded_file(client):
    pytest.importorskip("python_multipart", reason="multipart uploads need python-multipart (in pyproject)")
    jsonl = PROFILES.read_bytes()
    by_body = client.post("/v1/policies/xina-gaoxiao-biyesheng/candidates", params=AS_OF, content=jsonl,
                          headers={"content-type": "application/x-ndjson"}).json()
    by_upload = client.post("/v1/policies/xina-gaoxiao-biyesheng/candidates", params=AS_OF,
                            files={"file": ("profiles.jsonl", jsonl, "application/octet-stream")})
    assert by_upload.status_code == 200 and by_upload.json() == by_body
    r = client.post("/v1/policies/xina-gaoxiao-biyesheng/candidates", files={"file": ("p.xlsx", b"x")})
    assert r.status_code == 422 and "must be .csv, .jsonl or .json" in r.json()["error"]["message"]


def test_bodies_are_bounded(comps, embedder):
    small = Components(comps.settings.model_copy(update={"max_body_bytes": 2048}), embedder=comps.embedder)
    client = TestClient(_app(small))
    body = json.dumps([demo_profiles()["SLX-E01"]] * 20, ensure_ascii=False).encode("utf-8")
    r = client.post("/v1/policies/gaoxin-qiye-jiangli/candidates", content=body,
                    headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
