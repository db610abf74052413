"""The `tracer` command: a thin adapter over `tracer.service`.

Each command parses, calls the library and renders; errors from the library become a
one-line message on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated, Any, NoReturn

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.tree import Tree

from tracer import cards, linking, ocr, service, verification
from tracer import convert as conversion
from tracer.accounts_import import import_accounts
from tracer.adapters import FORMATS
from tracer.adapters.base import AdapterOptions
from tracer.card import CardFormat
from tracer.card import render as render_card
from tracer.config import Settings
from tracer.context import load_context
from tracer.errors import CorpusError, NotFoundError, RecordError, TracerError
from tracer.exports import FORMATS as EXPORT_FORMATS
from tracer.headline import verdict_lines
from tracer.matching import MatchPolicy
from tracer.models import TIERS
from tracer.normalize import local_time, parse_instant, resolve_zone
from tracer.store import Store, shown_url
from tracer.verification import Submission

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


def _count_work(path: Path) -> tuple[int, int]:
    """Lines and media files of a posts.jsonl, for the progress bars' totals and ETAs
    (a bad line counts for no media: it is reported, not read)."""
    lines = files = 0
    with path.open("rb") as stream:
        for raw in stream:
            lines += 1
            if b'"media"' in raw:
                try:
                    media = orjson.loads(raw).get("media")
                except (orjson.JSONDecodeError, AttributeError):
                    continue
                files += len(set(media)) if isinstance(media, list) else 0
    return lines, files


def _options(
    account: str | None,
    tier: str | None,
    region: str | None,
    zone: str | None,
    day_first: bool | None = None,
) -> AdapterOptions:
    if tier is not None and tier not in TIERS:
        raise typer.BadParameter(f"{tier!r} is not one of {', '.join(TIERS)}", param_hint="--tier")
    try:
        tz = resolve_zone(zone) if zone else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--tz") from None
    return AdapterOptions(
        account=account,
        tier=next((t for t in TIERS if t == tier), None),
        region=region,
        tz=tz,
        day_first=day_first,
    )


FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        help=f"Input format ({', '.join(FORMATS)}); detected when unambiguous.",
    ),
]
AccountOption = Annotated[
    str | None, typer.Option(help="Account id for every post (a group, one account's folder).")
]
TierOption = Annotated[
    str | None, typer.Option(help="Tier of the accounts an export creates (default other).")
]
RegionOption = Annotated[str | None, typer.Option(help="Region of the accounts an export creates.")]
ZoneOption = Annotated[
    str | None,
    typer.Option(
        "--tz",
        "--assume-tz",
        help="Zone of times written without an offset, or with a zone tracer does not know "
        "(e.g. Asia/Jakarta, WIB). Exports default to Asia/Jakarta; a canonical corpus "
        "refuses such times without it.",
    ),
]
DayFirstOption = Annotated[
    bool | None,
    typer.Option(
        "--day-first/--month-first",
        help="Date order where a chat export leaves it open (WhatsApp); read off the file "
        "when it can tell.",
    ),
]


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="Canonical corpus folder, or an export.")],
    fmt: FormatOption = None,
    account: AccountOption = None,
    tier: TierOption = None,
    region: RegionOption = None,
    zone: ZoneOption = None,
    day_first: DayFirstOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    read_text: Annotated[
        bool, typer.Option("--ocr/--no-ocr", help="Read text off pictures (tesseract).")
    ] = True,
    wait: Annotated[
        float | None,
        typer.Option(
            min=0,
            help="Seconds to wait for another ingest writing to the database (default: until "
            "it finishes; 0: fail at once, exit 2).",
        ),
    ] = None,
) -> None:
    """Ingest a corpus folder or an export and link its posts into families and cascades."""
    options = _options(account, tier, region, zone, day_first)
    name = conversion.resolve_format(path, fmt)
    if name == "canonical" and (account or tier or region):
        _fail("--account, --tier and --region apply to exports, not to a canonical corpus")
    store = _store(create=True)
    posts_file = path / "posts.jsonl"
    total, files = (None, None)
    if name == "canonical" and posts_file.is_file():
        total, files = _count_work(posts_file)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with (
        store.writer(wait, on_wait=_say_waiting),
        Progress(*columns, console=err, transient=True, disable=as_json) as bar,
    ):
        read_task = bar.add_task("read", total=None, visible=name != "canonical")
        task = bar.add_task("ingest", total=total, visible=name == "canonical")
        media_task = bar.add_task("pictures and clips", total=files, visible=bool(files))
        report = conversion.ingest_export(
            store,
            path,
            name,
            options,
            batch_size=state.settings.batch_size,
            converted=lambda n: bar.advance(read_task, n),
            on_staged=lambda n: bar.update(task, total=n, visible=True),
            progress=lambda n: bar.advance(task, n),
            ocr_lang=ocr.LANG if read_text else None,
            media_progress=lambda n: bar.update(media_task, advance=n, visible=True),
        )
    if as_json:
        _print_json(report.to_json())
    else:
        _render_report(report)
    if report.ingested == 0 and report.unchanged == 0:
        raise typer.Exit(1)


def _say_waiting(holder: str) -> None:
    err.print(
        f"waiting: {holder} is writing to {shown_url(state.settings.db)}; this ingest starts "
        "when it has finished (Ctrl-C to stop, nothing is lost)",
        highlight=False,
        soft_wrap=True,
    )


@app.command()
def relink(
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Link every stored post again, in time order, under the current matching rules:
    after an upgrade that changes them. Uses the stored fingerprints; nothing is read
    off the corpus again."""
    store = _store()
    started = time.perf_counter()
    with err.status("linking every post again"):
        total = linking.relink(store, MatchPolicy())
    seconds = round(time.perf_counter() - started, 3)
    counts = store.counts()
    if as_json:
        _print_json({"posts": total, "seconds": seconds, **counts})
    else:
        out.print(f"relinked {total} posts in {seconds} s: {counts}")


