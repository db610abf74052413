"""Verify candidate pairs of texts: scores, evidence and the one policy of thresholds.

Candidates come from shared anchors; a pair links only when the shared words are
distinctive (anchors that are neither common across families nor the posting
account's own recurring text) *and* the alignment says one text is largely contained
in the other. Containment, not similarity, because copies add greetings and
hashtags, truncate, or keep only the title.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from tracer.models import TextMatch
from tracer.text.fingerprint import line_key


@dataclass(frozen=True, slots=True)
class MatchPolicy:
    """Every threshold of matching, text and media, in one place (calibration:
    docs/matching.md and docs/media.md)."""

    common_families: int = 20
    """An anchor carried by more families than this is boilerplate (greeting, slogan)…"""
    common_share: float = 1 / 16000
    """… or by more than this share of all posts, whichever is larger (62 at 1M posts)."""
    max_candidates: int = 8
    """How many candidate families, best first, are verified for each new post."""
    min_vote_share: float = 0.4
    """Candidates sharing fewer anchors than this share of the best candidate's are not
    verified."""
    min_run: int = 2
    """Aligned runs shorter than this many tokens (a stray "di", "dan") are ignored."""
    min_matched: int = 6
    """Tokens that must align, in runs, for any link."""
    min_containment: float = 0.5
    """Aligned tokens over the shorter text's tokens."""
    min_density: float = 0.85
    """Aligned tokens over the aligned span, on the denser side: a copy is one unbroken
    stretch of the release (give or take typos), while two posts written from one
    template align in pieces broken by their different names, places and numbers."""
    min_anchor_containment: float = 0.5
    """Shared distinctive anchors over the shorter text's distinctive anchors: the names,
    places and numbers of a copy are its release's, a template sibling's are its own."""
    close_containment: float = 0.9
    close_shared: int = 2
    """A close copy (containment and density at least `close_containment`) links with only
    `close_shared` distinctive anchors: typos and common template phrases between them
    leave few anchors distinctive, while a template sibling differs in its names,
    places and numbers and never aligns this closely."""
    max_framing: int = 16
    """Tokens besides the title that a title-only copy may carry (greeting, call to
    action); see `carries_title`."""
    long_match: int = 40
    """An alignment of this many tokens or more needs no `min_density`: a rewritten
    release (reworded sentences, one paragraph dropped) aligns densely only in pieces."""
    short_tokens: int = 16
    """Below this many tokens a text is short and needs `short_containment`."""
    short_containment: float = 0.9
    min_tokens: int = 6
    """Texts shorter than this never link by text alone."""
    merge_containment: float = 0.8
    merge_density: float = 0.9
    """A post that matches several families merges them only where each match is this
    strong; weaker matches join the best family alone, so one borderline post cannot
    chain unrelated families together."""
    same_content: float = 0.95
    """Containment, density and ratio (/100) above which two releases are one content."""
    min_edit_weight: float = 1.5
    """Shared local edits (anchors count 1, hashtags 0.5) that make a post a parent."""
    image_radius: int = 8
    """Best region pHash distance (bits of 64) within which two pictures look alike;
    copies sit at 0–6 (frames, crops, banners), distinct photos at 16 and more."""
    image_strict_radius: int = 4
    """The same without OCR text to tell template siblings (6–8 bits) apart."""
    align_min_cover: float = 0.5
    """A region-key hit proposes a transform; under it the overlap must hold this share
    of each picture (a collage tile, a logo band or an inset holds less)…"""
    align_max_distance: int = 16
    align_min_correlation: float = 0.6
    """… and the two overlaps must agree as a whole: pHash bits (of 64) and correlation
    of their grey levels, aligned."""
    align_contained: float = 0.95
    """… and one picture must lie (nearly) inside the other: copies crop, frame or banner
    their source; two shots of one scene each show what the other does not."""
    align_crop_cover: float = 0.8
    align_continuity: float = 0.5
    """When less than `align_crop_cover` of the wider picture overlaps, what lies around
    the overlap must not continue it (correlation across the overlap's edges below
    `align_continuity`): a frame or a banner, not a wider shot of the same scene."""
    align_strict_cover: float = 0.9
    """Without words on both sides, a picture that is not near-identical as a whole must
    overlap this much of both (a re-encode, a slight crop) and agree within
    `image_strict_radius` bits aligned."""
    ocr_min_tokens: int = 6
    """Words read off a picture before its text is used to accept or refuse a match."""
    ocr_min_containment: float = 0.8
    """Share of the shorter picture text found in the other: a template sibling shares
    only the header and footer, not the headline."""
    ocr_common_families: int = 5
    """A word read off pictures of more families than this is template or frame text
    (a header, a footer, an office's name): not compared."""
    ocr_min_distinct: int = 3
    """Words besides those that two texty pictures need on both sides for their words to
    decide; with fewer, only a near-identical picture matches."""
    pdq_identical: int = 16
    """PDQ bits (of 256) within which two posters are the same picture as a whole (a
    re-encode, a resize): template siblings sit at 26–28."""
    ocr_alone_tokens: int = 10
    ocr_alone_share: float = 0.6
    """Two pictures that do not look alike match by their words alone (a poster redrawn on
    another template) when at least `ocr_alone_tokens` words, and this share of the
    shorter text, align in runs of three or more."""
    video_frame_radius: int = 8
    """Region pHash distance within which two sampled frames match."""
    video_major_share: float = 0.8
    video_minor_share: float = 0.3
    """Two clips match when at least `video_major_share` of one side's sampled frames and
    `video_minor_share` of the other's find a match (an intro card, a trimmed copy)."""
    video_min_frames: int = 3
    video_order_share: float = 0.7
    """… and at least `video_min_frames` matched frames, this share of them, must follow
    the other clip's order (one clip played in order, give or take an intro or a trim)."""

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
    lines: tuple[str, ...] = ()


