"""Anchors two texts share, counted over sorted key arrays in compiled loops: the cheap
half of a text verification (`tracer.text.match.anchor_overlap`), which rejects most
candidate pairs before their words are aligned.

A post's anchors are kept as a sorted array of unique uint64 keys (as fingerprinting
makes them and the store holds them), not as a set of Python ints: a set of 24 anchors
takes ~2 KB, most of a cached candidate, and building one from a stored row cost more
than reading the row. One compiled call counts a pair (~0.5 µs, against ~3 µs for the
intersections of two sets).
"""

from __future__ import annotations

from collections.abc import Collection

import numba as nb
import numpy as np

from tracer.text.fingerprint import U64

NO_KEYS = np.empty(0, np.uint64)


def key_array(keys: Collection[int]) -> U64:
    """A set of keys (boilerplate, say) as the sorted array the counts read."""
    if not keys:
        return NO_KEYS
    return np.array(sorted(keys), np.uint64)


@nb.njit(cache=True)
def _has(keys: U64, key: np.uint64) -> bool:
    at = np.searchsorted(keys, key)
    return bool(at < len(keys) and keys[at] == key)


@nb.njit(cache=True)
def distinct(keys: U64, boilerplate: U64) -> int:
    """Keys not in `boilerplate`."""
    if len(boilerplate) == 0:
        return len(keys)
    n = 0
    for key in keys:
        if not _has(boilerplate, key):
            n += 1
    return n


@nb.njit(cache=True)
def _shared(a: U64, b: U64, boilerplate: U64) -> int:
    """Keys of both sorted arrays not in `boilerplate`, by one merge."""
    i = j = n = 0
    while i < len(a) and j < len(b):
        x, y = a[i], b[j]
        if x == y:
            if len(boilerplate) == 0 or not _has(boilerplate, x):
                n += 1
            i += 1
            j += 1
        elif x < y:
            i += 1
        else:
            j += 1
    return n


@nb.njit(cache=True)
def pair_counts(a: U64, b: U64, boilerplate: U64) -> tuple[int, int, int]:
    """Distinctive keys shared by `a` and `b`, and each side's distinctive keys."""
    return _shared(a, b, boilerplate), distinct(a, boilerplate), distinct(b, boilerplate)
