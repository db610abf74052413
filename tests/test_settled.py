"""The families a relink leaves behind on the way (`tracer.relinking.SettledFamilies`):
touched in one chunk, in none of the chunks after it, and not merged into another."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracer.relinking import SettledFamilies

Chunk = tuple[frozenset[int], frozenset[int]]
chunks = st.lists(
    st.tuples(
        st.frozensets(st.integers(0, 12), max_size=5), st.frozensets(st.integers(0, 12), max_size=2)
    ),
    max_size=25,
)


def _expected(history: list[Chunk], after: int, now: int) -> list[int]:
    """By definition: touched in chunk `now - after`, and neither touched nor merged
    away in any chunk after it up to `now`, nor left behind before."""
    due = now - after
    if due < 0:
        return []
    touched, _ = history[due]
    left = []
    for family in sorted(touched):
        later = history[due + 1 : now + 1]
        if any(family in t or family in m for t, m in later):
            continue
        left.append(family)
    return left


@given(chunks, st.integers(0, 4))
def test_left_behind_as_defined(history: list[Chunk], after: int) -> None:
    # A family is merged away before the chunk touches others: never both at once.
    history = [(touched - merged, merged) for touched, merged in history]
    settled = SettledFamilies(after)
    for now, (touched, merged) in enumerate(history):
        assert settled.note(touched, merged) == _expected(history, after, now)


def test_a_family_joined_again_is_left_behind_again() -> None:
    settled = SettledFamilies(1)
    assert settled.note([5], []) == []
    assert settled.note([], []) == [5]
    assert settled.note([5], []) == []  # joined again: dirty again
    assert settled.note([], []) == [5]


def test_a_family_merged_away_is_never_left_behind() -> None:
    settled = SettledFamilies(1)
    assert settled.note([5, 6], []) == []
    assert settled.note([6], [5]) == []  # 5 merged into 6
    assert settled.note([], []) == [6]
