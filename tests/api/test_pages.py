"""/widget.js, /console and /demo: the shipped front end with its content types, cache headers and CSP."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.components import Components


@pytest.fixture
def client(settings):
    return TestClient(create_app(components=Components(settings)))


@pytest.mark.parametrize(
    "path, media_type, cache",
    [("/widget.js", "text/javascript", "public, max-age=300"),
     ("/static/console.js", "text/javascript", "public, max-age=300"),
     ("/static/console.css", "text/css", "public, max-age=300"),
     ("/console", "text/html", "no-cache"),
     ("/demo", "text/html", "no-cache")],
)
def test_pages_and_assets_have_type_cache_and_etag(client, path, media_type, cache):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert r.headers["cache-control"] == cache and r.headers["x-content-type-options"] == "nosniff"
    again = client.get(path, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == r.headers["etag"]


def test_pages_load_only_our_own_scripts(client):
    for path in ("/console", "/demo"):
        csp = client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "object-src 'none'" in csp
    demo = client.get("/demo").text
    assert '<script src="/widget.js"' in demo and "<script>" not in demo
    assert 'src="/static/console.js"' in client.get("/console").text


def test_widget_may_be_embedded_cross_origin(client):
    r = client.get("/widget.js")
    assert r.headers["cross-origin-resource-policy"] == "cross-origin"
    assert "attachShadow" in r.text


@pytest.mark.parametrize("path", ["/widget.js", "/static/console.js"])
def test_scripts_never_parse_strings_as_html(client, path):
    html_sinks = r"\.(inner|outer)HTML\b|insertAdjacentHTML|document\.write|eval\(|new Function"
    assert not re.search(html_sinks, client.get(path).text)


@pytest.mark.parametrize(
    "path", ["/static/demo.html", "/static/nope.js", "/static/..%2Fpages.py", "/static/widget.js.map"])
def test_unknown_static_files_are_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
