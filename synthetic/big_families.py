"""Big families: a few releases that nearly every office re-posts (~600 copies each).

The scale corpus gives families of about a dozen posts; a release that every regional
office carries on several platforms makes a family of 500–600, and that is what a
trace of a viral release must serve. Each release here is copied by `copies` distinct
regional accounts with the scale corpus's edits; a regency copies its province's copy
about a third of the time, as in `synthetic.scale`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime

from synthetic.edits import apply_edits, pick_edits
from synthetic.offices import account_zone
from synthetic.rendering import post_url
from synthetic.scale import START, YEAR_SECONDS, lag, scale_offices
from synthetic.text import make_release_text
from synthetic.vocabulary import vocabulary
from tracer.models import Post


def iter_big_families(seed: int, families: int, copies: int) -> Iterator[tuple[Post, str]]:
    """`families` releases, each with `copies` copies (at most one per regional account),
    spread over the year; each post paired with the release it copies (a release with
    itself). Post ids are `b<k>-r` for a release and `b<k>-<n>` for its copies."""
    offices = scale_offices(seed)
    vocab = vocabulary()
    rng = random.Random(f"tracer-big-families-{seed}")
    central = offices[0]
    office_of = {a.account_id: o for o in offices for a in o.accounts}
    regional = [a for o in offices[1:] if o.tier in ("province", "regency") for a in o.accounts]
    base = int(START.timestamp())
    for k in range(families):
        ts = base + (YEAR_SECONDS * (2 * k + 1)) // (2 * max(1, families))
        account = central.accounts[0]
        topic = vocab.topics[rng.randrange(len(vocab.topics))]
        day = datetime.fromtimestamp(ts, START.tzinfo).date()
        text = make_release_text(rng, topic, around=day)
        release = Post(
            f"b{k}-r",
            account.account_id,
            datetime.fromtimestamp(ts, account_zone(account, central)),
            text,
            (),
            post_url(account, f"b{k}-r"),
        )
        yield release, release.post_id
        carried: dict[str, tuple[str, int]] = {}  # province account -> (its copy's text, ts)
        chosen = rng.sample(regional, min(copies, len(regional)))
        # Provinces first, so a regency can copy its province's copy.
        chosen.sort(key=lambda a: office_of[a.account_id].tier != "province")
        for n, account in enumerate(chosen):
            office = office_of[account.account_id]
            source_text, source_ts = text, ts
            parent = account.parent_id
            if parent in carried and rng.random() < 0.35:
                source_text, source_ts = carried[parent]
            copy_text = apply_edits(source_text, rng, office, pick_edits(rng))
            when = source_ts + lag(rng)
            post_id = f"b{k}-{n:04d}"
            zone = account_zone(account, office)
            post = Post(
                post_id,
                account.account_id,
                datetime.fromtimestamp(when, zone),
                copy_text,
                (),
                post_url(account, post_id),
            )
            if office.tier == "province":
                carried.setdefault(account.account_id, (copy_text, when))
            yield post, release.post_id
