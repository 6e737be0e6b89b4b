"""Triage eval: `python -m evals.triage --set ../shared/eval/complaints_dev.jsonl --out DIR` (also `python -m evals triage`).

Writes DIR/metrics.json and DIR/predictions.jsonl ({"id", "departments": [top-3 ids], "type"} a line).
Measures the system zero-shot (catalogue only) and trained on labelled history; on the history set
itself, trained figures are k-fold cross-validated. Baselines run in the same pass: similarity to
department names, and character TF-IDF + logistic regression trained on the history.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import typer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from assistant.embeddings.base import Embedder
from assistant.settings import Settings
from assistant.triage.appeal_type import classify_type
from assistant.triage.catalogue import Catalogue, load_catalogue
from assistant.triage.classifier import DepartmentClassifier
from assistant.triage.learned import HistoryModel, LabelledAppeal
from assistant.triage.text import mask_personal_data, normalise

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
DEV_SET = SHARED / "eval" / "complaints_dev.jsonl"


def deployment_embedder(cached: bool) -> Embedder:
    """The embedder a server built from the environment's Settings uses (optionally behind the SQLite cache)."""
    from assistant.embeddings.registry import create_embedder

    return create_embedder(Settings(), use_cache=cached)


def embedding_cache_dir() -> Path:
    """Where the triager caches the catalogue's mandate vectors (as the deployment does)."""
    return Settings().cache_dir / "triage"


def read_set(path: Path) -> list[dict]:
    """The eval items of a complaints_dev-format JSONL file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def department_metrics(ranked: np.ndarray, items: list[dict], catalogue: Catalogue) -> dict:
    """top-1, top-1 counting also_ok, top-3, macro-F1 and the most confused pairs for ranked department indices."""
    gold = [catalogue.index(i["department"]) for i in items]
    top1 = ranked[:, 0]
    ok = [{g, *(catalogue.index(a) for a in i.get("also_ok", []))} for g, i in zip(gold, items)]
    confused = Counter((catalogue.ids[g], catalogue.ids[p]) for g, p in zip(gold, top1) if g != p)
    return {
        "top1": round(float(np.mean(top1 == np.array(gold))), 4),
        "top1_also_ok": round(float(np.mean([p in o for p, o in zip(top1, ok)])), 4),
        "top3": round(float(np.mean([g in r[:3] for g, r in zip(gold, ranked)])), 4),
        "macro_f1": round(float(f1_score(gold, top1, labels=sorted(set(gold)), average="macro", zero_division=0)), 4),
        "confused": [{"gold": g, "predicted": p, "count": c} for (g, p), c in confused.most_common(8)],
    }


def _rank(scores: np.ndarray) -> np.ndarray:
    return np.argsort(-scores, axis=1)


def _folds(items: list[dict], k: int, seed: int = 0):
    labels = [i["department"] for i in items]
    # Departments with fewer items than folds cannot be stratified; sklearn warns and copes.
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(items)), labels))


def _labelled(items: list[dict]) -> list[LabelledAppeal]:
    return [LabelledAppeal(i["text"], i["department"], i.get("type"), i.get("also_ok", [])) for i in items]


def tfidf_lr_baseline(train: list[dict], test: list[dict], catalogue: Catalogue) -> np.ndarray:
    """Character TF-IDF + logistic regression trained on history texts only: (n, departments) scores."""
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
    x = vec.fit_transform([normalise(i["text"]) for i in train])
    clf = LogisticRegression(C=10, max_iter=2000).fit(x, [catalogue.index(i["department"]) for i in train])
    out = np.full((len(test), len(catalogue)), -1.0)
    out[:, clf.classes_] = clf.predict_proba(vec.transform([normalise(i["text"]) for i in test]))
    return out


def calibrate_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The softmax temperature minimising negative log-likelihood of the gold department."""
    best, best_t = np.inf, 1.0
    for t in np.exp(np.linspace(np.log(0.1), np.log(5), 80)):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        nll = -(z[np.arange(len(gold)), gold] - np.log(np.exp(z).sum(axis=1))).mean()
        if nll < best:
            best, best_t = nll, float(t)
    return best_t


