from __future__ import annotations

import json

from typer.testing import CliRunner

from assistant.checklist.cli import app

runner = CliRunner()


def test_json_markdown_and_html_output(guide_slice, tmp_path, monkeypatch):
    monkeypatch.setenv("HUIQI_CACHE_DIR", str(tmp_path / "cache"))
    r = runner.invoke(app, ["想请税务机关鉴定一张发票的真伪，要带什么？", "--json", "--guides", str(guide_slice)])
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    assert body["matters"][0]["name"] == "发票真伪鉴定" and body["materials"]

    page = tmp_path / "checklist.html"
    r = runner.invoke(app, ["发票真伪鉴定要带什么", "--markdown", "--html", str(page), "--guides", str(guide_slice)])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("# 办事清单") and "- [ ] " in r.stdout
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_missing_guides_exit_with_the_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HUIQI_CACHE_DIR", str(tmp_path / "cache"))
    r = runner.invoke(app, ["开个厂", "--guides", str(tmp_path / "nowhere")])
    assert r.exit_code == 2
    assert "no_service_guides" in r.output and "nowhere" in r.output
