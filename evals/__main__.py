"""`python -m evals …`: quality evals and speed benchmarks on the real data in ../shared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from evals.data import EVAL

app = typer.Typer(help="huiqi evals and benchmarks", no_args_is_help=True, pretty_exceptions_enable=False)


@app.command()
def retrieval(
    set_path: Annotated[Path, typer.Option("--set", help="qa-format JSONL")] = EVAL / "qa_dev.jsonl",
    out: Annotated[Path, typer.Option(help="output folder")] = Path("out/retrieval"),
) -> None:
    """r@1/5/10 and MRR@10 of the gold article: hybrid, BM25-only and dense-only in one run."""
    from evals import retrieval as r

    typer.echo(json.dumps(r.run(set_path, out), ensure_ascii=False, indent=2))


@app.command("bench-ingest")
def bench_ingest(
    limit: Annotated[int, typer.Option(help="article units to embed for the throughput figure")] = 600,
) -> None:
    """Article units/s at ingest (huiqi's embedder vs plain fp32 sentence-transformers) and re-ingest time."""
    from evals import bench

    typer.echo(json.dumps(bench.ingest(limit), ensure_ascii=False, indent=2))


@app.command("bench-search")
def bench_search(
    whole: Annotated[bool, typer.Option(help="also the whole laws folder (1,484 documents; slow first time)")] = False,
    queries: Annotated[int, typer.Option(help="queries per measurement")] = 200,
) -> None:
    """p50/p95 search latency and peak RSS, beside a BM25-rebuilt-per-query baseline."""
    from evals import bench

    typer.echo(json.dumps(bench.search(whole=whole, n_queries=queries), ensure_ascii=False, indent=2))


def _mount_optional() -> None:
    """Evals of later capabilities register themselves here when their modules exist."""
    import importlib

    for name in ("ranker", "qa", "checklist", "triage", "match", "load"):
        try:
            mod = importlib.import_module(f"evals.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"evals.{name}":
                raise
            continue
        register = getattr(mod, "register", None)
        if register is not None:
            register(app)


_mount_optional()

if __name__ == "__main__":
    app()
