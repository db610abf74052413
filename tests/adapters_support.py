"""What the adapter tests share: the fixture folders and a reader that sorts an
adapter's output into accounts, posts and errors, checking the order contract."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracer.adapters import read
from tracer.adapters.base import AdapterOptions, Skipped
from tracer.corpus import PostRecord
from tracer.errors import RecordError
from tracer.models import Account, Post

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "adapters"


@dataclass
class Output:
    accounts: list[Account]
    posts: list[Post]
    errors: list[RecordError]
    skipped: list[Skipped]

    def post(self, post_id: str) -> Post:
        return next(p for p in self.posts if p.post_id == post_id)

    def where(self) -> list[tuple[str, int, str]]:
        """Each error's file name, line or record number, and field."""
        return [(Path(e.file).name, e.line, e.field) for e in self.errors]

    def skips(self) -> list[tuple[str, int, str]]:
        """Each skipped record's file name, line or record number, and reason."""
        return [(Path(s.file).name, s.line, s.reason) for s in self.skipped]


def collect(path: Path, fmt: str, options: AdapterOptions | None = None) -> Output:
    out = Output([], [], [], [])
    for item in read(path, fmt, options):
        if isinstance(item, Account):
            out.accounts.append(item)
        elif isinstance(item, PostRecord):
            known = {a.account_id for a in out.accounts}
            assert item.post.account_id in known, "an account comes before its first post"
            assert item.post.published_at.utcoffset() is not None
            out.posts.append(item.post)
        elif isinstance(item, Skipped):
            assert item.file and item.line >= 1 and item.reason
            out.skipped.append(item)
        else:
            assert isinstance(item, RecordError)
            assert item.file and item.line >= 1 and item.field and item.reason
            out.errors.append(item)
    ids = [a.account_id for a in out.accounts]
    assert len(ids) == len(set(ids)), "each account is yielded once"
    return out
