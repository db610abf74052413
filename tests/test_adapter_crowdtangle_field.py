"""CrowdTangle downloads as they come: other dashboard zones, `--tz` for one tracer
cannot read, the split date and time columns, reduced column sets, and a folder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tracer import convert
from tracer.adapters import crowdtangle, detect, zones
from tracer.adapters.base import AdapterOptions
from tracer.store import Store

from .adapters_support import FIXTURES, collect

FIELD = FIXTURES / "crowdtangle_field"
ZONES = FIELD / "dashboard_zones.csv"


def post_id(n: int) -> str:
    return f"facebook:78900000000002{n}" if n < 10 else f"facebook:7890000000000{n}"


def test_dashboard_zones_from_the_maintained_tables() -> None:
    out = collect(ZONES, "crowdtangle")
    assert out.post(post_id(1)).published_at == datetime(2024, 1, 27, 2, 40, tzinfo=UTC)  # BRT
    assert out.post(post_id(2)).published_at == datetime(2024, 1, 27, 2, 40, tzinfo=UTC)  # SGT
    assert out.post(post_id(3)).published_at == datetime(2024, 1, 27, 2, 40, tzinfo=UTC)  # NZDT
    assert out.post(post_id(6)).published_at == datetime(2024, 1, 27, 3, 40, tzinfo=UTC)  # GMT+6
    assert "assumed_tz" not in out.post(post_id(1)).extra
    # The release and the cuti message span three lines each: rows start at 2, 5, 8, 9, 10.
    assert out.where() == [
        ("dashboard_zones.csv", 9, "Post Created"),
        ("dashboard_zones.csv", 10, "Post Created"),
    ]
    ist, unknown = (e.reason for e in out.errors)
    assert "ambiguous" in ist and "+05:30" in ist and "--tz" in ist
    assert "unknown zone 'QQT'" in unknown and "--tz" in unknown


def test_tz_reads_the_zones_tracer_cannot() -> None:
    out = collect(ZONES, "crowdtangle", AdapterOptions(tz=ZoneInfo("Asia/Kolkata")))
    assert out.errors == []
    ist = out.post(post_id(4))
    assert ist.published_at == datetime(2024, 1, 27, 2, 40, tzinfo=UTC)
    assert (ist.extra["assumed_tz"], ist.extra["zone_written"]) == ("Asia/Kolkata", "IST")
    # A zone the file names and tracer knows is not overridden by --tz.
    assert out.post(post_id(1)).published_at == datetime(2024, 1, 27, 2, 40, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "year", "offset"),
    [("BRT", 2015, -3), ("SGT", 2024, 8), ("NZST", 2024, 12), ("MSK", 2013, 4), ("MSK", 2024, 3)],
)
def test_zone_table(name: str, year: int, offset: int) -> None:
    zone = zones.lookup(name, year)
    assert zone is not None and zone.utcoffset(None) == timedelta(hours=offset)


def test_ambiguous_and_unknown_zones() -> None:
    with pytest.raises(zones.Ambiguous, match="IST"):
        zones.lookup("IST", 2024)
    assert zones.lookup("QQT", 2024) is None


def test_split_date_and_time_columns() -> None:
    path = FIELD / "date_and_time.csv"
    assert crowdtangle.detect(path)
    out = collect(path, "crowdtangle")
    first = out.post(post_id(7))
    assert first.published_at == datetime(2024, 1, 27, 3, 40, tzinfo=UTC)
    assert first.extra["assumed_tz"] == "Asia/Jakarta"
    assert out.post(post_id(8)).published_at == datetime(2024, 1, 28, 1, 0, tzinfo=UTC)
    assert out.where() == [("date_and_time.csv", 6, "Post Created")]


def test_reduced_columns_take_the_page_from_the_url() -> None:
    out = collect(FIELD / "reduced.csv", "crowdtangle")
    assert [a.account_id for a in out.accounts] == [
        "facebook:100064000000001",
        "facebook:pemkabserang",
    ]
    assert out.accounts[0].name == "Diskominfo Banten"
    assert out.post(post_id(32)).account_id == "facebook:100064000000001"
    assert out.where() == [("reduced.csv", 9, "author")]  # rows span lines


def test_reduced_columns_with_account_put_every_row_on_it() -> None:
    out = collect(FIELD / "reduced.csv", "crowdtangle", AdapterOptions(account="banten"))
    assert [a.account_id for a in out.accounts] == ["banten"]
    assert len(out.posts) == 4 and out.errors == []


def test_a_folder_holding_an_export_is_detected_and_read(tmp_path: Path, store: Store) -> None:
    folder = FIELD / "download"
    assert detect(folder) == "crowdtangle"
    out = collect(folder, "crowdtangle")
    assert [p.post_id for p in out.posts] == [post_id(31), post_id(32)]
    report = convert.convert(folder, tmp_path / "out")
    assert (report.format, report.posts) == ("crowdtangle", 2)
