"""`HeldPosts.load` builds, column by column, what the per-post loop it replaced built:
the same dictionaries (in the same order), release of each family, members, arrays and
anchor index, for any stored rows."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.held import HeldPosts
from tracer.policy import DEFAULT_POLICY
from tracer.text.fingerprint import TextFingerprint
from tracer.text.index import AnchorIndex

CENTRAL = frozenset({"kominfo"})
ACCOUNTS = ("kominfo", "jabar", "kab_bogor", "kota_depok")


def _held() -> HeldPosts:
    return HeldPosts(DEFAULT_POLICY, lambda idxs: {}, CENTRAL)


def _loaded_post_by_post(rows: list[tuple[int, str, int, bytes]]) -> HeldPosts:
    """The loop `load` was before it read columns."""
    held = _held()
    keys, owners = [], []
    groups: dict[int, list[int]] = defaultdict(list)
    for idx, account, family, indexed in rows:
        held._family_of[idx] = family
        held._account_of[idx] = held._account_names.setdefault(account, account)
        held._note_release(idx, account, family)
        groups[family].append(idx)
        anchors = TextFingerprint.anchors_from_bytes(indexed)
        if len(anchors):
            keys.append(anchors)
            owners.append(np.full(len(anchors), idx, np.int64))
    held._members = {f: m for f, m in groups.items() if len(m) > 1}
    held._arrays_from_dicts()
    if keys:
        held.index = AnchorIndex(np.concatenate(keys), np.concatenate(owners))
    return held


@st.composite
def stored_rows(draw: st.DrawFn) -> list[tuple[int, str, int, bytes]]:
    """Rows in idx order with gaps; families named by any of the posts (a family's id
    need not be its first post's, after a relink in time order); anchors shared."""
    idxs = sorted(draw(st.sets(st.integers(1, 400), max_size=60)))
    rows = []
    for idx in idxs:
        family = draw(st.sampled_from(idxs))
        anchors = draw(st.lists(st.integers(0, 40), max_size=6, unique=True))
        blob = np.array(sorted(anchors), "<u8").tobytes()
        rows.append((idx, draw(st.sampled_from(ACCOUNTS)), family, blob))
    return rows


@settings(max_examples=150, deadline=None)
@given(stored_rows())
def test_load_builds_what_the_post_by_post_loop_built(
    rows: list[tuple[int, str, int, bytes]],
) -> None:
    expected = _loaded_post_by_post(rows)
    held = _held()
    held.load(iter(rows))
    assert list(held._family_of.items()) == list(expected._family_of.items())
    assert list(held._account_of.items()) == list(expected._account_of.items())
    assert list(held._account_code.items()) == list(expected._account_code.items())
    assert list(held._release_of.items()) == list(expected._release_of.items())
    assert list(held._members.items()) == list(expected._members.items())
    assert np.array_equal(held._family_arr, expected._family_arr)
    assert np.array_equal(held._account_arr, expected._account_arr)
    for ours, theirs in zip(held.index.arrays(), expected.index.arrays(), strict=True):
        assert np.array_equal(ours, theirs)


def test_load_of_no_rows_holds_nothing() -> None:
    held = _held()
    held.load(iter([]))
    assert not held._family_of and not held._members and len(held.index) == 0
