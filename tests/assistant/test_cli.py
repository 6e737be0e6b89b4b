import json

from typer.testing import CliRunner

from assistant.cli import app
from tests.lawfiles import write_law

runner = CliRunner()


def test_ingest_then_search_json(tmp_path, monkeypatch, cache_dir):
    monkeypatch.setenv("HUIQI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HUIQI_CACHE_DIR", str(cache_dir))
    src = tmp_path / "src"
    write_law(src, "示例年休假条例", "2007-12-14", ["第一条 职工连续工作1年以上的，享受带薪年休假。",
                                            "第二条 职工累计工作已满10年不满20年的，年休假10天。"])
    r = runner.invoke(app, ["ingest", str(src), "--quiet"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["search", "累计工作满10年，年休假几天", "--k", "1", "--json"])
    assert r.exit_code == 0, r.output
    hits = json.loads(r.stdout)["hits"]
    assert hits[0]["article"] == "第二条" and hits[0]["source"] == "示例年休假条例(2007-12-14).md"


def test_ingest_exit_status_says_a_file_failed(tmp_path, monkeypatch, cache_dir):
    monkeypatch.setenv("HUIQI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HUIQI_CACHE_DIR", str(cache_dir))
    src = tmp_path / "src"
    src.mkdir()
    (src / "junk.pdf").write_bytes(b"not a pdf at all")
    r = runner.invoke(app, ["ingest", str(src)])
    assert r.exit_code == 1
    assert "junk.pdf" in r.output and "Traceback" not in r.output


def test_search_with_empty_query_is_a_clear_error(tmp_path, monkeypatch, cache_dir):
    monkeypatch.setenv("HUIQI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HUIQI_CACHE_DIR", str(cache_dir))
    r = runner.invoke(app, ["search", "  "])
    assert r.exit_code == 2 and "query is empty" in r.output


def test_ask_streams_the_answer_its_sources_and_a_session_to_follow_up(tmp_path, monkeypatch, cache_dir):
    monkeypatch.setenv("HUIQI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HUIQI_CACHE_DIR", str(cache_dir))
    src = tmp_path / "src"
    write_law(src, "示例年休假条例", "2007-12-14", ["第一条 职工连续工作1年以上的，享受带薪年休假。",
                                            "第二条 职工累计工作已满10年不满20年的，年休假10天。",
                                            "第三条 职工在年休假期间享受与正常工作期间相同的工资收入。",
                                            "第四条 用人单位应当依法为职工办理社会保险登记。",
                                            "第五条 本条例自公布之日起施行。"])
    assert runner.invoke(app, ["ingest", str(src), "--quiet"]).exit_code == 0
    r = runner.invoke(app, ["ask", "职工累计工作满12年，年休假有几天？"])
    assert r.exit_code == 0, r.output
    assert "年休假10天" in r.stdout and "出处" in r.stdout and "《示例年休假条例》" in r.stdout
    session = r.output.split("--session ")[-1].strip(" )\n")
    r = runner.invoke(app, ["ask", "那休假期间工资怎么发？", "--session", session, "--json"])
    assert r.exit_code == 0, r.output
    follow = json.loads(r.stdout)
    assert follow["session_id"] == session and follow["query"].startswith("那休假期间工资怎么发？")
    assert "年休假" in follow["query"] and "第三条" in [c["article"] for c in follow["citations"]]
    r = runner.invoke(app, ["ask", "年假", "--session", "no-such-session"])
    assert r.exit_code == 2 and "no-such-session" in r.output