@app.command()
def convert(
    path: Annotated[Path, typer.Argument(help="Export file or folder (or a canonical corpus).")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder to write the canonical corpus to.")
    ],
    fmt: FormatOption = None,
    account: AccountOption = None,
    tier: TierOption = None,
    region: RegionOption = None,
    zone: ZoneOption = None,
    day_first: DayFirstOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Write an export as a canonical corpus (accounts.csv, posts.jsonl, media/)."""
    options = _options(account, tier, region, zone, day_first)
    columns = (TextColumn("convert"), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=as_json) as bar:
        task = bar.add_task("convert", total=None)
        report = conversion.convert(
            path, out_dir, fmt, options, progress=lambda n: bar.advance(task, n)
        )
    if as_json:
        _print_json(report.to_json())
    else:
        table = Table(title=f"convert ({report.format})", show_header=False)
        for key, value in report.to_json().items():
            if key not in {"out", "format", "errors", "skipped"}:
                table.add_row(key.replace("_", " "), str(value))
        table.add_row("bad or partial records", str(len(report.errors)))
        table.add_row("skipped (not posts)", str(len(report.skipped)))
        out.print(table)
        _print_skips(report.skipped.lines())
        _print_problems(report.errors)
    if report.posts == 0:
        raise typer.Exit(1)


def _render_report(report: conversion.ExportIngestReport) -> None:
    table = Table(title="ingest", show_header=False)
    table.add_row("ingested", str(report.ingested))
    table.add_row("unchanged", str(report.unchanged))
    table.add_row("conflicts", str(len(report.conflicts)))
    table.add_row("errors", str(len(report.errors)))
    for kind, count in sorted(report.errors_by_kind().items()):
        table.add_row(f"  {kind}", str(count))
    table.add_row("media files", str(report.media_files))
    table.add_row("  unreadable", str(len(report.media_errors)))
    table.add_row("skipped (not posts)", str(len(report.skipped)))
    table.add_row("  copies of a known file", str(report.media_reused))
    table.add_row("pictures", str(report.pictures))
    per = report.ocr_per_picture()
    table.add_row("  OCR calls per picture", "-" if per is None else f"{per:.2f}")
    table.add_row("families updated", str(report.families_touched))
    table.add_row("seconds", f"{report.seconds:.1f}")
    out.print(table)
    for note in report.notes:
        err.print(f"note: {note}", highlight=False, soft_wrap=True)
    _print_skips(report.skipped.lines())
    _print_problems([*report.conflicts, *report.errors, *report.media_errors])


def _print_skips(lines: list[str]) -> None:
    for line in lines:
        err.print(line, highlight=False, soft_wrap=True)


def _print_problems(problems: list[RecordError]) -> None:
    for problem in problems[:50]:
        err.print(f"[yellow]{problem}[/yellow]", highlight=False, soft_wrap=True)
    if len(problems) > 50:
        err.print(f"… and {len(problems) - 50} more (use --json for all)")


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
    store = _store()
    context = load_context(state.settings.context_file) if state.settings.context_file else None
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
            made = cards.make_content_card(store, submission, context=context)
            report = made.report.to_json()
        else:
            report = verification.verify_content(store, submission, context=context).to_json()
    else:
        report = verification.verify_post(store, post, context=context).to_json()
        if card is not None:
            made = cards.make_card(store, post, context=context)
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
    store = _store(create=True)
    with file.open(newline="", encoding="utf-8-sig") as stream:
        report = import_accounts(store, stream, str(file))
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


from tracer import cli_tables  # noqa: E402  (registers adoption, watch, accounts list)

__all__ = ["app", "cli_tables", "main"]


def main() -> None:
    try:
        app()
    except TracerError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1 if isinstance(exc, NotFoundError) else 2)
