"""What a verified match says, for text and media matches alike: whether it is strong
enough to merge families, whether it shows the same content, and how it ranks."""

from __future__ import annotations

from tracer.candidates import Match
from tracer.media.match import MediaMatch
from tracer.policy import MatchPolicy
from tracer.text.match import is_same_content, is_strong


def is_strong_match(m: Match, policy: MatchPolicy) -> bool:
    """A verified picture or clip copy is as strong as a close text copy; a match by
    words read off pictures alone is not (it joins a family, never merges two)."""
    if isinstance(m, MediaMatch):
        return m.modality != "ocr"
    return is_strong(m, policy)


def same_content(m: Match, policy: MatchPolicy) -> bool:
    """Whether two posts carry one content: for pictures, the same picture as a whole
    (PDQ), or aligned near-identical with the same words (two posters on one template
    share their region keys and layout, not their words)."""
    if not isinstance(m, MediaMatch):
        return is_same_content(m, policy)
    if m.modality == "ocr":
        return False
    if m.modality == "video":
        return m.distance <= 2 and (m.shares is None or min(m.shares) >= 0.9)
    if m.pdq_distance is not None and m.pdq_distance <= policy.pdq_identical:
        return True
    near = m.alignment is not None and (
        m.alignment.distance <= policy.image_strict_radius
        and min(m.alignment.cover) >= policy.align_strict_cover
    )
    if m.ocr_containment is not None:  # posters: their words must agree too
        return near and m.ocr_containment >= policy.same_content
    return near


def tier(m: Match, short: bool, policy: MatchPolicy) -> tuple[int, float, float]:
    """Best first: strong evidence (a close text copy, a picture or clip copy), then a
    short text (a generic caption is the same for any content), then the rest."""
    if isinstance(m, MediaMatch):
        level = 0 if m.modality != "ocr" else 2
    elif short:
        level = 1
    else:
        level = 0 if is_strong(m, policy) else 2
    return (level, *rank(m))


def rank(m: Match) -> tuple[float, float]:
    """Best first: a close text copy, a media copy, a partial overlap (shared greetings)."""
    if isinstance(m, MediaMatch):
        return (-0.95 + m.distance / 100, 0.0)
    return (-m.containment * m.density, -float(m.matched_tokens))
