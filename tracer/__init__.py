"""tracer: prove where a piece of centrally distributed government content came from.

The library is the product; the CLI (`tracer.cli`) and the HTTP API (`api`) are thin
adapters. The public surface is `__all__`, with `Tracer` (`tracer.facade`) as the one
door, beside the values, errors, tables and helpers its callers need at their edges
(the API imports nothing else of the library). Names are imported on first use, so
importing one module of the library does not import all of it (worker processes stay
small).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracer.accounts_import import AccountsImportReport as AccountsImportReport
    from tracer.adapters.base import AdapterOptions as AdapterOptions
    from tracer.card import Card as Card
    from tracer.card import card_css as card_css
    from tracer.card import render as render_card
    from tracer.config import Settings as Settings
    from tracer.convert import ExportIngestReport as ExportIngestReport
    from tracer.coverage import Adoption as Adoption
    from tracer.errors import BusyError as BusyError
    from tracer.errors import EngineError as EngineError
    from tracer.errors import InputError as InputError
    from tracer.errors import NotFoundError as NotFoundError
    from tracer.errors import StoreError as StoreError
    from tracer.errors import TracerError as TracerError
    from tracer.facade import Tracer as Tracer
    from tracer.flags import Context as Context
    from tracer.flags import load_context as load_context
    from tracer.graphcache import Rendered as Rendered
    from tracer.media.decode import IMAGE_SUFFIXES as IMAGE_SUFFIXES
    from tracer.media.decode import VIDEO_SUFFIXES as VIDEO_SUFFIXES
    from tracer.models import Account as Account
    from tracer.models import StoredPost as StoredPost
    from tracer.normalize import parse_instant as parse_instant
    from tracer.normalize import resolve_zone as resolve_zone
    from tracer.normalize import zone_label as zone_label
    from tracer.outside import Submission as Submission
    from tracer.policy import DEFAULT_POLICY as DEFAULT_POLICY
    from tracer.policy import MatchPolicy as MatchPolicy
    from tracer.search import SearchHit as SearchHit
    from tracer.service import IngestReport as IngestReport
    from tracer.store import FamilyId as FamilyId
    from tracer.store.listings import Page as Page
    from tracer.tables import ACCOUNTS as ACCOUNTS_TABLE
    from tracer.tables import ADOPTION_ACCOUNTS as ADOPTION_ACCOUNTS_TABLE
    from tracer.tables import ADOPTION_PROVINCES as ADOPTION_PROVINCES_TABLE
    from tracer.tables import EDGES as EDGES_TABLE
    from tracer.tables import FAMILIES as FAMILIES_TABLE
    from tracer.tables import MEDIA_TYPE as CSV_MEDIA_TYPE
    from tracer.tables import NODES as NODES_TABLE
    from tracer.tables import POSTS as POSTS_TABLE
    from tracer.tables import Table as Table
    from tracer.tables import adoption_rows as adoption_rows
    from tracer.tables import csv_lines as csv_lines
    from tracer.tables import file_name as download_name
    from tracer.tracing import Family as Family
    from tracer.tracing import FamilyExport as FamilyExport
    from tracer.tracing import Trace as Trace
    from tracer.uploads import UploadKind as UploadKind
    from tracer.verdict import VerdictReport as VerdictReport
    from tracer.version import __version__ as __version__
    from tracer.watch import SORTS as WATCH_SORTS
    from tracer.watch import STATUSES as WATCH_STATUSES
    from tracer.watch import WATCH_TABLE as WATCH_TABLE
    from tracer.watch import Watch as Watch

__all__ = [  # noqa: RUF022 (plainly sorted, as tests/test_public.py checks)
    "ACCOUNTS_TABLE",
    "ADOPTION_ACCOUNTS_TABLE",
    "ADOPTION_PROVINCES_TABLE",
    "Account",
    "AccountsImportReport",
    "AdapterOptions",
    "Adoption",
    "BusyError",
    "CSV_MEDIA_TYPE",
    "Card",
    "Context",
    "DEFAULT_POLICY",
    "EDGES_TABLE",
    "EngineError",
    "ExportIngestReport",
    "FAMILIES_TABLE",
    "Family",
    "FamilyExport",
    "FamilyId",
    "IMAGE_SUFFIXES",
    "IngestReport",
    "InputError",
    "MatchPolicy",
    "NODES_TABLE",
    "NotFoundError",
    "POSTS_TABLE",
    "Page",
    "Rendered",
    "SearchHit",
    "Settings",
    "StoreError",
    "StoredPost",
    "Submission",
    "Table",
    "Trace",
    "Tracer",
    "TracerError",
    "UploadKind",
    "VIDEO_SUFFIXES",
    "VerdictReport",
    "WATCH_SORTS",
    "WATCH_STATUSES",
    "WATCH_TABLE",
    "Watch",
    "adoption_rows",
    "card_css",
    "csv_lines",
    "download_name",
    "load_context",
    "parse_instant",
    "render_card",
    "resolve_zone",
    "zone_label",
]
_HOMES = {
    "ACCOUNTS_TABLE": "tracer.tables:ACCOUNTS",
    "ADOPTION_ACCOUNTS_TABLE": "tracer.tables:ADOPTION_ACCOUNTS",
    "ADOPTION_PROVINCES_TABLE": "tracer.tables:ADOPTION_PROVINCES",
    "Account": "tracer.models",
    "AccountsImportReport": "tracer.accounts_import",
    "AdapterOptions": "tracer.adapters.base",
    "Adoption": "tracer.coverage",
    "BusyError": "tracer.errors",
    "CSV_MEDIA_TYPE": "tracer.tables:MEDIA_TYPE",
    "Card": "tracer.card",
    "Context": "tracer.flags",
    "EngineError": "tracer.errors",
    "DEFAULT_POLICY": "tracer.policy",
    "EDGES_TABLE": "tracer.tables:EDGES",
    "ExportIngestReport": "tracer.convert",
    "FAMILIES_TABLE": "tracer.tables:FAMILIES",
    "Family": "tracer.tracing",
    "FamilyExport": "tracer.tracing",
    "FamilyId": "tracer.store",
    "IMAGE_SUFFIXES": "tracer.media.decode",
    "IngestReport": "tracer.service",
    "InputError": "tracer.errors",
    "MatchPolicy": "tracer.policy",
    "NODES_TABLE": "tracer.tables:NODES",
    "NotFoundError": "tracer.errors",
    "POSTS_TABLE": "tracer.tables:POSTS",
    "Page": "tracer.store.listings",
    "Rendered": "tracer.graphcache",
    "SearchHit": "tracer.search",
    "Settings": "tracer.config",
    "StoreError": "tracer.errors",
    "StoredPost": "tracer.models",
    "Submission": "tracer.outside",
    "Table": "tracer.tables",
    "Trace": "tracer.tracing",
    "Tracer": "tracer.facade",
    "TracerError": "tracer.errors",
    "UploadKind": "tracer.uploads",
    "VIDEO_SUFFIXES": "tracer.media.decode",
    "VerdictReport": "tracer.verdict",
    "WATCH_SORTS": "tracer.watch:SORTS",
    "WATCH_STATUSES": "tracer.watch:STATUSES",
    "WATCH_TABLE": "tracer.watch",
    "Watch": "tracer.watch",
    "adoption_rows": "tracer.tables",
    "card_css": "tracer.card",
    "csv_lines": "tracer.tables",
    "download_name": "tracer.tables:file_name",
    "load_context": "tracer.flags",
    "parse_instant": "tracer.normalize",
    "render_card": "tracer.card:render",
    "resolve_zone": "tracer.normalize",
    "zone_label": "tracer.normalize",
}
"""Where each public name lives: `module`, or `module:name` when the module calls it
otherwise."""


def __getattr__(name: str) -> Any:
    if name == "__version__":  # defined once, in `tracer.version` (cards read it there)
        return importlib.import_module("tracer.version").__version__
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'tracer' has no attribute {name!r}")
    module, _, attribute = home.partition(":")
    return getattr(importlib.import_module(module), attribute or name)
