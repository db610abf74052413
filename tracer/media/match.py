"""Verification of media candidates: is this picture or clip a copy of that one?

Pure functions over fingerprints (`tracer.media.fingerprint`) and the text read off pictures.
The media index only proposes candidates whose regions look alike; this module
decides, and says why (the `MediaMatch` is the evidence):

- two pictures match when their best pair of regions is within `image_radius` bits and,
  when both carry text, the text of one is contained in the other's: posters made from
  one ministry template look alike but say different things (the headline);
- without OCR, pictures must be much closer (`image_strict_radius`), because template
  siblings sit at 6–8 bits;
- two pictures whose read text matches (`ocr_*` thresholds) match by `ocr`, however they
  look: a poster redrawn on a regional template with the same words;
- two clips match when enough sampled frames of each find a close frame in the other
  (`tracer.media.clips`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein

from tracer.media.align import Alignment, align_pictures, continuity
from tracer.media.clips import match_videos
from tracer.media.fingerprint import (
    REGION_ANCHORS,
    REGION_SCALES,
    SIDE_CUT,
    ImagePrint,
    best_region_distance,
    hamming64,
)
from tracer.media.item import MediaItem, MediaMatch
from tracer.policy import MatchPolicy
from tracer.text.match import align

__all__ = [  # `MediaItem`, `MediaMatch` and `match_videos` live beside, in `item` and `clips`
    "FRAGMENT",
    "OCR_RUN",
    "MediaItem",
    "MediaMatch",
    "containment",
    "describe_change",
    "match_images",
    "match_media",
    "match_videos",
    "own_words",
    "runs_of",
]

OCR_RUN = 3
"""Words read off two pictures count as shared only in runs this long; template text
is told by its runs of this many words (`runs_of`, `own_words`)."""
FRAGMENT = 4
"""Words shorter than this (numbers aside) are OCR's fragments or little words ("dan",
"di"), not what tells one picture's text from another's."""
MISREAD_EDITS = 1
"""Letters a word read off one picture may differ by from the same word read off a copy:
a crop cuts a headline's first letter ("nflasi"), compression blurs one ("persen")."""
MISREAD_LENGTH = 5
"""Only words this long may be misread: shorter ones are other words one letter apart."""


def runs_of(words: tuple[str, ...]) -> set[str]:
    """Every run of `OCR_RUN` consecutive words, as one string."""
    return {" ".join(words[i : i + OCR_RUN]) for i in range(len(words) - OCR_RUN + 1)}


def own_words(words: tuple[str, ...], common: frozenset[str]) -> tuple[str, ...]:
    """The words of a picture's text that can tell contents apart: those in no `common`
    run (template or frame text, seen on pictures of many families), and not the short
    fragments OCR reads off a photograph's texture or a cut edge ("ta", "z5", "tai"; a
    number is kept: "8" September is not 23 August)."""
    covered = [False] * len(words)
    if len(words) >= OCR_RUN and common:
        for i in range(len(words) - OCR_RUN + 1):
            if " ".join(words[i : i + OCR_RUN]) in common:
                covered[i : i + OCR_RUN] = [True] * OCR_RUN
    return tuple(
        w
        for w, c in zip(words, covered, strict=True)
        if not c and (len(w) >= FRAGMENT or w.isdigit())
    )


