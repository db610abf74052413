"""Content search (`POST /search`): the stored families nearest to a text, or to a caption
with pictures and clips, best first, each shown by its member closest to the content.

Read-only, and through the linker's own search path (`LinkedPosts.nearest`, the wide
search): the same normaliser, fingerprints, votes (an account's habits and lines shared
by several families are boilerplate) and rules as an ingest. The best-voted posts are
scored; each family is shown by its member closest to the content, `linked` when the
rules accept a match to it. Families whose posts the rules refuse come after, with
their scores: the nearest content, not a match.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracer.candidates import Candidate
from tracer.evidence import Evidence
from tracer.models import StoredPost
from tracer.nearest import LinkedPosts, Near
from tracer.normalize import normalize_text
from tracer.store import Store
from tracer.text.fingerprint import fingerprint_text

CANDIDATES = 32
"""Best-voted stored posts scored against the content."""
MAX_TEXT = 20_000
"""Characters of query text kept (a long caption is a few thousand)."""
QUERY = "(query)"
"""The post id and account of a searched text."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A family near the content: its closest member, the family's size, whether an
    ingest would link the content to it, and what matched."""

    post: StoredPost
    size: int
    """Posts in the family (1 for a post alone)."""
    linked: bool
    evidence: Evidence

    @property
    def family_id(self) -> str | None:
        return self.post.family_id

    def to_json(self) -> dict[str, Any]:
        """One item of `POST /search`'s JSON."""
        return {
            "family_id": self.post.family_id,
            "size": self.size,
            "linked": self.linked,
            "post": self.post.to_json(),
            "scores": self.evidence.scores,
            "modality": self.evidence.modality,
            "evidence": self.evidence.media,
        }


def text_candidate(text: str) -> Candidate:
    """A text to search for, as the linker sees a post (it is never stored)."""
    norm = normalize_text(text[:MAX_TEXT])
    return Candidate(-1, QUERY, QUERY, norm.tokens, fingerprint_text(norm).anchors, norm.lines)


def _order(near: Near) -> tuple[Any, ...]:
    """Best first: what the linker accepts, then by aligned share (text) or closeness."""
    return (not near.linked, *near.match.rank(), near.idx)


def search(
    store: Store, linker: LinkedPosts, candidate: Candidate, limit: int = 10
) -> list[SearchHit]:
    """The families nearest to `candidate`, best first (at most `limit`): those a match
    to is accepted, by aligned share (text) or closeness (media). A family's evidence
    combines the accepted matches to it, closest first, else shows its nearest post's
    scores."""
    groups: dict[int, list[Near]] = {}
    for n in sorted(linker.nearest(candidate, posts=CANDIDATES), key=_order):
        groups.setdefault(linker.family_of(n.idx), []).append(n)
    chosen = [[n for n in near if n.linked] or near[:1] for near in groups.values()][:limit]
    found = store.found_posts([shown[0].idx for shown in chosen])
    hits = []
    for shown in chosen:
        row = found.get(shown[0].idx)
        if row is not None:  # always, unless a relink is under way
            evidence = Evidence.combine(n.match for n in shown)
            hits.append(SearchHit(row.post, row.family_size, shown[0].linked, evidence))
    return hits
