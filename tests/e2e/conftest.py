"""End-to-end fixtures: the real app served by uvicorn on loopback over a small real index, and Debian's Chromium
driven by Playwright (its driver from PyPI, never its own browser download)."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from pydantic import SecretStr

from tests.conftest import LAWS, REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: Flags for a closed network: without the background-networking ones Chromium keeps dialling Google's hosts.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
SHOTS = REPO / "out" / "e2e"
ADMIN_KEY = "e2e-admin-key"

# Two cores shared with other work: an embedding or an answer may take seconds, not milliseconds.
expect.set_options(timeout=30_000)

LEAVE = "行政法规/职工带薪年休假条例(2007-12-14).md"
MERGER = ("行政法规/国务院关于经营者集中申报标准的规定(2018-09-18).md",
          "行政法规/国务院关于经营者集中申报标准的规定(2024-01-22).md")

#: A document whose text carries markup and script: every view must show it as text, and run none of it.
HOSTILE_LAW = """---
title: 示例县创业孵化补贴办法<img src=x onerror="window.__pwned='title'">
doc_type: law
version_date: "2025-03-01"
region: 浙江省示例县
---
# 示例县创业孵化补贴办法

第一条 入驻孵化基地的初创企业可以申请创业孵化补贴<script>window.__pwned='script'</script>，每户每年最高补贴3万元。<img src=x onerror="window.__pwned='img'">

第二条 申请创业孵化补贴应当提交营业执照和孵化协议<a href="javascript:window.__pwned='link'">点此申请</a>。

第三条 本办法自2025年3月1日起施行。
"""


class ServedApp:
    """uvicorn serving the app in a thread, on a loopback port the OS picked."""

    def __init__(self, app):
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self, timeout: float = 600) -> ServedApp:
        self.thread.start()
        deadline = time.monotonic() + timeout  # the lifespan warms up the index, checklists and triage first
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the app did not start (see the log above)")
            time.sleep(0.1)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()


class HostSite:
    """A made-up site on its own loopback port: another origin than the app, as a government site would be.

    (A page Playwright made up at a public-looking name could not load the widget from loopback at all:
    Chromium refuses public-to-loopback requests, its Private Network Access rule.)
    """

    def __init__(self):
        pages = self.pages = {}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = pages.get(self.path.split("?")[0])
                if body is None:
                    self.send_error(404)
                    return
                data = body.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # quiet: the tests say what failed
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, path: str, html: str) -> str:
        self.pages[path] = html
        return self.origin + path

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def county_site():
    """A host site on the app's origin allowlist."""
    site = HostSite()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def foreign_site():
    """A host site that is not on the allowlist."""
    site = HostSite()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def e2e_settings(tmp_path_factory, cache_dir, county_site):
    from assistant.settings import Settings

    tmp = tmp_path_factory.mktemp("e2e")
    return Settings(
        data_dir=tmp / "data", cache_dir=cache_dir, corpus_dir=REPO / "corpus",
        checklist_guides=[REPO / "corpus" / "guides"], allowed_origins=county_site.origin,
        api_keys=SecretStr(ADMIN_KEY), rate_limit=0, log_format="text", log_level="WARNING", _env_file=None,
    )


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "chuangye-fuhua.md").write_text(HOSTILE_LAW, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def server(e2e_settings, embedder, hostile_dir):
    """The real app over a small real index: two laws (one in two versions) and the hostile document."""
    from api.app import create_app
    from assistant.components import Components

    components = Components(e2e_settings, embedder=embedder)
    ingester = components.ingester()
    ingester.run([LAWS / LEAVE, *(LAWS / m for m in MERGER)], root=LAWS)
    ingester.run([hostile_dir], root=hostile_dir)
    served = ServedApp(create_app(components=components)).start()
    yield served
    served.stop()


@pytest.fixture(scope="session")
def browser():
    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()
    pw.stop()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    ctx.set_default_timeout(60_000)  # an answer on two shared cores can take a while
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    assert errors == [], f"uncaught errors in the page: {errors}"


def host_page(widget_src: str, attributes: str = "") -> str:
    """A host site of another origin, with careless CSS, embedding the widget by one script tag."""
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>某县政务网</title>
<style>* {{ font-size: 22px !important; }} button {{ background: lime !important; }}
.banner {{ position: fixed; inset: 0 0 auto 0; height: 90px; background: #eee; z-index: 500; }}</style></head>
<body><div class="banner">某县人民政府门户网站</div><p style="margin-top:120px">正文</p>
<script src="{widget_src}" {attributes}></script></body></html>"""


class Shots:
    """Numbered screenshots of one test's steps, kept under out/e2e/ as test artefacts."""

    def __init__(self, name: str):
        self.name = re.sub(r"[^\w-]+", "_", name)[:80]
        self.n = 0
        SHOTS.mkdir(parents=True, exist_ok=True)

    def __call__(self, page, step: str) -> Path:
        self.n += 1
        path = SHOTS / f"{self.name}-{self.n:02d}-{step}.png"
        page.screenshot(path=str(path))
        return path


@pytest.fixture
def shot(request) -> Shots:
    return Shots(request.node.name)
