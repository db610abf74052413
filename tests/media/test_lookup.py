"""The linker's media look-up: which earlier posts a post's region keys come near, with
the keys of too many families (a logo, a template's header) set aside."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.candidates import MediaLookup
from tracer.media.index import EXACT_RADIUS, MediaIndex
from tracer.policy import MatchPolicy


def near_by_brute_force(
    keys: np.ndarray,
    owners: np.ndarray,
    family_of: np.ndarray,
    queries: np.ndarray,
    radius: int,
    cap: int,
) -> dict[int, tuple[int, int]]:
    """Per owner: how many query keys come within `radius` of one of its keys, and the
    best distance, counting only query keys near the keys of at most `cap` families."""
    d = np.bitwise_count(queries[:, None] ^ keys[None, :]).astype(np.int64)
    hits: dict[int, set[int]] = {}
    best: dict[int, int] = {}
    for q in range(len(queries)):
        near = np.nonzero(d[q] <= radius)[0]
        if len({int(family_of[owners[k]]) for k in near}) > cap:
            continue
        for k in near.tolist():
            owner = int(owners[k])
            hits.setdefault(owner, set()).add(q)
            best[owner] = min(int(d[q, k]), best.get(owner, radius + 1))
    return {owner: (len(qs), best[owner]) for owner, qs in hits.items()}


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    posts=st.integers(1, 40),
    families=st.integers(1, 12),
    queries=st.integers(0, 30),
    cap=st.integers(1, 6),
    radius=st.integers(0, EXACT_RADIUS),
)
def test_near_keys_counts_what_comparing_every_key_counts(
    seed: int, posts: int, families: int, queries: int, cap: int, radius: int
) -> None:
    rng = np.random.default_rng(seed)
    # Keys in a few clusters (bits flipped around a centre), so that queries come near
    # several posts of several families, and duplicate keys and queries occur.
    centres = rng.integers(0, 2**63, 5, dtype=np.uint64)

    def around(n: int) -> np.ndarray:
        flips = rng.integers(0, 64, (n, 3)) * (rng.random((n, 3)) < 0.6)
        noise = np.bitwise_or.reduce(np.uint64(1) << flips.astype(np.uint64), axis=1)
        return centres[rng.integers(0, len(centres), n)] ^ noise

    owners = rng.integers(0, posts, posts * 3)
    keys = around(len(owners))
    family_of = rng.integers(0, families, posts)
    wanted = around(queries)
    lookup = MediaLookup(MatchPolicy())
    lookup.media_index = MediaIndex(keys, owners.astype(np.int64))
    got = lookup._near_keys(wanted, radius, cap, family_of)
    assert got == near_by_brute_force(keys, owners, family_of, wanted, radius, cap)
