"""Policy-matching eval: `python -m evals match` (also `python -m evals.match`).

Every labelled (policy, profile) pair of evals/data/match_labels.jsonl is matched against the real index
of corpus/policies. Reports pair accuracy, precision and recall of "eligible", and explanation
correctness: for pairs labelled not eligible and predicted so, the failing condition kinds named equal
the labelled ones. Writes DIR/metrics.json and DIR/predictions.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import Counter
from pathlib import Path

from assistant.matching.profile import profile_from_dict
from assistant.matching.service import MatchingService
from evals.data import REPO, eval_components, read_jsonl, write_jsonl

DATA = Path(__file__).resolve().parent / "data"
PROFILES = DATA / "profiles.jsonl"
LABELS = DATA / "match_labels.jsonl"
POLICIES = REPO / "corpus" / "policies"
#: The labels were read against the demo corpus as of this date (every window open or upcoming).
AS_OF = dt.date(2025, 3, 1)
TARGETS = {"eligible_precision": 0.95, "eligible_recall": 0.90}


def score(labels: list[dict], predicted: dict[tuple[str, str], tuple[str, list[str]]]) -> dict:
    """Metrics of predictions ``(policy, profile) → (outcome, failing kinds)`` against ``labels``."""
    correct = tp = fp = fn = explained = explainable = 0
    confusion: Counter[tuple[str, str]] = Counter()
    for row in labels:
        outcome, failing = predicted[(row["policy"], row["profile"])]
        gold = row["expected"]
        confusion[(gold, outcome)] += 1
        correct += outcome == gold
        tp += outcome == gold == "eligible"
        fp += outcome == "eligible" != gold
        fn += gold == "eligible" != outcome
        if gold == outcome == "not_eligible":
            explainable += 1
            explained += sorted(set(failing)) == sorted(row.get("failing", []))
    return {
        "pairs": len(labels),
        "accuracy": round(correct / len(labels), 4) if labels else 0.0,
        "eligible_precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
        "eligible_recall": round(tp / (tp + fn), 4) if tp + fn else 0.0,
        "explanation_correct": round(explained / explainable, 4) if explainable else 0.0,
        "confusion": [{"gold": g, "predicted": p, "count": n} for (g, p), n in sorted(confusion.items())],
    }


def run(profiles_path: Path = PROFILES, labels_path: Path = LABELS, out: Path | None = None,
        as_of: dt.date = AS_OF) -> dict:
    """Match every labelled pair on the real policy index and score it."""
    comps = eval_components(sorted(POLICIES.glob("*.md")), POLICIES, name="policies")
    service = MatchingService(comps.index)
    profiles = {p["id"]: profile_from_dict(p, p["id"]) for p in read_jsonl(profiles_path)}
    labels = read_jsonl(labels_path)
    predicted: dict[tuple[str, str], tuple[str, list[str]]] = {}
    rows = []
    for pid, profile in profiles.items():
        for d in service.match(profile, as_of):
            failing = sorted({c.kind for c in d.failing})
            predicted[(d.policy_id, pid)] = (d.outcome, failing)
            rows.append({"policy": d.policy_id, "profile": pid, "outcome": d.outcome, "failing": failing,
                         "missing": d.missing_facts, "reason": d.reason})
    unknown = [r for r in labels if (r["policy"], r["profile"]) not in predicted]
    if unknown:
        raise SystemExit(f"{len(unknown)} labelled pairs name policies or profiles the index does not hold, "
                         f"e.g. {unknown[0]}")
    metrics = score(labels, predicted)
    metrics["policies"] = len(service.policies())
    metrics["profiles"] = len(profiles)
    metrics["as_of"] = as_of.isoformat()
    metrics["targets_met"] = all(metrics[k] >= v for k, v in TARGETS.items())
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        write_jsonl(out / "predictions.jsonl", rows)
    return metrics


def register(app) -> None:
    """Mount ``match`` on the ``python -m evals`` typer app."""
    import typer

    @app.command("match")
    def match_command(
        profiles: Path = typer.Option(PROFILES, help="profiles JSONL"),
        labels: Path = typer.Option(LABELS, help="labelled pairs JSONL"),
        out: Path = typer.Option(Path("out/match"), help="output folder"),
    ) -> None:
        """Pair accuracy, precision/recall of "eligible" and explanation correctness of policy matching."""
        typer.echo(json.dumps(run(profiles, labels, out), ensure_ascii=False, indent=2))


def main(argv: list[str] | None = None) -> int:
    """``python -m evals.match``: the same eval without the evals app."""
    ap = argparse.ArgumentParser(prog="python -m evals.match", description=__doc__)
    ap.add_argument("--profiles", type=Path, default=PROFILES)
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--out", type=Path, default=Path("out/match"))
    args = ap.parse_args(argv)
    print(json.dumps(run(args.profiles, args.labels, args.out), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
