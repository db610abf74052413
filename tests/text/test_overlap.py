"""The compiled anchor counts against the set arithmetic they replace."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracer.text.match import share
from tracer.text.overlap import NO_KEYS, distinct, key_array, pair_counts

# Small keys collide often; keys past 2**63 check that no sign creeps into the order.
KEYS = st.sets(st.one_of(st.integers(0, 60), st.integers(2**63, 2**64 - 1)), max_size=40)


@given(KEYS, KEYS, KEYS)
def test_pair_counts_are_the_set_counts(a: set[int], b: set[int], boilerplate: set[int]) -> None:
    shared, mine, theirs = pair_counts(key_array(a), key_array(b), key_array(boilerplate))
    assert shared == len((a & b) - boilerplate)
    assert mine == len(a - boilerplate)
    assert theirs == len(b - boilerplate)
    assert distinct(key_array(a), key_array(boilerplate)) == mine


def test_no_boilerplate_and_no_keys() -> None:
    assert key_array(set()) is NO_KEYS
    assert pair_counts(key_array({1, 2, 3}), key_array({2, 3, 4}), NO_KEYS) == (2, 3, 3)
    assert pair_counts(NO_KEYS, key_array({2}), NO_KEYS) == (0, 0, 1)


def test_share_of_the_smaller_side() -> None:
    assert share(3, 4, 6) == (3, 0.75)
    assert share(0, 0, 5) == (0, 0.0)
