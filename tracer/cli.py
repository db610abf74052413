"""The `tracer` command: a thin adapter over `tracer.service`.

Each command parses, calls the library and renders; errors from the library become a
one-line message on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.tree import Tree

from tracer import service
from tracer.config import Settings
from tracer.errors import CorpusError, NotFoundError, TracerError
from tracer.exports import FORMATS
from tracer.normalize import local_time, parse_instant, resolve_zone
from tracer.store import Store

app = typer.Typer(
    help="Trace where a post came from: ingest corpora, trace and verify posts, export cascades.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


class State:
    """Options shared by every command, set by the callback."""

    settings: Settings


state = State()


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database file or URL (default: $TRACER_DB or ./tracer.db)."),
    ] = None,
) -> None:
    try:
        settings = Settings()
        resolve_zone(settings.timezone)
    except (ValidationError, ValueError) as exc:
        first = str(exc).splitlines()
        _fail(f"invalid TRACER_* setting: {' '.join(first[:3])}")
    state.settings = settings.model_copy(update={"db": db}) if db else settings


def _fail(message: str) -> NoReturn:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _store(create: bool = False) -> Store:
    """The database; only `ingest` may create it, so a mistyped path is an error."""
    if not create and "://" not in state.settings.db and not Path(state.settings.db).is_file():
        raise CorpusError(f"no database at {state.settings.db} (run `tracer ingest` first)")
    return Store.open(state.settings.db)


def _print_json(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")


def _count_lines(path: Path) -> int:
    with path.open("rb") as stream:
        return sum(1 for _ in stream)


@app.command()
def ingest(
    corpus_dir: Annotated[Path, typer.Argument(help="Canonical corpus folder.")],
    assume_tz: Annotated[
        str | None,
        typer.Option(help="Zone for timestamps without a UTC offset (e.g. Asia/Jakarta, WIB)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Ingest a corpus folder and link its posts into families and cascades."""
    try:
        zone = resolve_zone(assume_tz) if assume_tz else None
    except ValueError as exc:
        _fail(f"--assume-tz: {exc}")
    store = _store(create=True)
    posts_file = corpus_dir / "posts.jsonl"
    total = _count_lines(posts_file) if posts_file.is_file() else None
    columns = (TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=as_json) as bar:
        task = bar.add_task("ingest", total=total)
        report = service.ingest(
            store,
            corpus_dir,
            assume_tz=zone,
            batch_size=state.settings.batch_size,
            progress=lambda n: bar.advance(task, n),
        )
    if as_json:
        _print_json(report.to_json())
    else:
        _render_report(report)
    if report.ingested == 0 and report.unchanged == 0:
        raise typer.Exit(1)


def _render_report(report: service.IngestReport) -> None:
    table = Table(title="ingest", show_header=False)
    table.add_row("ingested", str(report.ingested))
    table.add_row("unchanged", str(report.unchanged))
    table.add_row("conflicts", str(len(report.conflicts)))
    table.add_row("errors", str(len(report.errors)))
    for kind, count in sorted(report.errors_by_kind().items()):
        table.add_row(f"  {kind}", str(count))
    table.add_row("families updated", str(report.families_touched))
    table.add_row("seconds", f"{report.seconds:.1f}")
    out.print(table)
    for problem in [*report.conflicts, *report.errors][:50]:
        err.print(f"[yellow]{problem}[/yellow]", highlight=False, soft_wrap=True)
    hidden = len(report.conflicts) + len(report.errors) - 50
    if hidden > 0:
        err.print(f"… and {hidden} more (use --json for all)")


