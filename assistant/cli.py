"""The `huiqi` command line: ingest, search, serve (and the sub-apps of later capabilities)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.components import Components
from assistant.errors import HuiqiError
from assistant.retrieval import SearchFilters
from assistant.settings import Settings

app = typer.Typer(help="huiqi (惠企助手): offline answers with citations, checklists and appeal triage.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
console = Console()
err = Console(stderr=True)


def _components() -> Components:
    return Components(Settings())


def _fail(e: HuiqiError) -> None:
    err.print(f"[red]error[/red] ({e.code}): {e.message}")
    raise typer.Exit(2)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders to ingest")],
    prune: Annotated[bool, typer.Option(help="forget files gone from these folders")] = False,
    force: Annotated[bool, typer.Option(help="re-ingest unchanged files too")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Load, chunk, embed and store documents; unchanged files are skipped."""
    comps = _components()
    try:
        report = run_ingest(comps, paths, prune=prune, force=force, quiet=quiet)
    except HuiqiError as e:
        _fail(e)
        return
    if report.failed:
        raise typer.Exit(1)


def run_ingest(comps: Components, paths: list[Path], prune: bool = False, force: bool = False, quiet: bool = False):
    """Ingest with a progress bar and a summary table (shared by `ingest` and `serve --ingest`)."""
    ingester = comps.ingester()
    progress = Progress(
        TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=err, disable=quiet, transient=True,
    )
    with progress:
        task = progress.add_task("", total=None)

        def started(n: int) -> None:
            progress.update(task, total=n)

        def done(o) -> None:
            if o.action == "failed":
                err.print(f"[red]✗[/red] {o.source}: {o.error}")
            if o.action != "removed":
                progress.update(task, advance=1, description=o.source[-40:])

        report = ingester.run(paths, prune=prune, force=force, on_file=done, on_start=started)
    table = Table(title=f"ingest summary ({report.seconds:.1f} s)")
    for col in ("added", "updated", "unchanged", "removed", "failed", "chunks written", "embedded", "sentences"):
        table.add_column(col, justify="right")
    table.add_row(
        *[str(report.count(a)) for a in ("added", "updated", "unchanged", "removed", "failed")],
        str(report.chunks_written), str(report.embedded), str(report.sentences),
    )
    if not quiet:
        err.print(table)
    return report


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="what to look for")],
    k: Annotated[int, typer.Option("--k", "-k", min=1, max=100)] = 5,
    all_versions: Annotated[bool, typer.Option("--all-versions", help="include superseded versions")] = False,
    doc_type: Annotated[Optional[list[str]], typer.Option("--type", help="law, policy, guide, list, text")] = None,
    region: Annotated[Optional[str], typer.Option(help="e.g. 浙江省")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Hybrid search over the ingested corpus."""
    comps = _components()
    filters = SearchFilters(in_force_only=not all_versions, doc_types=set(doc_type) if doc_type else None, region=region)
    try:
        result = comps.retriever.run(query, k=k, filters=filters)
    except HuiqiError as e:
        _fail(e)
        return
    if as_json:
        typer.echo(json.dumps({"query": query, "hits": [h.to_dict() for h in result.hits]}, ensure_ascii=False, indent=2))
        return
    if not result.hits:
        console.print("no hits")
    for i, h in enumerate(result.hits, 1):
        c = h.chunk
        status = "" if c.status == "in_force" else f" [yellow]({c.status})[/yellow]"
        console.print(f"[bold]{i}. {c.title}[/bold] {c.article} {c.version_date or ''}{status}  [dim]{c.source}[/dim]")
        console.print(c.text if len(c.text) <= 300 else c.text[:300] + "…", markup=False)
        console.print()


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="the question, in everyday words")],
    session: Annotated[Optional[str], typer.Option("--session", "-s", help="continue this conversation")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the whole answer as JSON")] = False,
    generator: Annotated[Optional[str], typer.Option(help="extractive | llm (default: HUIQI_ANSWER_GENERATOR)")] = None,
) -> None:
    """Answer a question with exact citations; streams the answer, then its 出处 and the session id."""
    from assistant.answers.extractive import source_line
    from assistant.answers.models import Citation

    service = _components().answers
    try:
        if as_json:
            typer.echo(json.dumps(service.answer(question, session, generator).to_dict(), ensure_ascii=False, indent=2))
            return
        done: dict = {}
        for event, data in service.stream(question, session, generator):
            if event == "delta":
                typer.echo(data["text"], nl=False)
            elif event == "done":
                done = data
    except HuiqiError as e:
        _fail(e)
        return
    typer.echo("")
    citations = [Citation(**c) for c in done["citations"]]
    if citations and "出处" not in done["answer"]:  # an LLM answer names no sources line by line
        typer.echo("\n出处：")
        for i, c in enumerate(citations, 1):
            typer.echo(source_line(i, c))
    if done["notice"]:
        err.print(done["notice"], style="yellow", markup=False)
    typer.echo(f"session: {done['session_id']}  (follow up with --session {done['session_id']})", err=True)


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="default: HUIQI_HOST")] = None,
    port: Annotated[Optional[int], typer.Option(help="default: HUIQI_PORT")] = None,
    ingest_corpus: Annotated[bool, typer.Option("--ingest/--no-ingest", help="ingest HUIQI_CORPUS_DIR first")] = False,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 1,
) -> None:
    """Serve the HTTP API (search, answers, checklists, triage, widget, console)."""
    import uvicorn

    settings = Settings()
    if ingest_corpus:
        try:
            report = run_ingest(Components(settings), [settings.corpus_dir], prune=True)
        except HuiqiError as e:
            _fail(e)
            return
        if report.failed:
            err.print(f"[yellow]{len(report.failed)} file(s) failed; serving the rest[/yellow]")
    # access_log=False: uvicorn's access line carries the query string (users' questions); huiqi's own
    # access log (api/observability.py) has the path, the request id and masked fields instead.
    uvicorn.run("api.app:create_app", factory=True, host=host or settings.host, port=port or settings.port,
                workers=workers, log_level="info", access_log=False,
                # a worker loads the embedding model and the index before it answers uvicorn's health check
                timeout_worker_healthcheck=120)


def _mount_subapps() -> None:
    """The sub-commands of later capabilities, each a typer app in its own package."""
    from assistant.checklist.cli import app as checklist_app
    from assistant.matching.cli import app as match_app
    from assistant.triage.cli import app as triage_app

    app.add_typer(checklist_app, name="checklist")
    app.add_typer(triage_app, name="triage")
    app.add_typer(match_app, name="match")


_mount_subapps()


def main() -> None:  # pragma: no cover - console entry point
    app()
