"""The neutrality watch: government posts inside a sensitive period that carry the
context flags, each with where its content came from.

The January 2024 report to the election supervisor was about a government account
posting political content during the campaign. The watch lists every such post of a
`central`, `province` or `regency` account: inside a period of the context rules
(`tracer/data/context.json`: the 2024 campaign period), with political terms in its own
text or in its release's, and the verdict of `tracer.verdict.decide` told as a status:

- `release`: the post is a central release itself;
- `traced`: copied from a central release, published earlier (the release and the lag);
- `before_release`: posted before any central release of the same content;
- `own_content`: no release, and the office wrote it first (the family's origin);
- `regional`: no release, copied from another non-central account (the origin).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from tracer.errors import InputError
from tracer.flags import Context, Period, flags
from tracer.models import StoredPost, iso_utc
from tracer.normalize import local_time, normalize_text, resolve_zone
from tracer.offices.placement import Offices, Placement
from tracer.store import Store
from tracer.store.family_id import family_number
from tracer.tables import Table
from tracer.verdict import decide

FLAGS = ("campaign_period", "political_terms")
GOVERNMENT = ("central", "province", "regency")
SORTS = ("published_at", "lag", "province", "tier", "status", "account")
STATUSES = ("release", "traced", "before_release", "own_content", "regional")


@dataclass(frozen=True, slots=True)
class WatchQuery:
    """What to list: `start` inclusive, `end` exclusive (aware datetimes or None); posts
    must carry every flag of `flags`."""

    start: datetime | None = None
    end: datetime | None = None
    flags: tuple[str, ...] = FLAGS
    province: str | None = None
    tier: str | None = None
    status: str | None = None
    sort: str = "published_at"
    order: str = "asc"


def parse_bound(value: str | None, zone: str, *, end: bool = False) -> datetime | None:
    """A day (`2024-01-27`, a whole local day in `zone`: `to` includes it) or an instant
    with a UTC offset (`to` excludes it)."""
    if not value:
        return None
    text = value.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None:
        moment = datetime.combine(day, time(), resolve_zone(zone))
        return moment + timedelta(days=1) if end else moment
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise InputError(f"{value!r} is neither a day (YYYY-MM-DD) nor an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise InputError(f"{value!r} needs a UTC offset (e.g. 2024-01-27T00:00:00+07:00)")
    return moment


def make_query(
    start: str | None,
    end: str | None,
    flags: Sequence[str] | None,
    zone: str,
    **filters: Any,
) -> WatchQuery:
    """A query from what a person types (CLI options, URL parameters): days or instants,
    flags (default both), and the filters and sort of `WatchQuery` by name."""
    return WatchQuery(
        start=parse_bound(start, zone),
        end=parse_bound(end, zone, end=True),
        flags=tuple(dict.fromkeys(flags)) if flags else FLAGS,
        **filters,
    )


def _check(query: WatchQuery) -> None:
    unknown = [f for f in query.flags if f not in FLAGS]
    if unknown:
        raise InputError(f"unknown flag {unknown[0]!r} (known: {', '.join(FLAGS)})")
    if query.tier is not None and query.tier not in GOVERNMENT:
        raise InputError(f"tier must be one of {', '.join(GOVERNMENT)}")
    if query.status is not None and query.status not in STATUSES:
        raise InputError(f"status must be one of {', '.join(STATUSES)}")
    if query.sort not in SORTS or query.order not in ("asc", "desc"):
        raise InputError(f"sort must be one of {', '.join(SORTS)}; order asc or desc")
    if query.start and query.end and query.end <= query.start:
        raise InputError("`to` must be after `from`")


def _candidates(store: Store, context: Context, query: WatchQuery) -> list[StoredPost]:
    """Government posts in range; when political terms are required, only those whose
    family holds a post with one of the terms' words (the exact check comes later)."""
    windows = None
    if "campaign_period" in query.flags:
        windows = [(int(p.start.timestamp()), int(p.end.timestamp())) for p in context.periods]
    words = None
    if "political_terms" in query.flags:
        words = sorted({t[0] for t in context.terms})
    return store.posts_in_windows(
        GOVERNMENT,
        int(query.start.timestamp()) if query.start else None,
        int(query.end.timestamp()) if query.end else None,
        windows,
        words,
    )


def _families(store: Store, found: Sequence[StoredPost]) -> dict[str, list[StoredPost]]:
    """The families of the posts found, earliest first, in one query per 500 families
    (not one per family: a campaign's watch list spans thousands)."""
    return store.family_members([family_number(p.family_id) for p in found if p.family_id])


def _status(post: StoredPost, members: Sequence[StoredPost]) -> tuple[str, str, StoredPost | None]:
    """The watch's status from `decide`'s verdict, and the post it points to: the
    release (`release`, `traced`), else the family's first post. Without any release a
    copy is `contradicted` too: it is `regional` when another office posted it first."""
    verdict, _, release, origin = decide(post, members)
    if verdict == "supported":
        itself = release is not None and release.post_id == post.post_id
        return ("release" if itself else "traced"), verdict, release
    if verdict == "contradicted" and release is not None:
        return "before_release", verdict, origin
    own = origin.post_id == post.post_id or origin.account_id == post.account_id
    return ("own_content" if own else "regional"), verdict, origin


