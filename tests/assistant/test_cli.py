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
    r = runner.invoke(app, ["search", "工作满十年休几天", "--k", "1", "--json"])
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
