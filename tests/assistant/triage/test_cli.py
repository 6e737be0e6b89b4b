import json

from typer.testing import CliRunner

from assistant.triage.cli import app

runner = CliRunner()


def test_classify_is_the_default_command():
    r = runner.invoke(app, ["欠薪三个月了，老板不给钱", "--fast"])
    assert r.exit_code == 0, r.output
    assert "人力资源和社会保障局" in r.output and "办结期限" in r.output


def test_file_in_file_out_jsonl_and_csv(tmp_path):
    jsonl = tmp_path / "appeals.jsonl"
    jsonl.write_text('{"id": "a1", "text": "出口退税慢", "received": "2025-03-07"}\n{"text": "油烟扰民"}\n',
                     encoding="utf-8")
    out = tmp_path / "out" / "r.jsonl"
    r = runner.invoke(app, ["--in", str(jsonl), "--out", str(out), "--fast"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows] == ["a1", "2"]
    assert rows[0]["departments"][0]["id"] == "taxation" and rows[0]["received"] == "2025-03-07"
    csv = tmp_path / "appeals.csv"
    csv.write_text("编号,诉求内容\nc1,超市卖过期食品\n", encoding="utf-8")
    r = runner.invoke(app, ["classify", "--in", str(csv), "--fast", "-q"])
    assert r.exit_code == 0 and json.loads(r.output)["departments"][0]["id"] == "market_regulation"


def test_train_then_classify_with_the_model(tmp_path):
    history = tmp_path / "h.jsonl"
    rows = [{"text": t, "department": "development_reform", "type": "投诉"}
            for t in ("充电桩建设补贴", "充电桩太少", "充电桩备案", "物业不让装充电桩", "充电桩收费高")]
    history.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in rows), encoding="utf-8")
    model = tmp_path / "m.pkl"
    r = runner.invoke(app, ["train", str(history), "--model", str(model)])
    assert r.exit_code == 0 and "trained on 5 appeals" in r.output
    r = runner.invoke(app, ["充电桩装不上", "--fast", "--model", str(model)])
    assert r.exit_code == 0 and r.output.startswith("1. 发展和改革局")


def test_report_command(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text("\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in ("停电不通知", "又停电了不通知", "拖欠工资")),
                   encoding="utf-8")
    for name in ("r.md", "r.html"):
        r = runner.invoke(app, ["report", "--in", str(src), "--out", str(tmp_path / name), "--fast", "-q"])
        assert r.exit_code == 0, r.output
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# 涉企诉求共性问题报告")
    assert "<svg" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_errors_exit_2_with_a_message(tmp_path):
    r = runner.invoke(app, ["--in", str(tmp_path / "none.jsonl"), "--fast"])
    assert r.exit_code == 2 and "invalid_input" in r.output and "cannot read" in r.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', encoding="utf-8")
    r = runner.invoke(app, ["--in", str(bad), "--fast"])
    assert r.exit_code == 2 and "has no text field" in r.output
    r = runner.invoke(app, ["classify", "--fast"])
    assert r.exit_code == 2 and "give either an appeal text or --in FILE" in r.output
    r = runner.invoke(app, ["x", "--fast", "--sla", "1,2"])
    assert r.exit_code == 2 and "three whole numbers" in r.output
    r = runner.invoke(app, ["train", str(bad), "--model", str(tmp_path / "m.pkl")])
    assert r.exit_code == 2 and "needs text and department" in r.output