def _logits(classifier: DepartmentClassifier, evidence: dict) -> np.ndarray:
    # fuse() returns softmax(total / T); log of it recovers total / T up to a per-row constant.
    return np.log(classifier.fuse(evidence) + 1e-300) * classifier.weights.temperature


def run(set_path: Path, out: Path, history_path: Path | None, folds: int = 5, embed: bool = True,
        catalogue_path: Path | None = None) -> dict:
    """Evaluate on ``set_path``; write metrics and predictions under ``out``; return the metrics."""
    catalogue = load_catalogue(catalogue_path)
    items = read_set(set_path)
    embedder = deployment_embedder(cached=True) if embed else None
    classifier = DepartmentClassifier(catalogue, embedder, cache_dir=embedding_cache_dir())
    t0 = time.perf_counter()
    classifier.warm_up()
    warm = time.perf_counter() - t0
    texts = [normalise(mask_personal_data(i["text"])) for i in items]
    t0 = time.perf_counter()
    evidence = classifier.evidence(texts, embed="all")
    evidence_s = time.perf_counter() - t0
    gold = np.array([catalogue.index(i["department"]) for i in items])
    metrics: dict = {"set": str(set_path), "items": len(items), "departments": len(catalogue),
                     "embedder": embedder.name if embedder else None,
                     # Vectors come from the embedding cache on a re-run: speed is the benchmark's job.
                     "timing": {"warm_up_s": round(warm, 2), "evidence_s": round(evidence_s, 2)}}

    if "dense" in evidence:
        metrics["zero_shot_embed_all"] = department_metrics(_rank(classifier.fuse(evidence)), items, catalogue)
    # The system as deployed: the embedding model only for appeals the cheap evidence is unsure of.
    zero = classifier.cascade(evidence)
    metrics["zero_shot"] = department_metrics(_rank(classifier.fuse(zero)), items, catalogue)
    if "dense" in evidence:
        metrics["zero_shot"]["embedded_fraction"] = round(float(classifier.uncertain(evidence).mean()), 3)
    for name in ("keywords", "bm25", "dense"):
        if name in evidence:
            metrics[f"only_{name}"] = department_metrics(_rank(evidence[name]), items, catalogue)
    rule_types = [classify_type(t) for t in texts]
    metrics["zero_shot"]["type_accuracy"] = round(float(np.mean([p == i["type"] for p, i in zip(rule_types, items)])), 4)

    # Baseline 1: similarity to department names (the embedder when given, else character overlap).
    if embedder is not None:
        names = embedder.embed_queries([d.name for d in catalogue])
        name_scores = classifier.dense.embed(texts) @ names.T
    else:
        name_scores = np.array([[len(set(t) & set(d.name)) / len(d.name) for d in catalogue] for t in texts])
    metrics["baseline_name_similarity"] = department_metrics(_rank(name_scores), items, catalogue)

    same = history_path is not None and history_path.resolve() == set_path.resolve()
    predicted_types = rule_types
    ranked = _rank(classifier.fuse(zero))
    if history_path is not None:
        history = read_set(history_path)
        if same:
            trained_scores = np.zeros((len(items), len(catalogue)))
            logits = np.zeros_like(trained_scores)
            lr_scores = np.zeros_like(trained_scores)
            predicted_types = list(rule_types)
            for train_idx, test_idx in _folds(items, folds):
                model = HistoryModel(catalogue).fit(_labelled([items[i] for i in train_idx]))
                fold_evidence = {k: v[test_idx] for k, v in evidence.items()}
                fold_evidence["history"] = model.department_log_proba([texts[i] for i in test_idx])
                fold_evidence = classifier.cascade(fold_evidence)
                trained_scores[test_idx] = classifier.fuse(fold_evidence)
                logits[test_idx] = _logits(classifier, fold_evidence)
                learned_types = model.type_proba([texts[i] for i in test_idx]) or [None] * len(test_idx)
                for i, lt in zip(test_idx, learned_types):
                    predicted_types[i] = classify_type(texts[i], lt)
                lr_scores[test_idx] = tfidf_lr_baseline([items[i] for i in train_idx], [items[i] for i in test_idx],
                                                        catalogue)
            label = f"trained_cv{folds}"
        else:
            model = HistoryModel(catalogue).fit(_labelled(history))
            full = dict(evidence)
            full["history"] = model.department_log_proba(texts)
            full = classifier.cascade(full)
            trained_scores = classifier.fuse(full)
            logits = _logits(classifier, full)
            learned_types = model.type_proba(texts) or [None] * len(texts)
            predicted_types = [classify_type(t, lt) for t, lt in zip(texts, learned_types)]
            lr_scores = tfidf_lr_baseline(history, items, catalogue)
            label = "trained"
        ranked = _rank(trained_scores)
        metrics[label] = department_metrics(ranked, items, catalogue)
        metrics[label]["type_accuracy"] = round(float(np.mean([p == i["type"] for p, i in zip(predicted_types, items)])), 4)
        metrics[label]["history"] = str(history_path)
        metrics[label]["fitted_temperature"] = round(calibrate_temperature(logits, gold), 3)
        metrics[label]["mean_top1_confidence"] = round(float(trained_scores.max(axis=1).mean()), 4)
        metrics[f"baseline_tfidf_lr_{'cv' if same else 'trained'}"] = department_metrics(_rank(lr_scores), items, catalogue)
    metrics["zero_shot"]["fitted_temperature"] = round(calibrate_temperature(_logits(classifier, zero), gold), 3)

    out.mkdir(parents=True, exist_ok=True)
    with (out / "predictions.jsonl").open("w", encoding="utf-8") as f:
        for item, row, t in zip(items, ranked, predicted_types):
            f.write(json.dumps({"id": item["id"], "departments": [catalogue.ids[d] for d in row[:3]], "type": t},
                               ensure_ascii=False) + "\n")
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    return metrics


