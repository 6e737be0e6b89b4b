"""Train the second-stage ranker on a qa-format set, with cross-validated figures of what it adds.

Each answerable item gives the fused candidates of its question (the gold article of the gold document
is the positive); a pairwise logistic model over ``assistant.ranking.FEATURES`` learns which of two
candidates of one question is the better (only the order matters, so there is no bias term).
The figures printed are from K folds split by item (the model never saw the items it ranks), beside the
fused order it replaces, measured in the same run.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from assistant.articles import normalize_article
from assistant.ranking import FEATURES, WEIGHTS_FILE, RankerWeights, candidate_features
from assistant.retrieval import HybridRetriever
from evals.data import LAWS, core_files, eval_components, read_jsonl
from evals.retrieval import item_query, metrics_from_ranks


def retrieval_query(item: dict) -> str:
    """The query the answer service searches with: a conversation's last turn read against the earlier ones."""
    if "turns" not in item:
        return item_query(item)
    from types import SimpleNamespace

    from assistant.answers.followup import contextualize

    history = [SimpleNamespace(role="user", content=t) for t in item["turns"][:-1]]
    return contextualize(item["turns"][-1], history)


def _labels(hits, item) -> np.ndarray:
    gold = {normalize_article(a) for a in item.get("articles", [])}
    return np.array([h.chunk.source == item["doc"] and normalize_article(h.chunk.article) in gold for h in hits],
                    dtype=int)


def collect(set_paths: list[Path], depth: int) -> list[tuple[dict, np.ndarray, np.ndarray]]:
    """(item, features, labels) of every answerable item's fused candidates."""
    comps = eval_components(core_files(), LAWS)
    fused = HybridRetriever(comps.index, mode="fused")
    rows = []
    for path in set_paths:
        for item in read_jsonl(path):
            if not item.get("answerable", True) or not item.get("doc"):
                continue
            q = retrieval_query(item)
            hits = fused.run(q, k=depth).hits
            vec = comps.embedder.embed_queries([q])[0]
            x = candidate_features(q, hits, fused.dense_sims(vec, hits))
            rows.append((item, x, _labels(hits, item)))
    return rows


def _fit(rows, c: float) -> RankerWeights:
    """Pairwise logistic fit: the gold candidate against each of up to 20 others of the same question."""
    x, y = [], []
    for _, feats, labels in rows:
        for p in np.nonzero(labels)[0]:
            for n in np.nonzero(1 - labels)[0][:20]:
                x += [feats[p] - feats[n], feats[n] - feats[p]]
                y += [1, 0]
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=3000)
    model.fit(np.array(x), np.array(y))
    return RankerWeights({f: round(float(w), 5) for f, w in zip(FEATURES, model.coef_[0])})


def _rank_of_gold(scores: np.ndarray, labels: np.ndarray) -> int | None:
    if not labels.any():
        return None
    order = np.argsort(-scores, kind="stable")
    return int(np.nonzero(labels[order])[0][0]) + 1


def cross_validate(rows, folds: int, c: float, seed: int = 0) -> dict:
    """r@k/MRR of the fused order and of the ranker, each item ranked by a model that did not see it."""
    rng = np.random.default_rng(seed)
    fold_of = rng.permutation(len(rows)) % folds
    fused_ranks, ranked = [], []
    for f in range(folds):
        train = [r for r, g in zip(rows, fold_of) if g != f]
        w = _fit(train, c)
        for (item, x, y), g in zip(rows, fold_of):
            if g != f:
                continue
            fused_ranks.append(_rank_of_gold(-np.arange(len(y), dtype=float), y))
            ranked.append(_rank_of_gold(x @ w.vector() + w.bias, y))
    in_depth = sum(1 for r in rows if r[2].any()) / max(1, len(rows))
    return {"folds": folds, "C": c, "candidates_hold_gold": round(in_depth, 4),
            "fused": metrics_from_ranks(fused_ranks), "ranker_cv": metrics_from_ranks(ranked)}


def run(set_paths: list[Path], out: Path | None, depth: int = 40, folds: int = 5, c: float = 1.0) -> dict:
    """Cross-validated figures, then the model fitted on all items written to ``out``."""
    rows = collect(set_paths, depth)
    report = {"items": len(rows), "depth": depth, **cross_validate(rows, folds, c)}
    weights = _fit(rows, c)
    weights.trained_on = ", ".join(p.name for p in set_paths) + f" ({len(rows)} items, depth {depth})"
    report["weights"] = weights.weights
    if out is not None:
        weights.save(out)
    return report


def register(app) -> None:
    """Mount ``train-ranker`` on the ``python -m evals`` typer app."""
    import typer

    from evals.data import EVAL

    @app.command("train-ranker")
    def train_ranker(
        set_paths: list[Path] = typer.Option([EVAL / "qa_dev.jsonl", EVAL / "dialogues_dev.jsonl"], "--set", help="qa-format JSONL (repeatable)"),
        out: Path = typer.Option(WEIGHTS_FILE, help="where the weights go"),
        depth: int = typer.Option(40, help="fused candidates per question"),
        folds: int = typer.Option(5),
        c: float = typer.Option(1.0, "--C", help="inverse regularisation strength"),
        dry_run: bool = typer.Option(False, help="report only; write no weights"),
    ) -> None:
        """Fit the second-stage ranker; print cross-validated r@1/r@5/MRR beside the fused order."""
        typer.echo(json.dumps(run(set_paths, None if dry_run else out, depth, folds, c), ensure_ascii=False,
                              indent=2))
