"""The figures of issue 10 on partitions small enough to count by hand."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest

from synthetic.scoring import (
    agreement,
    mixed_families,
    named_releases,
    pair_scores,
    release_scores,
    score,
    unrelated_scores,
)


def _brute(truth: dict[str, str | None], pred: dict[str, str | None]) -> tuple[float, float]:
    """Pairs listed one by one: what the contingency-table count must equal."""
    same_t = {
        (a, b) for a, b in combinations(sorted(truth), 2) if truth[a] and truth[a] == truth[b]
    }
    same_p = {
        (a, b)
        for a, b in combinations(sorted(truth), 2)
        if pred.get(a) and pred.get(a) == pred.get(b)
    }
    return len(same_t & same_p) / len(same_p), len(same_t & same_p) / len(same_t)


def test_pair_scores_count_pairs_of_a_merged_family() -> None:
    truth = {"a": "R1", "b": "R1", "c": "R1", "d": "R2", "e": "R2", "x": None}
    pred = {"a": "F1", "b": "F1", "c": "F1", "d": "F1", "e": "F2", "x": "F2"}
    precision, recall = pair_scores(truth, pred)
    # predicted pairs: 6 in F1 (3 right: a-b a-c b-c), 1 in F2 (e-x, wrong); true pairs: 3 + 1
    assert (precision.right, precision.total) == (3, 7)
    assert (recall.right, recall.total) == (3, 4)
    assert (precision.value, recall.value) == pytest.approx(_brute(truth, pred))


def test_posts_without_family_are_families_of_one() -> None:
    truth = {"a": None, "b": None, "c": "R1", "d": "R1"}
    precision, recall = pair_scores(truth, {"a": None, "b": None, "c": "F9", "d": "F9"})
    assert precision.value == recall.value == 1.0
    precision, _ = pair_scores(truth, {"a": "F1", "b": "F1", "c": "F9", "d": "F9"})
    assert precision.value == 0.5


def test_named_release_is_the_earliest_central_post_not_after_the_post() -> None:
    families = {"r1": "F1", "r2": "F1", "early": "F1", "copy": "F1", "alone": None}
    times = {"r1": 100, "r2": 50, "early": 10, "copy": 200, "alone": 5}
    tiers = {
        "r1": "central",
        "r2": "central",
        "early": "regency",
        "copy": "regency",
        "alone": "central",
    }
    named = named_releases(families, times, tiers)
    assert named == {"r1": "r2", "r2": "r2", "early": None, "copy": "r2", "alone": "alone"}


def _info(**kw: Any) -> dict[str, Any]:
    base = {
        "family": None,
        "release": None,
        "parent": None,
        "verdict": "not_found",
        "altered": None,
        "content": None,
        "subtype": None,
        "chain": False,
    }
    return base | kw


def test_release_scores_split_by_content_and_skip_predating_posts() -> None:
    truth = {
        "p": _info(family="R1", release="r", parent="r", verdict="supported", content="photo"),
        "c": _info(family="R1", release="r", parent="r", verdict="supported", content="carousel"),
        "t": _info(family="R2", release="s", parent="s", verdict="supported", content="text"),
        "pre": _info(
            family="R1", release="r", parent=None, verdict="contradicted", content="photo"
        ),
        "r": _info(family="R1", release="r", verdict="supported", content="photo"),
    }
    scores = release_scores(truth, {"p": "r", "c": "other", "t": "s", "pre": None, "r": "r"})
    assert (scores["all"].right, scores["all"].total) == (2, 3)
    assert (scores["photo"].right, scores["photo"].total) == (1, 2)
    assert scores["text"].value == 1.0 and scores["clip"].value is None


def test_unrelated_posts_count_only_in_families_of_two_or_more() -> None:
    truth = {
        "t1": _info(subtype="template_poster"),
        "t2": _info(subtype="template_poster"),
        "d": _info(subtype="distinct_photo"),
        "r": _info(family="R1"),
    }
    scores = unrelated_scores(truth, {"t1": "F1", "t2": "F2", "d": "F1", "r": "F2"})
    assert (scores["all"].right, scores["all"].total) == (3, 3)
    scores = unrelated_scores(truth, {"t1": "F1", "t2": "F2", "d": "F3", "r": "F4"})
    assert scores["all"].right == 0


def test_agreement_skips_unknown_truth_and_filters_chains() -> None:
    truth = {"a": _info(parent="p", chain=True), "b": _info(parent="r"), "c": _info()}
    assert agreement(truth, "parent", {"a": "p", "b": "x", "c": None}).to_json()["value"] == 0.5
    chain = agreement(truth, "parent", {"a": "p", "b": "x"}, only="chain")
    assert (chain.right, chain.total) == (1, 1)


def test_mixed_families_names_what_a_merged_family_holds() -> None:
    truth = {"a": "R1", "b": "R1", "c": "R2", "x": None, "y": "R3"}
    worst = mixed_families(truth, {"a": "F1", "b": "F1", "c": "F1", "x": "F1", "y": "F2"})
    assert len(worst) == 1
    assert worst[0]["true_families"] == 3 and worst[0]["holds"]["R1"] == 2


def test_score_gives_every_figure() -> None:
    truth = {
        "r": _info(family="R1", release="r", verdict="supported", altered=False, content="clip"),
        "c": _info(
            family="R1", release="r", parent="r", verdict="supported", altered=True, content="clip"
        ),
        "k": _info(
            family="R1",
            release="r",
            parent="c",
            verdict="supported",
            altered=True,
            content="clip",
            chain=True,
        ),
    }
    figures = score(
        truth,
        {"r": "F1", "c": "F1", "k": "F1"},
        {"r": None, "c": "r", "k": "r"},
        {"r": "supported", "c": "supported", "k": "supported"},
        {"r": False, "c": False, "k": True},
        {"r": 1, "c": 2, "k": 3},
        {"r": "central", "c": "province", "k": "regency"},
    )
    assert figures["pair_precision"].value == figures["pair_recall"].value == 1.0
    assert figures["release_named"]["clip"].value == 1.0
    assert figures["chain_parent"].value == 0.0
    assert figures["verdict"].value == 1.0
    assert (figures["altered"].right, figures["altered"].total) == (2, 3)
