import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import LAWS

DOC = "行政法规/职工带薪年休假条例(2007-12-14).md"


@pytest.fixture
def client(components):
    components.ingester().run([LAWS / DOC], root=LAWS)
    with TestClient(create_app(components=components)) as c:
        yield c


def test_search_returns_cited_hits(client):
    r = client.get("/v1/search", params={"q": "工作满10年年休假几天", "k": 3})
    assert r.status_code == 200
    body = r.json()
    assert (DOC, "第三条") in [(h["source"], h["article"]) for h in body["hits"]]
    assert {"title", "version_date", "status", "score", "text"} <= set(body["hits"][0])
    assert "embed_ms" in body["timings_ms"]


@pytest.mark.parametrize(
    "params, fragment",
    [({}, "q"), ({"q": ""}, "q"), ({"q": "年假", "k": 0}, "k"), ({"q": "年假", "k": 1000}, "k"),
     ({"q": "年假", "type": "nonsense"}, "type")],
)
def test_bad_search_params_are_422_with_error_body(client, params, fragment):
    r = client.get("/v1/search", params=params)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "invalid_request" and fragment in err["message"]


def test_health_ready_and_unknown_route(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["chunks"] > 0
    r = client.get("/nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_readyz_is_503_on_an_empty_corpus(components):
    with TestClient(create_app(components=components)) as c:
        r = c.get("/readyz")
    assert r.status_code == 503 and "ingest" in r.json()["error"]["message"]


def test_the_running_server_sets_the_gil_switch_interval(settings, embedder):
    """A request computing in the threadpool hands the GIL back to the event loop after switch_interval_ms."""
    import sys

    from assistant.components import Components

    before = sys.getswitchinterval()
    try:
        tuned = Components(settings.model_copy(update={"switch_interval_ms": 0.5}), embedder=embedder)
        with TestClient(create_app(components=tuned)):
            assert sys.getswitchinterval() == pytest.approx(0.0005)
    finally:
        sys.setswitchinterval(before)
