"""What every adapter shares: options for what a format lacks, and the items it yields.

An adapter turns one export format (Instaloader, WhatsApp, …) into the canonical values
of `tracer.corpus`. Each adapter module exposes:

    NAME: str                                   # the `--format` value
    def detect(path: Path) -> bool              # cheap; True when `path` looks like this format
    def read(path: Path, options: AdapterOptions) -> Iterator[Item]

`read` streams: it yields each `Account` before the first post that uses it, each valid
post as a `PostRecord` (its `line` is the line or record number in its file), each
bad record as a `RecordError` naming file, line or record number, field and reason, and
each record it passes over on purpose (a system line, a playlist, an empty message) as a
`Skipped` with its reason, then carries on. Media paths in a post are relative to
`media_root(path)` and must exist there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Protocol

from tracer.corpus import PostRecord
from tracer.errors import RecordError
from tracer.models import Account, Tier


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that is not a post, passed over on purpose: counted by reason, not an
    error (the user is told how many, and where the first few are)."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


Item = Account | PostRecord | RecordError | Skipped
EXAMPLES = 3
"""How many places a report names for each reason a record was skipped."""


@dataclass(slots=True)
class SkipTally:
    """Skipped records by reason: how many, and the first few places (file:line)."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, skip: Skipped) -> None:
        self.counts[skip.reason] += 1
        first = self.examples.setdefault(skip.reason, [])
        if len(first) < EXAMPLES:
            first.append(str(skip))

    def __len__(self) -> int:
        return sum(self.counts.values())

    def to_json(self) -> dict[str, dict[str, object]]:
        return {
            reason: {"count": count, "first": self.examples[reason]}
            for reason, count in self.counts.most_common()
        }

    def lines(self) -> list[str]:
        """One line per reason, for a terminal."""
        return [
            f"{count} skipped: {reason} (first: {', '.join(self.examples[reason])})"
            for reason, count in self.counts.most_common()
        ]


@dataclass(frozen=True, slots=True)
class AdapterOptions:
    """What the user supplies where a format has no such field."""

    account: str | None = None
    """Account id for every post (a WhatsApp group, a folder of one account's posts)."""
    tier: Tier | None = None
    region: str | None = None
    tz: tzinfo | None = None
    """Zone of times written without an offset, or (CrowdTangle) with a zone the file
    names but tracer does not know; recorded in the post's extra fields."""
    day_first: bool | None = None
    """Day before month for dates the file itself leaves open (WhatsApp)."""


def media_root(path: Path) -> Path:
    """The folder media paths are relative to: the input folder, or a file's folder."""
    return path if path.is_dir() else path.parent


class Adapter(Protocol):
    """What `tracer.adapters` expects of an adapter module (see the module docstring)."""

    NAME: str

    def detect(self, path: Path) -> bool: ...

    def read(self, path: Path, options: AdapterOptions) -> Iterator[Item]: ...
