"""Score tracer's answers against a corpus's ground truth (issue 10's figures).

Pure functions over mappings of post id → value, so the bench, the tests and any
calibration script compute every figure the same way. Pairs are counted from the
contingency table of true and predicted families, never by listing pairs: a family of
n posts holds n(n-1)/2 pairs, and a partition of 10,000 posts is scored in milliseconds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Labels = Mapping[str, str | None]

CONTENTS = ("text", "photo", "poster", "clip")


@dataclass(frozen=True, slots=True)
class Ratio:
    """`right` out of `total`; `value` is None when there is nothing to count."""

    right: int
    total: int

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None

    def to_json(self) -> dict[str, Any]:
        value = self.value
        return {
            "value": None if value is None else round(value, 4),
            "right": self.right,
            "total": self.total,
        }


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _clusters(labels: Labels, posts: Iterable[str]) -> dict[str, str]:
    """Every post's cluster: its label, or a cluster of its own when it has none."""
    return {p: (f"L:{labels[p]}" if labels.get(p) is not None else f"S:{p}") for p in posts}


def pair_scores(truth: Labels, predicted: Labels) -> tuple[Ratio, Ratio]:
    """Same-family pair precision and recall over the posts of `truth`.

    Precision: of the pairs tracer puts in one family, the share that truly share one;
    recall: of the true pairs, the share tracer puts together. A post without a family
    (None) is a family of one on either side.
    """
    posts = list(truth)
    true_of, pred_of = _clusters(truth, posts), _clusters(predicted, posts)
    cells = Counter((true_of[p], pred_of[p]) for p in posts)
    both = sum(_pairs(n) for n in cells.values())
    true_pairs = sum(_pairs(n) for n in Counter(true_of.values()).values())
    pred_pairs = sum(_pairs(n) for n in Counter(pred_of.values()).values())
    return Ratio(both, pred_pairs), Ratio(both, true_pairs)


def named_releases(
    families: Labels, times: Mapping[str, int], tiers: Mapping[str, str]
) -> dict[str, str | None]:
    """The release tracer names for each post: the earliest central post of its family
    published no later than the post (ties by post id), or None."""
    central: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for post, family in families.items():
        if family is not None and tiers.get(post) == "central":
            central[family].append((times[post], post))
    out: dict[str, str | None] = {}
    for post, family in families.items():
        if tiers.get(post) == "central" and family is None:
            out[post] = post
            continue
        earlier = [c for c in central.get(family or "", ()) if c <= (times[post], post)]
        out[post] = min(earlier)[1] if earlier else None
    return out


def _content(info: Mapping[str, Any]) -> str:
    content = str(info.get("content") or "")
    return "photo" if content == "carousel" else content


def is_copy(info: Mapping[str, Any]) -> bool:
    """A post that copies a release it was published after (a `supported` copy)."""
    return (
        bool(info.get("release"))
        and info.get("verdict") == "supported"
        and info.get("parent") is not None
    )


def release_scores(truth: Mapping[str, Mapping[str, Any]], named: Labels) -> dict[str, Ratio]:
    """Copies whose release is named right: all of them, then text, photo, poster and
    clip copies apart."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for post, info in truth.items():
        if not is_copy(info):
            continue
        ok = named.get(post) == info["release"]
        for key in ("all", _content(info)):
            total[key] += 1
            right[key] += ok
    return {key: Ratio(right[key], total[key]) for key in ("all", *CONTENTS)}


def unrelated_scores(truth: Mapping[str, Mapping[str, Any]], predicted: Labels) -> dict[str, Ratio]:
    """Unrelated posts (no true family) that tracer puts in a family of two or more:
    overall, and posters on the ministry's template apart. Lower is better."""
    sizes = Counter(f for f in predicted.values() if f is not None)
    placed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for post, info in truth.items():
        if info.get("family") is not None:
            continue
        family = predicted.get(post)
        wrong = family is not None and sizes[family] >= 2
        for key in ("all", str(info.get("subtype") or "other")):
            total[key] += 1
            placed[key] += wrong
    return {key: Ratio(placed[key], total[key]) for key in sorted(total)}


def agreement(
    truth: Mapping[str, Mapping[str, Any]],
    field: str,
    predicted: Mapping[str, Any],
    only: str | None = None,
) -> Ratio:
    """Posts whose predicted `field` equals the truth's (posts whose truth is None, or
    with no prediction, are not counted); `only` keeps posts whose truth has that flag."""
    right = total = 0
    for post, info in truth.items():
        if info.get(field) is None or post not in predicted or (only and not info.get(only)):
            continue
        total += 1
        right += predicted[post] == info[field]
    return Ratio(right, total)


def mixed_families(truth: Labels, predicted: Labels, top: int = 5) -> list[dict[str, Any]]:
    """The largest predicted families holding posts of several true families (an
    unrelated post counts as a family of its own), with what they hold."""
    members: dict[str, list[str]] = defaultdict(list)
    for post, family in predicted.items():
        if family is not None and post in truth:
            members[family].append(post)
    mixed: list[tuple[int, int, str, Counter[str]]] = []
    for family, posts in members.items():
        held = Counter(truth[p] or f"unrelated:{p}" for p in posts)
        if len(held) > 1:
            mixed.append((-len(held), -len(posts), family, held))
    mixed.sort(key=lambda m: m[:3])
    return [
        {"family": f, "size": -size, "true_families": -n, "holds": dict(held.most_common(6))}
        for n, size, f, held in mixed[:top]
    ]


def score(
    truth: Mapping[str, Mapping[str, Any]],
    families: Labels,
    parents: Labels,
    verdicts: Mapping[str, str],
    altered: Mapping[str, bool],
    times: Mapping[str, int],
    tiers: Mapping[str, str],
) -> dict[str, Any]:
    """Every figure of issue 10 for one run."""
    true_family = {p: info.get("family") for p, info in truth.items()}
    precision, recall = pair_scores(true_family, families)
    named = named_releases(families, times, tiers)
    return {
        "pair_precision": precision,
        "pair_recall": recall,
        "release_named": release_scores(truth, named),
        "unrelated_in_family": unrelated_scores(truth, families),
        "chain_parent": agreement(truth, "parent", parents, only="chain"),
        "verdict": agreement(truth, "verdict", verdicts),
        "altered": agreement(truth, "altered", altered),
    }
