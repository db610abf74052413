"""Uploaded batches become a corpus folder; archives cannot write outside it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import orjson
import pytest

from tracer import uploads
from tracer.errors import CorpusError
from tracer.store import Store

from .conftest import ACCOUNTS, RELEASE_TEXT, post_line, write_accounts


def archive(path: Path, files: dict[str, bytes], link: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zipped:
        for name, content in files.items():
            zipped.writestr(name, content)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = 0o120777 << 16  # a symbolic link
            zipped.writestr(info, "/etc/passwd")
    return path


def test_json_lines_use_the_stored_accounts(store: Store, tmp_path: Path) -> None:
    store.upsert_accounts(list(ACCOUNTS))
    body = tmp_path / "body"
    body.write_bytes(
        orjson.dumps(post_line("p1", "banten", "2024-01-27T08:15:00+07:00", RELEASE_TEXT)) + b"\n"
    )
    work = tmp_path / "work"
    report = uploads.ingest_upload(store, "ndjson", body, work, max_bytes=10_000)
    assert report.ingested == 1 and not report.errors
    assert (work / "corpus" / "accounts.csv").read_text().count("\n") == len(ACCOUNTS) + 1


def test_zip_root_or_single_folder(tmp_path: Path) -> None:
    write_accounts(tmp_path / "src", ACCOUNTS)
    accounts = (tmp_path / "src" / "accounts.csv").read_bytes()
    flat = archive(tmp_path / "flat.zip", {"accounts.csv": accounts, "posts.jsonl": b""})
    assert uploads.corpus_from_zip(flat, tmp_path / "a", 10_000) == tmp_path / "a"
    nested = archive(tmp_path / "n.zip", {"c/accounts.csv": accounts, "c/posts.jsonl": b""})
    assert uploads.corpus_from_zip(nested, tmp_path / "b", 10_000) == tmp_path / "b" / "c"


@pytest.mark.parametrize(
    ("files", "link", "reason"),
    [
        ({"../x": b"x"}, None, "leaves"),
        ({"a/../../x": b"x"}, None, "leaves"),
        ({"/abs": b"x"}, None, "leaves"),
        ({"C:/x": b"x"}, None, "leaves"),
        ({"accounts.csv": b"x"}, "media/link.jpg", "link"),
        ({"big": b"0" * 5000}, None, "too much"),
        ({"a/accounts.csv": b"", "b/accounts.csv": b""}, None, "no corpus folder"),
    ],
)
def test_refused_archives(
    tmp_path: Path, files: dict[str, bytes], link: str | None, reason: str
) -> None:
    path = archive(tmp_path / "bad.zip", files, link)
    with pytest.raises(CorpusError, match=reason):
        uploads.corpus_from_zip(path, tmp_path / "out", max_bytes=100)
    assert not (tmp_path / "x").exists() and not (tmp_path.parent / "x").exists()


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "junk.zip"
    path.write_bytes(io.BytesIO(b"PK\x03\x04junk").getvalue())
    with pytest.raises(CorpusError, match="zip"):
        uploads.corpus_from_zip(path, tmp_path / "out", 1000)
