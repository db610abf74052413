"""What every `tracer` command shares: the Typer app, the global `--db` option and the
settings it resolves, the consoles, and how a library error becomes a message and an
exit status (never a traceback)."""

from __future__ import annotations

import sys
from typing import Annotated, Any, NoReturn

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console

from tracer.config import Settings
from tracer.errors import NotFoundError, TracerError
from tracer.facade import Tracer
from tracer.normalize import resolve_zone

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


def _tracer(create: bool = False) -> Tracer:
    """The one door to the library for this command, on the database and context rules
    of the settings; only the commands that write may create the database, so a
    mistyped path is an error."""
    return Tracer.from_settings(state.settings, create=create)


def _print_json(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")


def _duration(seconds: int) -> str:
    hours, rest = divmod(abs(seconds), 3600)
    sign = "-" if seconds < 0 else ""
    return f"{sign}{hours}h{rest // 60:02d}m"


def main() -> None:
    try:
        app()
    except TracerError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1 if isinstance(exc, NotFoundError) else 2)