def containment(a: tuple[str, ...], b: tuple[str, ...], misread: bool = False) -> float:
    """Share of the shorter token list found in the longer one (as multisets). With
    `misread`, a word also counts as found when the other side has a word one letter
    apart (`MISREAD_EDITS`; numbers must agree exactly)."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if not short:
        return 0.0
    left = Counter(long)
    found = 0
    missed: list[str] = []
    for word in short:
        if left[word] > 0:
            left[word] -= 1
            found += 1
        else:
            missed.append(word)
    if misread and missed:
        # A missed word is compared only with the longer list's spelled words of a length
        # one edit away, in that list's order (the first one left is taken), and only when
        # it could be misread itself.
        by_length: dict[int, list[tuple[int, str]]] = {}
        for at, w in enumerate(left):
            if w.isalpha():
                by_length.setdefault(len(w), []).append((at, w))
        nearby: dict[int, list[str]] = {}
        for word in missed:
            size = len(word)
            if size < MISREAD_LENGTH - MISREAD_EDITS or not word.isalpha():
                continue
            if size not in nearby:
                spans = range(size - MISREAD_EDITS, size + MISREAD_EDITS + 1)
                placed = sorted(p for n in spans for p in by_length.get(n, ()))
                nearby[size] = [w for _, w in placed]
            near = next((w for w in nearby[size] if left[w] > 0 and _misread(word, w)), None)
            if near is not None:
                left[near] -= 1
                found += 1
    return found / len(short)


def _misread(x: str, y: str) -> bool:
    return (
        x.isalpha()
        and y.isalpha()
        and max(len(x), len(y)) >= MISREAD_LENGTH
        and Levenshtein.distance(x, y, score_cutoff=MISREAD_EDITS) <= MISREAD_EDITS
    )


def _texty(item: MediaItem, policy: MatchPolicy) -> bool:
    return item.ocr is not None and len(item.ocr) >= policy.ocr_min_tokens


def match_images(
    a: MediaItem,
    b: MediaItem,
    policy: MatchPolicy,
    source: str = "",
    target: str = "",
    common: frozenset[str] = frozenset(),
) -> MediaMatch | None:
    """The picture-level decision for two images (see the module docstring); `a` is the
    target's (the copy's) file, `b` the source's. `common` are runs of words read off pictures of
    many families (a template's header and footer, an office's frame): they say nothing
    about which content a picture carries, so the words compared are the others."""
    if a.image is None or b.image is None:
        return None
    distance = best_region_distance(a.image.regions, b.image.regions)
    pdq_distance = a.image.pdq - b.image.pdq
    alignment = (
        align_pictures(a.image, b.image, policy.image_radius, policy.align_min_cover)
        if distance <= policy.image_radius
        else None
    )
    looks_alike = alignment is not None and _agrees(alignment, policy)
    texty_a, texty_b = _texty(a, policy), _texty(b, policy)
    if texty_a and texty_b and a.ocr is not None and b.ocr is not None:
        words_a = own_words(a.ocr, common)
        words_b = own_words(b.ocr, common)
        if min(len(words_a), len(words_b)) < policy.ocr_min_distinct:
            # Little but common words on one side: a near-identical picture matches
            # when all its words agree too (the few of its own, and the whole text:
            # template siblings differ in a headline only), or the same picture as a
            # whole (PDQ) does; a framed or cropped one when every one of its own words,
            # two at least ("8 September"), is found on the other.
            whole_text = containment(a.ocr, b.ocr, misread=True) >= policy.ocr_min_containment
            own_words_agree = whole_text and (
                not words_a or not words_b or containment(words_a, words_b) >= 0.5
            )
            all_own_agree = (
                whole_text
                and min(len(words_a), len(words_b)) >= policy.ocr_all_distinct
                and containment(words_a, words_b, misread=True) == 1.0
            )
            if looks_alike and (
                pdq_distance <= policy.pdq_identical
                or all_own_agree
                or (
                    own_words_agree
                    and alignment is not None
                    and _near_identical(a.image, b.image, alignment, policy)
                )
            ):
                return MediaMatch(
                    source, target, "image", b.path, a.path, distance, pdq_distance,
                    alignment=alignment,
                )  # fmt: skip
            return None
        ocr_share = containment(words_a, words_b, misread=True)
        if looks_alike and ocr_share >= policy.ocr_min_containment:
            return MediaMatch(
                source,
                target,
                "image",
                b.path,
                a.path,
                distance,
                pdq_distance,
                ocr_share,
                alignment=alignment,
            )
        # A poster redrawn on another template keeps its words but not the template's
        # (header, footer): the words must align in long runs, not just be contained.
        aligned, _ = align(words_a, words_b, OCR_RUN)
        shorter = min(len(words_a), len(words_b))
        if (
            not looks_alike
            and aligned >= policy.ocr_alone_tokens
            and aligned / shorter >= policy.ocr_alone_share
        ):
            return MediaMatch(
                source,
                target,
                "ocr",
                b.path,
                a.path,
                distance,
                pdq_distance,
                aligned / shorter,
                shares=(aligned / len(words_b), aligned / len(words_a)),
            )
        return None
    if not looks_alike or alignment is None:
        return None
    if not _one_holds_the_other(alignment, a.image, b.image, policy):
        return None
    if (a.ocr is None or b.ocr is None) and not _near_identical(
        a.image, b.image, alignment, policy
    ):
        # OCR did not run: nothing tells template siblings apart (their aligned pictures
        # agree but for the headline), so only pictures near-identical as a whole match.
        return None
    return MediaMatch(
        source, target, "image", b.path, a.path, distance, pdq_distance, alignment=alignment
    )


def _near_identical(
    a: ImagePrint, b: ImagePrint, alignment: Alignment, policy: MatchPolicy
) -> bool:
    return alignment.distance <= policy.image_strict_radius and (
        hamming64(a.phash, b.phash) <= policy.image_strict_radius
        or min(alignment.cover) >= policy.align_strict_cover
    )


def _agrees(alignment: Alignment, policy: MatchPolicy) -> bool:
    """Whether an alignment shows the same picture: enough of both pictures overlap, and
    the overlaps agree as a whole, in grey levels and in colour."""
    return (
        min(alignment.cover) >= policy.align_min_cover
        and alignment.distance <= policy.align_max_distance
        and alignment.correlation >= policy.align_min_correlation
        and (alignment.chroma is None or alignment.chroma <= policy.align_max_chroma)
    )


def _one_holds_the_other(
    alignment: Alignment, a: ImagePrint, b: ImagePrint, policy: MatchPolicy
) -> bool:
    """Whether one picture holds the other, as a copy does: it crops, frames or banners
    its source, while two shots of one scene each show what the other does not. Asked
    of pictures whose words cannot decide (photos): a poster's words do."""
    if max(alignment.cover) < policy.align_contained:
        return False
    if min(alignment.cover) >= policy.align_crop_cover:
        return True  # at most a crop's worth outside the overlap
    # Much of one picture lies outside the other: a frame, a border or a banner, or a
    # wider shot of the same scene, which continues what the overlap shows.
    wider, box = (
        (a, alignment.overlap[0])
        if alignment.cover[0] < alignment.cover[1]
        else (
            b,
            alignment.overlap[1],
        )
    )
    grid = wider.grid_array()
    flow = continuity(grid.astype(np.float64), box) if grid is not None else None
    return flow is None or flow < policy.align_continuity


