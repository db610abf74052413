"""Verification of clip candidates: two clips match when enough sampled frames of each
find a close frame in the other (vPDQ-style two-way shares) and the matched frames
follow the other clip's order, which survives an intro card, trims and overlays."""

from __future__ import annotations

import bisect

import numpy as np

from tracer.media.item import MediaItem, MediaMatch
from tracer.media.video import VideoPrint
from tracer.policy import MatchPolicy


def frame_distances(a: VideoPrint, b: VideoPrint) -> np.ndarray:
    """Best region distance between every sampled frame of `a` and every one of `b`."""
    x = np.array(a.frames, np.uint64)  # (na, k)
    y = np.array(b.frames, np.uint64)  # (nb, k)
    # One key pair at a time into an (na, nb) minimum: two 30-minute clips take tens of
    # MB this way, where one (na, nb, k, k) array would take gigabytes.
    best = np.full((len(x), len(y)), 64, np.uint8)
    for i in range(x.shape[1]):
        for j in range(y.shape[1]):
            np.minimum(best, np.bitwise_count(x[:, i, None] ^ y[None, :, j]), out=best)
    return best


def match_videos(
    a: MediaItem, b: MediaItem, policy: MatchPolicy, source: str = "", target: str = ""
) -> MediaMatch | None:
    if a.video is None or b.video is None or not a.video.frames or not b.video.frames:
        return None
    d = frame_distances(a.video, b.video)
    close = d <= policy.video_frame_radius
    share_a = float(close.any(axis=1).mean())
    share_b = float(close.any(axis=0).mean())
    if max(share_a, share_b) < policy.video_major_share:
        return None
    if min(share_a, share_b) < policy.video_minor_share:
        return None
    rows = np.flatnonzero(close.any(axis=1))
    in_order = _in_order(_best_frames(d, rows))
    needed = min(policy.video_min_frames, len(rows))  # a clip of one or two samples
    if in_order < needed or in_order < policy.video_order_share * len(rows):
        # Matched frames scattered over the other clip (a shared intro card, black or
        # blank frames, a logo over motion) are not one clip played in order.
        return None
    matched = d.min(axis=1)[rows]
    ranges = matched_ranges(a.video, b.video, d, close)
    return MediaMatch(
        source,
        target,
        "video",
        b.path,
        a.path,
        int(np.median(matched)),
        shares=(share_b, share_a),
        ranges=tuple((c, d_, a0, a1) for a0, a1, c, d_ in ranges),
    )


def _best_frames(d: np.ndarray, rows: np.ndarray) -> list[int]:
    """Each matched frame's closest frame in the other clip; among equally close ones
    (a still, a repeated frame), the first at or after the previous choice."""
    chosen: list[int] = []
    previous = 0
    for i in rows.tolist():
        ties = np.flatnonzero(d[i] == d[i].min())
        later = ties[ties >= previous]
        previous = int(later[0] if len(later) else ties[0])
        chosen.append(previous)
    return chosen


def _in_order(best: list[int]) -> int:
    """How many matched frames follow one another in the other clip's order: the
    longest non-decreasing run (not necessarily contiguous) of their best frames."""
    tails: list[int] = []
    for j in best:
        k = bisect.bisect_right(tails, j)
        if k == len(tails):
            tails.append(j)
        else:
            tails[k] = j
    return len(tails)


def matched_ranges(
    a: VideoPrint, b: VideoPrint, d: np.ndarray, close: np.ndarray
) -> tuple[tuple[float, float, float, float], ...]:
    """Runs of `a`'s frames whose best match in `b` moves forward with them, as
    (a start, a end, b start, b end) seconds."""
    runs: list[list[float]] = []
    previous_j = -2
    for i in range(len(a.times)):
        if not close[i].any():
            previous_j = -2
            continue
        j = int(np.argmin(d[i]))
        if runs and 0 <= j - previous_j <= 2:
            runs[-1][1], runs[-1][3] = a.times[i], b.times[j]
        else:
            runs.append([a.times[i], a.times[i], b.times[j], b.times[j]])
        previous_j = j
    step_a = _step(a.times)
    step_b = _step(b.times)
    return tuple((r[0], round(r[1] + step_a, 3), r[2], round(r[3] + step_b, 3)) for r in runs)


def _step(times: tuple[float, ...]) -> float:
    return round(float(np.median(np.diff(times))), 3) if len(times) > 1 else 1.0
