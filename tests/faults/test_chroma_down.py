"""A real `chroma run` server stopped under the API: clear 503s, nothing lost, service back when it returns."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.hardening import KEY, components_with, write_small_corpus
from tests.assistant.store.test_chroma_server import server  # noqa: F401 (a fixture: a running `chroma run`)

pytestmark = pytest.mark.server

QUESTION = {"q": "累计工作满10年年休假几天", "k": 1}
DOC = "# 示例停机测试办法\n\n2023年3月1日 示例机关公布\n\n<!-- INFO END -->\n\n第一条 停机期间提交的文件不应入库。\n"


def _assert_store_unavailable(r, url: str) -> None:
    assert r.status_code == 503, r.text
    err = r.json()["error"]
    assert err["code"] == "store_unavailable"
    assert "Chroma" in err["message"] and url in err["message"], err["message"]


def test_chroma_server_down_gives_clear_503s_and_the_api_recovers(settings, embedder, tmp_path, server):
    chroma = server
    comps = components_with(settings, embedder, chroma_url=chroma.url, api_keys=KEY, rate_limit=0)
    comps.ingester().run([write_small_corpus(tmp_path / "src")])
    admin = {"X-API-Key": KEY}
    with TestClient(create_app(components=comps), raise_server_exceptions=False) as c:
        assert c.get("/v1/search", params=QUESTION).json()["hits"][0]["article"] == "第二条"
        assert c.get("/readyz").status_code == 200

        chroma.stop()
        _assert_store_unavailable(c.get("/v1/search", params=QUESTION), chroma.url)
        _assert_store_unavailable(c.get("/readyz"), chroma.url)
        assert c.get("/healthz").status_code == 200  # the process itself is alive: no restart loop
        upload = c.post("/v1/admin/ingest", headers=admin,
                        files={"file": ("示例停机测试办法(2023-03-01).md", DOC.encode(), "text/markdown")})
        _assert_store_unavailable(upload, chroma.url)
        _assert_store_unavailable(c.post("/v1/chat", json={"question": "年休假有几天"}), chroma.url)

        chroma.start()  # same port, same data
        hit = c.get("/v1/search", params=QUESTION).json()["hits"][0]
        assert (hit["title"], hit["article"]) == ("示例年休假条例", "第二条")
        assert c.get("/readyz").json()["status"] == "ready"
        sources = {d["source"] for d in c.get("/v1/admin/documents", headers=admin).json()}
        assert sources == {"示例年休假条例(2007-12-14).md", "示例小微企业扶持办法(2021-03-01).md"}
        assert sorted(comps.index.vectors.ids()) == sorted(c.id for c in comps.index.snapshot().chunks)
