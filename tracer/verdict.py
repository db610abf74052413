"""Verdicts on the claim "this post was a ministry release" (DESIGN.md, Cascades and verdicts).

Pure: takes the post, its family in time order and the normalised texts, returns a
`VerdictReport`. The service gathers the inputs; the CLI and the API render the output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from tracer.alteration import alteration
from tracer.flags import Context, flags
from tracer.headline import headline
from tracer.models import StoredPost, Verdict, iso_utc
from tracer.normalize import NormalText, local_time, normalize_text


@dataclass(frozen=True, slots=True)
class VerdictReport:
    post_id: str
    verdict: Verdict
    reason: str
    release: StoredPost | None
    lag_seconds: int | None
    altered: bool
    changes: dict[str, Any]
    evidence: list[dict[str, Any]]
    corroboration: dict[str, Any]
    first_seen: StoredPost | None = field(default=None)
    times: dict[str, Any] = field(default_factory=dict)
    flags: list[dict[str, Any]] = field(default_factory=list)
    shown: dict[str, Any] | None = None
    """Outside content only: the stored post it shows and how (`tracer.outside`)."""
    central_accounts: int | None = None
    """Central accounts in the store: what "no release among them" counts."""

    def to_json(self) -> dict[str, Any]:
        out = {
            "post_id": self.post_id,
            "verdict": self.verdict,
            "reason": self.reason,
            "release": self.release.to_json() if self.release else None,
            "lag_seconds": self.lag_seconds,
            "altered": self.altered,
            "changes": self.changes,
            "evidence": self.evidence,
            "corroboration": self.corroboration,
            "first_seen": self.first_seen.to_json() if self.first_seen else None,
            "times": self.times,
            "flags": self.flags,
            "headline": headline(
                self.verdict,
                is_release=self.release is not None and self.release.post_id == self.post_id,
                altered=self.altered,
                changes=self.changes,
                has_release=self.release is not None,
                first_tier=self.first_seen.tier if self.first_seen else None,
                central_accounts=self.central_accounts,
            ),
        }
        if self.shown is not None:
            out["shown"] = self.shown
        return out


def decide(
    post: StoredPost, family: Sequence[StoredPost]
) -> tuple[Verdict, str, StoredPost | None, StoredPost]:
    """The verdict, its reason, the release (earliest central post) and the origin.

    `family` is in time order (earliest first, ties by post id) and contains `post`.
    """
    origin = family[0]
    release = next((p for p in family if p.tier == "central"), None)
    if release is not None and release.post_id == post.post_id:
        return "supported", "the post is the central release itself", release, origin
    if release is not None and (release.timestamp, release.post_id) <= (
        post.timestamp,
        post.post_id,
    ):
        return (
            "supported",
            "derives from a central release published before the post",
            release,
            origin,
        )
    if release is not None:
        return (
            "contradicted",
            "the post predates the earliest central release of its content",
            release,
            origin,
        )
    if origin.post_id != post.post_id:
        return "contradicted", "the content was first posted by a non-central account", None, origin
    return "not_found", "no central release carries this content", None, origin


def text_changes(post: NormalText, release: NormalText) -> dict[str, Any]:
    """Word-level changes of the post against its source (the release, else the origin)."""
    matcher = SequenceMatcher(a=release.tokens, b=post.tokens, autojunk=False)
    added: list[str] = []
    removed: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            removed.append(" ".join(release.tokens[i1:i2]))
        if tag in ("insert", "replace"):
            added.append(" ".join(post.tokens[j1:j2]))
    return {
        "text_identical": post.text == release.text,
        "similarity": round(matcher.ratio(), 4),
        "added_text": added,
        "removed_text": removed,
        "hashtags_added": sorted(set(post.hashtags) - set(release.hashtags)),
        "hashtags_removed": sorted(set(release.hashtags) - set(post.hashtags)),
        "mentions_added": sorted(set(post.mentions) - set(release.mentions)),
        "mentions_removed": sorted(set(release.mentions) - set(post.mentions)),
        "truncated": post.truncated and not release.truncated,
    }


def time_facts(post: StoredPost, release: StoredPost | None, post_zone: str) -> dict[str, Any]:
    """Release time, post time and lag, in UTC and in the zone of the post's region
    (WIB, WITA or WIT); the release in WIB, the ministry's zone."""

    def shown(p: StoredPost, zone: str) -> dict[str, str]:
        return {"utc": iso_utc(p.published_at), "local": local_time(p.published_at, zone)}

    return {
        "post": shown(post, post_zone),
        "release": shown(release, "Asia/Jakarta") if release else None,
        "lag_seconds": post.timestamp - release.timestamp if release else None,
    }


