"""The scale corpus: a labelled year of releases, copies and local posts of any size."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from synthetic.edits import apply_edits, pick_edits
from synthetic.offices import WIB, Office, account_zone, accounts_of, make_offices
from synthetic.rendering import post_url
from synthetic.text import make_local_text, make_release_text
from synthetic.vocabulary import vocabulary
from tracer.models import Account, Post

START = datetime(2024, 1, 1, tzinfo=WIB)
YEAR_SECONDS = 366 * 86400
MIN_LAG = 600
MAX_LAG = 3 * 86400
# Per draw; a regency copy of a province copy that does not exist yet makes two posts,
# so these come out at ~2 % releases and ~25 % copies of the posts.
RELEASE_SHARE = 0.0225
COPY_SHARE = 0.2075


@dataclass(slots=True)
class _Source:
    post_id: str
    text: str
    ts: int
    province_copies: dict[str, _Source] = field(default_factory=dict)


def scale_offices(seed: int) -> list[Office]:
    """The full roster of the scale corpus: 38 provinces, 13 regencies each (~550 offices)."""
    return make_offices(random.Random(f"tracer-offices-{seed}"), 38, 13)


def lag(rng: random.Random, longest: int = MAX_LAG) -> int:
    """10 minutes to `longest`, log-uniform: most copies come within hours."""
    return int(MIN_LAG * (longest / MIN_LAG) ** rng.random())


def _day(ts: int) -> date:
    return datetime.fromtimestamp(ts, WIB).date()


def iter_scale_corpus(seed: int, n_posts: int) -> Iterator[tuple[Post, str | None]]:
    """Stream `n_posts` posts of 2024, each with the release it copies (or None).

    ~2 % releases, ~25 % copies, the rest local posts. A release is its own family's
    release, so it is paired with its own id. Only recent releases and their province
    copies are held, so memory does not grow with `n_posts`.
    """
    offices = scale_offices(seed)
    vocab = vocabulary()
    topics = vocab.topics
    rng = random.Random(f"tracer-posts-{seed}")
    central = offices[0]
    office_of = {a.account_id: o for o in offices for a in o.accounts}
    account_by_id = {a.account_id: a for o in offices for a in o.accounts}
    regional = [a for o in offices[1:] if o.tier != "other" for a in o.accounts]
    everyone = [a for o in offices[1:] for a in o.accounts]
    news = [a for o in offices if o.tier == "other" for a in o.accounts]
    zones = {a.account_id: account_zone(a, office_of[a.account_id]) for a in everyone}
    zones.update({a.account_id: account_zone(a, central) for a in central.accounts})
    recent: deque[_Source] = deque(maxlen=24)
    span = YEAR_SECONDS - MAX_LAG - 86400
    base = int(START.timestamp())
    count = 0

    def make(account: Account, ts: int, text: str) -> Post:
        nonlocal count
        post_id = f"p{count:07d}"
        count += 1
        when = datetime.fromtimestamp(ts, zones[account.account_id])
        return Post(post_id, account.account_id, when, text, (), post_url(account, post_id))

    def copy(account: Account, source: _Source, longest: int = MAX_LAG) -> Post:
        office = office_of[account.account_id]
        text = apply_edits(source.text, rng, office, pick_edits(rng))
        return make(account, source.ts + lag(rng, longest), text)

    while count < n_posts:
        slot = base + (span * count) // n_posts + rng.randrange(max(1, span // n_posts))
        roll = rng.random()
        if not recent or roll < RELEASE_SHARE:
            account = central.accounts[rng.choices((0, 1, 2), weights=(5, 3, 2))[0]]
            wa = account.platform == "whatsapp"
            topic = topics[rng.randrange(len(topics))]
            body = make_release_text(rng, topic, whatsapp=wa, around=_day(slot))
            text = f"{body}\n\n{vocab.amplify}" if wa and rng.random() < 0.5 else body
            post = make(account, slot, text)
            recent.append(_Source(post.post_id, body, slot))
            yield post, post.post_id
        elif roll < RELEASE_SHARE + COPY_SHARE:
            pick = recent[int(len(recent) * rng.random() ** 0.5)]
            account = (
                news[rng.randrange(len(news))]
                if rng.random() < 0.03
                else (regional[rng.randrange(len(regional))])
            )
            parent_id = account.parent_id
            if parent_id and rng.random() < 0.3 and count + 1 < n_posts:
                source = pick.province_copies.get(parent_id)
                if source is None:
                    made = copy(account_by_id[parent_id], pick)
                    source = _Source(made.post_id, made.text, made.timestamp)
                    pick.province_copies[parent_id] = source
                    yield made, pick.post_id
                yield copy(account, source, 86400), pick.post_id
            else:
                post = copy(account, pick)
                if office_of[account.account_id].tier == "province":
                    pick.province_copies.setdefault(
                        account.account_id, _Source(post.post_id, post.text, post.timestamp)
                    )
                yield post, pick.post_id
        else:
            account = everyone[rng.randrange(len(everyone))]
            office = office_of[account.account_id]
            topic = topics[rng.randrange(len(topics))]
            text = make_local_text(rng, topic, office, _day(slot))
            yield make(account, slot, text), None


def make_scale_corpus(
    seed: int, n_posts: int
) -> tuple[list[Account], list[Post], dict[str, str | None]]:
    """The whole scale corpus in memory, for tests and small benchmarks."""
    posts: list[Post] = []
    truth: dict[str, str | None] = {}
    for post, release in iter_scale_corpus(seed, n_posts):
        posts.append(post)
        truth[post.post_id] = release
    return accounts_of(scale_offices(seed)), posts, truth
