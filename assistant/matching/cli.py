"""`huiqi match`: which policies fit one enterprise, or (with --policy) whom to remind about one policy."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperGroup

from assistant.errors import HuiqiError, InvalidInput
from assistant.matching.matcher import Decision
from assistant.matching.profile import parse_profiles, profile_from_dict
from assistant.matching.service import MatchingService



class _RunByDefault(TyperGroup):
    """`huiqi match profile.json` and `huiqi match --policy …` mean `huiqi match run …`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=_RunByDefault, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="政策找企业: match a profile to policies, or a policy to a batch of profiles.")
out = Console()
err = Console(stderr=True)
_LABEL = {"eligible": "[green]符合[/green]", "possibly_eligible": "[yellow]可能符合[/yellow]",
          "not_eligible": "[red]不符合[/red]"}


def _service() -> MatchingService:
    from assistant.components import Components
    from assistant.settings import Settings

    return MatchingService(Components(Settings()).index)


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("csv", "jsonl", "json"):
        return suffix
    raise InvalidInput(f"{path.name}: profiles must be .csv, .jsonl or .json")


@app.command("run")
def match(
    profile: Annotated[Optional[Path], typer.Argument(help="profile JSON (one enterprise)")] = None,
    policy: Annotated[Optional[str], typer.Option("--policy", help="reverse matching: this policy id")] = None,
    profiles_in: Annotated[Optional[Path], typer.Option("--in", help="profiles .csv/.jsonl/.json for --policy")] = None,
    out_path: Annotated[Optional[Path], typer.Option("--out", help="write the reminders (JSON) here")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="date to judge windows by (YYYY-MM-DD)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Class every policy for PROFILE (eligible / possibly / not), or with --policy list whom to remind."""
    try:
        when = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        err.print(f"[red]error[/red]: --as-of {as_of!r} is not YYYY-MM-DD")
        raise typer.Exit(2) from None
    try:
        if policy:
            if profiles_in is None:
                raise InvalidInput("--policy needs --in PROFILES (.csv, .jsonl or .json)")
            _candidates(policy, profiles_in, out_path, when, as_json)
        elif profile is not None:
            _match(profile, when, as_json)
        else:
            err.print("give a profile JSON, or --policy ID --in PROFILES")
            raise typer.Exit(2)
    except HuiqiError as e:
        err.print(f"[red]error[/red] ({e.code}): {e.message}")
        raise typer.Exit(2) from None


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    return path.read_bytes()


def _match(path: Path, when: dt.date | None, as_json: bool) -> None:
    try:
        data = json.loads(_read(path).decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InvalidInput(f"{path}: not a JSON object ({e})") from e
    decisions = _service().match(profile_from_dict(data, str(path)), when)
    if as_json:
        typer.echo(json.dumps([d.model_dump(mode="json") for d in decisions], ensure_ascii=False, indent=2))
        return
    for d in decisions:
        _print(d)


def _print(d: Decision) -> None:
    deadline = f"  截止 {d.deadline}" if d.deadline else ""
    out.print(f"{_LABEL[d.outcome]} [bold]{d.title}[/bold] ({d.policy_id}){deadline}")
    if d.amount:
        out.print(f"  金额：{d.amount}", markup=False)
    if d.department:
        out.print(f"  兑现部门：{d.department}", markup=False)
    out.print(f"  {d.reason}", markup=False)
    for c in d.basis()[:4]:
        out.print(f"  · {c.reason}【{c.citation.article or '前置元数据'}】{c.text[:40]}…", markup=False)
    if d.to_confirm and d.outcome != "not_eligible":
        out.print(f"  待确认 {len(d.to_confirm)} 项，如：{d.to_confirm[0].text[:60]}", markup=False)
    out.print()


def _candidates(policy: str, path: Path, out_path: Path | None, when: dt.date | None, as_json: bool) -> None:
    profiles = parse_profiles(_read(path), _format_of(path))
    service = _service()
    progress = Progress(TextColumn("[bold]match"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=err, transient=True)
    with progress:
        task = progress.add_task("", total=len(profiles))
        result = service.candidates(policy, profiles, when, on_profile=lambda: progress.advance(task))
    body = json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2)
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(body + "\n", encoding="utf-8")
    if as_json:
        typer.echo(body)
        return
    c = result.counts
    out.print(f"[bold]{result.title}[/bold]: {c['eligible']} 符合, {c['possibly_eligible']} 可能符合, "
              f"{c['not_eligible']} 不符合 (of {result.total})")
    for r in result.remind:
        out.print(f"  {_LABEL[r.outcome]} {escape(r.name or r.profile_id or '')}: {escape(r.reason)}")
    if out_path is not None:
        err.print(f"wrote {out_path}")
