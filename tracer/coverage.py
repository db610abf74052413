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
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from tracer.adoption import median_seconds, placed_json
from tracer.errors import InputError
from tracer.models import Account, StoredPost, iso_utc
from tracer.offices.placement import Offices, Placement, account_key, duplicate_accounts
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


@dataclass(frozen=True, slots=True)
class AccountAdoption:
    """An account of a release's adoption: an adopter, with its first post of the family
    and how late it came, or a government account that did not post it."""

    account: Account
    placed: Placement
    same_as: tuple[str, ...]
    """Accounts stored twice (same platform and handle): the account's twins."""
    post: StoredPost | None = None
    lag_seconds: int | None = None

    def to_json(self) -> dict[str, Any]:
        item = placed_json(self.account, self.placed)
        del item["handle"], item["parent_id"]
        if self.post is not None:
            item["post_id"] = self.post.post_id
            item["published_at"] = iso_utc(self.post.published_at)
            item["lag_seconds"] = self.lag_seconds
        item["same_as"] = list(self.same_as)
        return item


@dataclass(frozen=True, slots=True)
class ProvinceAdoption:
    """One registry province: its accounts and offices that carried the release or not."""

    province: str
    code: str
    adopted: int
    missing: int
    median_lag_seconds: int | None
    offices_total: int
    offices_adopted: int
    offices_missing: int
    offices_no_account: int
    adopted_offices: tuple[str, ...]
    missing_offices: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["adopted_offices"], out["missing_offices"] = (
            list(self.adopted_offices),
            list(self.missing_offices),
        )
        return out


@dataclass(frozen=True, slots=True)
class Adoption:
    """Who carried a release and who did not: by account, by province (all 38), by
    tier and by registry office."""

    post_id: str
    """The post asked about (any member of the family)."""
    release: StoredPost
    adopters: tuple[AccountAdoption, ...]
    missing: tuple[AccountAdoption, ...]
    by_province: tuple[ProvinceAdoption, ...]

    @property
    def family_id(self) -> str | None:
        return self.release.family_id

    @property
    def by_tier(self) -> dict[str, int]:
        return dict(sorted(Counter(a.account.tier for a in self.adopters).items()))

    @property
    def offices(self) -> dict[str, int]:
        """Registry offices: all, adopted, missing, and without a known account."""
        return {
            "total": sum(p.offices_total for p in self.by_province),
            "adopted": sum(p.offices_adopted for p in self.by_province),
            "missing": sum(p.offices_missing for p in self.by_province),
            "no_account": sum(p.offices_no_account for p in self.by_province),
        }

    @property
    def unplaced(self) -> list[str]:
        """Government accounts (adopters or missing) placed in no province."""
        return sorted(
            a.account.account_id
            for a in self.adopters + self.missing
            if a.account.tier in GOVERNMENT and a.placed.province is None
        )

    def to_json(self) -> dict[str, Any]:
        """`GET /adoption`'s JSON."""
        return {
            "post_id": self.post_id,
            "release": self.release.to_json(),
            "family_id": self.family_id,
            "adopters": [a.to_json() for a in self.adopters],
            "by_tier": self.by_tier,
            "by_province": [p.to_json() for p in self.by_province],
            "offices": self.offices,
            "missing": [a.to_json() for a in self.missing],
            "unplaced": self.unplaced,
        }


def adoption(store: Store, ref: str) -> Adoption:
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
    twins = {
        a.account_id: tuple(b.account_id for b in group if b is not a)
        for group in duplicate_accounts(by_id.values())
        for a in group
    }
    adopters = tuple(
        AccountAdoption(
            by_id[account_id],
            offices.place(account_id),
            twins.get(account_id, ()),
            p,
            p.timestamp - release.timestamp,
        )
        for account_id, p in first.items()
        if account_id != release.account_id
    )
    adopted_keys = {account_key(by_id[a]) for a in first}
    missing = tuple(
        AccountAdoption(a, offices.place(a.account_id), twins.get(a.account_id, ()))
        for a in sorted(by_id.values(), key=lambda a: a.account_id)
        if a.tier in GOVERNMENT and a.account_id not in first and account_key(a) not in adopted_keys
    )
    return Adoption(
        post.post_id, release, adopters, missing, by_province(offices, adopters, missing)
    )


def by_province(
    offices: Offices, adopters: Sequence[AccountAdoption], missing: Sequence[AccountAdoption]
) -> tuple[ProvinceAdoption, ...]:
    """One row per registry province, in Kemendagri code order, whoever posted."""
    registry = offices.registry
    known: dict[str, set[str]] = defaultdict(set)  # office code → its accounts
    for account_id in offices.accounts:
        placed = offices.place(account_id)
        if placed.office is not None:
            known[placed.office.code].add(account_id)
    adopted_offices = {a.placed.office.code for a in adopters if a.placed.office}
    rows = []
    for province in registry.provinces():
        own: list[Office] = [province, *registry.regencies(province.code)]
        took = [a for a in adopters if _province_code(a) == province.code]
        left = [m for m in missing if _province_code(m) == province.code]
        adopted = [o for o in own if o.code in adopted_offices]
        absent = [o for o in own if o.code not in adopted_offices and known[o.code]]
        rows.append(
            ProvinceAdoption(
                province=province.name,
                code=province.code,
                adopted=len(took),
                missing=len(left),
                median_lag_seconds=median_seconds([a.lag_seconds or 0 for a in took]),
                offices_total=len(own),
                offices_adopted=len(adopted),
                offices_missing=len(absent),
                offices_no_account=len(own) - len(adopted) - len(absent),
                adopted_offices=tuple(o.name for o in adopted),
                missing_offices=tuple(o.name for o in absent),
            )
        )
    return tuple(rows)


def _province_code(item: AccountAdoption) -> str | None:
    return item.placed.province.code if item.placed.province else None
