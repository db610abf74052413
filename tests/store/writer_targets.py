"""What a writer process (`tracer.store.behind.WritesInProcess`) can open in tests: an
object whose writes are lines appended to a file, each after a pause; an ingest's
writes, slowed down."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tracer.relinking import RelinkWrites


class Marks:
    def __init__(self, path: str) -> None:
        self.path = Path(path)

    def mark(self, text: str, seconds: float = 0.0) -> None:
        time.sleep(seconds)
        with self.path.open("a") as out:
            out.write(text + "\n")

    def close(self) -> None:
        pass


def unreadable() -> object:
    """Called when the process unpickles an `Unreadable`: it cannot be read there."""
    raise RuntimeError("not readable here")


class Unreadable:
    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (unreadable, ())


class SlowBatches(RelinkWrites):
    """An ingest's writer process that writes each batch of posts after a pause: the
    ingest reads, checks and links the next batches meanwhile."""

    def write_batch(self, *args: Any, **kwargs: Any) -> None:
        time.sleep(0.3)
        self.store.write_batch(*args, **kwargs)
