"""Media decoding: the one place that opens image and video files.

Everything after this module takes decoded pictures. Files are untrusted: sizes and
pixel counts are checked before anything is decoded, so a decompression bomb or an
hour-long upload is refused with a `MediaError` instead of filling memory, and a
corrupt, truncated or unsupported file becomes a `MediaError` for its post, never a
crash of the ingest or the server.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import av
import av.error
import numpy as np
from av.video.reformatter import VideoReformatter
from PIL import Image, ImageOps, UnidentifiedImageError

from tracer.errors import MediaError

MediaKind = Literal["image", "video"]
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".webm", ".m4v", ".mkv"})


@dataclass(frozen=True, slots=True)
class MediaLimits:
    """What a file may be before it is refused (documented in docs/media.md)."""

    max_bytes: int = 512 << 20
    max_pixels: int = 64_000_000
    """Images above this many pixels are refused before decoding (decompression bombs)."""
    max_seconds: float = 30 * 60
    max_frame_pixels: int = 3840 * 2160


@dataclass(frozen=True, slots=True)
class VideoFrames:
    """Frames sampled twice a second, as small RGB arrays with their times."""

    times: tuple[float, ...]
    frames: tuple[np.ndarray, ...]
    duration: float
    width: int
    height: int


def media_kind(path: Path) -> MediaKind:
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in VIDEO_SUFFIXES:
        return "video"
    raise MediaError(str(path), f"unsupported file type {suffix or '(none)'!r}")


def _said(exc: BaseException, path: Path) -> str:
    """A decoder's message with the file's full path cut to its name: the path is a
    server's temporary folder as often as not, and the report names the file anyway."""
    return str(exc).replace(str(path), path.name)


def check_size(path: Path, limits: MediaLimits) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise MediaError(str(path), f"cannot read: {exc.strerror}") from None
    if size == 0:
        raise MediaError(str(path), "empty file")
    if size > limits.max_bytes:
        raise MediaError(str(path), f"{size} bytes is over the {limits.max_bytes}-byte limit")
    return size


def load_image(path: Path, limits: MediaLimits, min_side: int = 0) -> Image.Image:
    """An RGB picture, upright (EXIF orientation applied).

    With `min_side`, a JPEG is decoded at the smallest DCT scale that keeps both sides at
    least that long (`Image.draft`): fingerprints need ~512 pixels, not 4000."""
    check_size(path, limits)
    try:
        # Our pixel limit is checked from the header before decoding; Pillow's own bomb
        # warning (above 89 M pixels) and error (above 179 M) are refusals too.
        with Image.open(path) as image:  # closed on every path, refusals included
            width, height = image.size
            if width * height > limits.max_pixels:
                raise MediaError(
                    str(path),
                    f"{width}×{height} pixels is over the {limits.max_pixels}-pixel limit",
                )
            if min_side and image.format == "JPEG":
                scale = min(width, height) / min_side
                if scale >= 2:
                    image.draft("RGB", (round(width / scale), round(height / scale)))
            image.load()
            drafted = image.size
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise MediaError(str(path), f"not a readable image: {_said(exc, path)}") from None
    except Image.DecompressionBombWarning:
        raise MediaError(str(path), "too many pixels (decompression bomb)") from None
    except (OSError, SyntaxError, ValueError) as exc:  # Pillow's truncated/corrupt data
        raise MediaError(str(path), f"corrupt image: {_said(exc, path)}") from None
    rgb = upright if upright.mode == "RGB" else upright.convert("RGB")  # not a second copy
    turned = rgb.size != drafted
    # The size as published, which `Image.draft` hides: fingerprints record it.
    rgb.info["source_size"] = (height, width) if turned else (width, height)
    return rgb


def sample_video(
    path: Path, limits: MediaLimits, every: float = 0.5, width: int = 256
) -> VideoFrames:
    """About one frame per `every` seconds, scaled to `width` pixels wide.

    Two a second, not one: a copy's frames fall between the original's (an intro card of
    2.1 s shifts them all), and in a moving clip a frame 0.5 s away no longer looks alike;
    at 0.5 s the nearest frame is at most 0.25 s away.

    Only reference frames are decoded (`skip_frame="NONREF"`): at ~1 frame per second
    the B-frames in between are never looked at, so they are not decoded either.

    Nor is H.264's deblocking filter run (`skip_loop_filter`): it smooths block edges of
    a few pixels at the source size, which the scaling to 256 pixels averages away
    (frame keys move by ~0.001 bits on average, so prints stored before still compare
    alike and keep their version), and it is a fifth of the decode (a 30 s 720p clip:
    0.29 -> 0.24 CPU-s). Other codecs' loop filters do more and were not measured: they
    keep theirs.

    Decoding runs on one thread: tracer decodes one file per worker process, a worker per
    core, and ffmpeg's own frame threads on top of them cost ~15 % more CPU for the same
    frames. One scaler serves the whole clip (a frame's own `to_ndarray(width=...)` sets
    up a new one each time: a third of a short clip's decoding)."""
    check_size(path, limits)
    times: list[float] = []
    frames: list[np.ndarray] = []
    scaler = VideoReformatter()
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.video:
                raise MediaError(str(path), "no video stream")
            stream = container.streams.video[0]
            src_w, src_h = stream.codec_context.width, stream.codec_context.height
            if src_w * src_h > limits.max_frame_pixels:
                raise MediaError(str(path), f"{src_w}×{src_h} frames are over the limit")
            duration = _duration(container, stream)
            if duration > limits.max_seconds:
                raise MediaError(
                    str(path), f"{duration:.0f} s is over the {limits.max_seconds:.0f}-second limit"
                )
            stream.codec_context.skip_frame = "NONREF"
            if stream.codec_context.name == "h264":
                stream.codec_context.options = {"skip_loop_filter": "all"}
            stream.codec_context.thread_count = 1
            height = max(2, round(src_h * width / max(1, src_w)) // 2 * 2)
            next_time = 0.0
            for frame in container.decode(stream):
                if frame.time is None:
                    continue
                if frame.time > limits.max_seconds:
                    raise MediaError(str(path), "longer than the duration limit")
                if frame.time + 1e-6 < next_time:
                    continue
                times.append(round(float(frame.time), 3))
                scaled = scaler.reformat(frame, width=width, height=height, format="rgb24")
                frames.append(scaled.to_ndarray())
                # The next point of the fixed grid, not `frame.time + every`: anchored on
                # the grid, an original and its copy are sampled at the same moments
                # whatever frames their encoders kept as references.
                next_time = (math.floor(frame.time / every + 1e-6) + 1) * every
    except av.error.FFmpegError as exc:
        raise MediaError(str(path), f"not a readable video: {_said(exc, path)}") from None
    if not frames:
        raise MediaError(str(path), "no decodable frames")
    return VideoFrames(
        tuple(times), tuple(frames), duration or times[-1], src_w or width, src_h or height
    )


def _duration(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return 0.0
