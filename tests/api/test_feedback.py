"""POST /v1/feedback stores ratings in SQLite; GET /v1/admin/feedback exports them behind the admin key."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from assistant.components import Components
from assistant.errors import InvalidInput
from assistant.feedback import Feedback, FeedbackStore

KEY = "feedback-admin-key"


@pytest.fixture
def client(settings):
    settings = settings.model_copy(update={"api_keys": SecretStr(KEY)})
    # No `with`: no lifespan, so no embedder or index is loaded; feedback needs neither.
    return TestClient(create_app(components=Components(settings)))


def _export(client, **params):
    r = client.get("/v1/admin/feedback", params=params, headers={"X-API-Key": KEY})
    assert r.status_code == 200, r.text
    return r.json()


def test_feedback_is_stored_and_exported(client, settings):
    r = client.post("/v1/feedback", json={"rating": "down", "session_id": "s1", "question": "年假几天？",
                                          "answer": "5天。", "comment": "  没说清楚法定节假日  "},
                    headers={"Origin": "http://testserver"})
    assert r.status_code == 201
    receipt = r.json()
    assert receipt["rating"] == "down" and receipt["id"] >= 1 and receipt["created_at"]
    client.post("/v1/feedback", json={"rating": "up"})
    body = _export(client)
    assert body["counts"] == {"up": 1, "down": 1, "total": 2}
    newest, older = body["items"]
    assert newest["rating"] == "up" and newest["comment"] is None and newest["question"] is None
    assert older == {**older, "id": receipt["id"], "session_id": "s1", "question": "年假几天？", "answer": "5天。",
                     "comment": "没说清楚法定节假日", "origin": "http://testserver"}
    # The rows are in SQLite under data_dir: a new store on the same file sees them.
    stored = FeedbackStore(settings.data_dir / "feedback.sqlite3").list()
    assert [f.rating for f in stored] == ["up", "down"]


def test_export_filters_and_pages(client):
    for rating in ("up", "down", "up"):
        client.post("/v1/feedback", json={"rating": rating})
    assert [i["rating"] for i in _export(client, rating="up")["items"]] == ["up", "up"]
    assert len(_export(client, limit=1)["items"]) == 1
    assert len(_export(client, limit=2, offset=2)["items"]) == 1
    assert _export(client, since="2999-01-01T00:00:00Z")["items"] == []


@pytest.mark.parametrize(
    "body, fragment",
    [({}, "rating"), ({"rating": "meh"}, "rating"), ({"rating": "up", "comment": "长" * 2001}, "comment"),
     ({"rating": "up", "session_id": "s" * 101}, "session_id"), ({"rating": None}, "rating")],
)
def test_bad_feedback_is_422(client, body, fragment):
    r = client.post("/v1/feedback", json=body)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "invalid_request" and fragment in err["message"]


def test_export_needs_the_admin_key(client):
    missing = client.get("/v1/admin/feedback")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "unauthorized"
    wrong = client.get("/v1/admin/feedback", headers={"X-API-Key": "nope"})
    assert wrong.status_code == 401 and wrong.json()["error"]["message"] == "invalid API key"


def test_export_is_403_when_the_admin_api_is_off(settings):
    client = TestClient(create_app(components=Components(settings)))
    r = client.get("/v1/admin/feedback")
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"


def test_store_validates_without_the_api(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    with pytest.raises(InvalidInput, match="rating must be one of up, down"):
        store.add(Feedback(rating="sideways"))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="comment is 2001 characters"):
        store.add(Feedback(rating="up", comment="x" * 2001))
    assert store.add(Feedback(rating="up", comment="   ")).comment is None
    assert store.counts() == {"up": 1, "down": 0, "total": 1}
