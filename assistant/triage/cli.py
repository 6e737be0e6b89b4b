"""`huiqi triage`: triage one appeal or a file of them, train on history, write the common-issue report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperGroup

from assistant.errors import HuiqiError
from assistant.triage.appeals_io import read_appeals, read_history
from assistant.triage.catalogue import load_catalogue
from assistant.triage.learned import HistoryModel
from assistant.triage.report import cluster_appeals, render_html, render_markdown
from assistant.triage.triager import Triager, TriageResult


class _ClassifyByDefault(TyperGroup):
    """`huiqi triage "…"` and `huiqi triage --in f` mean `huiqi triage classify …`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["classify", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=_ClassifyByDefault, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="诉求分派: route enterprise appeals to departments, with type, tier and due date.")
out = Console()
err = Console(stderr=True)

DEFAULT_MODEL = Path(".huiqi") / "triage-model.pkl"

CatalogueOpt = Annotated[Path | None, typer.Option("--catalogue", help="department catalogue YAML")]
ModelOpt = Annotated[Path | None, typer.Option("--model", help="history model from `huiqi triage train`")]
FastOpt = Annotated[bool, typer.Option("--fast", help="keywords and BM25 only: no embedding model")]


def _fail(e: HuiqiError) -> None:
    err.print(f"[red]error[/red] ({e.code}): {e.message}")
    raise typer.Exit(2)


def _triager(catalogue: Path | None, model: Path | None, fast: bool, sla: str | None = None,
             batch_limit: int = 100_000) -> Triager:
    # The same Settings (HUIQI_* env, .env) and embedder as the server; options override them.
    from assistant.components import Components
    from assistant.settings import Settings

    overrides: dict = {"triage_batch_limit": batch_limit}
    if catalogue is not None:
        overrides["triage_catalogue"] = catalogue
    if sla is not None:
        overrides["triage_sla"] = sla
    if model is not None:
        overrides["triage_model"] = model
    settings = Settings(**overrides)
    if settings.triage_model is None and DEFAULT_MODEL.exists():
        settings = Settings(**overrides, triage_model=DEFAULT_MODEL)
    return Triager.from_settings(settings, None if fast else Components(settings).embedder)


def _triage_file(triager: Triager, path: Path, batch: int, quiet: bool) -> list[TriageResult]:
    appeals = read_appeals(path)
    results: list[TriageResult] = []
    with Progress(TextColumn("triage"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, disable=quiet) as progress:
        task = progress.add_task("triage", total=len(appeals))
        for i in range(0, len(appeals), batch):
            results += triager.triage_batch(appeals[i : i + batch])
            progress.advance(task, len(appeals[i : i + batch]))
    return results


@app.command("classify")
def classify(
    text: Annotated[str | None, typer.Argument(help="the appeal text")] = None,
    infile: Annotated[Path | None, typer.Option("--in", help="appeals.jsonl or .csv (a text column)")] = None,
    outfile: Annotated[Path | None, typer.Option("--out", help="write results as JSONL here")] = None,
    catalogue: CatalogueOpt = None,
    model: ModelOpt = None,
    fast: FastOpt = False,
    sla: Annotated[str | None, typer.Option(help="working days 简易,一般,复杂, e.g. 0,3,7")] = None,
    batch: Annotated[int, typer.Option(help="appeals per embedding batch")] = 64,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Triage one appeal (argument) or a file of appeals (--in)."""
    if (text is None) == (infile is None):
        err.print("[red]error[/red]: give either an appeal text or --in FILE")
        raise typer.Exit(2)
    try:
        triager = _triager(catalogue, model, fast, sla)
        results = [triager.triage(text)] if text is not None else _triage_file(triager, infile, batch, quiet)
    except HuiqiError as e:
        _fail(e)
    lines = [json.dumps(r.to_dict(), ensure_ascii=False) for r in results]
    if outfile is not None:
        outfile.parent.mkdir(parents=True, exist_ok=True)
        outfile.write_text("\n".join(lines) + "\n", encoding="utf-8")
        if not quiet:
            err.print(f"{len(results)} appeals triaged → {outfile}")
        return
    if text is not None and not quiet:
        r = results[0]
        for n, c in enumerate(r.departments, 1):
            out.print(f"{n}. {c.name} ({c.id}) {c.score:.2f} — {c.reason}")
        out.print(f"类型 {r.type} · {r.tier} · {r.sla_days} 个工作日 · 办结期限 {r.due.isoformat()}")
        return
    for line in lines:
        out.print(line, markup=False, highlight=False, soft_wrap=True)


@app.command("train")
def train(
    history: Annotated[Path, typer.Argument(help="labelled history: JSONL/CSV with text, department[, type]")],
    model: Annotated[Path, typer.Option("--model", help="where to write the model")] = DEFAULT_MODEL,
    catalogue: CatalogueOpt = None,
) -> None:
    """Learn from labelled history; later `huiqi triage` runs use the model."""
    try:
        cat = load_catalogue(catalogue)
        trained = HistoryModel(cat).fit(read_history(history))
        trained.save(model)
    except HuiqiError as e:
        _fail(e)
    out.print(f"trained on {trained.trained_on} appeals → {model}")


@app.command("report")
def report(
    infile: Annotated[Path, typer.Option("--in", help="appeals.jsonl or .csv")],
    outfile: Annotated[Path, typer.Option("--out", help="report.md or report.html")],
    catalogue: CatalogueOpt = None,
    model: ModelOpt = None,
    fast: FastOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Cluster a batch of appeals into common issues (举一反三); Markdown, or HTML with a chart."""
    try:
        triager = _triager(catalogue, model, fast)
        results = _triage_file(triager, infile, 64, quiet)
    except HuiqiError as e:
        _fail(e)
    clusters = cluster_appeals(results)
    render = render_html if outfile.suffix.lower() in (".html", ".htm") else render_markdown
    outfile.parent.mkdir(parents=True, exist_ok=True)
    outfile.write_text(render(clusters, len(results)), encoding="utf-8")
    if not quiet:
        err.print(f"{len(results)} appeals, {len(clusters)} clusters → {outfile}")