def align(a: Sequence[str], b: Sequence[str], min_run: int) -> tuple[int, float]:
    """Tokens aligned in runs of at least `min_run` (longest common subsequence), and the
    density of the alignment: aligned tokens over the span they cover, on the denser side."""
    if not a or not b:
        return 0, 0.0
    if (len(b), tuple(b)) < (len(a), tuple(a)):
        a, b = b, a  # the same pair aligns the same way whichever side comes first
    blocks = [m for m in LCSseq.editops(a, b).as_matching_blocks() if m.size >= min_run]
    if not blocks:
        return 0, 0.0
    matched = sum(m.size for m in blocks)
    span_a = blocks[-1].a + blocks[-1].size - blocks[0].a
    span_b = blocks[-1].b + blocks[-1].size - blocks[0].b
    return matched, matched / min(span_a, span_b)


TITLE_TOKENS = 7
"""A title shorter than this is too close to a greeting line to link on its own."""


def carries_title(
    a: TextSide, b: TextSide, boilerplate: frozenset[int] | set[int], framing: int
) -> bool:
    """Whether one text is the other's title line and little else (a greeting, a
    call to action): the "keep only the title" copy. The title may share its line with
    a greeting written in front of it."""
    for whole, title_of in ((a, b), (b, a)):
        if not title_of.lines:
            continue
        title = title_of.lines[0]
        size = title.count(" ") + 1
        if (
            size >= TITLE_TOKENS
            and len(whole.tokens) - size <= framing
            and any(f" {line}".endswith(f" {title}") for line in whole.lines)
            and line_key(title) not in boilerplate
        ):
            return True
    return False


def anchor_overlap(
    a: TextSide, b: TextSide, boilerplate: frozenset[int] | set[int]
) -> tuple[int, float]:
    """Distinctive anchors the two share, and that count over the smaller side's."""
    a_own = a.anchors - boilerplate
    b_own = b.anchors - boilerplate
    shared = len(a_own & b_own)
    smaller = min(len(a_own), len(b_own))
    return shared, shared / smaller if smaller else 0.0


def score_pair(
    a: TextSide,
    b: TextSide,
    boilerplate: frozenset[int] | set[int] = frozenset(),
    policy: MatchPolicy | None = None,
) -> TextMatch:
    """Scores of `a` against `b`, whether or not they pass the policy."""
    policy = policy or MatchPolicy()
    shared, anchor_containment = anchor_overlap(a, b, boilerplate)
    matched, density = align(a.tokens, b.tokens, policy.min_run)
    shorter = min(len(a.tokens), len(b.tokens))
    return TextMatch(
        source=b.post_id,
        target=a.post_id,
        containment=matched / shorter if shorter else 0.0,
        density=density,
        matched_tokens=matched,
        anchor_containment=anchor_containment,
        title=carries_title(a, b, boilerplate, policy.max_framing),
        shared_anchors=shared,
        ratio=fuzz.ratio(" ".join(a.tokens), " ".join(b.tokens)),
    )


def accepts(match: TextMatch, shorter_tokens: int, policy: MatchPolicy) -> bool:
    """The linking rule; stricter for short texts, which share words by chance."""
    if match.title:
        return True
    if (
        match.shared_anchors == 0
        or shorter_tokens < policy.min_tokens
        or match.matched_tokens < policy.min_matched
        or (match.density < policy.min_density and match.matched_tokens < policy.long_match)
        or (
            match.anchor_containment < policy.min_anchor_containment and not is_close(match, policy)
        )
    ):
        return False
    if shorter_tokens < policy.short_tokens:
        return match.containment >= policy.short_containment
    return match.containment >= policy.min_containment


def is_close(match: TextMatch, policy: MatchPolicy) -> bool:
    """Aligned almost word for word (typos aside): then a few distinctive anchors suffice,
    even where template phrases leave most anchors common."""
    return (
        match.containment >= policy.close_containment
        and match.density >= policy.close_containment
        and match.shared_anchors >= policy.close_shared
    )


def is_strong(match: TextMatch, policy: MatchPolicy) -> bool:
    """Strong enough to merge two families (see `MatchPolicy.merge_containment`)."""
    return match.title or (
        match.containment >= policy.merge_containment and match.density >= policy.merge_density
    )


def is_same_content(match: TextMatch, policy: MatchPolicy) -> bool:
    """Near-identical texts: the only way two releases end up in one family."""
    return (
        match.containment >= policy.same_content
        and match.density >= policy.same_content
        and match.ratio >= 100 * policy.same_content
    )


def verify_pair(
    a: TextSide, b: TextSide, boilerplate: frozenset[int] | set[int], policy: MatchPolicy
) -> TextMatch | None:
    shared, anchor_containment = anchor_overlap(a, b, boilerplate)
    weak = anchor_containment < policy.min_anchor_containment and shared < policy.close_shared
    if (shared == 0 or weak) and not carries_title(a, b, boilerplate, policy.max_framing):
        return None  # cheap rejection before the alignment, which costs more
    match = score_pair(a, b, boilerplate, policy)
    shorter = min(len(a.tokens), len(b.tokens))
    return match if accepts(match, shorter, policy) else None
