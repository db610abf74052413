"""What every adapter shares: options for what a format lacks, and the items it yields.

An adapter turns one export format (Instaloader, WhatsApp, …) into the canonical values
of `tracer.corpus`. Each adapter module exposes:

    NAME: str                                   # the `--format` value
    def detect(path: Path) -> bool              # cheap; True when `path` looks like this format
    def read(path: Path, options: AdapterOptions) -> Iterator[Item]

`read` streams: it yields each `Account` before the first post that uses it, each valid
post as a `PostRecord` (its `line` is the line or record number in its file), and each
bad record as a `RecordError` naming file, line or record number, field and reason, then
carries on. Media paths in a post are relative to `media_root(path)` and must exist there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Protocol

from tracer.corpus import PostRecord
from tracer.errors import RecordError
from tracer.models import Account, Tier

Item = Account | PostRecord | RecordError


@dataclass(frozen=True, slots=True)
class AdapterOptions:
    """What the user supplies where a format has no such field."""

    account: str | None = None
    """Account id for every post (a WhatsApp group, a folder of one account's posts)."""
    tier: Tier | None = None
    region: str | None = None
    tz: tzinfo | None = None
    """Zone of times written without an offset; recorded in the post's extra fields."""


def media_root(path: Path) -> Path:
    """The folder media paths are relative to: the input folder, or a file's folder."""
    return path if path.is_dir() else path.parent


class Adapter(Protocol):
    """What `tracer.adapters` expects of an adapter module (see the module docstring)."""

    NAME: str

    def detect(self, path: Path) -> bool: ...

    def read(self, path: Path, options: AdapterOptions) -> Iterator[Item]: ...
