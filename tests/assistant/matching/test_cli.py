"""`huiqi match` on the real policy index, run with typer's CliRunner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.assistant.matching.corpus_index import PROFILES, demo_profiles

runner = CliRunner()


@pytest.fixture
def env(policy_comps, monkeypatch):
    s = policy_comps.settings
    monkeypatch.setenv("HUIQI_DATA_DIR", str(s.data_dir))
    monkeypatch.setenv("HUIQI_CACHE_DIR", str(s.cache_dir))


def test_match_one_profile_as_json(env, tmp_path):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(demo_profiles()["SLX-E02"], ensure_ascii=False), encoding="utf-8")
    r = runner.invoke(app, ["match", str(path), "--json", "--as-of", "2025-03-01"])
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    kejixing = next(d for d in body if d["policy_id"] == "kejixing-zhongxiao-qiye")
    assert kejixing["outcome"] == "eligible" and kejixing["department"] == "示例县科学技术局"
    assert body[0]["outcome"] == "eligible"


def test_match_one_profile_as_text(env, tmp_path):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(demo_profiles()["SLX-E13"], ensure_ascii=False), encoding="utf-8")
    r = runner.invoke(app, ["match", str(path), "--as-of", "2025-03-01"])
    assert r.exit_code == 0, r.output
    assert "示例县高新技术企业培育和认定奖励实施细则" in r.stdout and "不低于4%" in r.stdout


def test_reverse_matching_writes_the_reminders(env, tmp_path):
    out = tmp_path / "out" / "remind.json"
    r = runner.invoke(app, ["match", "--policy", "gaoxin-qiye-jiangli", "--in", str(PROFILES), "--out", str(out),
                            "--as-of", "2025-03-01"])
    assert r.exit_code == 0, r.output
    body = json.loads(out.read_text(encoding="utf-8"))
    assert body["total"] == len(demo_profiles()) and body["deadline"] == "2025-04-30"
    ids = [x["profile_id"] for x in body["remind"]]
    assert ids[0] != "SLX-E13" and "SLX-E13" not in ids and "SLX-E01" in ids
    assert body["remind"][0]["outcome"] == "eligible" and body["remind"][0]["basis"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["match", "--policy", "nope", "--in", str(PROFILES)], "no policy 'nope'"),
        (["match", "--policy", "gaoxin-qiye-jiangli"], "--policy needs --in"),
        (["match", "missing.json"], "missing.json: no such file"),
        (["match", "--as-of", "2025-13-01", "x.json"], "is not YYYY-MM-DD"),
    ],
)
def test_errors_exit_2_with_a_message(env, args, message):
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and message in r.output
