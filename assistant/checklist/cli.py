"""`huiqi checklist "…"`: the application checklist for a request, as text, JSON, Markdown or HTML."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from assistant.checklist.render import to_html, to_markdown
from assistant.checklist.service import create_checklist_service
from assistant.errors import HuiqiError
from assistant.settings import Settings

app = typer.Typer(
    help="Application checklists from service guides (办事指南).",
    pretty_exceptions_enable=False,
    # options may follow the request text: huiqi checklist "…" --json
    context_settings={"allow_interspersed_args": True},
)
err = Console(stderr=True)


@app.callback(invoke_without_command=True)
def checklist(
    request: Annotated[str, typer.Argument(help="what the enterprise wants to do, in its own words")],
    as_json: Annotated[bool, typer.Option("--json", help="print the checklist as JSON")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="print Markdown")] = False,
    html: Annotated[Optional[Path], typer.Option("--html", help="also write a printable HTML page here")] = None,
    guides: Annotated[
        Optional[list[Path]], typer.Option("--guides", help="guide files/folders (JSONL or YAML); default corpus/guides")
    ] = None,
) -> None:
    """Which matters to apply for, and per matter the materials, department, time limits, conditions, basis."""
    try:
        service = create_checklist_service(Settings(), guides or None)
        service.warm_up()
        result = service.draft(request)
    except HuiqiError as e:
        err.print(f"[red]error[/red] ({e.code}): {e.message}")
        raise typer.Exit(2) from None
    if html is not None:
        html.write_text(to_html(result), encoding="utf-8")
        err.print(f"wrote {html}")
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        # Markdown is also the readable terminal form: plain text with check boxes.
        typer.echo(to_markdown(result))
