"""Cascade inference: for each post of a family, the earlier post it most likely copied.

Pure: takes members, returns edges. The rules, in order (DESIGN.md):
1. shared local edits — words or hashtags that a post and an earlier copy both carry
   but the family's core (its release, else its origin) lacks, such as a province's
   greeting that a regency copy also carries, less half the earlier copy's edits that
   the post does not carry (a copy keeps most of what it copied);
2. the tier hierarchy — a regency's own province, then the release (a later central
   repost is not what offices were sent);
3. recency — the latest earlier post.
Ties break on post id, so the same family always gives the same tree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from tracer.models import Tier
from tracer.policy import MatchPolicy

MIN_CORE_ANCHORS = 4
"""A core with fewer anchors than this (a bare picture, a one-line caption) gives no
text to edit: every caption of its family counts as edits."""


@cache
def _edit_weight(hashtag: bool, carried_by: int) -> Fraction:
    """An edit's weight: a hashtag half a word's, less when many copies carry it. Few
    distinct values, and a family has thousands of edits: each is built once."""
    base = Fraction(1, 2) if hashtag else Fraction(1)
    return base * min(Fraction(1), Fraction(2, carried_by))


@dataclass(frozen=True, slots=True)
class Member:
    post_id: str
    account_id: str
    tier: Tier
    account_parent_id: str | None
    timestamp: int
    anchors: frozenset[int]
    hashtags: frozenset[str]


@dataclass(frozen=True, slots=True)
class Link:
    source: str
    target: str
    lag_seconds: int
    reason: str
    """`shared_edits`, `province`, `central` or `recency`."""


@dataclass(frozen=True, slots=True)
class Cascade:
    origin: str
    release: str | None
    links: tuple[Link, ...]
    order: tuple[str, ...]
    """Post ids, earliest first."""


def time_order(members: Sequence[Member]) -> list[Member]:
    return sorted(members, key=lambda m: (m.timestamp, m.post_id))


def infer_cascade(members: Sequence[Member], policy: MatchPolicy) -> Cascade:
    if not members:
        raise ValueError("a cascade needs at least one post")
    order = time_order(members)
    origin = order[0]
    release = next((m for m in order if m.tier == "central"), None)
    core = release or origin
    edit_weight: dict[object, Fraction] = {}
    edits_of: dict[str, set[object]] = {}
    for m in order:
        edits: set[object] = set(m.anchors - core.anchors) if _edits_core_text(m, core) else set()
        edits.update(("#", tag) for tag in m.hashtags - core.hashtags)
        edits_of[m.post_id] = edits
    carried_by: dict[object, int] = defaultdict(int)
    for edits in edits_of.values():
        for e in edits:
            carried_by[e] += 1
    for edit, count in carried_by.items():
        # An edit two posts share is evidence one copied the other; an edit many copies
        # carry (a greeting template several offices use) says little about which.
        # Exact fractions: a sum of float weights over a set depends on the set's
        # iteration order (1.4999999999999998 or 1.5 against a 1.5 threshold).
        edit_weight[edit] = _edit_weight(isinstance(edit, tuple), count)

    carriers: dict[object, list[Member]] = defaultdict(list)
    latest_by_account: dict[str, Member] = {}
    release_seen: Member | None = None  # the release, once it is earlier than the post
    links: list[Link] = []
    previous = origin
    for m in order:
        if m is not origin:
            parent, reason = _choose_parent(
                m,
                edits_of[m.post_id],
                carriers,
                edit_weight,
                edits_of,
                latest_by_account,
                release_seen,
                policy,
            )
            if parent is None:
                parent, reason = previous, "recency"
            links.append(Link(parent.post_id, m.post_id, m.timestamp - parent.timestamp, reason))
            previous = m
        for edit in edits_of[m.post_id]:
            carriers[edit].append(m)
        latest_by_account[m.account_id] = m
        if m.tier == "central" and release_seen is None:
            release_seen = m
    return Cascade(
        origin=origin.post_id,
        release=release.post_id if release else None,
        links=tuple(links),
        order=tuple(m.post_id for m in order),
    )


def _edits_core_text(member: Member, core: Member) -> bool:
    """Whether the post's caption is the core's text, edited: most of its anchors are
    the core's. A caption written anew (a generic "see the picture below", an office's
    own words) is not an edit of the release, and two such captions that share a
    template phrase say nothing about who copied whom."""
    if member is core or len(core.anchors) < MIN_CORE_ANCHORS:
        return True
    return 2 * len(member.anchors & core.anchors) >= len(member.anchors)


def _rank(candidate: Member, post: Member) -> tuple[int, int, str]:
    """Hierarchy first (own province 2, central 1), then recency, then id."""
    hierarchy = (
        2
        if candidate.account_id == post.account_parent_id
        else (1 if candidate.tier == "central" else 0)
    )
    return (hierarchy, candidate.timestamp, candidate.post_id)


def _choose_parent(
    post: Member,
    edits: set[object],
    carriers: dict[object, list[Member]],
    edit_weight: dict[object, Fraction],
    edits_of: dict[str, set[object]],
    latest_by_account: dict[str, Member],
    central: Member | None,
    policy: MatchPolicy,
) -> tuple[Member | None, str]:
    shared: dict[str, Fraction] = defaultdict(Fraction)
    by_id: dict[str, Member] = {}
    for edit in edits:
        for earlier in carriers.get(edit, ()):
            if earlier.account_id == post.account_id:
                continue  # an office repeating itself is not evidence of copying
            shared[earlier.post_id] += edit_weight[edit]
            by_id[earlier.post_id] = earlier
    for pid in shared:
        # What the earlier copy added and this post lacks counts against it: a copy
        # keeps most of its source's edits, so a sibling copy with edits of its own is a
        # worse source than the copy both took from. Half weight: copies do drop some
        # of what they took (a province's added sentence).
        missing = sum((edit_weight[e] for e in edits_of[pid] - edits), Fraction(0))
        shared[pid] -= missing / 2
    if shared:
        best = max(shared, key=lambda pid: (shared[pid], _rank(by_id[pid], post)))
        if shared[best] >= policy.min_edit_weight:
            return by_id[best], "shared_edits"
    if post.account_parent_id and post.account_parent_id in latest_by_account:
        return latest_by_account[post.account_parent_id], "province"
    if central is not None:
        return central, "central"
    return None, "recency"