def register(app) -> None:
    """Mount ``triage`` on the ``python -m evals`` typer app (its options are this module's argparse ones)."""
    @app.command("triage", add_help_option=False,
                 context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
    def triage_command(ctx: typer.Context) -> None:
        """Department top-1/top-3, macro-F1 and type accuracy of appeal triage, with baselines (--help for options)."""
        raise typer.Exit(main(list(ctx.args)))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(prog="python -m evals triage", description=__doc__.splitlines()[0])
    p.add_argument("--set", type=Path, default=DEV_SET, help="complaints JSONL to evaluate")
    p.add_argument("--out", type=Path, required=True, help="folder for metrics.json and predictions.jsonl")
    p.add_argument("--history", type=Path, default=DEV_SET,
                   help="labelled history to train on (default: the dev set; cross-validated when it is --set)")
    p.add_argument("--zero-shot", action="store_true", help="catalogue only: do not train on any history")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--no-embed", action="store_true", help="keywords and BM25 only (no embedding model)")
    p.add_argument("--catalogue", type=Path, default=None)
    p.add_argument("--bench", type=int, default=0, metavar="N", help="only measure batch throughput on N appeals")
    p.add_argument("--batch", type=int, default=64)
    args = p.parse_args(argv)
    if args.bench:
        from evals.triage_bench import benchmark

        result = benchmark(args.set, args.bench, args.batch, embed=not args.no_embed)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "throughput.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        print(json.dumps(result, indent=1))
        return 0
    history = None if args.zero_shot or not args.history.exists() else args.history
    metrics = run(args.set, args.out, history, folds=args.folds, embed=not args.no_embed,
                  catalogue_path=args.catalogue)
    summary = {k: {m: v[m] for m in ("top1", "top1_also_ok", "top3", "macro_f1", "type_accuracy") if m in v}
               for k, v in metrics.items() if isinstance(v, dict) and "top1" in v}
    print(json.dumps({"timing": metrics["timing"], **summary}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
