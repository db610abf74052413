"""Frozen values that flow between the stages of DESIGN.md's data flow."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from tracer.policy import MatchPolicy

Tier = Literal["central", "province", "regency", "other"]
TIERS: tuple[Tier, ...] = ("central", "province", "regency", "other")
Verdict = Literal["supported", "contradicted", "not_found", "inconclusive"]
"""`inconclusive`: outside content with partial evidence only (tracer.outside)."""


@dataclass(frozen=True, slots=True)
class Account:
    account_id: str
    platform: str
    handle: str
    name: str
    tier: Tier
    region: str
    parent_id: str | None


@dataclass(frozen=True, slots=True)
class Post:
    """One published item. `published_at` is always timezone-aware UTC."""

    post_id: str
    account_id: str
    published_at: datetime
    text: str
    media: tuple[str, ...] = ()
    url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def timestamp(self) -> int:
        return int(self.published_at.timestamp())

    def __reduce__(self) -> tuple[type[Post], tuple[Any, ...]]:
        # Sent from an ingest's workers for every post: the dataclass default pickles
        # through `fields()` per object, which costs the receiving process more.
        return (Post, (self.post_id, self.account_id, self.published_at, self.text,
                       self.media, self.url, self.extra))  # fmt: skip


@dataclass(frozen=True, slots=True)
class StoredPost:
    """A post as the store returns it, with its account's tier and its cascade position."""

    post_id: str
    account_id: str
    tier: Tier
    region: str
    account_parent_id: str | None
    published_at: datetime
    text: str
    media: tuple[str, ...]
    url: str | None
    family_id: str | None
    parent_id: str | None
    lag_seconds: int | None

    @property
    def timestamp(self) -> int:
        return int(self.published_at.timestamp())

    def to_json(self) -> dict[str, Any]:
        return {
            "post_id": self.post_id,
            "account_id": self.account_id,
            "tier": self.tier,
            "region": self.region,
            "published_at": iso_utc(self.published_at),
            "text": self.text,
            "media": list(self.media),
            "url": self.url,
            "family_id": self.family_id,
        }


SURE_TEXT = 0.7
"""A caption whose aligned share (containment × density) reaches this…"""
SURE_TOKENS = 8
"""…over at least this many words is the same caption: evidence enough on its own."""


@dataclass(frozen=True, slots=True)
class TextMatch:
    """A verified text link between two posts, with the scores that justify it."""

    source: str
    target: str
    containment: float
    """Aligned tokens (longest common subsequence, in runs) over the shorter text's tokens."""
    density: float
    """Aligned tokens over the span of text the alignment covers (denser side)."""
    matched_tokens: int
    anchor_containment: float
    """Shared distinctive anchors over the shorter text's distinctive anchors."""
    shared_anchors: int
    ratio: float
    """rapidfuzz Indel ratio of the two normalised texts, 0–100."""
    title: bool = False
    """One text is the other's title line and little else."""

    @property
    def scores(self) -> dict[str, float]:
        return {
            "containment": round(self.containment, 4),
            "density": round(self.density, 4),
            "matched_tokens": float(self.matched_tokens),
            "anchor_containment": round(self.anchor_containment, 4),
            "shared_anchors": float(self.shared_anchors),
            "ratio": round(self.ratio, 2),
            "title": float(self.title),
        }

    # The surface every match offers (`tracer.evidence.Match`).

    @property
    def modality(self) -> str:
        return "text"

    @property
    def evidence(self) -> dict[str, object] | None:
        """Nothing beyond the scores: the texts are the posts' own."""
        return None

    def strong(self, policy: MatchPolicy) -> bool:
        """Strong enough to merge two families (see `MatchPolicy.merge_containment`)."""
        return self.title or (
            self.containment >= policy.merge_containment and self.density >= policy.merge_density
        )

    def same_content(self, policy: MatchPolicy) -> bool:
        """Near-identical texts: the only way two releases end up in one family."""
        return (
            self.containment >= policy.same_content
            and self.density >= policy.same_content
            and self.ratio >= 100 * policy.same_content
        )

    def tier(self, short: bool, policy: MatchPolicy) -> tuple[int, float, float]:
        """Best first: a close copy, then a short text (a generic caption is the same for
        any content), then a partial overlap."""
        level = 1 if short else 0 if self.strong(policy) else 2
        return (level, *self.rank())

    def rank(self) -> tuple[float, float]:
        """Best first: the larger aligned share, then the more aligned words."""
        return (-self.containment * self.density, -float(self.matched_tokens))

    @property
    def source_media(self) -> str | None:
        """No file: the texts are the posts' own."""
        return None

    @property
    def target_media(self) -> str | None:
        return None

    @property
    def placed_view(self) -> bool:
        """A text is never a view placed on a picture."""
        return False

    def conclusive(self) -> bool:
        """Evidence enough on its own (content from outside the corpus): the same
        caption, `SURE_TEXT` of it aligned over `SURE_TOKENS` words or more."""
        share = self.containment * self.density
        return share >= SURE_TEXT and self.matched_tokens >= SURE_TOKENS

    def strength(self) -> float:
        """0–1, to rank the candidates shown to people: the aligned share."""
        return round(self.containment * self.density, 4)


@dataclass(frozen=True, slots=True)
class Edge:
    """A cascade edge: `target` was most likely copied from `source`."""

    source: str
    target: str
    lag_seconds: int
    modality: str
    scores: dict[str, float]
    reason: str
    evidence: dict[str, Any] | None = None
    """Media evidence: which files matched, and for clips which time ranges."""


def iso_utc(moment: datetime) -> str:
    """The one rendering of an instant in JSON: ISO 8601 in UTC with a `Z`."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
