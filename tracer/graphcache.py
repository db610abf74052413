"""Families' cascade graphs built once per family version and served from memory.

A release that every office re-posts makes a family of 500–600 posts, and every
`/trace` of one of them returns the whole family's graph: reading 600 rows back and
serialising 600 nodes and edges cost 20–40 ms a request, for the same answer each time
until an ingest changes that family. The store stamps every family with the generation
of the write that last changed it (`families.version`, `tracer.store.generation`), and
the look-up of the traced post reads that version in the same statement (the graph
route reads it by key). So a family (its posts and edges), its node-link JSON and each
export (Cytoscape, GraphML, GEXF, Grafana, the CSV tables) are built once per
(family, version) and kept in a byte-bounded LRU (`tracer.lru`).

Another process's ingest moves the version in the database, and every request reads
it: no replica serves a graph older than the version it reads, and an ingest that
changes family F rebuilds F's graph only. What is built after the version was read is
never older than that version, so an entry can only be newer than its key, not staler.

The same key gives each answer an entity tag, so a client polling with `If-None-Match`
is told "not modified" after one look-up, before anything is built.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

import orjson

from tracer.errors import InputError, NotFoundError, StoreError
from tracer.exports import FORMATS, MEDIA_TYPES, node_link, render
from tracer.lru import LruStats, SizedLru
from tracer.models import StoredPost
from tracer.normalize import normalize_url
from tracer.policy import MatchPolicy
from tracer.store import Store
from tracer.store.family_id import family_number
from tracer.store.listings import parse_family_id
from tracer.tables import EDGES, NODES, csv_lines
from tracer.tables import MEDIA_TYPE as CSV_MEDIA_TYPE
from tracer.tracing import Family, FamilyExport, Trace, get_family, load_family, trace_in
from tracer.version import __version__

TABLES = {"nodes": NODES, "edges": EDGES}
"""The family's tables as CSV (`table`): its posts (nodes) and who copied whom (edges)."""
POST_BYTES = 2_200
"""Estimated memory of one member held in a cached family (its post, its edge, their
dicts and strings) besides its text; tracemalloc measured 1.7–2.2 KB on the bench corpus."""

Key = tuple[int, int]
"""(family number, family version)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """An answer rendered from a family: its bytes, media type and entity tag."""

    body: bytes | None
    """None: the client's copy, named in `If-None-Match`, is current (HTTP 304)."""
    media_type: str
    etag: str | None
    """A weak entity tag (`W/"…"`); None when the family has no version to name it."""


class _Entry:
    """A cached family with the documents rendered from it so far."""

    __slots__ = ("documents", "family", "key")

    def __init__(self, family: Family, key: Key | None = None) -> None:
        self.family = family
        self.key = key
        """Its key in the cache; None: built for one answer, not kept."""
        self.documents: dict[tuple[str, str, str], bytes] = {}


class GraphCache:
    """Families by (family number, version), at most `max_bytes` (estimated) in all;
    `max_bytes` 0 builds every answer afresh (nothing kept)."""

    def __init__(self, max_bytes: int) -> None:
        self._lru: SizedLru[Key, _Entry] = SizedLru(max_bytes)
        self._guard = threading.Lock()
        self._building: dict[Key, threading.Lock] = {}

    def stats(self) -> LruStats:
        return self._lru.stats()

    # --- the library's values ------------------------------------------------------

    def trace(self, store: Store, policy: MatchPolicy, ref: str) -> Trace:
        post, _, entry = self._traced(store, policy, ref)
        assert entry is not None  # no If-None-Match: always built
        return trace_in(post, entry.family)

    def family(self, store: Store, policy: MatchPolicy, family_id: str) -> Family:
        number = parse_family_id(family_id)
        return self._family(store, policy, family_id, number, store.family_version(number)).family

    def export(
        self, store: Store, policy: MatchPolicy, family_id: str, fmt: str, zone: str
    ) -> FamilyExport:
        """A family's cascade to write in one of `exports.FORMATS`, from the cached
        family."""
        _check(fmt, None)
        family = self.family(store, policy, family_id)
        return FamilyExport(family, fmt, zone, _names(store))

    # --- answers as bytes, with their entity tags ----------------------------------

    def trace_document(
        self, store: Store, policy: MatchPolicy, ref: str, if_none_match: str | None = None
    ) -> Rendered:
        """`GET /trace`'s JSON, the family's graph serialised once per version."""
        post, etag, entry = self._traced(store, policy, ref, if_none_match)
        if entry is None:
            return Rendered(None, MEDIA_TYPES["json"], etag)
        graph = orjson.Fragment(self._document(store, entry, "json", "", ""))
        body = orjson.dumps(trace_in(post, entry.family).to_json(graph=graph))
        return Rendered(body, MEDIA_TYPES["json"], etag)

    def graph_document(
        self,
        store: Store,
        policy: MatchPolicy,
        family_id: str,
        fmt: str,
        zone: str,
        table: str | None = None,
        if_none_match: str | None = None,
    ) -> Rendered:
        """A family's cascade in `fmt` (one of `exports.FORMATS`, or `csv` with `table`
        `nodes` or `edges`), rendered once per family version and zone."""
        _check(fmt, table)
        media_type = CSV_MEDIA_TYPE if fmt == "csv" else MEDIA_TYPES[fmt]
        number = parse_family_id(family_id)
        version = store.family_version(number)
        etag = _etag("graph", family_id, fmt, zone, table, number, version)
        if etag and not_modified(etag, if_none_match):
            return Rendered(None, media_type, etag)
        entry = self._family(store, policy, family_id, number, version)
        body = self._document(store, entry, fmt, zone, table or "")
        return Rendered(body, media_type, etag)

    # --- building ------------------------------------------------------------------

    def _family(
        self, store: Store, policy: MatchPolicy, family_id: str, number: int, version: int | None
    ) -> _Entry:
        if version is None:  # no family of two or more: as `tracing.get_family` says
            return _Entry(get_family(store, policy, family_id))

        def build() -> Family:
            members = store.family_posts(number)
            if len(members) <= 1:  # merged into another since the version was read
                raise NotFoundError(f"no family {family_id!r}")
            return load_family(store, policy, members[0][0], members)

        return self._entry((number, version), build)

    def _traced(
        self, store: Store, policy: MatchPolicy, ref: str, if_none_match: str | None = None
    ) -> tuple[StoredPost, str | None, _Entry | None]:
        """The post, the entity tag of its trace and its cached family (None:
        `if_none_match` names the current answer). A post whose family merged into
        another between the two reads is looked up again."""
        for attempt in range(3):
            post, version = _find(store, ref)
            etag = _etag("trace", post.post_id, post.family_id, version)
            if etag and not_modified(etag, if_none_match):
                return post, etag, None
            if post.family_id is None or version is None:
                return post, etag, _Entry(load_family(store, policy, post))
            number = family_number(post.family_id)
            try:
                return post, etag, self._entry((number, version), _loader(store, policy, post))
            except _Moved:
                if attempt == 2:
                    raise StoreError(f"the family of {ref!r} kept changing") from None
        raise AssertionError("unreachable")

    def _entry(self, key: Key, build: Callable[[], Family]) -> _Entry:
        """The cached entry of `key`, or one built now (once, however many threads ask)."""
        found = self._lru.get(key)
        if found is not None:
            return found
        if self._lru.max_bytes == 0:
            return _Entry(build())
        with self._guard:
            lock = self._building.setdefault(key, threading.Lock())
        try:
            with lock:
                found = self._lru.peek(key)
                if found is None:
                    found = _Entry(build(), key)
                    self._lru.put(key, found, family_bytes(found.family))
                return found
        finally:
            with self._guard:
                self._building.pop(key, None)

    def _document(self, store: Store, entry: _Entry, fmt: str, zone: str, table: str) -> bytes:
        if fmt in ("json", "graphml"):
            zone = ""  # no times shown in a zone
        key = (fmt, zone, table)
        body = entry.documents.get(key)
        if body is None:
            body = _render(store, entry.family, fmt, zone, table)
            if entry.key is not None:
                entry.documents[key] = body
                self._lru.grow(entry.key, len(body) + 100)
        return body


