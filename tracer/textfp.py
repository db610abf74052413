"""Text fingerprints: exact hashes and winnowed shingle anchors.

Copies of a release add greetings and hashtags, truncate at "… more" or keep only the
title, so candidate search must work on *containment*, not on whole-text similarity.
MinHash-LSH estimates Jaccard similarity, which a title-only copy of a long caption
never reaches (Jaccard ≈ 0.1). Winnowing (Schleimer, Wilkerson & Aiken, 2003) instead
selects, from each window of `window` consecutive word-shingle hashes, the smallest:
any run of `window + shingle - 1` words shared by two texts selects at least one
common hash in both, whatever surrounds it. These selected hashes are the *anchors*
that the index keys on and the verifier counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import xxhash

from tracer.normalize import NORMALIZER_VERSION, NormalText

ALGORITHM = "winnow-xxh3"
VERSION = 1
SHINGLE = 3
WINDOW = 4

U64 = npt.NDArray[np.uint64]

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_P = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))


@dataclass(frozen=True, slots=True)
class TextFingerprint:
    """What tracer keeps of a caption: its exact hash and its anchors.

    `anchors` is sorted and unique; `positions[i]` is the token offset at which
    `anchors[i]` was first selected, so evidence can point at the shared words.
    """

    exact: int
    anchors: U64
    positions: npt.NDArray[np.int32]
    token_count: int
    params: tuple[str, int, int, int, int] = (
        ALGORITHM,
        VERSION,
        NORMALIZER_VERSION,
        SHINGLE,
        WINDOW,
    )

    def to_bytes(self) -> bytes:
        return self.anchors.astype("<u8").tobytes()

    @staticmethod
    def anchors_from_bytes(blob: bytes) -> U64:
        return np.frombuffer(blob, dtype="<u8").astype(np.uint64)


def _mix(h: U64) -> U64:
    """splitmix64's finaliser: spreads the combined token hashes over all 64 bits."""
    with np.errstate(over="ignore"):
        h = (h ^ (h >> np.uint64(30))) * _M1
        h = (h ^ (h >> np.uint64(27))) * _M2
        return h ^ (h >> np.uint64(31))


def token_hashes(tokens: tuple[str, ...]) -> U64:
    return np.fromiter(
        (xxhash.xxh3_64_intdigest(t.encode()) for t in tokens), np.uint64, len(tokens)
    )


def shingle_hashes(tokens: tuple[str, ...]) -> U64:
    """Hashes of consecutive `SHINGLE`-word runs; a shorter text is one shingle."""
    if not tokens:
        return np.empty(0, np.uint64)
    h = token_hashes(tokens)
    if len(h) < SHINGLE:
        h = np.concatenate([h, np.zeros(SHINGLE - len(h), np.uint64)])
    n = len(h) - SHINGLE + 1
    with np.errstate(over="ignore"):
        combined = h[:n] * _P[0] + h[1 : n + 1] * _P[1] + h[2 : n + 2] * _P[2]
    return _mix(combined)


def winnow(shingles: U64) -> tuple[U64, npt.NDArray[np.int32]]:
    """The minimum of every window of `WINDOW` shingles (rightmost on ties), deduplicated."""
    if len(shingles) == 0:
        return np.empty(0, np.uint64), np.empty(0, np.int32)
    if len(shingles) <= WINDOW:
        pos = np.array([int(np.argmin(shingles))], np.int32)
    else:
        windows = np.lib.stride_tricks.sliding_window_view(shingles, WINDOW)
        pos = (np.argmin(windows, axis=1) + np.arange(len(windows))).astype(np.int32)
    picked = shingles[pos]
    anchors, first = np.unique(picked, return_index=True)
    return anchors, pos[first]


def fingerprint_text(norm: NormalText) -> TextFingerprint:
    anchors, positions = winnow(shingle_hashes(norm.tokens))
    exact = xxhash.xxh3_64_intdigest(norm.text.encode()) if norm.text else 0
    return TextFingerprint(exact, anchors, positions, len(norm.tokens))
