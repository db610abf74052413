"""The registry of media signals: every kind of media fingerprint tracer makes, with
what it is called, how it is made, looked up, compared and stored.

A new kind is one module (its frozen print value and its fingerprint function) plus
one entry in `SIGNALS`; `tests/media/test_signals.py` runs the same contract over every
entry, and `media_params` (what the database records beside stored prints) follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

import imagehash
from PIL import Image

from tracer.media.clips import frame_distances
from tracer.media.decode import VideoFrames
from tracer.media.fingerprint import (
    GRID_SIDE,
    PDQ_SIDE,
    VERSION,
    WORK_SIDE,
    ImagePrint,
    best_region_distance,
    fingerprint_image,
)
from tracer.media.video import VideoPrint, fingerprint_frames

P = TypeVar("P")
D = TypeVar("D")
SignalKind = Literal["image", "video"]


@dataclass(frozen=True, slots=True)
class MediaSignal(Generic[D, P]):
    """One kind of media fingerprint. `D` is the decoded input, `P` the print."""

    kind: SignalKind
    algorithm: str
    version: int
    fingerprint: Callable[[D], P]
    keys: Callable[[P], tuple[int, ...]]
    """The media index's keys of a print (64-bit region hashes)."""
    compare: Callable[[P, P], int]
    """The smallest region distance between two prints, in bits of 64."""
    to_bytes: Callable[[P], bytes]
    from_bytes: Callable[[bytes], P]


def _video_print(frames: VideoFrames) -> VideoPrint:
    return fingerprint_frames(frames.times, frames.frames, frames.duration)


def _frame_keys(video: VideoPrint) -> tuple[int, ...]:
    return tuple(k for frame in video.frames for k in frame)


def _clip_distance(a: VideoPrint, b: VideoPrint) -> int:
    if not a.frames or not b.frames:
        return 64
    return int(frame_distances(a, b).min())


IMAGE: MediaSignal[Image.Image, ImagePrint] = MediaSignal(
    "image",
    ImagePrint.ALGORITHM,
    VERSION,
    fingerprint_image,
    lambda p: p.regions,
    lambda a, b: best_region_distance(a.regions, b.regions),
    ImagePrint.to_bytes,
    ImagePrint.from_bytes,
)
VIDEO: MediaSignal[VideoFrames, VideoPrint] = MediaSignal(
    "video",
    VideoPrint.ALGORITHM,
    VERSION,
    _video_print,
    _frame_keys,
    _clip_distance,
    VideoPrint.to_bytes,
    VideoPrint.from_bytes,
)
SIGNALS: tuple[MediaSignal[Any, Any], ...] = (IMAGE, VIDEO)


def signal_for(algorithm: str) -> MediaSignal[Any, Any] | None:
    """The signal that stored prints of `algorithm`; None for one this tracer lacks."""
    return next((s for s in SIGNALS if s.algorithm == algorithm), None)


def media_params() -> str:
    """What the stored media fingerprints depend on, as stored beside them: a change
    means re-fingerprinting, so the database refuses to mix the two."""
    algorithms = "+".join(s.algorithm for s in SIGNALS)
    return (
        f"{algorithms}/v{VERSION}/side{WORK_SIDE}/pdq{PDQ_SIDE}"
        f"/grid{GRID_SIDE}"
        f"/imagehash-{imagehash.__version__}"
    )
