"""What a piece of outside content (a screenshot, a picture, a caption) was matched to,
and whether that evidence is enough for a verdict (issue 14).

Pure: takes the searcher's verified matches and the stored posts they name. An answer
names the stored post the content shows — an office's copy or the release itself — and
the paths that matched it: the picture, the words on the picture, the caption. When the
only evidence is partial (a picture region at the edge of the match radius, with
nothing else agreeing), the answer is `inconclusive` with the nearest candidates and
their scores, never a verdict a fact-checker would publish on it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from tracer.evidence import Match
from tracer.linker import Linker
from tracer.media.align import align_view, placed
from tracer.media.match import MediaItem, MediaMatch, match_images, own_words
from tracer.models import StoredPost
from tracer.normalize import normalize_text
from tracer.policy import MatchPolicy
from tracer.prepare import PreparedMedia
from tracer.screenshot import View
from tracer.text.fingerprint import U64, fingerprint_text
from tracer.text.overlap import key_array

CANDIDATES = 5
VIEW_FAMILIES = 8
"""Candidate families whose pictures a view is placed on, best first…"""
VIEW_POSTS = 3
"""…and posts of each, closest first."""
EDGE_WORDS = 4
"""Words at most that OCR may make of a line the screen cuts through (and never more
than a quarter of the words seen)."""
WIDEST = 1.91
"""Instagram shows a wider picture cropped to this shape, centred."""


def path_of(match: Match) -> str:
    """Which part of the content matched: `picture`, `words on the picture`, `clip` or
    `caption`."""
    return PATHS.get(match.modality, "picture")


PATHS = {"text": "caption", "ocr": "words on the picture", "video": "clip"}


@dataclass(frozen=True, slots=True)
class Shown:
    """The stored post the content shows, how it was matched, and the other candidates."""

    post: StoredPost | None
    family_id: str | None
    paths: tuple[str, ...]
    sure: bool
    candidates: tuple[dict[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        post = self.post
        return {
            "post_id": post.post_id if post else None,
            "account_id": post.account_id if post else None,
            "tier": post.tier if post else None,
            "is_release": bool(post and post.tier == "central"),
            "url": post.url if post else None,
            "family_id": self.family_id,
            "paths": list(self.paths),
            "sure": self.sure,
            "candidates": list(self.candidates),
        }


def closest_copy(
    found: Shown,
    submitted: Sequence[MediaItem],
    matches: Sequence[Match],
    family_media: dict[str, tuple[MediaItem, ...]],
    members: Sequence[StoredPost],
    policy: MatchPolicy,
) -> Shown:
    """When only the picture tells (no caption matched), the family member whose picture
    is closest to the one submitted: the searcher reports one match a family, but a
    bordered or framed copy is closer to a screenshot of it than the release is."""
    if found.post is None or "caption" in found.paths:
        return found
    first = next((m for m in matches if m.modality != "text"), None)
    if first is None or first.placed_view:
        return found  # a view's own placement named the post closest to it
    item = next((i for i in submitted if i.path == first.target_media), None)
    if item is None:
        return found
    best: tuple[tuple[int, int, bool], StoredPost] | None = None
    for post in members:
        for stored in family_media.get(post.post_id, ()):
            m = match_images(item, stored, policy)
            if m is not None:
                key = (m.distance, m.pdq_distance or 256, post.tier != "central")
                if best is None or key < best[0]:
                    best = (key, post)
    if best is None or best[1].post_id == found.post.post_id:
        return found
    return Shown(best[1], found.family_id, found.paths, found.sure, found.candidates)


def shown(matches: Sequence[Match], post_of: Callable[[str], StoredPost]) -> Shown:
    """The closest stored post among `matches` (best first, as the searcher gives them):
    the post matched by the most paths, then by sure evidence, then the first."""
    by_post: dict[str, list[Match]] = {}
    for match in matches:
        by_post.setdefault(match.source, []).append(match)
    if not by_post:
        return Shown(None, None, (), False, ())
    posts = {pid: post_of(pid) for pid in by_post}
    families: dict[str, list[Match]] = {}
    for pid, found in by_post.items():
        families.setdefault(posts[pid].family_id or pid, []).extend(found)

    def rank(pid: str) -> tuple[int, int, int, float, float]:
        found = by_post[pid]
        family = families[posts[pid].family_id or pid]
        # The caption first: offices edit captions, so it tells copies of one picture
        # apart; then the picture, its whole PDQ breaking ties of regions.
        words = [m.strength() for m in found if m.modality == "text"]
        pictures = [
            m.strength() - m.scores.get("pdq_distance", 0) / 2560
            for m in found
            if m.modality != "text"
        ]
        return (
            -len({path_of(m) for m in family if m.conclusive()}),
            -len({path_of(m) for m in found}),
            -int(any(m.conclusive() for m in found)),
            -max(words, default=0.0),
            -max(pictures, default=0.0),
        )

    best = min(by_post, key=rank)
    family = families[posts[best].family_id or best]
    candidates = []
    for pid in sorted(by_post, key=rank)[:CANDIDATES]:
        found = by_post[pid]
        candidates.append(
            {
                "post_id": pid,
                "account_id": posts[pid].account_id,
                "family_id": posts[pid].family_id,
                "paths": sorted({path_of(m) for m in found}),
                "score": max(m.strength() for m in found),
                "scores": {path_of(m): m.scores for m in found},
            }
        )
    return Shown(
        posts[best],
        posts[best].family_id,
        tuple(sorted({path_of(m) for m in by_post[best]})),
        any(m.conclusive() for m in family),
        tuple(candidates),
    )


@dataclass(frozen=True, slots=True)
class Submission:
    """What someone wants checked: a caption and/or media files, with what they claim."""

    text: str = ""
    media: tuple[Path, ...] = ()
    claimed_at: datetime | None = None
    account_id: str | None = None


def raw_caption(submission: Submission, media: Sequence[PreparedMedia]) -> str:
    """The caption given, else the one read off a screenshot as one paragraph (OCR's
    line breaks are the app's wrapping) ending in "…": a screen shows part of it."""
    if submission.text.strip():
        return submission.text
    if not any("#embedded" in m.path for m in media):
        return "\n".join(m.ocr_text for m in media if m.ocr_text)  # a picture's own words
    # A screenshot: the caption as read around the picture hypothesis that matched (its
    # own words are not caption), else around the rows found.
    chosen = [m for m in media if "#embedded" in m.path] or list(media[:1])
    joined = " ".join(" ".join((m.ocr_text or "").split()) for m in chosen[:1])
    return joined + " …" if joined and not joined.endswith(("…", "...")) else joined


def shown_media(items: tuple[MediaItem, ...], matches: Sequence[Match]) -> tuple[MediaItem, ...]:
    """The submitted files, and of a screenshot's picture hypotheses the one that
    matched best (or none): the others are guesses, not files."""
    best = next(
        (m.target_media for m in matches if m.target_media and "#" in m.target_media),
        None,
    )
    return tuple(i for i in items if "#embedded" not in i.path or i.path == best)


def _found_in(seen: tuple[str, ...], words: tuple[str, ...]) -> float:
    """Share of `seen` (as a multiset) found among `words`."""
    left = Counter(words)
    found = 0
    for w in seen:
        if left[w] > 0:
            left[w] -= 1
            found += 1
    return found / len(seen) if seen else 0.0


def _inside_cut(
    seen: tuple[str, ...], words: tuple[str, ...], cut: tuple[bool, bool]
) -> tuple[str, ...]:
    """The words seen, without the run of words not on the stored picture where the
    screen cuts the view (first words for a top cut, last for a bottom cut), up to
    `EDGE_WORDS` and a quarter of the words seen: OCR reads a line cut through its
    letters as fragments. No more: a poster's own headline is not set aside because its
    header or footer is a template's."""
    known = set(words)
    out = list(seen)
    most = min(EDGE_WORDS, len(seen) // 4)
    if cut[1]:
        for _ in range(most):
            if out and out[-1] not in known:
                out.pop()
    if cut[0]:
        for _ in range(most):
            if out and out[0] not in known:
                out.pop(0)
    return tuple(out)


def match_view(
    view: View,
    stored: MediaItem,
    policy: MatchPolicy,
    source: str = "",
    target: str = "",
    common: frozenset[str] = frozenset(),
) -> MediaMatch | None:
    """Whether the part of a picture a screenshot shows is part of `stored`: placed on
    it by the shapes (`align_view`), the whole overlap must agree (`placed`), and the
    words read off the view must be the stored picture's. Words only in part of a
    poster can show, so the test is that what is seen was there — not that all was
    seen — but when the stored picture has words of its own and none are in sight (a
    template's header and picture box), a template sibling would look the same: no
    match. Without OCR on either side, nothing tells such siblings apart: no match."""
    mine, theirs = view.item.image, stored.image
    if mine is None or theirs is None:
        return None
    ratio = theirs.width / max(1, theirs.height)
    found = [align_view(mine, theirs, view.cut)]
    if ratio > WIDEST:
        found.append(align_view(mine, theirs, view.cut, WIDEST / ratio))
    agreed = [a for a in found if a is not None and placed(a)]
    if not agreed:
        return None
    alignment = max(agreed, key=lambda a: a.correlation)
    if view.item.ocr is None or stored.ocr is None:
        return None
    share: float | None = None
    kept = own_words(stored.ocr, common)  # no template words, no OCR fragments
    seen = _inside_cut(own_words(view.item.ocr, common), stored.ocr, view.cut)
    # As `match_images`: words decide only on a picture with text (a poster), not on a
    # photo whose few words are an office's band or OCR's noise.
    if len(stored.ocr) >= policy.ocr_min_tokens and len(kept) >= policy.ocr_min_distinct:
        if len(seen) < policy.ocr_min_distinct:
            return None
        share = _found_in(seen, stored.ocr)
        if share < policy.ocr_min_containment:
            return None
    # Words on the view of a picture stored without text of its own (a photo): a band
    # or a banner the copy added, as `match_images` takes them; the picture decides.
    return MediaMatch(
        source,
        target,
        "image",
        stored.path,
        view.item.path,
        alignment.distance,
        mine.pdq - theirs.pdq,
        share,
        alignment=alignment,
    )


def view_candidates(
    linker: Linker, views: Sequence[View], caption_keys: U64, policy: MatchPolicy
) -> list[list[int]]:
    """Stored posts a view may show, by family, best families first: posts with a
    region near one the view may hold, then posts whose caption or picture words share
    anchors with the caption read or the words seen. None of these is evidence; the
    placement (`match_view`) is."""
    cap = policy.common_families
    keys = np.array(
        [k for v in views for k in (*v.keys, *(v.item.image.regions if v.item.image else ()))],
        np.uint64,
    )
    rank: dict[int, tuple[int, int]] = {}
    if len(keys):
        qids, owners, distances = linker.media.media_index.search_batch(keys, policy.image_radius)
        spread: dict[int, set[int]] = {}
        for q, o in zip(qids.tolist(), owners.tolist(), strict=True):
            spread.setdefault(q, set()).add(linker.family_of(o))
        for q, o, d in zip(qids.tolist(), owners.tolist(), distances.tolist(), strict=True):
            if len(spread[q]) <= cap:
                rank[o] = min(rank.get(o, (d, 0)), (d, 0))
    anchors = set(caption_keys.tolist())
    for text in {" ".join(v.item.ocr) for v in views if v.item.ocr}:
        anchors.update(fingerprint_text(normalize_text(text)).anchors.tolist())
    if anchors:
        ordered = key_array(anchors)
        votes: Counter[int] = Counter()
        for index in (linker.index, linker.media.ocr_index):
            for found in index.lookup(ordered, cap):
                votes.update(found or ())
        for p, n in votes.items():
            rank.setdefault(p, (policy.image_radius + 1, -n))
    families: dict[int, list[int]] = {}
    for p in sorted(rank, key=lambda p: (rank[p], p)):
        held = families.setdefault(linker.family_of(p), [])
        if len(held) < VIEW_POSTS:
            held.append(p)
    return list(families.values())[:VIEW_FAMILIES]
