"""tracer: prove where a piece of centrally distributed government content came from.

The library is the product; the CLI (`tracer.cli`) and the HTTP API (`api`) are thin
adapters. The public surface is `__all__`, with `Tracer` (`tracer.facade`) as the one
door; its names are imported on first use, so importing one module of the library does
not import all of it (worker processes stay small).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracer.config import Settings as Settings
    from tracer.errors import InputError as InputError
    from tracer.errors import NotFoundError as NotFoundError
    from tracer.errors import TracerError as TracerError
    from tracer.facade import Tracer as Tracer
    from tracer.outside import Submission as Submission
    from tracer.policy import DEFAULT_POLICY as DEFAULT_POLICY
    from tracer.policy import MatchPolicy as MatchPolicy
    from tracer.service import IngestReport as IngestReport
    from tracer.store import FamilyId as FamilyId
    from tracer.verdict import VerdictReport as VerdictReport

__version__ = "0.1.0"
__all__ = [
    "DEFAULT_POLICY",
    "FamilyId",
    "IngestReport",
    "InputError",
    "MatchPolicy",
    "NotFoundError",
    "Settings",
    "Submission",
    "Tracer",
    "TracerError",
    "VerdictReport",
]
_HOMES = {
    "DEFAULT_POLICY": "tracer.policy",
    "FamilyId": "tracer.store",
    "IngestReport": "tracer.service",
    "InputError": "tracer.errors",
    "MatchPolicy": "tracer.policy",
    "NotFoundError": "tracer.errors",
    "Settings": "tracer.config",
    "Submission": "tracer.outside",
    "Tracer": "tracer.facade",
    "TracerError": "tracer.errors",
    "VerdictReport": "tracer.verdict",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'tracer' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
