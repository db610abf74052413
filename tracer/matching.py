"""Verify candidate pairs of texts: scores, evidence and the one policy of thresholds.

Candidates come from shared anchors; a pair links only when the shared words are
distinctive (anchors that are neither common across families nor the posting
account's own recurring text) *and* the alignment says one text is largely contained
in the other. Containment, not similarity, because copies add greetings and
hashtags, truncate, or keep only the title.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from tracer.models import TextMatch


@dataclass(frozen=True, slots=True)
class MatchPolicy:
    """Every threshold of text matching, in one place (calibration: docs/matching.md)."""

    common_families: int = 20
    """An anchor carried by more families than this is boilerplate (greeting, slogan)."""
    max_candidates: int = 12
    """How many candidate posts, best first, are verified for each new post."""
    min_shared: int = 2
    """Distinctive anchors that, shared by two longer texts, stand in for
    `min_anchor_containment` (either one suffices, beside `min_containment`)."""
    min_containment: float = 0.6
    """Token alignment (LCS) over the shorter text, for texts of `short_tokens` or more."""
    min_anchor_containment: float = 0.3
    """Shared distinctive anchors over the shorter text's distinctive anchors."""
    short_tokens: int = 10
    """Below this many tokens a text is short and needs `short_containment`."""
    short_containment: float = 0.9
    min_tokens: int = 4
    """Texts shorter than this never link by text alone."""
    min_edit_weight: float = 2.0
    """Shared local edits (anchors count 1, hashtags 0.5) that make a post a parent."""

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> MatchPolicy:
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown policy fields: {', '.join(sorted(unknown))}")
        return cls(**values)


@dataclass(frozen=True, slots=True)
class TextSide:
    """What verification needs of one post."""

    post_id: str
    tokens: tuple[str, ...]
    anchors: frozenset[int]


def score_pair(
    a: TextSide, b: TextSide, boilerplate: frozenset[int] | set[int] = frozenset()
) -> TextMatch:
    """Scores of `a` against `b`, whether or not they pass the policy."""
    a_own = a.anchors - boilerplate
    b_own = b.anchors - boilerplate
    shared = len(a_own & b_own)
    smaller = min(len(a_own), len(b_own))
    anchor_containment = shared / smaller if smaller else 0.0
    shorter = min(len(a.tokens), len(b.tokens))
    lcs = LCSseq.similarity(a.tokens, b.tokens) if shorter else 0
    containment = lcs / shorter if shorter else 0.0
    ratio = fuzz.ratio(" ".join(a.tokens), " ".join(b.tokens))
    return TextMatch(
        source=b.post_id,
        target=a.post_id,
        containment=containment,
        anchor_containment=anchor_containment,
        shared_anchors=shared,
        ratio=ratio,
    )


def accepts(match: TextMatch, shorter_tokens: int, policy: MatchPolicy) -> bool:
    """The linking rule; stricter for short texts, which share words by chance."""
    if match.shared_anchors == 0 or shorter_tokens < policy.min_tokens:
        return False
    if shorter_tokens < policy.short_tokens:
        return match.containment >= policy.short_containment
    return match.containment >= policy.min_containment and (
        match.anchor_containment >= policy.min_anchor_containment
        or match.shared_anchors >= policy.min_shared
    )


def verify_pair(
    a: TextSide, b: TextSide, boilerplate: frozenset[int] | set[int], policy: MatchPolicy
) -> TextMatch | None:
    match = score_pair(a, b, boilerplate)
    shorter = min(len(a.tokens), len(b.tokens))
    return match if accepts(match, shorter, policy) else None
