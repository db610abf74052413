"""What a writer process (`tracer.store.behind.WritesInProcess`) can open in tests: an
object whose writes are lines appended to a file, each after a pause."""

from __future__ import annotations

import time
from pathlib import Path


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