@app.command()
def trace(
    post: Annotated[str, typer.Argument(help="Post id or URL.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON.")] = False,
) -> None:
    """Where a post came from: origin, release, parent and the family's cascade."""
    result = service.trace(_store(), post)
    if as_json:
        _print_json(result)
        return
    zone = state.settings.timezone
    graph = result["graph"]
    nodes = {n["id"]: n for n in graph["nodes"]}
    children: dict[str, list[dict[str, Any]]] = {}
    for e in graph["edges"]:
        children.setdefault(e["source"], []).append(e)

    def label(pid: str, lag: int | None = None) -> str:
        n = nodes[pid]
        when = local_time(parse_instant(n["published_at"]), zone)
        mark = " [bold]◀ this post[/bold]" if pid == result["post"]["post_id"] else ""
        after = f" (+{_duration(lag)})" if lag is not None else ""
        return f"{pid} · {n['account_id']} · {n['tier']} · {when}{after}{mark}"

    root_id = result["path"][0]
    tree = Tree(label(root_id))

    def grow(branch: Tree, pid: str) -> None:
        for e in sorted(children.get(pid, []), key=lambda e: nodes[e["target"]]["timestamp"]):
            grow(branch.add(label(e["target"], e["lag_seconds"])), e["target"])

    grow(tree, root_id)
    release = result["release"]
    out.print(f"family: {result['family_id'] or '(none: no other post carries this content)'}")
    out.print(f"release: {release['post_id'] + ' · ' + release['account_id'] if release else '-'}")
    out.print(f"path: {' → '.join(result['path'])}")
    out.print(tree)


def _duration(seconds: int) -> str:
    hours, rest = divmod(abs(seconds), 3600)
    sign = "-" if seconds < 0 else ""
    return f"{sign}{hours}h{rest // 60:02d}m"


@app.command()
def verify(
    post: Annotated[str, typer.Argument(help="Post id or URL.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON.")] = False,
) -> None:
    """Test the claim "this post was a ministry release": a verdict with evidence."""
    report = service.verify(_store(), post).to_json()
    if as_json:
        _print_json(report)
        return
    zone = state.settings.timezone
    out.print(f"verdict: [bold]{report['verdict']}[/bold] ({report['reason']})")
    release = report["release"]
    if release:
        when = local_time(parse_instant(release["published_at"]), zone)
        out.print(f"release: {release['post_id']} · {release['account_id']} · {when}")
        if report["lag_seconds"] is not None:
            out.print(f"lag: {_duration(report['lag_seconds'])}")
    out.print(f"altered: {report['altered']}")
    for key in ("added_text", "removed_text", "hashtags_added", "hashtags_removed"):
        if report["changes"].get(key):
            out.print(f"  {key}: {report['changes'][key]}", highlight=False)
    corroboration = report["corroboration"]
    out.print(
        f"corroboration: {corroboration['accounts']} other accounts in "
        f"{len(corroboration['regions'])} regions"
    )


@app.command()
def export(
    family_id: Annotated[str, typer.Argument(help="Family id, e.g. F1.")],
    fmt: Annotated[
        str, typer.Option("--format", help=f"Export format: {', '.join(FORMATS)}.")
    ] = "json",
    output: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
) -> None:
    """Export a family's cascade graph: node-link JSON, Cytoscape.js, GraphML, GEXF or
    Grafana Node Graph frames."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"unsupported format {fmt!r} (supported: {', '.join(FORMATS)})")
    result = service.export(_store(), family_id, fmt, zone=state.settings.timezone)
    if isinstance(result, str):
        data = result.encode()
    else:
        data = orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n"
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.write(data.decode())


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, help="Server processes; each keeps its own caches, rate limits and metrics."
        ),
    ] = None,
) -> None:
    """Serve the HTTP API (FastAPI under uvicorn)."""
    import uvicorn

    from api.app import create_app

    settings = state.settings
    _store().close()  # a mistyped --db is an error, not a new empty database
    count = workers or settings.workers
    host, port = host or settings.host, port or settings.port
    if count == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        return
    # Worker processes build their own app from the environment: pass --db along.
    os.environ["TRACER_DB"] = str(settings.db)
    uvicorn.run(
        "api.app:create_app", factory=True, workers=count, host=host, port=port, log_level="info"
    )


def main() -> None:
    try:
        app()
    except TracerError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1 if isinstance(exc, NotFoundError) else 2)
