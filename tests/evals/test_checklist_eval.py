from __future__ import annotations

import json

from evals.checklist import load_set, run, score
from tests.assistant.checklist.helpers import CHECKLIST_DEV, GUANGDONG


def _item(gold, materials, also_ok=()):
    return {
        "id": "t",
        "request": "r",
        "matters": [{"task_code": g, "matter_name": n, "department": "d"} for g, n in gold],
        "materials": materials,
        "also_ok": list(also_ok),
    }


def test_score_counts_also_ok_and_compares_materials_by_normalised_name():
    items = [
        _item([("A", "甲"), ("B", "乙")], ["申请书", "《章程》"], also_ok=["A2"]),
        _item([("C", "丙")], ["身份证"]),
    ]
    preds = [
        {"id": "t", "matters": [{"id": "A2", "name": "甲"}, {"id": "X", "name": "戊"}], "materials": ["章程", "多余"]},
        {"id": "t", "matters": [{"id": "C", "name": "丙"}], "materials": ["身份证"]},
    ]
    m = score(items, preds, names={"A2": "甲", "X": "戊"})
    assert m["matter_precision"] == round(2 / 3, 4)  # A2 (also_ok) and C are right, X is not
    assert m["matter_recall"] == round(2 / 3, 4)  # A found through its twin, C found, B missed
    assert m["material_precision"] == round(2 / 3, 4) and m["material_recall"] == round(2 / 3, 4)


def test_run_writes_metrics_and_one_prediction_line_per_item(tmp_path):
    items = load_set(CHECKLIST_DEV)[:3]
    gold = {m["task_code"] for it in items for m in it["matters"]} | {a for it in items for a in it.get("also_ok", [])}
    lines = GUANGDONG.read_text(encoding="utf-8").splitlines()
    # the items' own guides plus 40 others keep the run small
    subset = [ln for ln in lines if json.loads(ln)["TASK_CODE"] in gold] + lines[:40]
    (tmp_path / "guides.jsonl").write_text("\n".join(subset) + "\n", encoding="utf-8")
    (tmp_path / "set.jsonl").write_text("".join(json.dumps(it, ensure_ascii=False) + "\n" for it in items))
    out = tmp_path / "out"
    metrics = run(tmp_path / "set.jsonl", out, tmp_path / "guides.jsonl", tmp_path / "cache")
    preds = [json.loads(x) for x in (out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in preds] == [it["id"] for it in items]
    assert all(set(p) == {"id", "matters", "materials"} for p in preds)
    assert all(m.keys() == {"id", "name"} for p in preds for m in p["matters"])
    saved = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert saved == metrics
    for run_name in ("system", "bm25_top1", "bm25_top3"):
        assert 0 <= saved[run_name]["matter_recall"] <= 1 and 0 <= saved[run_name]["material_precision"] <= 1
    assert (out / "predictions_bm25_top3.jsonl").is_file()
