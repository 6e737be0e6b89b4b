"""GET /v1/articles: a cited article's text, its neighbours and its document's versions, over a real small index."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.components import Components
from assistant.settings import Settings
from tests.conftest import LAWS, REPO

LEAVE = "行政法规/职工带薪年休假条例(2007-12-14).md"
MERGER_OLD = "行政法规/国务院关于经营者集中申报标准的规定(2018-09-18).md"
MERGER_NEW = "行政法规/国务院关于经营者集中申报标准的规定(2024-01-22).md"

#: A law whose 第二条 is longer than a chunk: the chunker splits it at 款 boundaries into parts.
LONG_LAW = """---
title: 示例县长条文测试办法
doc_type: law
version_date: "2025-01-01"
region: 浙江省示例县
---
# 示例县长条文测试办法

第一条 为了测试长条文的拼接，制定本办法。

第二条 {paragraphs}

第三条 本办法自公布之日起施行。
"""


@pytest.fixture(scope="module")
def client(embedder, cache_dir, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("articles")
    settings = Settings(data_dir=tmp_path / "data", cache_dir=cache_dir, corpus_dir=REPO / "corpus", _env_file=None)
    components = Components(settings, embedder=embedder)
    long_dir = tmp_path / "long"
    long_dir.mkdir()
    paragraphs = "\n\n".join(f"第{i}款的内容：企业申请扶持资金应当如实提交材料，" + "并按规定接受审核。" * 12 for i in range(1, 9))
    (long_dir / "long-law.md").write_text(LONG_LAW.format(paragraphs=paragraphs), encoding="utf-8")
    ingester = components.ingester()
    ingester.run([LAWS / LEAVE, LAWS / MERGER_OLD, LAWS / MERGER_NEW], root=LAWS)
    ingester.run([long_dir], root=long_dir)
    # No `with`: the lifespan's warm-up of checklists and triage is not needed for these routes.
    return TestClient(create_app(components=components))


def _chunk_id(client, source: str, article: str) -> str:
    r = client.get("/v1/articles", params={"source": source, "article": article})
    assert r.status_code == 200, r.text
    return r.json()["chunk_id"]


def test_article_by_id_has_text_neighbours_and_single_version(client):
    cid = _chunk_id(client, LEAVE, "第三条")
    body = client.get(f"/v1/articles/{cid}").json()
    assert body["source"] == LEAVE and body["article"] == "第三条"
    assert "10年" in body["text"] and body["status"] == "in_force" and body["version_date"] == "2007-12-14"
    assert [a["article"] for a in body["previous"]] == ["第一条", "第二条"]
    assert [a["article"] for a in body["next"]] == ["第四条", "第五条"]
    assert all(a["chunk_id"] and a["text"] for a in body["previous"] + body["next"])
    assert body["versions"] == [{"source": LEAVE, "title": body["title"], "version_date": "2007-12-14",
                                 "status": "in_force", "chunk_id": cid, "current": True}]


def test_first_article_has_no_previous(client):
    body = client.get(f"/v1/articles/{_chunk_id(client, LEAVE, '第一条')}").json()
    assert body["previous"] == [] and body["next"][0]["article"] == "第二条"


def test_version_history_links_the_same_article_in_every_version(client):
    new = client.get(f"/v1/articles/{_chunk_id(client, MERGER_NEW, '第三条')}").json()
    assert new["status"] == "in_force"
    assert [(v["version_date"], v["status"], v["current"]) for v in new["versions"]] == [
        ("2024-01-22", "in_force", True), ("2018-09-18", "superseded", False)]
    old_id = new["versions"][1]["chunk_id"]
    old = client.get(f"/v1/articles/{old_id}").json()
    assert old["source"] == MERGER_OLD and old["article"] == "第三条" and old["status"] == "superseded"
    assert "100亿元" in old["text"] and new["text"] != old["text"]
    assert [v["current"] for v in old["versions"]] == [False, True]


@pytest.mark.parametrize("label", ["第三条", "第3条", "3", "第 三 条"])
def test_article_by_label_accepts_every_spelling(client, label):
    r = client.get("/v1/articles", params={"source": LEAVE, "article": label})
    assert r.status_code == 200 and r.json()["article"] == "第三条"


def test_an_article_split_into_parts_is_shown_whole(client):
    body = client.get("/v1/articles", params={"source": "long-law.md", "article": "第二条"}).json()
    assert "第1款" in body["text"] and "第8款" in body["text"]
    assert [a["article"] for a in body["next"]] == ["第三条"]
    assert [a["article"] for a in body["previous"]] == ["第一条"]


@pytest.mark.parametrize(
    "path, params, status, code, fragment",
    [
        ("/v1/articles/0123456789abcdef01234567", None, 404, "not_found", "no article with chunk id"),
        ("/v1/articles/bad%20id%3Cscript%3E", None, 422, "invalid_request", "chunk_id"),
        ("/v1/articles", {"source": "nope.md", "article": "第一条"}, 404, "not_found", "no document with source"),
        ("/v1/articles", {"source": LEAVE, "article": "第九十九条"}, 404, "not_found", "has no article"),
        ("/v1/articles", {"source": LEAVE, "article": "第abc条"}, 404, "not_found", "has no article"),
        ("/v1/articles", {"source": LEAVE}, 422, "invalid_request", "article"),
        ("/v1/articles", {"article": "第一条"}, 422, "invalid_request", "source"),
    ],
)
def test_errors_are_clear_4xx(client, path, params, status, code, fragment):
    r = client.get(path, params=params)
    assert r.status_code == status
    err = r.json()["error"]
    assert err["code"] == code and fragment in err["message"]