def corroboration(
    release: StoredPost | None, family: Sequence[StoredPost], post: StoredPost
) -> dict[str, Any]:
    """Who else carried the release (neither its author nor the post under verification):
    the evidence that it was distributed centrally."""
    if release is None:
        others = [p for p in family if p.post_id != post.post_id]
        return {
            "accounts": 0,
            "regions": [],
            "provinces": 0,
            "regencies": 0,
            "by_tier": {},
            "first_lag_seconds": None,
            "median_lag_seconds": None,
            "non_central_before_release": len(others),
            "first_non_central": others[0].post_id if others else None,
        }
    copies = [
        p
        for p in family
        if p.account_id not in (release.account_id, post.account_id)
        and p.timestamp >= release.timestamp
    ]
    accounts = {p.account_id for p in copies}
    lags = sorted(p.timestamp - release.timestamp for p in copies)
    by_tier: dict[str, int] = {}
    for p in {p.account_id: p for p in copies}.values():
        by_tier[p.tier] = by_tier.get(p.tier, 0) + 1
    earlier = [p for p in family if p.tier != "central" and p.timestamp < release.timestamp]
    return {
        "accounts": len(accounts),
        "regions": sorted({p.region for p in copies if p.region}),
        "provinces": len({p.region for p in copies if p.tier == "province" and p.region}),
        "regencies": len({p.region for p in copies if p.tier == "regency" and p.region}),
        "by_tier": by_tier,
        "first_lag_seconds": lags[0] if lags else None,
        "median_lag_seconds": lags[len(lags) // 2] if lags else None,
        "non_central_before_release": len(earlier),
        "first_non_central": earlier[0].post_id if earlier else None,
    }


def build_verdict(
    post: StoredPost,
    family: Sequence[StoredPost],
    post_text: NormalText,
    source_text: NormalText | None,
    evidence: list[dict[str, Any]],
    media_report: list[dict[str, Any]] | None = None,
    *,
    post_zone: str = "Asia/Jakarta",
    context: Context | None = None,
    central_accounts: int | None = None,
) -> VerdictReport:
    """`media_report`: for each media file of the post, its best match among the
    source's files (`tracer.verification.media_report`), or why none."""
    verdict, reason, release, origin = decide(post, family)
    source = release or origin  # what the post is compared with: its release, else first sighting
    changes: dict[str, Any] = {}
    altered = False
    if source_text is not None and source.post_id != post.post_id:
        changes = text_changes(post_text, source_text)
        message = alteration(post.text, source.text)
        changes["sentences_added"] = message.added
        changes["sentences_removed"] = message.removed
        changes["cosmetic"] = message.cosmetic
        changes["summary"] = message.summary()
        changes["against"] = source.post_id
        changes["media_count"] = {"source": len(source.media), "post": len(post.media)}
        changes["media"] = media_report
        changes["wording_identical"] = post.text.split() == source.text.split()
        # The message changed (sentences added or dropped), not only its dressing.
        altered = message.altered
    lag = post.timestamp - release.timestamp if release is not None else None
    return VerdictReport(
        post_id=post.post_id,
        verdict=verdict,
        reason=reason,
        release=release,
        lag_seconds=lag,
        altered=altered,
        changes=changes,
        evidence=evidence,
        corroboration=corroboration(release, family, post),
        first_seen=origin if verdict == "contradicted" else None,
        times=time_facts(post, release, post_zone),
        flags=flags(context, post.published_at, _tokens(release or origin)) if context else [],
        central_accounts=central_accounts,
    )


def _tokens(post: StoredPost) -> tuple[str, ...]:
    return normalize_text(post.text).tokens
