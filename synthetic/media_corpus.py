"""The whole media corpus plan: the releases and their copies (`media_scale`), then
the hard negatives (`media_negatives`), and the truth document written beside it."""

from __future__ import annotations

from typing import Any

from synthetic.media_negatives import plan_negatives
from synthetic.media_plan import Plan
from synthetic.media_scale import plan_releases


def plan_media_corpus(seed: int, n_posts: int) -> Plan:
    """The whole plan: releases and copies, then the negatives, to `n_posts` posts."""
    plan = Plan.start(seed)
    releases = plan_releases(plan, n_posts)
    plan_negatives(plan, releases, n_posts)
    return plan


def truth_document(plan: Plan) -> dict[str, Any]:
    """`truth.json`: how it was made, and every post's truth."""
    return {
        "about": "Ground truth of a media corpus written by synthetic.media_scale"
        " (see bench/README.md, 'Media accuracy').",
        "seed": plan.seed,
        "posts": {p.post_id: plan.truth[p.post_id] for p in plan.posts},
    }
