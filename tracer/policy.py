"""The one policy of thresholds, text and media: a frozen value passed down to every
matcher, so that a relink under other thresholds is one argument, not a code change."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


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
    align_max_chroma: float = 12.0
    """… and in colour where both pictures have some: the median distance of their
    aligned (Cb, Cr) levels. Two photos laid out alike (sky over roofs, a crowd in a
    hall) correlate in grey levels as well as a copy does, but not in colour."""
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
    ocr_common_families: int = 8
    """A run of three words read off pictures of more families than this is template or
    frame text (a header, a footer, an office's name): the words it holds are not
    compared."""
    ocr_min_distinct: int = 3
    """Words besides those that two texty pictures need on both sides for their words to
    decide; with fewer, only a near-identical picture matches, or one whose own words all
    agree (`ocr_all_distinct`)."""
    ocr_all_distinct: int = 2
    """A picture with fewer than `ocr_min_distinct` words of its own matches a framed or
    cropped copy when all of at least this many agree (misread letters aside)."""
    pdq_identical: int = 16
    """PDQ bits (of 256) within which two posters are the same picture as a whole (a
    re-encode, a resize): template siblings sit at 26–28."""
    ocr_same_content: float = 0.8
    """Share of each picture's own words aligned with the other's above which a poster
    redrawn by its words alone carries the same content (OCR misreads a word here and
    there, and an office's header may not be template text yet)."""
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


DEFAULT_POLICY = MatchPolicy()
"""The calibrated thresholds (a frozen value, so one instance serves every default)."""
