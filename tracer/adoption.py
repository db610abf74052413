"""Who re-posts what: accounts and the accounts they copy from (adoption of a release is
`tracer.coverage`).

Read-side queries of the HTTP API, beside `tracer.store.listings`: an account's cascade
parents come from the stored cascade (each post's parent post), lags are seconds.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from tracer.errors import InputError, NotFoundError
from tracer.models import TIERS, Account, iso_utc
from tracer.offices.placement import Offices, Placement
from tracer.store import FamilyId, Store
from tracer.store.listings import Page, decode_cursor, encode_cursor

RECENT = 20
"""Re-posts an account summary lists (latest first); `/posts?account=` has them all."""


def account_json(account: Account, offices: Offices) -> dict[str, Any]:
    """An account with the registry office and province it is placed in."""
    return placed_json(account, offices.place(account.account_id))


def placed_json(account: Account, placed: Placement) -> dict[str, Any]:
    """An account with the registry office and province of its placement."""
    return {
        "account_id": account.account_id,
        "platform": account.platform,
        "handle": account.handle,
        "name": account.name,
        "tier": account.tier,
        "region": account.region,
        "parent_id": account.parent_id,
        **placed.names(),
    }


def median_seconds(values: list[int]) -> int | None:
    return int(statistics.median(values)) if values else None


def list_accounts(
    store: Store, *, tier: str | None = None, limit: int = 50, cursor: str | None = None
) -> Page:
    """Accounts by id, each with its number of posts."""
    if tier is not None and tier not in TIERS:
        raise InputError(f"tier must be one of {', '.join(TIERS)}")
    after = None
    if cursor:
        (after,) = decode_cursor(f"accounts:{tier}", cursor, (str,))
    by_id = store.accounts()
    rows = store.accounts_after(tier, after, limit + 1)
    page = rows[:limit]
    counts = store.post_counts([a.account_id for a in page])
    offices = Offices(by_id)
    items = [{**account_json(a, offices), "posts": int(counts.get(a.account_id, 0))} for a in page]
    more = len(rows) > limit
    return Page(items, encode_cursor(f"accounts:{tier}", [page[-1].account_id]) if more else None)


def account_summary(store: Store, account_id: str) -> dict[str, Any]:
    """What an account re-posted, from whom (its posts' parents in the cascades), and
    its typical lag: behind its parent post, and behind the family's release."""
    by_id = store.accounts()
    account = by_id.get(account_id)
    if account is None:
        raise NotFoundError(f"no account {account_id!r}")
    rows = store.account_posts(account_id)
    copies = [r for r in rows if r.parent_post is not None]
    sources: dict[str, list[int]] = defaultdict(list)
    for r in copies:
        sources[r.parent_account or ""].append(int(r.lag_seconds or 0))
    behind_release = [
        int(r.ts - r.release_ts)
        for r in rows
        if r.release_ts is not None and r.release_post != r.post_id and r.ts >= r.release_ts
    ]
    return {
        **account_json(account, Offices(by_id)),
        "posts": len(rows),
        "reposts": len(copies),
        "families": len({r.family for r in rows if r.shared}),
        "releases_reposted": len({r.release_post for r in copies if r.release_post}),
        "median_lag_seconds": median_seconds([int(r.lag_seconds or 0) for r in copies]),
        "median_release_lag_seconds": median_seconds(behind_release),
        "sources": [
            {
                "account_id": source,
                "tier": by_id[source].tier if source in by_id else None,
                "posts": len(lags),
                "median_lag_seconds": median_seconds(lags),
            }
            for source, lags in sorted(sources.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ],
        "recent_reposts": [
            {
                "post_id": r.post_id,
                "published_at": iso_utc(datetime.fromtimestamp(r.ts, UTC)),
                "family_id": str(FamilyId(r.family)),
                "parent": r.parent_post,
                "parent_account": r.parent_account,
                "release": r.release_post,
                "lag_seconds": r.lag_seconds,
            }
            for r in copies[:RECENT]
        ],
    }
