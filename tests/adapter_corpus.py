"""Round trip for adapter tests: an adapter's items → a canonical corpus folder.

The adapter framework's `tracer convert` does this for users; the tests do it by hand
with the corpus writer so that each adapter is checked on its own."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterable
from pathlib import Path

from tracer.adapters.base import Item, Skipped
from tracer.corpus import PostRecord, write_corpus
from tracer.errors import RecordError
from tracer.models import Account, Post


@dataclasses.dataclass
class Split:
    accounts: list[Account]
    posts: list[Post]
    errors: list[RecordError]
    skipped: list[Skipped] = dataclasses.field(default_factory=list)


def split(items: Iterable[Item]) -> Split:
    out = Split([], [], [])
    for item in items:
        if isinstance(item, Account):
            out.accounts.append(item)
        elif isinstance(item, PostRecord):
            out.posts.append(item.post)
        elif isinstance(item, Skipped):
            out.skipped.append(item)
        else:
            out.errors.append(item)
    return out


def write_adapter_corpus(items: Iterable[Item], media_root: Path, folder: Path) -> Split:
    """Write the items as a corpus in `folder`, copying media into its `media/`."""
    parts = split(items)
    posts: list[Post] = []
    for post in parts.posts:
        moved: list[str] = []
        for relative in post.media:
            target = folder / "media" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(media_root / relative, target)
            moved.append(f"media/{relative}")
        posts.append(dataclasses.replace(post, media=tuple(moved)))
    write_corpus(folder, parts.accounts, posts)
    return Split(parts.accounts, posts, parts.errors, parts.skipped)
