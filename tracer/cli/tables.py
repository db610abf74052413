"""The analysts' commands of `tracer`: `adoption`, `watch`, `accounts list` and
`accounts duplicates`, each with `--csv` (the same table as the API's `format=csv`) and
`--json` (the API's JSON). Registered on `tracer.cli.app` when `tracer.cli` loads.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

import typer
from rich.table import Table as RichTable

from tracer.cli.commands import accounts_app
from tracer.cli.common import _duration, _print_json, _tracer, app, out, state
from tracer.tables import (
    ACCOUNTS,
    ADOPTION_ACCOUNTS,
    ADOPTION_PROVINCES,
    Table,
    adoption_rows,
    csv_lines,
)
from tracer.watch import SORTS, STATUSES, WATCH_TABLE

CsvOption = Annotated[bool, typer.Option("--csv", help="Print a CSV table (UTF-8, header).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the API's JSON.")]


def _write_csv(table: Table, items: Iterable[Mapping[str, Any]]) -> None:
    for line in csv_lines(table, items, state.settings.timezone):
        sys.stdout.write(line)


def _columns(rows: list[list[str]]) -> None:
    """Rows as plain columns, padded to the widest cell: nothing is cut or wrapped."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        sys.stdout.write("\n")


@app.command()
def adoption(
    post: Annotated[str, typer.Argument(help="Any post of the family: id or URL.")],
    as_csv: CsvOption = False,
    provinces: Annotated[
        bool, typer.Option("--provinces", help="With --csv: one row per province.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Who carried the release of a post's family, by province (all 38) and tier, and
    which accounts and offices did not."""
    result = _tracer().adoption(post).to_json()
    if as_json:
        _print_json(result)
    elif as_csv and provinces:
        _write_csv(ADOPTION_PROVINCES, result["by_province"])
    elif as_csv:
        _write_csv(ADOPTION_ACCOUNTS, adoption_rows(result))
    else:
        _render_adoption(result)


def _render_adoption(result: dict[str, Any]) -> None:
    release = result["release"]
    totals = result["offices"]
    sys.stdout.write(
        f"release: {release['post_id']} · {release['account_id']} · {result['family_id']}\n"
        f"accounts: {len(result['adopters'])} adopted, {len(result['missing'])} missing · "
        f"offices: {totals['adopted']} adopted, {totals['missing']} missing, "
        f"{totals['no_account']} without an account (of {totals['total']})\n"
    )
    rows = [["code", "province", "accounts", "offices", "median lag", "missing offices"]]
    for p in result["by_province"]:
        lag = p["median_lag_seconds"]
        rows.append(
            [
                p["code"],
                p["province"],
                f"{p['adopted']}/{p['adopted'] + p['missing']}",
                f"{p['offices_adopted']}/{p['offices_adopted'] + p['offices_missing']}"
                f" of {p['offices_total']}",
                _duration(lag) if lag is not None else "-",
                ", ".join(p["missing_offices"]),
            ]
        )
    _columns(rows)
    if result["unplaced"]:
        sys.stdout.write(f"not placed in the registry: {', '.join(result['unplaced'])}\n")


@app.command("watch")
def watch_command(
    start: Annotated[
        str | None, typer.Option("--from", help="First day (YYYY-MM-DD) or a time with offset.")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day (included) or a time (excluded).")
    ] = None,
    flag: Annotated[
        list[str] | None,
        typer.Option("--flag", help="Flags a post must carry (default: both); repeatable."),
    ] = None,
    province: Annotated[str | None, typer.Option(help="Province name or code.")] = None,
    tier: Annotated[str | None, typer.Option(help="central, province or regency.")] = None,
    status: Annotated[str | None, typer.Option(help=f"One of {', '.join(STATUSES)}.")] = None,
    sort: Annotated[str, typer.Option(help=f"One of {', '.join(SORTS)}.")] = "published_at",
    desc: Annotated[bool, typer.Option("--desc", help="Largest first.")] = False,
    as_csv: CsvOption = False,
    as_json: JsonOption = False,
) -> None:
    """The neutrality watch: government posts inside a sensitive period that carry the
    context flags, with their verdict (traced to a release, own content, before any
    release)."""
    zone = state.settings.timezone
    result = _tracer().watch(
        start, end, flag, zone, province=province, tier=tier, status=status, sort=sort,
        order="desc" if desc else "asc",
    ).to_json()  # fmt: skip
    if as_json:
        _print_json(result)
    elif as_csv:
        _write_csv(WATCH_TABLE, result["items"])
    else:
        _render_watch(result)


def _render_watch(result: dict[str, Any]) -> None:
    counts = result["counts"]
    statuses = ", ".join(f"{k} {v}" for k, v in counts["by_status"].items()) or "none"
    periods = "; ".join(f"{p['name']} {p['start']}..{p['end']}" for p in result["periods"])
    sys.stdout.write(f"{counts['posts']} posts ({statuses}) · {periods}\n")
    rows = [["published", "post", "account", "tier", "province", "verdict", "source", "lag"]]
    for item in result["items"]:
        source = item["release"] or item["first_seen"]
        lag = item["lag_seconds"]
        rows.append(
            [
                item["local_time"][:16] + item["local_time"][19:],
                item["post_id"],
                item["account_id"],
                item["tier"],
                item["province"] or "-",
                item["status"],
                source["post_id"] if source and source["post_id"] != item["post_id"] else "-",
                "+" + _duration(lag) if lag is not None else "-",
            ]
        )
    _columns(rows)


@accounts_app.command("list")
def accounts_list(
    tier: Annotated[str | None, typer.Option(help="Only this tier.")] = None,
    as_csv: CsvOption = False,
    as_json: JsonOption = False,
) -> None:
    """Every account with its office, province and number of posts."""
    door = _tracer()
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = door.accounts(tier=tier, limit=500, cursor=cursor)
        items.extend(page.items)
        if page.next is None:
            break
        cursor = page.next
    if as_json:
        _print_json({"items": items, "next": None})
        return
    if as_csv:
        _write_csv(ACCOUNTS, items)
        return
    table = RichTable("account", "platform", "tier", "office", "province", "posts")
    for a in items:
        table.add_row(
            a["account_id"], a["platform"], a["tier"], a["office"] or "-", a["province"] or "-",
            str(a["posts"]),
        )  # fmt: skip
    out.print(table)


@accounts_app.command("duplicates")
def accounts_duplicates() -> None:
    """Accounts stored twice: the same platform and handle (normalised) under two ids.
    Exit 1 when there are some."""
    groups = _tracer().duplicate_accounts()
    for group in groups:
        out.print(
            f"{group[0].platform} @{group[0].handle}: " + ", ".join(a.account_id for a in group),
            highlight=False,
        )
    if groups:
        raise typer.Exit(1)
    out.print("no duplicate accounts")
