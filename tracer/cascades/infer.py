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

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from tracer.models import Tier
from tracer.policy import MatchPolicy

MIN_CORE_ANCHORS = 4
"""A core with fewer anchors than this (a bare picture, a one-line caption) gives no
text to edit: every caption of its family counts as edits."""


def scaled_weights(carried_by: Mapping[object, int]) -> tuple[dict[object, int], int]:
    """Each edit's weight times one scale, and the scale. A word's weight is 1, a
    hashtag's 1/2, times 2/n when n > 2 copies carry it.

    Sums of weights are compared with a threshold, so they must not depend on the order
    a set is summed in (float weights give 1.4999999999999998 or 1.5 against 1.5);
    integers over one common denominator are exact and several times cheaper than
    `Fraction`s. The scale is 4 times the least common multiple of the counts, so that
    every weight, and half of every sum of them, is an integer."""
    scale = 4 * math.lcm(*set(carried_by.values()))
    weights: dict[object, int] = {}
    for edit, count in carried_by.items():
        word = scale if not isinstance(edit, tuple) else scale // 2  # a hashtag: half
        weights[edit] = word if count <= 2 else word * 2 // count
    return weights, scale


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
    edits_of: dict[str, set[object]] = {}
    for m in order:
        edits: set[object] = set(m.anchors - core.anchors) if _edits_core_text(m, core) else set()
        edits.update(("#", tag) for tag in m.hashtags - core.hashtags)
        edits_of[m.post_id] = edits
    carried_by: dict[object, int] = defaultdict(int)
    for edits in edits_of.values():
        for e in edits:
            carried_by[e] += 1
    # An edit two posts share is evidence one copied the other; an edit many copies
    # carry (a greeting template several offices use) says little about which.
    weights, scale = scaled_weights(carried_by)
    threshold = math.ceil(Fraction(policy.min_edit_weight) * scale)

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
                weights,
                threshold,
                edits_of,
                latest_by_account,
                release_seen,
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
    weights: dict[object, int],
    threshold: int,
    edits_of: dict[str, set[object]],
    latest_by_account: dict[str, Member],
    central: Member | None,
) -> tuple[Member | None, str]:
    """The post's parent and why; weights and `threshold` (`min_edit_weight`) are
    scaled alike (`scaled_weights`)."""
    shared: dict[str, int] = defaultdict(int)
    by_id: dict[str, Member] = {}
    for edit in edits:
        for earlier in carriers.get(edit, ()):
            if earlier.account_id == post.account_id:
                continue  # an office repeating itself is not evidence of copying
            shared[earlier.post_id] += weights[edit]
            by_id[earlier.post_id] = earlier
    for pid in shared:
        # What the earlier copy added and this post lacks counts against it: a copy
        # keeps most of its source's edits, so a sibling copy with edits of its own is a
        # worse source than the copy both took from. Half weight: copies do drop some
        # of what they took (a province's added sentence).
        missing = sum(weights[e] for e in edits_of[pid] - edits)
        shared[pid] -= missing // 2  # exact: every weight is even
    if shared:
        best = max(shared, key=lambda pid: (shared[pid], _rank(by_id[pid], post)))
        if shared[best] >= threshold:
            return by_id[best], "shared_edits"
    if post.account_parent_id and post.account_parent_id in latest_by_account:
        return latest_by_account[post.account_parent_id], "province"
    if central is not None:
        return central, "central"
    return None, "recency"
