"""The anchor index: postings, the document-frequency cap, compaction."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tracer.text.index import AnchorIndex

HIGH = 2**64 - 5  # anchors are full 64-bit unsigned values


def keys(*values: int) -> np.ndarray:
    return np.array(values, np.uint64)


def test_lookup_returns_postings_in_insertion_order() -> None:
    index = AnchorIndex()
    index.add(10, 1)
    index.add(HIGH, 2)
    index.add(10, 3)
    assert len(index) == 3
    assert index.lookup(keys(10, HIGH, 11), cap=5) == [[1, 3], [2], []]


def test_lookup_is_none_above_the_cap_only() -> None:
    index = AnchorIndex()
    for post in range(4):
        index.add(7, post)
    assert index.lookup(keys(7), cap=4) == [[0, 1, 2, 3]]
    assert index.lookup(keys(7), cap=3) == [None]
    assert index.lookup(keys(7), cap=0) == [None]
    assert index.lookup(keys(8), cap=0) == [[]]


def test_cap_counts_compacted_and_recent_postings_together() -> None:
    index = AnchorIndex(keys(7, 7), np.array([1, 2], np.int64))
    index.add(7, 3)
    assert index.lookup(keys(7), cap=2) == [None]
    assert index.lookup(keys(7), cap=3) == [[1, 2, 3]]


def test_built_from_arrays() -> None:
    index = AnchorIndex(keys(5, HIGH, 5, 1), np.array([10, 11, 12, 13], np.int64))
    assert len(index) == 4
    assert index.lookup(keys(1, 5, HIGH, 2), cap=10) == [[13], [10, 12], [11], []]


def test_empty_index_and_empty_query() -> None:
    index = AnchorIndex()
    assert len(index) == 0
    assert index.lookup(keys(), cap=3) == []
    assert index.lookup(keys(1, 2), cap=3) == [[], []]


def test_compact_merges_the_recent_additions() -> None:
    index = AnchorIndex(keys(5), np.array([1], np.int64))
    index.add(5, 2)
    index.add(3, 4)
    before = index.lookup(keys(3, 5, 9), cap=10)
    index.compact(min_size=0)
    assert len(index) == 3
    assert index.lookup(keys(3, 5, 9), cap=10) == before == [[4], [1, 2], []]


_anchor = st.one_of(st.integers(0, 20), st.integers(2**64 - 20, 2**64 - 1))
_ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), _anchor, st.integers(0, 10_000)),
        st.tuples(st.just("compact"), st.integers(0, 6), st.just(0)),
    ),
    max_size=80,
)


@given(
    st.lists(st.tuples(_anchor, st.integers(0, 10_000)), max_size=30),
    _ops,
    st.integers(0, 8),
)
def test_lookups_match_a_dict_model_whatever_the_compactions(
    initial: list[tuple[int, int]], ops: list[tuple[str, int, int]], cap: int
) -> None:
    model: dict[int, list[int]] = {}
    for anchor, post in initial:
        model.setdefault(anchor, []).append(post)
    index = AnchorIndex(
        np.array([a for a, _ in initial], np.uint64), np.array([p for _, p in initial], np.int64)
    )
    for op, a, b in ops:
        if op == "add":
            index.add(a, b)
            model.setdefault(a, []).append(b)
        else:
            index.compact(min_size=a)
        queried = sorted(set(model) | {0, 2**64 - 1})
        got = index.lookup(np.array(queried, np.uint64), cap)
        expected = [None if len(model.get(q, [])) > cap else model.get(q, []) for q in queried]
        assert got == expected
        assert len(index) == sum(len(v) for v in model.values())


def test_recent_additions_outgrow_their_arrays_and_table() -> None:
    """Past the first arrays and table (1,024 each) the additions are grown and
    rehashed: every posting is still found, in the order added."""
    rng = np.random.default_rng(5)
    index = AnchorIndex(keys(3, 3), np.array([1, 2], np.int64))
    model: dict[int, list[int]] = {3: [1, 2]}
    distinct = rng.integers(0, 2**64, 3_000, dtype=np.uint64)
    for post in range(3, 1_500):
        chosen = rng.choice(distinct, size=int(rng.integers(1, 6)), replace=False)
        index.add_all(chosen, post)
        for anchor in chosen.tolist():
            model.setdefault(anchor, []).append(post)
    assert index.recent.size == len(index) - 2 > 1_024
    queried = np.array(sorted(model), np.uint64)
    assert index.lookup(queried, 1 << 20) == [model[q] for q in queried.tolist()]
    assert index.distinct_keys().tolist() == sorted(model)
    index.compact(min_size=0)
    assert index.lookup(queried, 1 << 20) == [model[q] for q in queried.tolist()]
