"""Reading and writing the canonical corpus: validation by file, line and field."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from tracer import service
from tracer.corpus import (
    AccountRecord,
    LinePlaces,
    PostRecord,
    content_digest,
    open_corpus,
    read_accounts,
    read_lines,
    read_posts,
    time_order,
    write_corpus,
)
from tracer.errors import CorpusError, RecordError
from tracer.models import Account, Post
from tracer.normalize import resolve_zone
from tracer.store import Store

from .conftest import ACCOUNTS, CorpusBuilder, post_line

KNOWN = {a.account_id for a in ACCOUNTS}
GOOD = post_line("p1", "banten", "2024-01-27T08:15:00+07:00", "Halo Sahabat Banten")


def read(lines: list[bytes | str | dict], root: Path | None = None, assume=None):  # type: ignore[no-untyped-def]
    raw = b"".join(
        (
            orjson.dumps(line)
            if isinstance(line, dict)
            else line.encode()
            if isinstance(line, str)
            else line
        )
        + b"\n"
        for line in lines
    )
    return list(
        read_posts(io.BytesIO(raw), name="posts.jsonl", accounts=KNOWN, root=root, assume=assume)
    )


def only_error(items: list[PostRecord | RecordError]) -> RecordError:
    errors = [i for i in items if isinstance(i, RecordError)]
    assert len(errors) == 1, items
    return errors[0]


# --- posts.jsonl ----------------------------------------------------------------------


def test_a_valid_line() -> None:
    [record] = read([{**GOOD, "media": [], "likes": 12, "platform_meta": {"a": 1}}])
    assert isinstance(record, PostRecord)
    assert record.line == 1
    post = record.post
    assert post.post_id == "p1" and post.account_id == "banten"
    assert post.published_at == datetime(2024, 1, 27, 1, 15, tzinfo=UTC)
    assert post.extra == {"likes": 12, "platform_meta": {"a": 1}}  # unknown fields are kept
    assert record.digest == content_digest(post)


@pytest.mark.parametrize(
    ("line", "field", "reason"),
    [
        ('{"post_id": "p2", "account_id": ', "(line)", "invalid JSON"),
        ("[1, 2, 3]", "(line)", "not a JSON object"),
        ({**GOOD, "post_id": ""}, "post_id", "missing"),
        ({**GOOD, "post_id": None}, "post_id", "missing"),
        ({**GOOD, "account_id": "nobody"}, "account_id", "'nobody' is not in accounts.csv"),
        ({**GOOD, "account_id": 5}, "account_id", "not a string"),
        ({**GOOD, "published_at": "2024-01-27T08:15:00"}, "published_at", "no UTC offset"),
        ({**GOOD, "published_at": "kemarin"}, "published_at", "not an ISO 8601 time"),
        ({**GOOD, "published_at": 1706318100}, "published_at", "not a string"),
        ({**GOOD, "text": ["a"]}, "text", "not a string"),
        ({**GOOD, "media": "media/a.jpg"}, "media", "must be a list"),
        ({**GOOD, "media": [1]}, "media", "must be a list"),
        ({**GOOD, "media": ["../x.jpg"]}, "media", "leaves the corpus folder"),
        ({**GOOD, "media": ["media/../../x.jpg"]}, "media", "leaves the corpus folder"),
        ({**GOOD, "media": ["/etc/passwd"]}, "media", "not a relative path"),
        ({**GOOD, "url": 7}, "url", "not a string or null"),
    ],
)
def test_bad_line_is_reported_by_line_and_field(line: str | dict, field: str, reason: str) -> None:
    items = read([GOOD, line, {**GOOD, "post_id": "p3"}])
    error = only_error(items)
    assert (error.file, error.line, error.field) == ("posts.jsonl", 2, field)
    assert reason in error.reason
    assert str(error).startswith(f"posts.jsonl:2: {field}: ")
    assert [i.post.post_id for i in items if isinstance(i, PostRecord)] == ["p1", "p3"]


def test_blank_lines_are_skipped_but_counted() -> None:
    items = read([GOOD, "", "   ", '{"broken"'])
    assert isinstance(items[0], PostRecord)
    assert only_error(items).line == 4


def test_numeric_post_id_and_null_text_are_tolerated() -> None:
    [record] = read([{**GOOD, "post_id": 1234, "text": None, "media": None}])
    assert isinstance(record, PostRecord)
    assert record.post.post_id == "1234"
    assert record.post.text == ""
    assert record.post.media == ()


def _lines(items: list[dict | str]) -> bytes:
    return b"".join((orjson.dumps(i) if isinstance(i, dict) else i.encode()) + b"\n" for i in items)


def test_a_file_is_read_in_time_order(tmp_path: Path) -> None:
    """Publication time (offsets applied), then post id, as the store orders posts; a line
    whose time or id cannot be read first, in file order; blank lines keep their number."""
    items: list[dict | str] = [
        post_line("b", "banten", "2024-01-27T09:00:00+07:00", "x"),  # 02:00 UTC
        "{not json",
        post_line("a", "banten", "2024-01-27T02:00:00Z", "y"),  # the same second: by id
        "",
        post_line("c", "banten", "2024-01-27T01:59:59Z", "z"),
        post_line("d", "banten", "yesterday", "w"),
        {**post_line("", "banten", "2024-01-26T00:00:00Z", "v"), "post_id": 7},  # read as "7"
    ]
    path = tmp_path / "posts.jsonl"
    path.write_bytes(_lines(items))
    with path.open("rb") as stream:
        arrival = time_order(stream)
    assert arrival.lines == 6 and arrival.order is not None
    placed = list(LinePlaces(str(path), arrival.order))
    assert [n for n, _ in placed] == [2, 6, 7, 5, 3, 1]
    with path.open("rb") as stream:
        assert sorted(placed) == list(read_lines(stream))  # the same bytes, every line once
    parts = list(LinePlaces(str(path), arrival.order).parts(4))
    assert [len(p) for p in parts] == [4, 2] and [x for p in parts for x in p] == placed


def test_a_naive_time_is_ordered_in_the_assumed_zone(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(
        _lines(
            [
                post_line("a", "banten", "2024-01-27T08:30:00", "x"),  # 01:30 UTC in WIB
                post_line("b", "banten", "2024-01-27T01:00:00Z", "y"),
            ]
        )
    )
    with path.open("rb") as stream:
        arrival = time_order(stream, resolve_zone("WIB"))
    assert arrival.order is not None and arrival.order[:, 0].tolist() == [2, 1]


def test_a_file_in_order_or_with_a_repeated_id_is_read_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    early = post_line("a", "banten", "2024-01-27T01:00:00Z", "x")
    late = post_line("b", "banten", "2024-01-27T02:00:00Z", "y")
    for items, lines in (([early, late], 2), ([late, early, late], 3), ([], 0)):
        path.write_bytes(_lines(items))
        with path.open("rb") as stream:
            arrival = time_order(stream)
        assert (arrival.lines, arrival.order) == (lines, None)


def test_naive_time_with_an_assumed_zone() -> None:
    [record] = read([{**GOOD, "published_at": "2024-01-27T08:15:00"}], assume=resolve_zone("WIT"))
    assert isinstance(record, PostRecord)
    assert record.post.published_at == datetime(2024, 1, 26, 23, 15, tzinfo=UTC)


def test_media_inside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.jpg").write_bytes(b"jpeg")
    items = read(
        [
            {**GOOD, "media": ["media/a.jpg", "./media/a.jpg"]},
            {**GOOD, "post_id": "p2", "media": ["media/missing.jpg"]},
            {**GOOD, "post_id": "p3", "media": ["../corpus-sibling.jpg"]},
        ],
        root=tmp_path,
    )
    assert isinstance(items[0], PostRecord)
    assert items[0].post.media == ("media/a.jpg", "media/a.jpg")
    assert isinstance(items[1], RecordError) and "does not exist" in items[1].reason
    assert isinstance(items[2], RecordError) and "leaves the corpus folder" in items[2].reason


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.jpg"
    outside.write_bytes(b"jpeg")
    root = tmp_path / "corpus"
    (root / "media").mkdir(parents=True)
    os.symlink(outside, root / "media" / "link.jpg")
    error = only_error(read([{**GOOD, "media": ["media/link.jpg"]}], root=root))
    assert error.field == "media"
    assert "leaves the corpus folder" in error.reason


def test_digest_changes_with_content_only() -> None:
    a = read([GOOD])[0]
    b = read([{**GOOD, "published_at": "2024-01-27T01:15:00Z"}])[0]  # same instant
    c = read([{**GOOD, "text": "Halo Sahabat Banten!"}])[0]
    d = read([{**GOOD, "likes": 3}])[0]  # extra fields change between exports
    e = read([{**GOOD, "url": "https://x.id/p"}])[0]
    f = read([{**GOOD, "published_at": "2024-01-27T08:16:00+07:00"}])[0]
    records = [a, b, c, d, e, f]
    assert all(isinstance(r, PostRecord) for r in records)
    digests = [r.digest for r in records]  # type: ignore[union-attr]
    assert digests[0] == digests[1] == digests[3]
    assert len({digests[0], digests[2], digests[4], digests[5]}) == 4


# --- accounts.csv --------------------------------------------------------------------

HEADER = "account_id,platform,handle,name,tier,region,parent_id\n"


def test_accounts_are_read_and_validated() -> None:
    csv_text = HEADER + (
        "kominfo,instagram,kemkominfo,Kementerian Kominfo,central,Indonesia,\n"
        'serang,instagram,diskominfo.serang,"Diskominfo Serang, Banten",Regency,'
        "Kabupaten Serang,banten\n"
        ",instagram,x,X,other,,\n"
        "kominfo,x,kemkominfo,Kominfo,central,Indonesia,\n"
        "mystery,x,m,M,village,,\n"
    )
    items = list(read_accounts(io.StringIO(csv_text), "accounts.csv"))
    accounts = [i.account for i in items if isinstance(i, AccountRecord)]
    errors = [i for i in items if isinstance(i, RecordError)]
    assert accounts == [
        Account(
            "kominfo",
            "instagram",
            "kemkominfo",
            "Kementerian Kominfo",
            "central",
            "Indonesia",
            None,
        ),
        Account(
            "serang",
            "instagram",
            "diskominfo.serang",
            "Diskominfo Serang, Banten",
            "regency",
            "Kabupaten Serang",
            "banten",
        ),
    ]
    assert [(e.line, e.field) for e in errors] == [
        (4, "account_id"),
        (5, "account_id"),
        (6, "tier"),
    ]
    assert "duplicate" in errors[1].reason


def test_accounts_header_must_be_complete() -> None:
    with pytest.raises(CorpusError, match="parent_id"):
        list(read_accounts(io.StringIO("account_id,platform,handle,name,tier,region\n")))


def test_accounts_csv_with_a_byte_order_mark(corpus_builder: CorpusBuilder, store: Store) -> None:
    # Spreadsheet exports (the CSV adapters' input) start accounts.csv with a UTF-8 BOM.
    folder = corpus_builder.add(GOOD).write()
    path = folder / "accounts.csv"
    path.write_bytes("\ufeff".encode() + path.read_bytes())
    report = service.ingest(store, folder)
    assert report.errors == []
    assert report.ingested == 1


# --- folders --------------------------------------------------------------------------


def test_open_corpus_reports_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not a folder"):
        open_corpus(tmp_path / "nowhere")
    (tmp_path / "c").mkdir()
    with pytest.raises(CorpusError, match=r"accounts\.csv: missing"):
        open_corpus(tmp_path / "c")
    (tmp_path / "c" / "accounts.csv").write_text(HEADER)
    with pytest.raises(CorpusError, match=r"posts\.jsonl: missing"):
        open_corpus(tmp_path / "c")
    (tmp_path / "c" / "posts.jsonl").write_text("")
    assert open_corpus(tmp_path / "c") == (
        tmp_path / "c" / "accounts.csv",
        tmp_path / "c" / "posts.jsonl",
    )


def test_write_corpus_round_trips(tmp_path: Path) -> None:
    wib = resolve_zone("WIB")
    posts = [
        Post(
            "a",
            "kominfo",
            datetime(2024, 1, 26, 19, 33, tzinfo=wib),
            'Teks, "kutip"\nbaris',
            (),
            "https://x.id/a",
            {"likes": 3},
        ),
        Post("b", "serang", datetime(2024, 1, 27, 3, 2, tzinfo=UTC), "", ("media/b.jpg",), None),
    ]
    folder = tmp_path / "out"
    write_corpus(folder, ACCOUNTS, posts)
    (folder / "media").mkdir()
    (folder / "media" / "b.jpg").write_bytes(b"jpeg")
    with (folder / "accounts.csv").open(newline="", encoding="utf-8") as stream:
        assert [r.account for r in read_accounts(stream)] == list(ACCOUNTS)
    with (folder / "posts.jsonl").open("rb") as stream:
        records = list(read_posts(stream, accounts=KNOWN, root=folder))
    assert [r.post for r in records if isinstance(r, PostRecord)] == posts
    assert records[0].post.extra == {"likes": 3}  # type: ignore[union-attr]
    assert records[0].post.published_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_builder_writes_what_the_reader_accepts(corpus_builder: CorpusBuilder) -> None:
    folder = corpus_builder.add(GOOD).write()
    with (folder / "posts.jsonl").open("rb") as stream:
        [record] = list(read_posts(stream, accounts=KNOWN, root=folder))
    assert isinstance(record, PostRecord)
