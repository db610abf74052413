"""`tracer trace`, `verify`, `export`, `serve` and `accounts import`: each parses,
calls the library and renders."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.tree import Tree

from tracer.card import CardFormat
from tracer.card import render as render_card
from tracer.cli.common import _duration, _fail, _print_json, _tracer, app, err, out, state
from tracer.exports import FORMATS as EXPORT_FORMATS
from tracer.headline import verdict_lines
from tracer.normalize import local_time, parse_instant, resolve_zone
from tracer.verification import Submission


@app.command()
def trace(
    post: Annotated[str, typer.Argument(help="Post id or URL.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON.")] = False,
) -> None:
    """Where a post came from: origin, release, parent and the family's cascade."""
    result = _tracer().trace(post).to_json()
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


@app.command()
def verify(
    post: Annotated[str | None, typer.Argument(help="Post id or URL.")] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="A caption to check (not in the corpus).")
    ] = None,
    media: Annotated[
        list[Path] | None,
        typer.Option("--media", help="A picture, screenshot or clip to check; repeatable."),
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="When the content was posted (ISO 8601).")
    ] = None,
    account: Annotated[
        str | None, typer.Option("--account", help="The account said to have posted it.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON.")] = False,
    card: Annotated[
        Path | None,
        typer.Option("--card", help="Write a verification card (.html, or .md for Markdown)."),
    ] = None,
) -> None:
    """Test the claim "this was a ministry release": a verdict with evidence, for a stored
    post or for a caption, screenshot or clip from outside the corpus."""
    door = _tracer()
    if post is not None and (text or media):
        _fail("give a post id, or --text/--media, not both")
    fmt: CardFormat = "md" if card is not None and card.suffix.lower() == ".md" else "html"
    if post is None:
        if not text and not media:
            _fail("give a post id, or --text and/or --media")
        try:
            claimed = parse_instant(at, resolve_zone(state.settings.timezone)) if at else None
        except ValueError as exc:
            _fail(f"--at: {exc}")
        submission = Submission(text or "", tuple(media or ()), claimed, account)
        if card is not None:  # one verification for both the card and the answer
            made = door.content_card(submission)
            report = made.report.to_json()
        else:
            report = door.verify_content(submission).to_json()
    else:
        report = door.verify(post).to_json()
        if card is not None:
            made = door.card(post)
    if card is not None:
        card.write_text(render_card(made, fmt), "utf-8")
        err.print(f"card written to {card}")
    if as_json:
        _print_json(report)
        return
    _render_verdict(report)


def _render_verdict(report: dict[str, Any]) -> None:
    """The verdict as bullets, each line in Indonesian / English, times in the post's
    zone and in WIB."""
    for line in verdict_lines(report):
        out.print(line, highlight=False, markup=False)


@app.command()
def export(
    family_id: Annotated[str, typer.Argument(help="Family id, e.g. F1.")],
    fmt: Annotated[
        str, typer.Option("--format", help=f"Export format: {', '.join(EXPORT_FORMATS)}.")
    ] = "json",
    output: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
) -> None:
    """Export a family's cascade graph: node-link JSON, Cytoscape.js, GraphML, GEXF or
    Grafana Node Graph frames."""
    if fmt not in EXPORT_FORMATS:
        supported = ", ".join(EXPORT_FORMATS)
        raise typer.BadParameter(f"unsupported format {fmt!r} (supported: {supported})")
    result = _tracer().export(family_id, fmt, zone=state.settings.timezone).render()
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
    _tracer().close()  # a mistyped --db is an error, not a new empty database
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


accounts_app = typer.Typer(help="Accounts: import the offices' handles.", no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")


@accounts_app.command("import")
def accounts_import(
    file: Annotated[Path, typer.Argument(help="CSV of handles, platforms and offices.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Add accounts from a CSV, matched to offices of the registry (tier, region, parent)."""
    if not file.is_file():
        _fail(f"{file}: no such file")
    door = _tracer(create=True)
    with file.open(newline="", encoding="utf-8-sig") as stream:
        report = door.import_accounts(stream, str(file))
    if as_json:
        _print_json(report.to_json())
    else:
        out.print(
            f"inserted {report.inserted}, unchanged {report.unchanged}, "
            f"conflicts {len(report.conflicts)}, errors {len(report.errors)}"
        )
        for problem in [*report.conflicts, *report.errors]:
            err.print(f"[yellow]{problem}[/yellow]", highlight=False, soft_wrap=True)
    if report.inserted == 0 and report.unchanged == 0:
        raise typer.Exit(1)
