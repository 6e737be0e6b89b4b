"""The triage eval runs end to end on the dev set (keywords + BM25 mode, to stay fast) and writes its files."""

import json
from pathlib import Path

import pytest

from evals.triage import DEV_SET, main

pytestmark = pytest.mark.skipif(not DEV_SET.exists(), reason="needs ../shared/eval")


def test_eval_writes_metrics_and_predictions(tmp_path: Path, capsys):
    assert main(["--set", str(DEV_SET), "--out", str(tmp_path), "--no-embed", "--folds", "3"]) == 0
    metrics = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    items = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    predictions = [json.loads(line) for line in (tmp_path / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in predictions] == [i["id"] for i in items]
    assert all(len(p["departments"]) == 3 and p["type"] in {"咨询", "投诉", "求助", "建议", "举报"} for p in predictions)
    for key in ("zero_shot", "trained_cv3", "baseline_name_similarity", "baseline_tfidf_lr_cv"):
        assert {"top1", "top1_also_ok", "top3", "macro_f1", "confused"} <= set(metrics[key])
    # Quality floor of the catalogue-only router: well above both baselines (the reference: 0.50, 0.53).
    assert metrics["zero_shot"]["top1"] >= 0.85
    assert metrics["zero_shot"]["top1"] > metrics["baseline_tfidf_lr_cv"]["top1"] + 0.2
    assert metrics["trained_cv3"]["top3"] >= metrics["trained_cv3"]["top1"]
    assert "zero_shot" in capsys.readouterr().out


def test_benchmark_reports_the_deployed_path_beside_its_baseline(tmp_path: Path, capsys):
    assert main(["--set", str(DEV_SET), "--out", str(tmp_path), "--bench", "24", "--batch", "8", "--no-embed"]) == 0
    result = json.loads((tmp_path / "throughput.json").read_text(encoding="utf-8"))
    assert result["appeals"] == 24 and result["batch"] == 8 and result["embedder"] is None
    assert result["appeals_per_s"]["batch_lexical_only"] > 0
    assert len(result["load_before"]) == 3
    assert json.loads(capsys.readouterr().out) == result
