"""The `tracer` command: a thin adapter over the library.

Each command parses, calls the library and renders; errors from the library become a
one-line message on stderr and a non-zero exit code, never a traceback. `common` holds
the app and what commands share; importing `ingest`, `commands` and `tables` registers
their commands on it, in the order `tracer --help` lists them.
"""

# isort: off
from tracer.cli import ingest
from tracer.cli import commands
from tracer.cli import tables

# isort: on
from tracer.cli.common import app, main

__all__ = ["app", "commands", "ingest", "main", "tables"]
