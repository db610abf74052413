"""What a verified match says, for text and media matches alike, in the linker's
spelling: each is one method of the match protocol (`tracer.evidence.Match`)."""

from __future__ import annotations

from tracer.evidence import Match
from tracer.policy import MatchPolicy


def is_strong_match(m: Match, policy: MatchPolicy) -> bool:
    """Strong enough to merge two families (`Match.strong`)."""
    return m.strong(policy)


def same_content(m: Match, policy: MatchPolicy) -> bool:
    """Whether two posts carry one content (`Match.same_content`)."""
    return m.same_content(policy)


def tier(m: Match, short: bool, policy: MatchPolicy) -> tuple[int, float, float]:
    """Best first (`Match.tier`)."""
    return m.tier(short, policy)


def rank(m: Match) -> tuple[float, float]:
    """Best first among matches of one tier (`Match.rank`)."""
    return m.rank()
