"""The match protocol and the evidence built from matches.

Text matches (`tracer.models.TextMatch`) and media matches (`tracer.media.item.MediaMatch`)
offer one surface, `Match`: what verifies (`modality`), the numbers that justify it
(`scores`), what else it shows (`evidence`: which files, which time ranges), whether it
may merge two families (`strong`), whether both sides carry one content
(`same_content`), how it ranks (`tier`, `rank`); and for content from outside the
corpus, which files matched (`source_media`, `target_media`: None for texts), whether
it places a view of a picture (`placed_view`), whether it is evidence enough on its own
(`conclusive`) and how strong it looks to a person (`strength`, 0–1). `Evidence.combine`
turns the matches between two posts, or between a post and a family, into what is
stored and served: the modalities joined (`text+image`), the scores of each match (a
media match's prefixed with its modality: `image_distance`), and the media evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tracer.policy import MatchPolicy


class Match(Protocol):
    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def modality(self) -> str: ...
    @property
    def scores(self) -> dict[str, float]: ...
    @property
    def evidence(self) -> dict[str, object] | None: ...
    def strong(self, policy: MatchPolicy) -> bool: ...
    def same_content(self, policy: MatchPolicy) -> bool: ...
    def tier(self, short: bool, policy: MatchPolicy) -> tuple[int, float, float]: ...
    def rank(self) -> tuple[float, float]: ...
    @property
    def source_media(self) -> str | None: ...
    @property
    def target_media(self) -> str | None: ...
    @property
    def placed_view(self) -> bool: ...
    def conclusive(self) -> bool: ...
    def strength(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Evidence:
    """What some matches show together."""

    modalities: tuple[str, ...]
    """What verifies, once each, in the order of the matches."""
    scores: dict[str, Any]
    """Every match's scores in the order of the matches; a media match's prefixed."""
    media: dict[str, object] | None = None
    """The (last) media match's own evidence."""

    @classmethod
    def combine(cls, matches: Iterable[Match], *, unverified: Iterable[Match] = ()) -> Evidence:
        """The matches, the first of each modality counting (the best, when they come
        best first); `unverified`: matches whose scores are kept, first, though they
        verify nothing (a cascade parent chosen for the hierarchy alone)."""
        modalities: list[str] = []
        scores: dict[str, Any] = {}
        media = None
        for m in unverified:
            scores.update(_scores(m))
        for m in matches:
            if m.modality in modalities:
                continue
            modalities.append(m.modality)
            scores.update(_scores(m))
            media = m.evidence if m.evidence is not None else media
        return cls(tuple(modalities), scores, media)

    @property
    def modality(self) -> str:
        """`text`, `image`, `text+video`, …; `text` when nothing verifies."""
        return "+".join(self.modalities) or "text"

    def stored_scores(self) -> dict[str, Any]:
        """The scores with the media evidence under `media`, as a match row keeps them."""
        return {**self.scores, "media": self.media} if self.media is not None else dict(self.scores)


def _scores(m: Match) -> dict[str, float]:
    if m.modality == "text":
        return m.scores
    return {f"{m.modality}_{k}": v for k, v in m.scores.items()}
