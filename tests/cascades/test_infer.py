"""Cascade inference: parents, origin, release, and the rules that choose a parent."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracer.cascades.infer import Member, infer_cascade, scaled_weights, time_order
from tracer.policy import MatchPolicy

POLICY = MatchPolicy()
CORE = frozenset(range(1, 21))  # the release's anchors
GREETING = frozenset({101, 102, 103})  # Banten's added greeting: three anchors
JABAR_GREETING = frozenset({201, 202, 203})
T0 = 1_706_272_380  # 2024-01-26T19:33:00+07:00

ACCOUNT_TIERS = {
    "kominfo": ("central", None),
    "banten": ("province", None),
    "serang": ("regency", "banten"),
    "lebak": ("regency", "banten"),
    "jabar": ("province", None),
    "bandung": ("regency", "jabar"),
    "detik": ("other", None),
}


def member(
    post_id: str,
    account_id: str,
    minutes: int,
    anchors: Iterable[int] = CORE,
    hashtags: Iterable[str] = (),
) -> Member:
    tier, parent = ACCOUNT_TIERS[account_id]
    return Member(
        post_id=post_id,
        account_id=account_id,
        tier=tier,  # type: ignore[arg-type]
        account_parent_id=parent,
        timestamp=T0 + 60 * minutes,
        anchors=frozenset(anchors),
        hashtags=frozenset(hashtags),
    )


FAMILY = [
    member("release", "kominfo", 0),
    member("banten", "banten", 60, CORE | GREETING, {"bantenjawara"}),
    member("jabar", "jabar", 70, CORE | JABAR_GREETING, {"jabarjuara"}),
    member("serang", "serang", 90, CORE | GREETING, {"bantenjawara", "serangbaik"}),
    member("lebak", "lebak", 95, CORE - {20}, {"lebakmaju"}),
    member("bandung", "bandung", 100, CORE),
    member("detik", "detik", 120, CORE),
]


def parents(members: list[Member]) -> dict[str, tuple[str, str, int]]:
    cascade = infer_cascade(members, POLICY)
    return {link.target: (link.source, link.reason, link.lag_seconds) for link in cascade.links}


def test_cascade_table() -> None:
    cascade = infer_cascade(list(reversed(FAMILY)), POLICY)
    assert cascade.origin == "release"
    assert cascade.release == "release"
    assert cascade.order == ("release", "banten", "jabar", "serang", "lebak", "bandung", "detik")
    assert parents(FAMILY) == {
        # a province copy gets the central release
        "banten": ("release", "central", 3600),
        "jabar": ("release", "central", 4200),
        # a regency copy carrying its province's greeting: shared edits
        "serang": ("banten", "shared_edits", 1800),
        # a regency copy without shared edits still gets its own province
        "lebak": ("banten", "province", 2100),
        "bandung": ("jabar", "province", 1800),
        # everyone else: the central release
        "detik": ("release", "central", 7200),
    }


def test_shared_edits_outweigh_the_hierarchy() -> None:
    # A West Java regency that copied Banten's version, greeting and all: its parent is
    # a Banten-greeting carrier, not its own province. It carries neither Serang's
    # hashtags nor Banten's: Banten, which added less that the copy lacks, is the source.
    family = [*FAMILY, member("bandung2", "bandung", 130, CORE | GREETING)]
    assert parents(family)["bandung2"] == ("banten", "shared_edits", 4200)
    # Carrying Serang's own hashtag too, it copied Serang.
    tagged = [*FAMILY, member("bandung2", "bandung", 130, CORE | GREETING, {"serangbaik"})]
    assert parents(tagged)["bandung2"] == ("serang", "shared_edits", 2400)


def test_a_sibling_with_edits_of_its_own_is_not_the_source() -> None:
    # Two regency copies of Banten's version; the later one shares the earlier one's
    # inherited greeting but not its local line: both copied Banten.
    local_line = frozenset({301, 302, 303})
    family = [
        member("release", "kominfo", 0),
        member("banten", "banten", 10, CORE | GREETING),
        member("serang", "serang", 20, CORE | GREETING | local_line),
        member("lebak", "lebak", 30, CORE | GREETING),
    ]
    assert parents(family)["lebak"] == ("banten", "shared_edits", 1200)


def test_captions_written_anew_share_no_edits() -> None:
    # Two copies that share a picture under the same generic caption: the caption is
    # not an edit of the release's text, so the later copy's parent is the release.
    generic = frozenset({401, 402})
    family = [
        member("release", "kominfo", 0),
        member("jabar", "jabar", 10, generic),
        member("lebak", "lebak", 20, generic),
    ]
    assert parents(family)["lebak"] == ("release", "central", 1200)


def test_a_later_central_repost_is_not_the_parent() -> None:
    family = [
        member("release", "kominfo", 0),
        member("repost", "kominfo", 10),
        member("detik", "detik", 20),
    ]
    assert parents(family)["detik"] == ("release", "central", 1200)


def test_shared_edits_choose_the_copy_with_the_most_shared_edits() -> None:
    family = [
        member("release", "kominfo", 0),
        member("banten", "banten", 10, CORE | {101, 102}),
        member("serang", "serang", 20, CORE | {101, 102, 103, 104}),
        member("lebak", "lebak", 30, CORE | {101, 102, 103, 104}),
    ]
    assert parents(family)["lebak"] == ("serang", "shared_edits", 600)


def test_a_single_shared_hashtag_is_not_enough() -> None:
    family = [
        member("release", "kominfo", 0),
        member("banten", "banten", 10, CORE, {"pemiludamai"}),
        member("bandung", "bandung", 20, CORE, {"pemiludamai"}),
    ]
    weight = 0.5
    assert weight < POLICY.min_edit_weight
    assert parents(family)["bandung"] == ("release", "central", 1200)


edits = st.one_of(st.integers(0, 50), st.tuples(st.just("#"), st.sampled_from("abcdef")))


@given(st.dictionaries(edits, st.integers(1, 700), max_size=30))
def test_scaled_weights_are_the_exact_weights(carried_by: dict[object, int]) -> None:
    weights, scale = scaled_weights(carried_by)
    for edit, count in carried_by.items():
        base = Fraction(1, 2) if isinstance(edit, tuple) else Fraction(1)
        exact = base * min(Fraction(1), Fraction(2, count))
        assert Fraction(weights[edit], scale) == exact
        assert weights[edit] % 2 == 0  # so half a sum of weights is exact


def test_shared_edits_at_exactly_the_threshold_are_enough() -> None:
    # Serang shares two of Banten's three greeting words (1 each) and lacks the third
    # (-1/2): 1.5, the threshold. Three posts carrying all three: 2/3 each, 2 in all.
    assert POLICY.min_edit_weight == 1.5
    at = [
        member("release", "kominfo", 0),
        member("banten", "banten", 10, CORE | GREETING),
        member("serang", "serang", 20, CORE | {101, 102}),
    ]
    assert parents(at)["serang"] == ("banten", "shared_edits", 600)
    # Just over the weights' sum, the threshold is not met (it is rounded up, not down).
    above = infer_cascade(at, MatchPolicy(min_edit_weight=1.5000000001)).links
    assert [(link.source, link.reason) for link in above][-1] == ("banten", "province")
    below = [*at[:2], member("serang", "serang", 20, CORE | {101})]
    assert parents(below)["serang"] == ("banten", "province", 600)
    three = [
        *at[:2],
        member("jabar", "jabar", 15, CORE | GREETING),
        member("bandung", "bandung", 20, CORE | GREETING),
    ]
    assert parents(three)["bandung"] == ("jabar", "shared_edits", 300)  # 2: its province


def test_four_shared_hashtags_are_enough() -> None:
    tags = {"a", "b", "c", "d"}
    family = [
        member("release", "kominfo", 0),
        member("banten", "banten", 10, CORE, tags),
        member("bandung", "bandung", 20, CORE, tags),
    ]
    assert parents(family)["bandung"] == ("banten", "shared_edits", 600)


def test_an_account_repeating_itself_is_not_shared_edits() -> None:
    family = [
        member("release", "kominfo", 0),
        member("serang-a", "serang", 10, CORE | GREETING),
        member("banten", "banten", 15),
        member("serang-b", "serang", 20, CORE | GREETING),
    ]
    assert parents(family)["serang-b"] == ("banten", "province", 300)


def test_province_copy_is_latest_of_the_province() -> None:
    family = [
        member("release", "kominfo", 0),
        member("banten-1", "banten", 10),
        member("banten-2", "banten", 20),
        member("lebak", "lebak", 30),
    ]
    assert parents(family)["lebak"] == ("banten-2", "province", 600)


def test_regency_whose_province_has_not_posted_gets_the_central_post() -> None:
    family = [member("release", "kominfo", 0), member("lebak", "lebak", 30)]
    assert parents(family)["lebak"] == ("release", "central", 1800)


def test_without_a_central_post_recency_decides() -> None:
    family = [
        member("detik", "detik", 0),
        member("jabar", "jabar", 10),
        member("bandung", "bandung", 20),
        member("lebak", "lebak", 30),
    ]
    cascade = infer_cascade(family, POLICY)
    assert cascade.release is None
    assert cascade.origin == "detik"
    assert parents(family) == {
        "jabar": ("detik", "recency", 600),
        "bandung": ("jabar", "province", 600),
        "lebak": ("bandung", "recency", 600),
    }


def test_a_copy_earlier_than_the_release_makes_the_origin() -> None:
    family = [member("detik", "detik", -30), member("release", "kominfo", 0)]
    cascade = infer_cascade(family, POLICY)
    assert cascade.origin == "detik"
    assert cascade.release == "release"
    assert parents(family) == {"release": ("detik", "recency", 1800)}


def test_ties_break_on_post_id() -> None:
    family = [member("b", "banten", 0), member("a", "jabar", 0), member("c", "kominfo", 0)]
    cascade = infer_cascade(family, POLICY)
    assert cascade.order == ("a", "b", "c")
    assert cascade.origin == "a"
    assert cascade.release == "c"
    assert all(link.lag_seconds == 0 for link in cascade.links)


def test_empty_family_is_refused() -> None:
    with pytest.raises(ValueError):
        infer_cascade([], POLICY)


def test_single_post_family() -> None:
    cascade = infer_cascade([member("only", "banten", 0)], POLICY)
    assert (cascade.origin, cascade.release, cascade.links) == ("only", None, ())


# --- properties ---------------------------------------------------------------------


@st.composite
def families(draw: st.DrawFn) -> list[Member]:
    n = draw(st.integers(1, 25))
    accounts = list(ACCOUNT_TIERS)
    members = []
    for i in range(n):
        members.append(
            member(
                f"p{draw(st.integers(0, 999)):03d}-{i}",
                draw(st.sampled_from(accounts)),
                draw(st.integers(0, 12)),  # few distinct times: ties are common
                draw(st.sets(st.integers(0, 30), max_size=12)),
                draw(st.sets(st.sampled_from("abcdef"), max_size=3)),
            )
        )
    return draw(st.permutations(members))


@given(families())
def test_cascade_is_a_tree_in_time(members: list[Member]) -> None:
    cascade = infer_cascade(members, POLICY)
    by_id = {m.post_id: m for m in members}
    key = {m.post_id: (m.timestamp, m.post_id) for m in members}
    ordered = time_order(members)
    # The origin is the earliest post; the release the earliest central post.
    assert cascade.origin == ordered[0].post_id
    assert cascade.order == tuple(m.post_id for m in ordered)
    centrals = [m.post_id for m in ordered if m.tier == "central"]
    assert cascade.release == (centrals[0] if centrals else None)
    # Every non-origin post has exactly one parent, which is earlier.
    targets = [link.target for link in cascade.links]
    assert sorted(targets) == sorted(set(by_id) - {cascade.origin})
    parent = {link.target: link.source for link in cascade.links}
    for link in cascade.links:
        assert link.source in by_id
        assert key[link.source] < key[link.target]
        assert link.lag_seconds == by_id[link.target].timestamp - by_id[link.source].timestamp
        assert link.lag_seconds >= 0
        assert link.reason in {"shared_edits", "province", "central", "recency"}
    # No cycle: every chain of parents ends at the origin.
    for start in by_id:
        seen = {start}
        at = start
        while at in parent:
            at = parent[at]
            assert at not in seen
            seen.add(at)
        assert at == cascade.origin


@given(families())
def test_cascade_does_not_depend_on_input_order(members: list[Member]) -> None:
    assert infer_cascade(members, POLICY) == infer_cascade(list(reversed(members)), POLICY)
