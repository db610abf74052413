"""Verify candidate pairs of texts: scores and evidence, under the one `MatchPolicy`.

Candidates come from shared anchors; a pair links only when the shared words are
distinctive (anchors that are neither common across families nor the posting
account's own recurring text) *and* the alignment says one text is largely contained
in the other. Containment, not similarity, because copies add greetings and
hashtags, truncate, or keep only the title.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq, Levenshtein

from tracer.models import TextMatch
from tracer.policy import DEFAULT_POLICY, MatchPolicy
from tracer.text.fingerprint import U64, line_key
from tracer.text.overlap import key_array, pair_counts


@dataclass(frozen=True, slots=True)
class TextSide:
    """What verification needs of one post."""

    post_id: str
    tokens: tuple[str, ...]
    keys: U64
    """Its anchors and line keys, sorted and unique (`tracer.text.overlap`)."""
    lines: tuple[str, ...] = ()
    release: bool = False
    """A post of a central account: its first line is a title it wrote."""


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
"""A title shorter than this is too close to a greeting line to link on its own..."""
RELEASE_TITLE_TOKENS = 5
"""...unless it is a release's first line: a greeting opens a copy, not a release. A
release titled in five or six words ("Waspada Penipuan Mengatasnamakan Pejabat Kota
Balikpapan") is still found by its title-only copies."""


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
            size >= (RELEASE_TITLE_TOKENS if title_of.release else TITLE_TOKENS)
            and len(whole.tokens) - size <= framing
            and any(ends_with_title(line.split(), title.split()) for line in whole.lines)
            and line_key(title) not in boilerplate
        ):
            return True
    return False


def title_size(lines: Sequence[str]) -> int:
    """Words of a text's first line (0 without lines): its title, when it has one."""
    return lines[0].count(" ") + 1 if lines else 0


def may_carry_title(tokens_a: int, title_a: int, tokens_b: int, title_b: int, framing: int) -> bool:
    """Whether `carries_title` can hold for two texts of these token counts and
    `title_size`s: a test of two numbers a side, which spares most candidate pairs the
    building of their sides (one text must be at most its title's length and `framing`)."""
    return (title_b >= RELEASE_TITLE_TOKENS and tokens_a - title_b <= framing) or (
        title_a >= RELEASE_TITLE_TOKENS and tokens_b - title_a <= framing
    )


TITLE_TYPO_EDITS = 2
"""Letters a mistyped word of a title may differ by (a letter dropped, doubled, swapped)."""


def ends_with_title(line: Sequence[str], title: Sequence[str]) -> bool:
    """Whether a line ends with the title, give or take a mistyped word in every eight
    (a copy that keeps only the title also fixes or adds typos). Only words of four
    letters or more count as mistyped: "2023" for "2024" is another title."""
    if len(line) < len(title):
        return False
    wrong = [(x, y) for x, y in zip(line[len(line) - len(title) :], title, strict=True) if x != y]
    return len(wrong) <= max(1, len(title) // 8) and all(
        x.isalpha()
        and y.isalpha()
        and min(len(x), len(y)) >= 4
        and Levenshtein.distance(x, y) <= TITLE_TYPO_EDITS
        for x, y in wrong
    )


def anchor_overlap(
    a: TextSide, b: TextSide, boilerplate: frozenset[int] | set[int]
) -> tuple[int, float]:
    """Distinctive anchors the two share, and that count over the smaller side's."""
    return share(*pair_counts(a.keys, b.keys, key_array(boilerplate)))


def share(shared: int, own: int, theirs: int) -> tuple[int, float]:
    """Shared distinctive anchors, and their share of the smaller side's (`own`, `theirs`)."""
    smaller = min(own, theirs)
    return shared, shared / smaller if smaller else 0.0


def score_pair(
    a: TextSide,
    b: TextSide,
    boilerplate: frozenset[int] | set[int] = frozenset(),
    policy: MatchPolicy = DEFAULT_POLICY,
) -> TextMatch:
    """Scores of `a` against `b`, whether or not they pass the policy."""
    return _rated(_unrated(a, b, boilerplate, policy, anchor_overlap(a, b, boilerplate)), a, b)


def _rated(match: TextMatch, a: TextSide, b: TextSide) -> TextMatch:
    """`match` with its Indel ratio, for people (no rule reads it)."""
    return replace(match, ratio=fuzz.ratio(" ".join(a.tokens), " ".join(b.tokens)))


def _unrated(
    a: TextSide,
    b: TextSide,
    boilerplate: frozenset[int] | set[int],
    policy: MatchPolicy,
    overlap: tuple[int, float],
) -> TextMatch:
    """The scores but the Indel ratio (0): what `accepts` decides by. Most pairs that
    reach the alignment are rejected, and the ratio costs as much as the alignment."""
    shared, anchor_containment = overlap
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
        ratio=0.0,
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


def weak_overlap(overlap: tuple[int, float], policy: MatchPolicy) -> bool:
    """Too few distinctive anchors shared (`anchor_overlap`) for a pair to link but on a
    title (`carries_title`)."""
    shared, containment = overlap
    return shared == 0 or (
        containment < policy.min_anchor_containment and shared < policy.close_shared
    )


def verify_pair(
    a: TextSide,
    b: TextSide,
    boilerplate: frozenset[int] | set[int],
    policy: MatchPolicy,
    overlap: tuple[int, float] | None = None,
) -> TextMatch | None:
    """The match of `a` to `b` when the policy accepts it, else None. `overlap`: their
    `anchor_overlap`, when counted already (the linker sorts a post's boilerplate once
    for all its candidates)."""
    if overlap is None:
        overlap = anchor_overlap(a, b, boilerplate)
    if weak_overlap(overlap, policy) and not carries_title(a, b, boilerplate, policy.max_framing):
        return None  # cheap rejection before the alignment, which costs more
    match = _unrated(a, b, boilerplate, policy, overlap)
    if not accepts(match, min(len(a.tokens), len(b.tokens)), policy):
        return None
    return _rated(match, a, b)