def match_media(
    mine: tuple[MediaItem, ...],
    theirs: tuple[MediaItem, ...],
    policy: MatchPolicy,
    source: str = "",
    target: str = "",
    common: frozenset[str] = frozenset(),
) -> MediaMatch | None:
    """The best media match between two posts' files, or None. `mine` are the files of
    `target` (the later post, the copy), `theirs` those of `source`; `common` as in
    `match_images`."""
    found: list[MediaMatch] = []
    for a in mine:
        for b in theirs:
            m = (
                match_videos(a, b, policy, source, target)
                if a.video is not None
                else match_images(a, b, policy, source, target, common)
            )
            if m is not None:
                found.append(m)
    if not found:
        return None
    return min(found, key=lambda m: (m.modality == "ocr", m.distance))


def _region_scale(index: int) -> float:
    """The share of each side a region key covers (see `mediafp.region_boxes`)."""
    if index == 0:
        return 1.0
    group = 1 + (index - 1) // len(REGION_ANCHORS)
    return REGION_SCALES[group] if group < len(REGION_SCALES) else SIDE_CUT


def describe_change(
    target: MediaItem, source: MediaItem, found: MediaMatch
) -> list[dict[str, Any]]:
    """What a copy did to its source's file, read off the fingerprints: a frame, border
    or banner added, a crop, a resize, words added or covered, an intro card, a trim."""
    out: list[dict[str, Any]] = []
    if target.image is not None and source.image is not None:
        a, b = target.image, source.image
        x = np.array(a.regions, np.uint64)[:, None] ^ np.array(b.regions, np.uint64)[None, :]
        i, j = np.unravel_index(int(np.argmin(np.bitwise_count(x))), x.shape)
        mine, theirs = _region_scale(int(i)), _region_scale(int(j))
        if a.trimmed != (0, 0, a.width, a.height) and b.trimmed == (0, 0, b.width, b.height):
            out.append({"change": "border_added", "detail": "a plain border around the picture"})
        elif mine < theirs:
            out.append({"change": "frame_added", "detail": "a frame or margin around the picture"})
        if mine > theirs:
            out.append({"change": "cropped", "detail": f"about {100 * (1 - theirs):.0f}% cut"})
        if (a.width, a.height) != (b.width, b.height):
            out.append(
                {"change": "resized", "detail": f"{b.width}×{b.height} → {a.width}×{a.height}"}
            )
        if not out and (found.distance > 0 or (found.pdq_distance or 0) > 0):
            # Only when nothing larger explains the difference (a frame or a crop does).
            out.append({"change": "re_encoded", "detail": f"PDQ distance {found.pdq_distance}"})
        if target.ocr is not None and source.ocr is not None:
            # OCR misreads a letter here and there: only words of 3+ letters, 2 or more.
            added = _words(Counter(target.ocr) - Counter(source.ocr))
            removed = _words(Counter(source.ocr) - Counter(target.ocr))
            if len(added) >= 2:
                out.append({"change": "text_added", "detail": " ".join(added[:12])})
            if len(removed) >= 2:
                out.append({"change": "text_covered", "detail": " ".join(removed[:12])})
    if target.video is not None and source.video is not None and found.ranges:
        first, last = found.ranges[0], found.ranges[-1]
        if first[2] >= 0.75:
            out.append({"change": "intro_added", "detail": f"{first[2]:.1f} s before the clip"})
        if first[0] >= 0.75:
            out.append({"change": "start_trimmed", "detail": f"first {first[0]:.1f} s cut"})
        if source.video.duration - last[1] >= 0.75:
            out.append(
                {
                    "change": "end_trimmed",
                    "detail": f"last {source.video.duration - last[1]:.1f} s cut",
                }
            )
    return out


def _words(counts: Counter[str]) -> list[str]:
    return [w for w in counts.elements() if len(w) >= 3 and w.isalpha()]