@dataclass(frozen=True, slots=True)
class WatchItem:
    """A government post on the watch list: where its content came from (`status`,
    `verdict`, and the release or first post it points to), its flags' details and
    where its account sits."""

    post: StoredPost
    account_name: str | None
    placed: Placement
    status: str
    verdict: str
    source: StoredPost | None
    """The release (`release`, `traced`), else the family's first post."""
    period: str | None
    """The sensitive period the post falls in."""
    terms: tuple[str, ...]
    """Political terms of its text or of its release's."""

    @property
    def release(self) -> StoredPost | None:
        return self.source if self.status in ("traced", "release") else None

    @property
    def lag_seconds(self) -> int | None:
        """Seconds from the release to the post."""
        return self.post.timestamp - self.release.timestamp if self.release else None

    def to_json(self, zone: str) -> dict[str, Any]:
        """One item of `GET /watch`, in the shape of `WATCH_TABLE`; `local_time` in `zone`."""
        post, release = self.post, self.release
        first = self.source if self.source is not None and release is None else None
        where = self.placed.names()
        del where["office_code"]
        return {
            "post_id": post.post_id,
            "account_id": post.account_id,
            "account_name": self.account_name,
            "tier": post.tier,
            **where,
            "published_at": iso_utc(post.published_at),
            "local_time": local_time(post.published_at, zone),
            "url": post.url,
            "family_id": post.family_id,
            "status": self.status,
            "verdict": self.verdict,
            "release": release.to_json() if release else None,
            "lag_seconds": self.lag_seconds,
            "first_seen": first.to_json() if first else None,
            "period": self.period,
            "terms": list(self.terms),
            "text": post.text,
        }


@dataclass(frozen=True, slots=True)
class Watch:
    """The watch list of a query, sorted as asked, and the periods it was read against."""

    query: WatchQuery
    periods: tuple[Period, ...]
    zone: str
    """Where `local_time` is told."""
    items: tuple[WatchItem, ...]

    def counts(self) -> dict[str, Any]:
        return {
            "posts": len(self.items),
            "by_status": dict(sorted(Counter(i.status for i in self.items).items())),
            "by_tier": dict(sorted(Counter(i.post.tier for i in self.items).items())),
        }

    def to_json(self) -> dict[str, Any]:
        """`GET /watch`'s JSON."""
        query = self.query
        return {
            "from": iso_utc(query.start) if query.start else None,
            "to": iso_utc(query.end) if query.end else None,
            "flags": list(query.flags),
            "periods": [_period(p) for p in self.periods],
            "zone": self.zone,
            "counts": self.counts(),
            "items": [i.to_json(self.zone) for i in self.items],
        }


def watch(store: Store, context: Context, query: WatchQuery, zone: str) -> Watch:
    """The watch list and its counts (`Watch.to_json` in the shape of `WATCH_TABLE`)."""
    _check(query)
    offices = Offices(store.accounts())
    province_code = _province_code(offices, query.province)
    found = _candidates(store, context, query)
    families = _families(store, found)
    items = []
    for post in found:
        if query.tier and post.tier != query.tier:
            continue
        placed = offices.place(post.account_id)
        if province_code and (placed.province is None or placed.province.code != province_code):
            continue
        members = families.get(post.family_id or "", [post])
        status, verdict, source = _status(post, members)
        if query.status and status != query.status:
            continue
        own_tokens = normalize_text(post.text).tokens
        carried = flags(context, post.published_at, own_tokens)
        if source is not None and source.post_id != post.post_id:
            carried += [
                f
                for f in flags(context, post.published_at, normalize_text(source.text).tokens)
                if f["flag"] == "political_terms"
            ]
        names = {f["flag"] for f in carried}
        if not set(query.flags) <= names:
            continue
        account = offices.accounts.get(post.account_id)
        terms = sorted({t for f in carried if f["flag"] == "political_terms" for t in f["detail"]})
        period = next((f["detail"] for f in carried if f["flag"] == "campaign_period"), None)
        name = account.name if account else None
        items.append(WatchItem(post, name, placed, status, verdict, source, period, tuple(terms)))
    items.sort(key=_sort_key(query.sort), reverse=query.order == "desc")
    return Watch(query, context.periods, zone, tuple(items))


def _period(period: Period) -> dict[str, str]:
    last = (period.end - timedelta(days=1)).date()
    return {"name": period.name, "start": period.start.date().isoformat(),
            "end": last.isoformat(), "source": period.source}  # fmt: skip


def _province_code(offices: Offices, province: str | None) -> str | None:
    if not province:
        return None
    try:
        office = offices.registry.resolve(province)
    except LookupError as exc:
        raise InputError(f"province: {exc}") from None
    return office.province_code


def _sort_key(sort: str) -> Any:
    def key(item: WatchItem) -> tuple[Any, ...]:
        post, lag, province = item.post, item.lag_seconds, item.placed.province
        published = iso_utc(post.published_at)
        first: Any = {
            "published_at": published,
            "lag": lag if lag is not None else -(2**62),
            "province": province.name if province else "",
            "tier": GOVERNMENT.index(post.tier),
            "status": STATUSES.index(item.status),
            "account": post.account_id,
        }[sort]
        return (first, published, post.post_id)

    return key


WATCH_TABLE = Table(
    "watch",
    (
        "post_id", "account_id", "account_name", "tier", "province_code", "province", "office",
        "published_at", "status", "verdict", "release.post_id", "release.account_id",
        "release.published_at", "lag_seconds", "first_seen.post_id", "family_id", "period",
        "terms", "url", "text",
    ),
    frozenset({"published_at", "release.published_at"}),
)  # fmt: skip
