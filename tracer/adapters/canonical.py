"""The canonical corpus itself (accounts.csv + posts.jsonl), read through `tracer.corpus`,
so `convert` can copy or re-root a corpus like any other export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tracer.adapters.base import AdapterOptions, Item
from tracer.corpus import (
    ACCOUNTS_FILE,
    POSTS_FILE,
    AccountRecord,
    open_corpus,
    read_accounts,
    read_posts,
)

NAME = "canonical"


def detect(path: Path) -> bool:
    return path.is_dir() and (path / ACCOUNTS_FILE).is_file() and (path / POSTS_FILE).is_file()


def read(path: Path, options: AdapterOptions) -> Iterator[Item]:
    """Accounts first (the file says them all), then posts. Options do not apply: a
    canonical corpus has every field; `tz` is the zone of offset-less times."""
    accounts_path, posts_path = open_corpus(path)
    known: set[str] = set()
    with accounts_path.open(newline="", encoding="utf-8") as stream:
        for item in read_accounts(stream, str(accounts_path)):
            if isinstance(item, AccountRecord):
                known.add(item.account.account_id)
                yield item.account
            else:
                yield item
    with posts_path.open("rb") as stream:
        yield from read_posts(
            stream, name=str(posts_path), accounts=known, root=path, assume=options.tz
        )
