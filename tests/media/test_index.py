"""The media index against a numpy brute force: every key within `EXACT_RADIUS`, in the
sorted bands, in the unsorted delta and after `compact()`; the owners' best distances."""

from __future__ import annotations

import functools
import operator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.media.index import (
    DELTA_LIMIT,
    EXACT_RADIUS,
    MediaIndex,
    closest_per_owner,
    near_pairs,
)

Triple = tuple[int, int, int]


def brute_force(
    keys: np.ndarray, owners: np.ndarray, queries: np.ndarray, radius: int
) -> set[Triple]:
    """Every (query number, owner, best distance) within `radius`, by comparing all
    pairs: an owner with several keys near one query is reported once, at its best."""
    d = np.bitwise_count(queries[:, None] ^ keys[None, :]).astype(np.int64)
    q, k = np.nonzero(d <= radius)
    best: dict[tuple[int, int], int] = {}
    for qi, owner, dist in zip(q.tolist(), owners[k].tolist(), d[q, k].tolist(), strict=True):
        best[(qi, owner)] = min(dist, best.get((qi, owner), 65))
    return {(qi, owner, dist) for (qi, owner), dist in best.items()}


def found(index: MediaIndex, queries: np.ndarray, radius: int) -> set[Triple]:
    qid, owners, distances = index.search_batch(queries, radius)
    triples = list(zip(qid.tolist(), owners.tolist(), distances.tolist(), strict=True))
    pairs = [(q, o) for q, o, _ in triples]
    assert len(pairs) == len(set(pairs)), "an owner reported twice for one query"
    return set(triples)


def near(rng: np.random.Generator, keys: np.ndarray, n: int, max_flips: int) -> np.ndarray:
    """`n` queries: stored keys with 0..`max_flips` random bits flipped."""
    out = rng.choice(keys, n).copy()
    for i in range(n):
        for bit in rng.choice(64, rng.integers(0, max_flips + 1), replace=False):
            out[i] ^= np.uint64(1) << np.uint64(bit)
    return out


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """3,000 random keys of 1,000 owners (three each, like a picture's regions), and
    queries near them, on them and far from all of them."""
    rng = np.random.default_rng(20240126)
    keys = rng.integers(0, 2**64, 3000, dtype=np.uint64)
    keys[2900:] = keys[:100]  # the same key under two owners
    owners = np.arange(3000, dtype=np.int64) // 3
    queries = np.concatenate(
        [
            near(rng, keys, 400, EXACT_RADIUS + 3),
            keys[:50],
            rng.integers(0, 2**64, 100, dtype=np.uint64),
        ]
    )
    return keys, owners, queries


def built(keys: np.ndarray, owners: np.ndarray, in_delta: int) -> MediaIndex:
    """An index whose last `in_delta` keys are in the unsorted delta."""
    split = len(keys) - in_delta
    index = MediaIndex(keys[:split], owners[:split])
    for key, owner in zip(keys[split:].tolist(), owners[split:].tolist(), strict=True):
        index.add([key], owner)
    return index


@pytest.mark.parametrize("in_delta", [0, 1000, 3000], ids=["sorted", "mixed", "delta"])
@pytest.mark.parametrize("radius", [0, 3, EXACT_RADIUS])
def test_finds_every_key_within_radius(
    data: tuple[np.ndarray, np.ndarray, np.ndarray], in_delta: int, radius: int
) -> None:
    keys, owners, queries = data
    index = built(keys, owners, in_delta)
    expected = brute_force(keys, owners, queries, radius)
    assert len(expected) > len(queries) // 4  # the queries do find something
    assert found(index, queries, radius) == expected
    index.compact()
    assert len(index) == len(keys)
    assert found(index, queries, radius) == expected


