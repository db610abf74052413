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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tracer.media.match import MediaItem, MediaMatch, match_images
from tracer.models import StoredPost, TextMatch
from tracer.policy import MatchPolicy
from tracer.prepare import PreparedMedia

Match = TextMatch | MediaMatch

SURE_DISTANCE = 4
"""A picture region this close (bits of 64) is the same picture on its own."""
SURE_PDQ = 90
"""…or a farther region whose whole picture (PDQ, 256 bits) is this close."""
SURE_TEXT = 0.7
"""A caption whose aligned share (containment × density) reaches this…"""
SURE_TOKENS = 8
"""…over at least this many words is the same caption."""
CANDIDATES = 5


def path_of(match: Match) -> str:
    """Which part of the content matched: `picture`, `words on the picture`, `clip` or
    `caption`."""
    if isinstance(match, TextMatch):
        return "caption"
    if match.modality == "ocr":
        return "words on the picture"
    return "clip" if match.modality == "video" else "picture"


def is_sure(match: Match) -> bool:
    """Whether one match alone is enough evidence (see the module docstring)."""
    if isinstance(match, TextMatch):
        return (
            match.containment * match.density >= SURE_TEXT and match.matched_tokens >= SURE_TOKENS
        )
    if match.modality in ("ocr", "video"):
        return True
    if match.ocr_containment is not None:  # the words on the picture agree too
        return True
    return match.distance <= SURE_DISTANCE or (
        match.pdq_distance is not None and match.pdq_distance <= SURE_PDQ
    )


def _strength(match: Match) -> float:
    """0–1, for ranking candidates."""
    if isinstance(match, TextMatch):
        return round(match.containment * match.density, 4)
    if match.modality != "image":
        return 0.9
    return round(1 - match.distance / 64, 4)


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
    target = next((m.target_media for m in matches if isinstance(m, MediaMatch)), None)
    item = next((i for i in submitted if i.path == target), None)
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
        words = [_strength(m) for m in found if isinstance(m, TextMatch)]
        pictures = [
            _strength(m) - (m.pdq_distance or 0) / 2560 for m in found if isinstance(m, MediaMatch)
        ]
        return (
            -len({path_of(m) for m in family if is_sure(m)}),
            -len({path_of(m) for m in found}),
            -int(any(is_sure(m) for m in found)),
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
                "score": max(_strength(m) for m in found),
                "scores": {path_of(m): m.scores for m in found},
            }
        )
    return Shown(
        posts[best],
        posts[best].family_id,
        tuple(sorted({path_of(m) for m in by_post[best]})),
        any(is_sure(m) for m in family),
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


def shown_media(items: tuple[MediaItem, ...], matches: list[Match]) -> tuple[MediaItem, ...]:
    """The submitted files, and of a screenshot's picture hypotheses the one that
    matched best (or none): the others are guesses, not files."""
    best = next(
        (m.target_media for m in matches if isinstance(m, MediaMatch) and "#" in m.target_media),
        None,
    )
    return tuple(i for i in items if "#embedded" not in i.path or i.path == best)
