"""A post's media file as the verifier sees it (`MediaItem`) and a verified media link
with its evidence (`MediaMatch`): the values `match` and `clips` exchange."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from tracer.media.align import Alignment, placed
from tracer.media.fingerprint import ImagePrint
from tracer.media.video import VideoPrint

if TYPE_CHECKING:
    from tracer.policy import MatchPolicy

MediaModality = Literal["image", "video", "ocr"]
SURE_DISTANCE = 4
"""A picture region this close (bits of 64) is the same picture on its own…"""
SURE_PDQ = 90
"""…or a farther region whose whole picture (PDQ, 256 bits) is this close."""


@dataclass(frozen=True, slots=True)
class MediaItem:
    """One media file of a post as the verifier sees it."""

    path: str
    image: ImagePrint | None = None
    video: VideoPrint | None = None
    ocr: tuple[str, ...] | None = None
    """Normalised tokens read off the picture; None when OCR did not run."""


@dataclass(frozen=True, slots=True)
class MediaMatch:
    """A verified media link between two posts, with what justifies it."""

    source: str
    target: str
    modality: MediaModality
    source_media: str
    target_media: str
    distance: int
    """Best region distance (bits of 64); for clips, the median over matched frames."""
    pdq_distance: int | None = None
    ocr_containment: float | None = None
    shares: tuple[float, float] | None = None
    """Clips: share of each side's sampled frames matched in the other."""
    ranges: tuple[tuple[float, float, float, float], ...] = ()
    """Clips: matched time ranges as (source start, end, target start, end) seconds."""
    alignment: Alignment | None = None
    """Pictures: how the two agree under the transform their closest regions propose."""

    @property
    def scores(self) -> dict[str, float]:
        out: dict[str, float] = {"distance": float(self.distance)}
        if self.pdq_distance is not None:
            out["pdq_distance"] = float(self.pdq_distance)
        if self.ocr_containment is not None:
            out["ocr_containment"] = round(self.ocr_containment, 4)
        if self.shares is not None:
            out["share_source"], out["share_target"] = (round(s, 4) for s in self.shares)
        if self.alignment is not None:
            out["aligned_distance"] = float(self.alignment.distance)
            out["aligned_correlation"] = self.alignment.correlation
            out["aligned_cover"] = round(min(self.alignment.cover), 4)
            if self.alignment.chroma is not None:
                out["aligned_chroma"] = self.alignment.chroma
        return out

    @property
    def evidence(self) -> dict[str, object]:
        out: dict[str, object] = {
            "modality": self.modality,
            "source_media": self.source_media,
            "target_media": self.target_media,
            **self.scores,
        }
        if self.ranges:
            out["ranges"] = [{"source": [a, b], "target": [c, d]} for a, b, c, d in self.ranges]
        return out

    # The surface every match offers (`tracer.evidence.Match`).

    def strong(self, policy: MatchPolicy) -> bool:
        """A verified picture or clip copy is as strong as a close text copy; a match by
        words read off pictures alone is not (it joins a family, never merges two)."""
        return self.modality != "ocr"

    def same_content(self, policy: MatchPolicy) -> bool:
        """The same picture as a whole (PDQ), or aligned near-identical with the same
        words (two posters on one template share their region keys and layout, not their
        words); a poster redrawn with the same words, nearly all of each side's (the
        message is the content, whoever redraws it); a clip whose frames nearly all
        match."""
        if self.modality == "ocr":
            return self.shares is not None and min(self.shares) >= policy.ocr_same_content
        if self.modality == "video":
            return self.distance <= 2 and (self.shares is None or min(self.shares) >= 0.9)
        if self.pdq_distance is not None and self.pdq_distance <= policy.pdq_identical:
            return True
        near = self.alignment is not None and (
            self.alignment.distance <= policy.image_strict_radius
            and min(self.alignment.cover) >= policy.align_strict_cover
        )
        if self.ocr_containment is not None:  # posters: their words must agree too
            # A poster framed or bannered whole (the other picture inside it) with the
            # same words is the same poster: the frame is the poster's dress, not content.
            held = self.alignment is not None and (
                max(self.alignment.cover) >= policy.align_contained
            )
            return (near or held) and self.ocr_containment >= policy.same_content
        return near

    def same_picture(self, policy: MatchPolicy) -> bool:
        """The same file as a whole (re-encoded, resized): what an office posting its own
        picture again shares with it. Its own shots of one scene agree in an aligned view
        (a zoom, a step aside) but never as a whole: PDQ 116–146 bits apart at 4,000
        posts, against at most `pdq_identical` for the same picture."""
        if self.modality != "image":
            return self.same_content(policy)
        return self.pdq_distance is not None and self.pdq_distance <= policy.pdq_identical

    def tier(self, short: bool, policy: MatchPolicy) -> tuple[int, float, float]:
        """Best first: a picture or clip copy with the close text copies; words read off
        pictures with the partial text overlaps. A short caption says nothing of it."""
        return (0 if self.strong(policy) else 2, *self.rank())

    def rank(self) -> tuple[float, float]:
        """Between a close text copy and a partial overlap (shared greetings)."""
        return (-0.95 + self.distance / 100, 0.0)

    @property
    def placed_view(self) -> bool:
        """Whether a view (the part of a picture a screen shows) was placed on the
        stored picture by the two shapes, the whole overlap agreeing (`align.placed`)."""
        return self.alignment is not None and placed(self.alignment)

    def conclusive(self) -> bool:
        """Evidence enough on its own (content from outside the corpus): words or a
        clip; a picture whose words agree too, a placed view, a region within
        `SURE_DISTANCE` bits or a whole picture within `SURE_PDQ`. Not a region at the
        edge of the radius with nothing else agreeing."""
        if self.modality in ("ocr", "video") or self.ocr_containment is not None:
            return True
        if self.placed_view:
            return True
        return self.distance <= SURE_DISTANCE or (
            self.pdq_distance is not None and self.pdq_distance <= SURE_PDQ
        )

    def strength(self) -> float:
        """0–1, to rank the candidates shown to people: a picture by its closest region."""
        if self.modality != "image":
            return 0.9
        return round(1 - self.distance / 64, 4)