def test_owners_best_distances(data: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    keys, owners, queries = data
    index = built(keys, owners, 500)
    for start in range(0, 120, 3):  # a picture's three region keys at a time
        batch = queries[start : start + 3]
        expected: dict[int, int] = {}
        for _, owner, d in brute_force(keys, owners, batch, EXACT_RADIUS):
            expected[owner] = min(d, expected.get(owner, 65))
        assert index.search(batch, EXACT_RADIUS) == expected
        assert index.search(list(map(int, batch)), EXACT_RADIUS) == expected


def test_a_key_under_two_owners_is_found_for_both(
    data: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    keys, owners, _ = data
    index = built(keys, owners, 0)
    assert index.search(keys[:1], 0) == {int(owners[0]): 0, int(owners[2900]): 0}


def test_above_the_exact_radius_nothing_false_is_found(
    data: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    keys, owners, queries = data
    index = built(keys, owners, 0)
    radius = EXACT_RADIUS + 3
    got, expected = found(index, queries, radius), brute_force(keys, owners, queries, radius)
    assert got <= expected
    assert len(got) >= 0.5 * len(expected)


def test_empty_index() -> None:
    index = MediaIndex()
    assert len(index) == 0
    assert index.search([0, 2**64 - 1], EXACT_RADIUS) == {}
    qid, owners, distances = index.search_batch(np.array([1, 2], np.uint64), EXACT_RADIUS)
    assert len(qid) == len(owners) == len(distances) == 0
    index.compact()
    assert index.search([1], 64) == {}


def test_no_queries() -> None:
    index = MediaIndex(np.array([1, 2], np.uint64), np.array([7, 8], np.int64))
    index.add([3], 9)
    assert index.search(np.empty(0, np.uint64), EXACT_RADIUS) == {}


def test_a_full_delta_is_compacted() -> None:
    rng = np.random.default_rng(7)
    keys = rng.integers(0, 2**64, DELTA_LIMIT + 10, dtype=np.uint64)
    index = MediaIndex()
    index.add(keys[:DELTA_LIMIT], 1)  # reaches the limit: merged into the sorted bands
    index.add(keys[DELTA_LIMIT:], 2)
    assert len(index) == len(keys)
    assert index.search(keys[DELTA_LIMIT - 1 : DELTA_LIMIT + 1], 0) == {1: 0, 2: 0}


def test_one_post_with_more_keys_than_the_delta_holds() -> None:
    """A long clip's frames can bring more keys than the delta's room at once."""
    rng = np.random.default_rng(8)
    keys = rng.integers(0, 2**64, 2 * DELTA_LIMIT + 5, dtype=np.uint64)
    index = MediaIndex()
    index.add(keys[:5], 1)
    index.add(keys[5:], 2)  # past the room: merged
    index.add(keys[:3] ^ np.uint64(1), 3)  # a fresh delta after the merge
    assert len(index) == len(keys) + 3
    assert index.search(keys[[0, 7, -1]], 0) == {1: 0, 2: 0}
    assert index.search(keys[:1], 1) == {1: 0, 3: 1}


keys64 = st.integers(0, 2**64 - 1)


@settings(max_examples=60)
@given(
    stored=st.lists(st.tuples(keys64, st.integers(0, 20)), max_size=60),
    flips=st.lists(st.lists(st.integers(0, 63), max_size=EXACT_RADIUS + 2), max_size=20),
    extra=st.lists(keys64, max_size=5),
    in_delta=st.integers(0, 60),
    radius=st.integers(0, EXACT_RADIUS),
)
def test_matches_brute_force(
    stored: list[tuple[int, int]],
    flips: list[list[int]],
    extra: list[int],
    in_delta: int,
    radius: int,
) -> None:
    keys = np.array([k for k, _ in stored], np.uint64)
    owners = np.array([o for _, o in stored], np.int64)
    queries_list = list(extra)
    for i, bits in enumerate(flips):  # queries a few bits away from stored keys
        if stored:
            key = stored[i % len(stored)][0]
            for bit in bits:
                key ^= 1 << bit
            queries_list.append(key)
    queries = np.array(queries_list, np.uint64)
    index = built(keys, owners, min(in_delta, len(keys)))
    expected = brute_force(keys, owners, queries, radius)
    assert found(index, queries, radius) == expected
    index.compact()
    assert found(index, queries, radius) == expected


@settings(max_examples=100, deadline=None)
@given(
    queries=st.lists(keys64, max_size=12),
    keys=st.lists(keys64, max_size=40),
    flips=st.lists(st.integers(0, 63), max_size=6),
    radius=st.integers(0, 64),
)
def test_near_pairs_counts_bits_as_numpy_does(
    queries: list[int], keys: list[int], flips: list[int], radius: int
) -> None:
    """The compiled comparison of queries with the delta: the pairs and distances that
    `np.bitwise_count` gives (keys near a query included, by flipping a few of its
    bits), above `EXACT_RADIUS` only where one band is off by a bit at most."""
    q = np.array(queries, np.uint64)
    near = [
        functools.reduce(operator.xor, (1 << f for f in flips[:n]), queries[0])
        for n in range(len(flips) if queries else 0)
    ]
    k = np.array(keys + near, np.uint64)
    x = q[:, None] ^ k[None, :]
    d = np.bitwise_count(x).astype(np.int64)
    bands = [np.bitwise_count((x >> np.uint64(16 * b)) & np.uint64(0xFFFF)) for b in range(4)]
    probed = np.minimum.reduce(bands) <= 1  # what a probe of the sorted bands reaches
    want_q, want_k = np.nonzero((d <= radius) & probed)
    got_q, got_k, got_d = near_pairs(q, k, radius)
    assert got_q.tolist() == want_q.tolist() and got_k.tolist() == want_k.tolist()
    assert got_d.tolist() == d[want_q, want_k].tolist()


band_bits = st.lists(st.integers(0, 15), max_size=3, unique=True)


@settings(max_examples=150, deadline=None)
@given(
    stored=st.lists(keys64, min_size=1, max_size=30),
    flips=st.lists(st.tuples(band_bits, band_bits, band_bits, band_bits), max_size=20),
    radius=st.integers(0, 16),
)
def test_a_key_is_found_whether_merged_or_not(
    stored: list[int], flips: list[tuple[list[int], ...]], radius: int
) -> None:
    """The same answer from the unsorted delta as from the sorted bands, at any radius:
    an ingest merges after every batch and a relink after thousands of posts, and
    their links must not differ by it. Keys are drawn up to 3 bits a band from the
    queries: two bits in every band (8 apart, never probed) included."""
    queries = np.array(stored, np.uint64)
    near = [
        functools.reduce(
            operator.xor,
            (1 << (16 * band + bit) for band, bits in enumerate(per_band) for bit in bits),
            stored[n % len(stored)],
        )
        for n, per_band in enumerate(flips)
    ]
    keys = np.array(stored + near, np.uint64)
    owners = np.arange(len(keys), dtype=np.int64)
    delta = MediaIndex()
    for key, owner in zip(keys.tolist(), owners.tolist(), strict=True):
        delta.add([key], owner)
    assert delta._delta_size == len(keys)  # nothing merged yet
    merged = MediaIndex(keys, owners)
    assert found(delta, queries, radius) == found(merged, queries, radius)


@settings(max_examples=60, deadline=None)
@given(
    batches=st.lists(st.lists(keys64, max_size=30), max_size=8),
    stored=st.lists(keys64, max_size=30),
)
def test_a_merge_builds_the_table_a_full_sort_builds(
    batches: list[list[int]], stored: list[int]
) -> None:
    """Merging the delta puts its keys at the end of their buckets: the same bucket
    table as sorting every key again, merge after merge (shared bands included)."""
    index = MediaIndex(np.array(stored, np.uint64), np.zeros(len(stored), np.int64))
    every = list(stored)
    for owner, batch in enumerate(batches, start=1):
        near = [k ^ 1 for k in batch[:3]]  # keys sharing three bands with others
        index.add(batch + near, owner)
        index.compact()
        every += batch + near
        fresh = MediaIndex(np.array(every, np.uint64), np.zeros(len(every), np.int64))
        assert np.array_equal(index._starts, fresh._starts)
        assert np.array_equal(index._order, fresh._order)
        assert index._keys.tolist() == every


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 5) | st.just((1 << 24) - 1) | st.just(1 << 24),
            st.integers(0, 5) | st.just((1 << 32) - 1) | st.just(1 << 32),
            st.integers(0, 64),
        ),
        max_size=60,
    )
)
def test_closest_per_owner_orders_rows_as_lexsort(rows: list[Triple]) -> None:
    """The packed sort key orders the rows as `np.lexsort` of the three columns, and
    falls back to it where a column does not fit (the same rows, in the same order)."""
    qid, owners, distance = (
        (np.array(c, np.int64).reshape(-1) for c in zip(*rows, strict=True))
        if rows
        else (np.zeros(0, np.int64),) * 3
    )
    order = np.lexsort((distance, owners, qid))
    q, o, d = qid[order], owners[order], distance[order]
    first = np.ones(len(q), bool)
    first[1:] = (q[1:] != q[:-1]) | (o[1:] != o[:-1])
    got = closest_per_owner(qid, owners, distance)
    for g, w in zip(got, (q[first], o[first], d[first]), strict=True):
        assert g.tolist() == w.tolist()
