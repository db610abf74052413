"""A post's media file as the verifier sees it (`MediaItem`) and a verified media link
with its evidence (`MediaMatch`): the values `match` and `clips` exchange."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tracer.media.align import Alignment
from tracer.media.fingerprint import ImagePrint
from tracer.media.video import VideoPrint

MediaModality = Literal["image", "video", "ocr"]


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
