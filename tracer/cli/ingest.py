"""`tracer ingest`, `relink` and `convert`: corpora and exports into the store, with
progress bars and a report of what was skipped or refused."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from tracer.adapters import FORMATS
from tracer.adapters.base import AdapterOptions
from tracer.cli.common import _fail, _print_json, _tracer, app, err, out, state
from tracer.convert import ExportIngestReport, resolve_format
from tracer.convert import convert as convert_export
from tracer.engines import open_engine, scheduler_address
from tracer.errors import RecordError
from tracer.media import ocr
from tracer.models import TIERS
from tracer.normalize import resolve_zone
from tracer.store import shown_url


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
    engine: Annotated[
        str | None,
        typer.Option(
            help="Where media files are decoded, fingerprinted and read: local (a process "
            "per core) or dask://HOST:PORT (the workers of a Dask scheduler, which must see "
            "the corpus at the same path). Default: $TRACER_ENGINE, or local.",
        ),
    ] = None,
) -> None:
    """Ingest a corpus folder or an export and link its posts into families and cascades."""
    options = _options(account, tier, region, zone, day_first)
    spec = state.settings.engine if engine is None else engine
    try:
        scheduler_address(spec)
    except ValueError as exc:
        _fail(f"{'TRACER_ENGINE' if engine is None else '--engine'}: {exc}")
    name = resolve_format(path, fmt)
    if name == "canonical" and (account or tier or region):
        _fail("--account, --tier and --region apply to exports, not to a canonical corpus")
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
    # The engine first: a scheduler that does not answer leaves no database behind.
    with open_engine(spec) as stage:
        door = _tracer(create=True)
        with (
            door.writer(wait, on_wait=_say_waiting),
            Progress(*columns, console=err, transient=True, disable=as_json) as bar,
        ):
            read_task = bar.add_task("read", total=None, visible=name != "canonical")
            task = bar.add_task("ingest", total=total, visible=name == "canonical")
            media_task = bar.add_task("pictures and clips", total=files, visible=bool(files))
            report = door.ingest_export(
                path,
                name,
                options,
                batch_size=state.settings.batch_size,
                converted=lambda n: bar.advance(read_task, n),
                on_staged=lambda n: bar.update(task, total=n, visible=True),
                progress=lambda n: bar.advance(task, n),
                ocr_lang=ocr.LANG if read_text else None,
                media_progress=lambda n: bar.update(media_task, advance=n, visible=True),
                # The local pool is the ingest's own: its workers end with the media stage.
                engine=stage if stage.remote else None,
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
    door = _tracer()
    started = time.perf_counter()
    with err.status("linking every post again"):
        total = door.relink()
    seconds = round(time.perf_counter() - started, 3)
    counts = door.counts()
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
        report = convert_export(
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


def _render_report(report: ExportIngestReport) -> None:
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
