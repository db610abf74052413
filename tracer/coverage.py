"""Adoption of a release: which accounts and which offices carried it, by province and
tier, and which did not — for every one of the registry's 38 provinces.

Two levels are kept apart, because they answer different questions. *Accounts*: a
known province or regency account that posted the family (an adopter) or did not (a
missing account). *Offices*: a registry office adopted when any of its accounts did,
is missing when it has known accounts and none did, and has no account when the
corpus holds none of its accounts (tracer cannot say whether it posted). Accounts that
share (platform, normalised handle) are one account: a twin of an adopter is never
listed as missing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from tracer.adoption import account_json, median_seconds
from tracer.errors import InputError
from tracer.models import Account, StoredPost
from tracer.offices.placement import Offices, account_key, duplicate_accounts
from tracer.offices.registry import Office
from tracer.store import Store
from tracer.store.family_id import family_number
from tracer.tracing import find_post

GOVERNMENT = ("province", "regency")


def family_members(store: Store, post: StoredPost) -> list[StoredPost]:
    """The post's family, earliest first; a post alone is a family of one."""
    if post.family_id is None:
        return [post]
    return [p for p, _ in store.family_posts(family_number(post.family_id))]


def _account_item(account: Account, offices: Offices) -> dict[str, Any]:
    item = account_json(account, offices)
    del item["handle"], item["parent_id"]
    return item


def adoption(store: Store, ref: str) -> dict[str, Any]:
    """Who carried the release of the family of `ref` (a post id or URL, any member of
    the family), when and how late; who did not, by account and by office."""
    post = find_post(store, ref)
    members = family_members(store, post)
    release = next((p for p in members if p.tier == "central"), None)
    if release is None:
        raise InputError(
            f"no release: no central account posted the family of {post.post_id!r}"
            " (GET /trace shows where it came from)"
        )
    by_id = store.accounts()
    offices = Offices(by_id)
    first: dict[str, StoredPost] = {}
    for m in members:
        first.setdefault(m.account_id, m)
    adopters = [
        {
            **_account_item(by_id[account_id], offices),
            "post_id": p.post_id,
            "published_at": p.to_json()["published_at"],
            "lag_seconds": p.timestamp - release.timestamp,
        }
        for account_id, p in first.items()
        if account_id != release.account_id
    ]
    twins = {
        a.account_id: [b.account_id for b in group if b is not a]
        for group in duplicate_accounts(by_id.values())
        for a in group
    }
    adopted_keys = {account_key(by_id[a]) for a in first}
    missing = [
        {**_account_item(a, offices), "same_as": twins.get(a.account_id, [])}
        for a in sorted(by_id.values(), key=lambda a: a.account_id)
        if a.tier in GOVERNMENT and a.account_id not in first and account_key(a) not in adopted_keys
    ]
    for item in adopters:
        item["same_as"] = twins.get(item["account_id"], [])
    provinces = by_province(offices, adopters, missing)
    return {
        "post_id": post.post_id,
        "release": release.to_json(),
        "family_id": release.family_id,
        "adopters": adopters,
        "by_tier": dict(sorted(Counter(a["tier"] for a in adopters).items())),
        "by_province": provinces,
        "offices": {
            key: sum(p[f"offices_{key}"] for p in provinces)
            for key in ("total", "adopted", "missing", "no_account")
        },
        "missing": missing,
        "unplaced": sorted(
            a["account_id"]
            for a in adopters + missing
            if a["tier"] in GOVERNMENT and not a["province"]
        ),
    }


def by_province(
    offices: Offices, adopters: list[dict[str, Any]], missing: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One row per registry province, in Kemendagri code order, whoever posted."""
    registry = offices.registry
    known: dict[str, set[str]] = defaultdict(set)  # office code → its accounts
    for account_id in offices.accounts:
        placed = offices.place(account_id)
        if placed.office is not None:
            known[placed.office.code].add(account_id)
    adopted_offices = {a["office_code"] for a in adopters if a["office_code"]}
    rows = []
    for province in registry.provinces():
        own: list[Office] = [province, *registry.regencies(province.code)]
        took = [a for a in adopters if a["province_code"] == province.code]
        left = [m for m in missing if m["province_code"] == province.code]
        adopted = [o for o in own if o.code in adopted_offices]
        absent = [o for o in own if o.code not in adopted_offices and known[o.code]]
        rows.append(
            {
                "province": province.name,
                "code": province.code,
                "adopted": len(took),
                "missing": len(left),
                "median_lag_seconds": median_seconds([a["lag_seconds"] for a in took]),
                "offices_total": len(own),
                "offices_adopted": len(adopted),
                "offices_missing": len(absent),
                "offices_no_account": len(own) - len(adopted) - len(absent),
                "adopted_offices": [o.name for o in adopted],
                "missing_offices": [o.name for o in absent],
            }
        )
    return rows
