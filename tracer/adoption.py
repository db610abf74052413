"""Who re-posts what: accounts, the accounts they copy from, and a release's adoption.

Read-side queries of the HTTP API, beside `tracer.queries`: an account's cascade
parents come from the stored cascade (each post's parent post), lags are seconds.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from tracer.errors import InputError, NotFoundError
from tracer.models import TIERS, Account, iso_utc
from tracer.queries import Page, decode_cursor, encode_cursor
from tracer.rows import account_of, stored_post
from tracer.schema import accounts, families, posts
from tracer.store import Store

RECENT = 20
"""Re-posts an account summary lists (latest first); `/posts?account=` has them all."""


def province_of(account: Account, by_id: dict[str, Account]) -> str | None:
    """The province an office belongs to: its own region for a province, its parent's
    for a regency (none when the parent is not a known account); none for central
    accounts and others."""
    if account.tier == "province":
        return account.region
    if account.tier == "regency":
        parent = by_id.get(account.parent_id) if account.parent_id else None
        return parent.region if parent is not None else None
    return None


def _account_json(account: Account, by_id: dict[str, Account]) -> dict[str, Any]:
    return {
        "account_id": account.account_id,
        "platform": account.platform,
        "handle": account.handle,
        "name": account.name,
        "tier": account.tier,
        "region": account.region,
        "parent_id": account.parent_id,
        "province": province_of(account, by_id),
    }


def _median(values: list[int]) -> int | None:
    return int(statistics.median(values)) if values else None


def list_accounts(
    store: Store, *, tier: str | None = None, limit: int = 50, cursor: str | None = None
) -> Page:
    """Accounts by id, each with its number of posts."""
    if tier is not None and tier not in TIERS:
        raise InputError(f"tier must be one of {', '.join(TIERS)}")
    stmt = sa.select(accounts).order_by(accounts.c.account_id)
    if tier is not None:
        stmt = stmt.where(accounts.c.tier == tier)
    if cursor:
        (after,) = decode_cursor(f"accounts:{tier}", cursor, (str,))
        stmt = stmt.where(accounts.c.account_id > after)
    by_id = store.accounts()
    with store.engine.connect() as conn:
        rows = conn.execute(stmt.limit(limit + 1)).mappings().all()
        page = [account_of(r) for r in rows[:limit]]
        counts: dict[str, int] = dict(
            conn.execute(
                sa.select(posts.c.account_id, sa.func.count())
                .where(posts.c.account_id.in_([a.account_id for a in page]))
                .group_by(posts.c.account_id)
            ).all()
        )
    items = [{**_account_json(a, by_id), "posts": int(counts.get(a.account_id, 0))} for a in page]
    more = len(rows) > limit
    return Page(items, encode_cursor(f"accounts:{tier}", [page[-1].account_id]) if more else None)


def account_summary(store: Store, account_id: str) -> dict[str, Any]:
    """What an account re-posted, from whom (its posts' parents in the cascades), and
    its typical lag: behind its parent post, and behind the family's release."""
    by_id = store.accounts()
    account = by_id.get(account_id)
    if account is None:
        raise NotFoundError(f"no account {account_id!r}")
    parent, release = posts.alias("parent"), posts.alias("release")
    stmt = (
        sa.select(
            posts.c.post_id,
            posts.c.ts,
            posts.c.published_at,
            posts.c.lag_seconds,
            posts.c.family_id,
            parent.c.account_id.label("parent_account"),
            parent.c.post_id.label("parent_post"),
            release.c.post_id.label("release_post"),
            release.c.ts.label("release_ts"),
            families.c.family_id.label("shared"),
        )
        .outerjoin(parent, parent.c.idx == posts.c.parent_idx)
        .outerjoin(families, families.c.family_id == posts.c.family_id)
        .outerjoin(release, release.c.idx == families.c.release_idx)
        .where(posts.c.account_id == account_id)
        .order_by(posts.c.ts.desc(), posts.c.idx.desc())
    )
    with store.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    copies = [r for r in rows if r.parent_post is not None]
    sources: dict[str, list[int]] = defaultdict(list)
    for r in copies:
        sources[r.parent_account].append(int(r.lag_seconds or 0))
    behind_release = [
        int(r.ts - r.release_ts)
        for r in rows
        if r.release_post is not None and r.release_post != r.post_id and r.ts >= r.release_ts
    ]
    return {
        **_account_json(account, by_id),
        "posts": len(rows),
        "reposts": len(copies),
        "families": len({r.shared for r in rows if r.shared is not None}),
        "releases_reposted": len({r.release_post for r in copies if r.release_post}),
        "median_lag_seconds": _median([int(r.lag_seconds or 0) for r in copies]),
        "median_release_lag_seconds": _median(behind_release),
        "sources": [
            {
                "account_id": source,
                "tier": by_id[source].tier if source in by_id else None,
                "posts": len(lags),
                "median_lag_seconds": _median(lags),
            }
            for source, lags in sorted(sources.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ],
        "recent_reposts": [
            {
                "post_id": r.post_id,
                "published_at": iso_utc(datetime.fromtimestamp(r.ts, UTC)),
                "family_id": f"F{r.family_id}",
                "parent": r.parent_post,
                "parent_account": r.parent_account,
                "release": r.release_post,
                "lag_seconds": r.lag_seconds,
            }
            for r in copies[:RECENT]
        ],
    }


def adoption(store: Store, post_id: str) -> dict[str, Any]:
    """Which accounts carried a release's family, when and how late, by province and
    tier; and which known province and regency offices did not."""
    with store.engine.connect() as conn:
        row = (
            conn.execute(store._post_select().where(posts.c.post_id == post_id)).mappings().first()
        )
        if row is None:
            raise NotFoundError(f"no post {post_id!r}")
        release = stored_post(row)
        if release.tier != "central":
            raise InputError(f"{post_id!r} is not a release: its account's tier is {release.tier}")
        members = (
            conn.execute(
                store._post_select()
                .where(posts.c.family_id == row["family_id"])
                .order_by(posts.c.ts, posts.c.idx)
            )
            .mappings()
            .all()
        )
    by_id = store.accounts()
    first: dict[str, Any] = {}
    for m in members:
        first.setdefault(m["account_id"], stored_post(m))
    adopters = []
    for account_id, post in first.items():
        if account_id == release.account_id:
            continue
        account = by_id[account_id]
        adopters.append(
            {
                "account_id": account_id,
                "tier": account.tier,
                "region": account.region,
                "province": province_of(account, by_id),
                "post_id": post.post_id,
                "published_at": post.to_json()["published_at"],
                "lag_seconds": post.timestamp - release.timestamp,
            }
        )
    missing = [
        {
            "account_id": a.account_id,
            "tier": a.tier,
            "region": a.region,
            "province": province_of(a, by_id),
        }
        for a in sorted(by_id.values(), key=lambda a: a.account_id)
        if a.tier in ("province", "regency") and a.account_id not in first
    ]
    return {
        "release": release.to_json(),
        "family_id": release.family_id,
        "adopters": adopters,
        "by_tier": dict(sorted(Counter(a["tier"] for a in adopters).items())),
        "by_province": _by_province(adopters, missing),
        "missing": missing,
    }


def _by_province(
    adopters: list[dict[str, Any]], missing: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for item, key in [(a, "adopted") for a in adopters] + [(m, "missing") for m in missing]:
        province = item["province"]
        if province is None:
            continue
        group = groups.setdefault(
            province, {"province": province, "adopted": 0, "missing": 0, "lags": []}
        )
        group[key] += 1
        if key == "adopted":
            group["lags"].append(item["lag_seconds"])
    return [
        {
            "province": g["province"],
            "adopted": g["adopted"],
            "missing": g["missing"],
            "median_lag_seconds": _median(g.pop("lags")),
        }
        for g in sorted(groups.values(), key=lambda g: g["province"])
    ]