class _Moved(Exception):
    """The post left the family it was read in (a merge committed in between)."""


def _loader(store: Store, policy: MatchPolicy, post: StoredPost) -> Callable[[], Family]:
    def build() -> Family:
        assert post.family_id is not None
        members = store.family_posts(family_number(post.family_id))
        if not any(p.post_id == post.post_id for p, _ in members):
            raise _Moved
        return load_family(store, policy, post, members)

    return build


def _find(store: Store, ref: str) -> tuple[StoredPost, int | None]:
    """A post by id or URL (as `tracing.find_post`) with its family's version."""
    url_key = normalize_url(ref) if "/" in ref or ref.startswith("http") else None
    found = store.find_post_versioned(ref, url_key)
    if found is None:
        raise NotFoundError(f"no post {ref!r}")
    return found


def _check(fmt: str, table: str | None) -> None:
    if fmt == "csv" and table in TABLES:
        return
    if fmt == "csv":
        raise InputError(f"unknown table {table!r} (tables: {', '.join(TABLES)})")
    if fmt not in FORMATS:
        raise InputError(f"unsupported export format {fmt!r} (supported: {', '.join(FORMATS)})")


def _names(store: Store) -> dict[str, str]:
    """Account id → office name, the labels of Cytoscape and GEXF nodes."""
    return {a.account_id: a.name for a in store.accounts().values() if a.name}


def _render(store: Store, family: Family, fmt: str, zone: str, table: str) -> bytes:
    fid, posts, edges = family.family_id, family.posts, family.edges
    if fmt == "json":
        return orjson.dumps(node_link(fid, posts, edges))
    if fmt == "csv":
        elements = render("cytoscape", fid, posts, edges, zone, _names(store))
        assert isinstance(elements, dict)
        rows = [e["data"] for e in elements[table]]
        return "".join(csv_lines(TABLES[table], rows, zone)).encode()
    names = _names(store) if fmt in ("cytoscape", "gexf") else None
    result = render(fmt, fid, posts, edges, zone, names)
    return result.encode() if isinstance(result, str) else orjson.dumps(result)


def family_bytes(family: Family) -> int:
    """Estimated memory of a family held in the cache (`POST_BYTES` per member and its
    texts)."""
    return sum(POST_BYTES + len(p.text) + len(p.url or "") for p in family.posts)


def _etag(*parts: object) -> str | None:
    """A weak entity tag naming the answer built from these parts; None without a
    family version (a post alone names its answer by its family number, version 0)."""
    version = parts[-1]
    if version is None and parts[0] == "graph":
        return None
    text = "\x1f".join(str(p) for p in (__version__, *parts))
    return f'W/"{hashlib.blake2b(text.encode(), digest_size=12).hexdigest()}"'


def not_modified(etag: str, if_none_match: str | None) -> bool:
    """Whether a request's `If-None-Match` names `etag` (or is `*`): weak comparison,
    as RFC 9110 asks for `If-None-Match`."""
    if not if_none_match:
        return False
    ours = etag.removeprefix("W/")
    return any(
        tag == "*" or tag.removeprefix("W/") == ours
        for tag in (t.strip() for t in if_none_match.split(","))
    )
