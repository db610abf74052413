"""One contract over every registered media signal (`tracer.media.signals.SIGNALS`):
a new kind of fingerprint passes these or is not registered.

For each signal: the print round-trips through its bytes exactly, distances are zero
on one input and symmetric, an office's re-encoded and resized copy stays within the
policy's radius while different content stays beyond it, its index keys are 64-bit,
and corrupt bytes raise the project's error."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from PIL import Image

from tracer.errors import TracerError
from tracer.media.decode import VideoFrames
from tracer.media.signals import SIGNALS, MediaSignal, media_params, signal_for
from tracer.policy import MatchPolicy

from ..media_samples import sm

POLICY = MatchPolicy()


def reencoded(img: Image.Image, scale: float = 0.6) -> Image.Image:
    """A regional office's copy: smaller, and JPEG at quality 55."""
    small = img.convert("RGB").resize(
        (round(img.width * scale), round(img.height * scale)), Image.Resampling.LANCZOS
    )
    out = io.BytesIO()
    small.save(out, "JPEG", quality=55)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def frames_of(pictures: list[Image.Image]) -> VideoFrames:
    """Frames as `decode.sample_video` hands them over: 256 pixels wide, even height."""
    small = []
    for p in pictures:
        height = max(2, round(p.height * 256 / p.width) // 2 * 2)
        small.append(np.asarray(p.resize((256, height), Image.Resampling.BILINEAR)))
    times = tuple(float(t) for t in range(len(small)))
    return VideoFrames(times, tuple(small), float(len(small)), 256, small[0].shape[0])


@functools.cache
def clip(name: str) -> list[Image.Image]:
    if name == "ministry":
        return [Image.fromarray(f) for f in list(sm.clip_frames(6.0))[:: sm.FPS]]
    card = sm.intro_card("Diskominfo Kota Surabaya", 6)
    return [Image.fromarray(f) for f in list(card)[:: sm.FPS]]


# kind -> (original, an office's copy, different content, the radius a copy stays in)
CASES: dict[str, Callable[[], tuple[Any, Any, Any, int]]] = {
    "image": lambda: (
        sm.photo("astronaut"),
        reencoded(sm.photo("astronaut")),
        sm.photo("coffee"),
        POLICY.image_radius,
    ),
    "video": lambda: (
        frames_of(clip("ministry")),
        frames_of([reencoded(f, 0.8) for f in clip("ministry")]),
        frames_of(clip("card")),
        POLICY.video_frame_radius,
    ),
}
IDS = [s.algorithm for s in SIGNALS]


def test_every_signal_has_a_contract_case_and_one_algorithm_each() -> None:
    assert {s.kind for s in SIGNALS} == set(CASES)
    assert len({s.algorithm for s in SIGNALS}) == len(SIGNALS)
    for signal in SIGNALS:
        assert signal_for(signal.algorithm) is signal
        assert signal.algorithm in media_params()
    assert signal_for("no-such-algorithm") is None


@pytest.mark.parametrize("signal", SIGNALS, ids=IDS)
def test_prints_round_trip_through_bytes_exactly(signal: MediaSignal[Any, Any]) -> None:
    original, copy, other, _ = CASES[signal.kind]()
    for decoded in (original, copy, other):
        value = signal.fingerprint(decoded)
        data = signal.to_bytes(value)
        assert signal.from_bytes(data) == value
        assert signal.to_bytes(signal.from_bytes(data)) == data


@pytest.mark.parametrize("signal", SIGNALS, ids=IDS)
def test_distances_are_zero_on_one_input_and_symmetric(signal: MediaSignal[Any, Any]) -> None:
    original, copy, other, _ = CASES[signal.kind]()
    a, b, c = (signal.fingerprint(x) for x in (original, copy, other))
    assert signal.compare(a, a) == 0
    assert signal.compare(a, b) == signal.compare(b, a)
    assert signal.compare(a, c) == signal.compare(c, a)


@pytest.mark.parametrize("signal", SIGNALS, ids=IDS)
def test_a_copy_stays_close_and_other_content_stays_far(signal: MediaSignal[Any, Any]) -> None:
    original, copy, other, radius = CASES[signal.kind]()
    a, b, c = (signal.fingerprint(x) for x in (original, copy, other))
    assert signal.compare(a, b) <= radius
    assert signal.compare(a, c) > radius


@pytest.mark.parametrize("signal", SIGNALS, ids=IDS)
def test_index_keys_are_64_bit(signal: MediaSignal[Any, Any]) -> None:
    original, _, _, _ = CASES[signal.kind]()
    keys = signal.keys(signal.fingerprint(original))
    assert keys
    assert all(isinstance(k, int) and 0 <= k < 1 << 64 for k in keys)


@pytest.mark.parametrize("signal", SIGNALS, ids=IDS)
def test_corrupt_bytes_raise_the_projects_error(signal: MediaSignal[Any, Any]) -> None:
    original, _, _, _ = CASES[signal.kind]()
    data = signal.to_bytes(signal.fingerprint(original))
    with pytest.raises(TracerError):
        signal.from_bytes(data[:5])
    with pytest.raises(TracerError):
        signal.from_bytes(bytes([data[0] + 1]) + data[1:])
