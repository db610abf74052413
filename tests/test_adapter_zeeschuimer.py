"""Zeeschuimer NDJSON: Instagram, TikTok and X items, every time layout, bad lines."""

from __future__ import annotations

import gzip
import lzma
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracer.adapters import detect, zeeschuimer

from .adapters_support import FIXTURES, collect

EXPORT = FIXTURES / "zeeschuimer" / "export.ndjson"


def test_detects_the_envelope() -> None:
    assert zeeschuimer.detect(EXPORT)
    assert zeeschuimer.detect(EXPORT.parent)
    assert not zeeschuimer.detect(FIXTURES / "crowdtangle" / "facebook.csv")


def test_items_of_each_platform() -> None:
    out = collect(EXPORT, "zeeschuimer")
    assert [a.account_id for a in out.accounts] == [
        "instagram:kemenkominfo",
        "tiktok:diskominfo.banten",
        "x:kemkominfo",
        "x:jabarprov",
        "tiktok:diskominfo.serangkab",
    ]
    times = {p.post_id: p.published_at for p in out.posts}
    assert times == {
        "instagram:3287654321098765432": datetime(2024, 1, 26, 12, 33, tzinfo=UTC),
        "tiktok:7328000000000000001": datetime(2024, 1, 27, 4, 0, tzinfo=UTC),  # "seconds"
        "x:1750000000000000001": datetime(2024, 1, 24, 12, 0, tzinfo=UTC),  # X layout
        "x:1750000000000000002": datetime(2024, 1, 27, 3, 15, tzinfo=UTC),  # RFC 2822 +0700
        "tiktok:7328000000000000002": datetime(2024, 1, 27, 6, 30, tzinfo=UTC),  # ms
        "instagram:3288000000000000001": datetime(2024, 1, 27, 3, 0, tzinfo=UTC),  # 4CAT
    }
    tweet = out.post("x:1750000000000000002")
    assert tweet.text.startswith("Presiden Punya Hak Politik, Acuannya UU Pemilu\n\n")  # note
    assert tweet.url == "https://x.com/jabarprov/status/1750000000000000002"
    tiktok = out.post("tiktok:7328000000000000001")
    assert tiktok.url == "https://www.tiktok.com/@diskominfo.banten/video/7328000000000000001"
    assert tiktok.extra["collected_at"] == "2024-01-29T03:46:40Z"
    assert all(p.media == () for p in out.posts)


def test_every_skip_names_line_field_and_reason() -> None:
    out = collect(EXPORT, "zeeschuimer")
    assert out.where() == [
        ("export.ndjson", 6, "(line)"),
        ("export.ndjson", 7, "data.taken_at"),
        ("export.ndjson", 8, "(line)"),
        ("export.ndjson", 9, "source_platform"),
    ]
    assert out.errors[0].reason.startswith("invalid JSON")
    assert out.errors[2].reason.startswith("not UTF-8 (byte 0xE9")
    assert "linkedin.com" in out.errors[3].reason


@pytest.mark.parametrize("packer", [gzip.compress, lzma.compress])
def test_compressed_exports_are_streamed(packer: Callable[[bytes], bytes], tmp_path: Path) -> None:
    suffix = ".gz" if packer is gzip.compress else ".xz"
    packed = tmp_path / f"export.ndjson{suffix}"
    packed.write_bytes(packer(EXPORT.read_bytes()))
    assert zeeschuimer.detect(packed)
    assert detect(packed) == "zeeschuimer"
    plain, unpacked = collect(EXPORT, "zeeschuimer"), collect(packed, "zeeschuimer")
    assert unpacked.posts == plain.posts
    assert [(e.line, e.field) for e in unpacked.errors] == [(e.line, e.field) for e in plain.errors]


def test_a_truncated_archive_keeps_the_lines_before_the_break(tmp_path: Path) -> None:
    lines = EXPORT.read_bytes() * 40  # long enough for the break to fall late
    whole = gzip.compress(lines)
    packed = tmp_path / "export.ndjson.gz"
    packed.write_bytes(whole[: len(whole) * 3 // 4])
    out = collect(packed, "zeeschuimer")
    last = out.errors[-1]
    assert (last.field, last.reason.split(":")[0]) == ("(file)", "truncated or corrupt")
    assert last.line > 11  # at least one whole copy of the export came through
    assert len(out.posts) >= 6
    assert all(p.extra["source_record"] < last.line for p in out.posts)
