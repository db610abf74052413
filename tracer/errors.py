"""One error tree for the whole project.

    TracerError
    ├── InputError            bad input from a user or a file (maps to HTTP 400/422)
    │   ├── CorpusError       a corpus folder that cannot be read at all
    │   ├── RecordError       one bad record: file, line, field and reason
    │   └── MediaError        a media file that cannot be decoded or breaks a limit
    ├── NotFoundError         an unknown post, family or account (HTTP 404)
    ├── StoreError            the database is unusable (wrong schema version, corrupt)
    │   └── SnapshotError     a stored snapshot of the indexes that cannot be used: rebuilt
    ├── EngineError           the fingerprint stage's engine cannot be used (CLI exit 2)
    └── BusyError             another writer holds the database (HTTP 409, CLI exit 2)

A batch never stops on a RecordError: it records it and carries on.
"""

from __future__ import annotations


class TracerError(Exception):
    """Base of every error tracer raises on purpose."""


class InputError(TracerError):
    """Input that tracer refuses, with a message a person can act on."""


class CorpusError(InputError):
    """A corpus that cannot be read at all (missing folder or accounts file)."""


class RecordError(InputError):
    """One invalid record; carries where it is and what is wrong."""

    def __init__(self, file: str, line: int, field: str, reason: str) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
        super().__init__(f"{file}:{line}: {field}: {reason}")

    def __reduce__(self) -> tuple[type[RecordError], tuple[str, int, str, str]]:
        """Rebuilt from its fields: a worker process that prepares lines returns the bad
        ones (an exception pickles only its message, which `__init__` does not take)."""
        return type(self), (self.file, self.line, self.field, self.reason)


class MediaError(InputError):
    """A media file refused or unreadable; reported against its post, never fatal."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")

    def __reduce__(self) -> tuple[type[MediaError], tuple[str, str]]:
        return type(self), (self.file, self.reason)


class NotFoundError(TracerError):
    """An identifier that the store does not know."""


class StoreError(TracerError):
    """The database cannot be used as it is."""


class SnapshotError(StoreError):
    """A snapshot of the linker's indexes that is corrupt, truncated or of another
    format: never served, the indexes are built again from the posts."""


class EngineError(TracerError):
    """The engine of the fingerprint stage cannot be used: a spec that names none, a
    Dask scheduler that does not answer or has no workers, or workers that would not
    compute what this process computes."""


class BusyError(TracerError):
    """Another ingest holds the database's writer lock and did not finish in time."""
