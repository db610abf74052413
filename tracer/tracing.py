"""The read side of a trace: a post found by id or URL, its family with the cascade's
edges (stored, or inferred while an ingest is still under way), the trace (`Trace`)
and the family's exports (`FamilyExport`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracer.cascades.stored import family_cascades
from tracer.errors import InputError, NotFoundError
from tracer.exports import FORMATS, node_link, render
from tracer.models import Edge, StoredPost
from tracer.normalize import NormalText, normalize_url
from tracer.policy import DEFAULT_POLICY, MatchPolicy
from tracer.store import Store
from tracer.store.family_id import family_number
from tracer.store.listings import parse_family_id
from tracer.text.fingerprint import fingerprint_text
from tracer.text.match import TextSide


def find_post(store: Store, ref: str) -> StoredPost:
    """A post by id, or by URL (normalised, so tracking parameters do not matter)."""
    url_key = normalize_url(ref) if "/" in ref or ref.startswith("http") else None
    post = store.find_post(ref, url_key)
    if post is None:
        raise NotFoundError(f"no post {ref!r}")
    return post


@dataclass(frozen=True, slots=True)
class Family:
    family_id: str | None
    posts: list[StoredPost]
    """Earliest first."""
    edges: list[Edge]


Members = list[tuple[StoredPost, dict[str, Any] | None]]
"""A family's posts with their stored edges, as `Store.family_posts` reads them."""


def load_family(
    store: Store, policy: MatchPolicy, post: StoredPost, members: Members | None = None
) -> Family:
    """The post's family with its cascade edges; a post alone is a family of one, no id.
    `members`: the family's rows when the caller has read them already."""
    if post.family_id is None:
        return Family(None, [post], [])
    numeric = family_number(post.family_id)
    if members is None:
        members = store.family_posts(numeric)
    posts = [p for p, _ in members]
    if store.family_dirty(numeric):  # an ingest is still under way: infer, do not store
        _, _, edges = family_cascades(store, policy, [numeric])
    else:
        edges = [
            Edge(
                p.parent_id,
                p.post_id,
                int(p.lag_seconds or 0),
                e["modality"],
                e["scores"],
                e["reason"],
                e.get("evidence"),
            )
            for p, e in members
            if p.parent_id and e
        ]
    return Family(post.family_id, posts, edges)


def get_family(store: Store, policy: MatchPolicy, family_id: str) -> Family:
    members = store.family_posts(parse_family_id(family_id))
    if len(members) <= 1:
        raise NotFoundError(f"no family {family_id!r}")
    return load_family(store, policy, members[0][0], members)


@dataclass(frozen=True, slots=True)
class Trace:
    """Where a post came from: its family (with the cascade), the family's release, the
    post's parent and the path from the origin to the post."""

    post: StoredPost
    family: Family
    release: StoredPost | None
    parent: str | None
    path: tuple[str, ...]
    """Post ids, origin first, the post last."""

    @property
    def origin(self) -> StoredPost:
        return self.family.posts[0]

    def to_json(self, graph: Any = None) -> dict[str, Any]:
        """`GET /trace`'s JSON; `graph`: the family's node-link graph when the caller has
        it already (serialised once per family version: `tracer.graphcache`)."""
        family = self.family
        return {
            "post": self.post.to_json(),
            "family_id": family.family_id,
            "origin": self.origin.to_json(),
            "release": self.release.to_json() if self.release else None,
            "parent": self.parent,
            "path": list(self.path),
            "graph": node_link(family.family_id, family.posts, family.edges)
            if graph is None
            else graph,
        }


def trace_of(store: Store, ref: str, policy: MatchPolicy = DEFAULT_POLICY) -> Trace:
    """Where a post came from: its family's cascade, origin, release and path."""
    post = find_post(store, ref)
    return trace_in(post, load_family(store, policy, post))


def trace_in(post: StoredPost, family: Family) -> Trace:
    """The trace of a post in its (loaded) family."""
    parents = {e.target: e.source for e in family.edges}
    path = [post.post_id]
    while path[-1] in parents:
        path.append(parents[path[-1]])
    path.reverse()
    release = next((p for p in family.posts if p.tier == "central"), None)
    return Trace(post, family, release, parents.get(post.post_id), tuple(path))


def trace(store: Store, ref: str, policy: MatchPolicy = DEFAULT_POLICY) -> dict[str, Any]:
    """`trace_of`'s answer as JSON."""
    return trace_of(store, ref, policy).to_json()


def text_side(post_id: str, norm: NormalText, release: bool = False) -> TextSide:
    return TextSide(post_id, norm.tokens, fingerprint_text(norm).anchors, norm.lines, release)


@dataclass(frozen=True, slots=True)
class FamilyExport:
    """A family's cascade for a graph tool, in one of `exports.FORMATS`: times meant for
    people in `zone`, accounts by name; `render` writes the document."""

    family: Family
    fmt: str
    zone: str
    names: dict[str, str]
    """Account names by account id."""

    def render(self) -> dict[str, Any] | str:
        """The document: a dict for the JSON formats, the text of GraphML and GEXF."""
        family = self.family
        return render(self.fmt, family.family_id, family.posts, family.edges, self.zone, self.names)


def export(
    store: Store,
    family_id: str,
    fmt: str = "json",
    policy: MatchPolicy = DEFAULT_POLICY,
    zone: str = "Asia/Jakarta",
) -> FamilyExport:
    """A family's cascade to export in `fmt` (checked here, before anything is read);
    `render` writes the document."""
    if fmt not in FORMATS:
        raise InputError(f"unsupported export format {fmt!r} (supported: {', '.join(FORMATS)})")
    family = get_family(store, policy, family_id)
    names = {a.account_id: a.name for a in store.accounts().values() if a.name}
    return FamilyExport(family, fmt, zone, names)
