"""Clip fingerprints: for each frame sampled twice a second, the centred region keys
of that frame (the picture's region keys of `tracer.media.fingerprint`, on fewer
regions); two clips match when enough frames of each find a match in the other."""

from __future__ import annotations

import itertools
import struct
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from PIL import Image

from tracer.errors import InputError
from tracer.media.fingerprint import (
    FRAME_ANCHORS,
    FRAME_SCALES,
    VERSION,
    region_boxes,
    stack_keys,
    work_copy,
)


@dataclass(frozen=True, slots=True)
class VideoPrint:
    """Per sampled frame: its time and the pHashes of its centred regions."""

    ALGORITHM: ClassVar[str] = "phash-frames"
    times: tuple[float, ...]
    frames: tuple[tuple[int, ...], ...]
    duration: float

    def to_bytes(self) -> bytes:
        k = len(self.frames[0]) if self.frames else 0
        head = struct.pack("<BIBd", VERSION, len(self.frames), k, self.duration)
        times = struct.pack(f"<{len(self.times)}f", *self.times)
        keys = struct.pack(f"<{len(self.frames) * k}Q", *(h for f in self.frames for h in f))
        return head + times + keys

    @classmethod
    def from_bytes(cls, data: bytes) -> VideoPrint:
        try:
            return cls._decode(data)
        except struct.error as exc:
            raise InputError(f"video fingerprint: truncated or corrupt ({exc})") from None

    @classmethod
    def _decode(cls, data: bytes) -> VideoPrint:
        version, n, k, duration = struct.unpack_from("<BIBd", data)
        if version != VERSION:
            raise InputError(f"video fingerprint version {version}, expected {VERSION}")
        offset = struct.calcsize("<BIBd")
        times = struct.unpack_from(f"<{n}f", data, offset)
        flat = struct.unpack_from(f"<{n * k}Q", data, offset + 4 * n)
        frames = tuple(tuple(flat[i * k : (i + 1) * k]) for i in range(n))
        return cls(tuple(round(t, 3) for t in times), frames, duration)


def fingerprint_frames(
    times: tuple[float, ...], frames: tuple[np.ndarray, ...], duration: float
) -> VideoPrint:
    greys = [np.asarray(work_copy(Image.fromarray(f))[0].convert("L")) for f in frames]
    keys: list[tuple[int, ...]] = []
    # Each run of frames of one size (all of a clip's, as a rule) in one stack.
    for (h, w), run in itertools.groupby(greys, key=lambda grey: grey.shape):
        boxes = region_boxes((w, h), FRAME_SCALES, FRAME_ANCHORS, side_cuts=False)
        keys += stack_keys(np.stack(list(run)), boxes)
    return VideoPrint(times, tuple(keys), duration)
