"""Text fingerprints: winnowed shingle anchors.

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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import xxhash

from tracer.normalize import NORMALIZER_VERSION, NormalText

ALGORITHM = "winnow-xxh3"
VERSION = 2
"""Bumped whenever anchors change (2: line keys added); stored with the database."""
SHINGLE = 3
WINDOW = 4
LINE_TOKENS = 5
"""Lines of at least this many tokens are also keys of their own (titles, paragraphs)."""
LINE_SEED = 0x7472616365

U64 = npt.NDArray[np.uint64]

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_P = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))


@dataclass(frozen=True, slots=True)
class TextFingerprint:
    """What tracer keeps of a caption: its sorted, unique anchors."""

    anchors: U64
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

    def __reduce__(self) -> tuple[Callable[..., TextFingerprint], tuple[Any, ...]]:
        # Sent from an ingest's workers for every post: an array pickles through numpy's
        # generic path (~2 µs each way), its bytes do not.
        return (_unpickled, (self.to_bytes(), self.token_count, self.params))


def _unpickled(
    blob: bytes, token_count: int, params: tuple[str, int, int, int, int]
) -> TextFingerprint:
    return TextFingerprint(TextFingerprint.anchors_from_bytes(blob), token_count, params)


def fingerprint_params() -> str:
    """Everything that decides the anchors, as stored beside them in the database."""
    return f"{ALGORITHM}/v{VERSION}/normalizer-v{NORMALIZER_VERSION}/k{SHINGLE}/w{WINDOW}"


def _mix(h: U64) -> U64:
    """splitmix64's finaliser: spreads the combined token hashes over all 64 bits."""
    with np.errstate(over="ignore"):
        h = (h ^ (h >> np.uint64(30))) * _M1
        h = (h ^ (h >> np.uint64(27))) * _M2
        return h ^ (h >> np.uint64(31))


def _token_hash(token: str) -> int:
    return xxhash.xxh3_64_intdigest(token.encode())


class _TokenHashes(dict[str, int]):
    """Token hashes, computed on first use."""

    def __missing__(self, token: str) -> int:
        value = self[token] = _token_hash(token)
        return value


def _combine(flat: U64) -> U64:
    """Hash of every run of `SHINGLE` consecutive token hashes in `flat`."""
    n = len(flat) - SHINGLE + 1
    with np.errstate(over="ignore"):
        return _mix(flat[:n] * _P[0] + flat[1 : n + 1] * _P[1] + flat[2 : n + 2] * _P[2])


def fingerprint_texts(texts: Sequence[NormalText]) -> list[TextFingerprint]:
    """Fingerprint many captions at once: the numpy work runs once over all of them.

    Shingles and windows are computed over the concatenated token hashes and masked where
    they would straddle two captions; a caption shorter than a shingle is padded with a
    zero hash, and one with fewer shingles than a window keeps its single minimum.
    """
    hashes: list[int] = []
    starts: list[int] = []
    known = _TokenHashes()  # a batch repeats its words: each is hashed once
    for norm in texts:
        starts.append(len(hashes))
        hashes.extend(map(known.__getitem__, norm.tokens))
        if 0 < len(norm.tokens) < SHINGLE:
            hashes.extend([0] * (SHINGLE - len(norm.tokens)))
    counts = np.diff(np.array([*starts, len(hashes)], dtype=np.int64)).astype(np.int64)
    n_docs = len(texts)
    if not hashes:
        return [_fingerprint(norm, np.empty(0, np.uint64)) for norm in texts]
    flat = np.array(hashes, np.uint64)
    doc_of_token = np.repeat(np.arange(n_docs), counts)
    combined = _combine(flat)
    n = len(combined)
    keep = doc_of_token[:n] == doc_of_token[SHINGLE - 1 : n + SHINGLE - 1]
    shingles, sh_doc = combined[keep], doc_of_token[:n][keep]
    sh_counts = np.bincount(sh_doc, minlength=n_docs)
    picked_hash: list[U64] = []
    picked_doc: list[npt.NDArray[np.int64]] = []
    if len(shingles) >= WINDOW:
        m = len(shingles) - WINDOW + 1
        window_min = shingles[:m].copy()
        for shift in range(1, WINDOW):
            np.minimum(window_min, shingles[shift : m + shift], out=window_min)
        inside = sh_doc[:m] == sh_doc[WINDOW - 1 :]
        picked_hash.append(window_min[inside])
        picked_doc.append(sh_doc[:m][inside])
    short = np.flatnonzero((sh_counts > 0) & (sh_counts < WINDOW))
    if len(short):
        sh_starts = np.concatenate([[0], np.cumsum(sh_counts)[:-1]])
        minima = [shingles[sh_starts[d] : sh_starts[d] + sh_counts[d]].min() for d in short]
        picked_hash.append(np.array(minima, np.uint64))
        picked_doc.append(short)
    all_hash = np.concatenate(picked_hash) if picked_hash else np.empty(0, np.uint64)
    all_doc = np.concatenate(picked_doc) if picked_doc else np.empty(0, np.int64)
    order = np.lexsort((all_hash, all_doc))
    all_hash, all_doc = all_hash[order], all_doc[order]
    fresh = np.ones(len(all_hash), bool)
    fresh[1:] = (all_hash[1:] != all_hash[:-1]) | (all_doc[1:] != all_doc[:-1])
    all_hash, all_doc = all_hash[fresh], all_doc[fresh]
    bounds = np.searchsorted(all_doc, np.arange(n_docs + 1))
    return [_fingerprint(norm, all_hash[bounds[i] : bounds[i + 1]]) for i, norm in enumerate(texts)]


def _fingerprint(norm: NormalText, anchors: U64) -> TextFingerprint:
    """`anchors` is a slice of the whole batch's array: each fingerprint gets its own, so
    that a linker holding one text's anchors does not hold the batch's."""
    keys = line_keys_of(norm.lines)
    anchors = np.union1d(anchors, np.array(keys, np.uint64)) if keys else anchors.copy()
    return TextFingerprint(anchors, len(norm.tokens))


def line_key(line: str) -> int:
    """The key of one whole normalised line, in its own hash space (seeded)."""
    return xxhash.xxh3_64_intdigest(line.encode(), seed=LINE_SEED)


def line_keys_of(lines: Sequence[str]) -> list[int]:
    """Keys of the lines long enough to be distinctive: a title-only copy shares its
    release's title line exactly, even when every shingle of it is a template phrase."""
    return [line_key(line) for line in lines if line.count(" ") + 1 >= LINE_TOKENS]


def line_tail_keys(lines: Sequence[str]) -> list[int]:
    """Keys of each line's tails of `LINE_TOKENS` words or more (the whole line aside),
    looked up, never stored: a title written after a greeting on the same line ("Halo
    Sobat Kominfo Maluku Utara! Bayar PBB Kini Bisa …") has the key of the release's
    title line as one of its tails."""
    keys: list[int] = []
    for line in lines:
        words = line.split()
        keys.extend(line_key(" ".join(words[i:])) for i in range(1, len(words) - LINE_TOKENS + 1))
    return keys


def fingerprint_text(norm: NormalText) -> TextFingerprint:
    return fingerprint_texts([norm])[0]
