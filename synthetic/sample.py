"""The text side of `sample_data/`: the January 2024 "Presiden Punya Hak Politik" case.

The case release and its 30+ regional reposts, other releases with copies, a regional
original, a regional post that predates its central release and unrelated local posts,
each with what a correct trace and verify must say about it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from synthetic.edits import add_emoji, apply_edits, pick_edits
from synthetic.offices import PLATFORMS, ZONES, Office, account_zone, make_offices
from synthetic.rendering import post_url
from synthetic.sample_case import (
    BANTEN_TEXT,
    CASE_BANTEN_ID,
    CASE_COPIES,
    CASE_KOTA_SERANG_ID,
    CASE_RELEASE_ID,
    CASE_SERANG_ID,
    CASE_TEXT,
    LATE_RELEASE_ID,
    PREDATING_ID,
    REGIONAL_ORIGIN_ID,
    SAMPLE_RELEASES,
    SAMPLE_SEED,
)
from synthetic.sample_media_case import add_media_cases
from synthetic.sample_truth import SampleTruth, message_altered
from synthetic.scale import lag
from synthetic.text import Filler, hashtag_line, make_local_text, make_release_text
from synthetic.vocabulary import vocabulary
from tracer.models import Account, Post, Verdict


def _copiers(
    rng: random.Random, candidates: list[str], accounts: Mapping[str, Account], count: int
) -> list[str]:
    """`count` accounts to copy a release directly, never a regency with its province:
    a direct copy next to the province's copy would have no recoverable parent."""
    chosen: list[str] = []
    regions: set[str] = set()
    for account_id in rng.sample(candidates, len(candidates)):
        account = accounts[account_id]
        parent = accounts[account.parent_id] if account.parent_id else None
        province = parent.region if parent else account.region
        if province in regions:
            continue
        regions.add(province)
        chosen.append(account_id)
        if len(chosen) == count:
            break
    return chosen


def _at(text: str, hours: int) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZONES[hours])


def _sample_id(account: Account, when: datetime, taken: set[str]) -> str:
    """Readable, unique ids: `banten-ig-20240127`, `kab-garut-ig-20240305`."""
    stem = account.account_id.removeprefix("diskominfo_")
    stem = stem.replace("kemkominfo_", "kemkominfo-").replace("kominfo_", "kominfo-")
    stem = stem.replace("_", "-")
    base = f"{stem}-{when:%Y%m%d}"
    post_id, n = base, 1
    while post_id in taken:
        n += 1
        post_id = f"{base}{chr(ord('a') + n - 1)}"
    taken.add(post_id)
    return post_id


def _with_platforms(offices: list[Office], needs: Mapping[str, Sequence[str]]) -> list[Office]:
    """The sample names accounts of its own; give those offices the platforms it needs."""
    parents = {
        (a.region, a.platform): a.account_id
        for o in offices
        if o.tier == "province"
        for a in o.accounts
    }
    out = []
    for office in offices:
        have = {a.platform for a in office.accounts}
        extra = [p for p in needs.get(office.key, ()) if p not in have]
        if extra:
            added = tuple(
                Account(
                    f"diskominfo_{office.key}_{PLATFORMS[p]}",
                    p,
                    office.accounts[0].handle,
                    office.name,
                    office.tier,
                    office.region,
                    parents.get((office.province, p)),
                )
                for p in extra
            )
            office = replace(office, accounts=office.accounts + added)
        out.append(office)
    return out


def make_sample_text(
    seed: int = SAMPLE_SEED,
) -> tuple[list[Account], list[Post], dict[str, SampleTruth]]:
    """The sample corpus without media: accounts, posts and what a correct trace says.

    Cases: the "Presiden Punya Hak Politik" release and 30+ regional reposts (Banten's
    next-morning repost and its regencies' copies of it); other releases with copies; a
    regional original copied by two neighbours; a regional post that predates a central
    release of the same text; unrelated local posts sharing the boilerplate.
    """
    rng = random.Random(seed)
    vocab = vocabulary()
    offices = _with_platforms(
        make_offices(random.Random(f"tracer-sample-offices-{seed}"), 38, 10, invent=False),
        {
            "kab_tangerang": ("facebook",),
            "kota_medan": ("tiktok",),
            "kab_banyuwangi": ("facebook",),
            "kab_mimika": ("facebook",),
        },
    )
    office_of = {a.account_id: o for o in offices for a in o.accounts}
    account_by_id = {a.account_id: a for o in offices for a in o.accounts}
    posts: list[Post] = []
    truth: dict[str, SampleTruth] = {}
    taken: set[str] = set()

    def add(
        account_id: str,
        when: datetime,
        text: str,
        info: SampleTruth,
        post_id: str | None = None,
        suffix: str = "",
        is_release: bool = False,
    ) -> Post:
        account = account_by_id[account_id]
        if post_id is None:
            post_id = _sample_id(account, when, taken) + suffix
        if is_release:  # its own release: the id is known only now
            info = replace(info, release=post_id)
        else:
            taken.add(post_id)
        post = Post(post_id, account_id, when, text, (), post_url(account, post_id))
        posts.append(post)
        truth[post_id] = info
        return post

    def copy_info(
        release: str | None,
        parent: str,
        core: str,
        text: str,
        family: str,
        verdict: Verdict,
        edits: tuple[str, ...],
        regional: bool,
    ) -> SampleTruth:
        # The message changed when this copy's edits change it, or its parent's did (a
        # regency copying Banten's rewrite carries the rewrite).
        inherited = parent in truth and bool(truth[parent].altered)
        altered = text != core and (message_altered(edits) or inherited)
        return SampleTruth(release, parent, regional, verdict, altered, family, edits, link="text")

    # 1. The case: the WhatsApp release, Banten's repost, its regencies, 30+ others.
    family = "hak_politik"
    add(
        "kominfo_wa",
        _at("2024-01-26T19:33", 7),
        CASE_TEXT,
        SampleTruth(CASE_RELEASE_ID, None, False, "supported", None, family),
        CASE_RELEASE_ID,
    )
    add(
        "diskominfo_banten_ig",
        _at("2024-01-27T09:15", 7),
        BANTEN_TEXT,
        copy_info(
            CASE_RELEASE_ID,
            CASE_RELEASE_ID,
            CASE_TEXT,
            BANTEN_TEXT,
            family,
            "supported",
            ("greeting", "case", "rewrite", "emoji", "hashtags"),
            False,
        ),
        CASE_BANTEN_ID,
    )
    serang = office_of["diskominfo_kab_serang_ig"]
    serang_text = f"{BANTEN_TEXT} {' '.join(serang.hashtags)}"
    add(
        "diskominfo_kab_serang_ig",
        _at("2024-01-27T13:42", 7),
        serang_text,
        copy_info(
            CASE_RELEASE_ID,
            CASE_BANTEN_ID,
            CASE_TEXT,
            serang_text,
            family,
            "supported",
            ("hashtags",),
            True,
        ),
        CASE_SERANG_ID,
    )
    kota_serang = office_of["diskominfo_kota_serang_ig"]
    kota_text = add_emoji(f"{BANTEN_TEXT}\n\n{kota_serang.local_line}", rng, kota_serang)
    add(
        "diskominfo_kota_serang_ig",
        _at("2024-01-27T16:05", 7),
        kota_text,
        copy_info(
            CASE_RELEASE_ID,
            CASE_BANTEN_ID,
            CASE_TEXT,
            kota_text,
            family,
            "supported",
            ("local_line", "emoji"),
            True,
        ),
        CASE_KOTA_SERANG_ID,
    )
    for account_id, at, zone, edits in CASE_COPIES:
        office = office_of[account_id]
        text = apply_edits(CASE_TEXT, rng, office, edits)
        add(
            account_id,
            _at(at, 7).astimezone(ZONES[zone]) if zone == 0 else _at(at, zone),
            text,
            copy_info(
                CASE_RELEASE_ID, CASE_RELEASE_ID, CASE_TEXT, text, family, "supported", edits, False
            ),
        )

    # 2. Other releases, each with a few regional copies over the next days.
    regional_ids = [
        a.account_id
        for o in offices
        if o.tier in ("province", "regency")
        for a in o.accounts
        if a.platform in ("instagram", "facebook")
    ]
    for spec in SAMPLE_RELEASES:
        account = account_by_id[spec.account_id]
        topic = vocab.topic_by_name[spec.topic]
        released = _at(spec.at, 7)
        wa = account.platform == "whatsapp"
        body = make_release_text(rng, topic, spec.title, whatsapp=wa, around=released.date())
        release_id = f"{_sample_id(account, released, taken)}-{spec.key}"
        release = add(
            spec.account_id,
            released,
            body,
            SampleTruth(release_id, None, False, "supported", None, spec.key),
            release_id,
        )
        for account_id in _copiers(rng, regional_ids, account_by_id, spec.copies):
            office = office_of[account_id]
            edits = pick_edits(rng)
            text = apply_edits(body, rng, office, edits)
            when = (released + timedelta(seconds=lag(rng))).astimezone(ZONES[office.utc_offset])
            add(
                account_id,
                when,
                text,
                copy_info(
                    release.post_id,
                    release.post_id,
                    body,
                    text,
                    spec.key,
                    "supported",
                    edits,
                    False,
                ),
            )

    # 3. A regional original, copied by a neighbouring regency, whose version the next
    #    neighbour copies in turn; no release. The original is not_found; its copies are
    #    contradicted (DESIGN.md: the only earlier match is non-central).
    garut = office_of["diskominfo_kab_garut_ig"]
    banjir = vocab.topic_by_name["banjir"]
    filler = Filler(rng, banjir, garut.region, date(2024, 3, 5))
    sentences = " ".join(filler.fill(t) for t in rng.sample(vocab.sentences, 4))
    original = (
        f"{garut.greeting}\n\n{filler.fill(banjir.titles[0])}\n\n{sentences}"
        f"\n\n{garut.local_line}\n\n{hashtag_line(rng, garut, banjir)}"
    )
    add(
        "diskominfo_kab_garut_ig",
        _at("2024-03-05T07:45", 7),
        original,
        SampleTruth(None, None, False, "not_found", None, "garut_banjir"),
        REGIONAL_ORIGIN_ID,
    )
    source, source_text = REGIONAL_ORIGIN_ID, original
    for account_id, at, edits in (
        ("diskominfo_kab_tasikmalaya_ig", "2024-03-05T10:20", ("greeting", "hashtags")),
        ("diskominfo_kab_ciamis_ig", "2024-03-05T15:05", ("truncate", "emoji")),
    ):
        text = apply_edits(source_text, rng, office_of[account_id], edits)
        info = copy_info(None, source, original, text, "garut_banjir", "contradicted", edits, True)
        note = "copies a regional original; no central release of it exists"
        copied = add(account_id, _at(at, 7), text, replace(info, note=note))
        source, source_text = copied.post_id, text

    # 4. A regional post hours before the central release of the same text.
    early_body = make_release_text(
        rng,
        vocab.topic_by_name["hoaks"],
        "Waspada Penipuan Berkedok Undian Berhadiah dari Pemerintah",
        around=date(2024, 4, 8),
    )
    sumut = office_of["diskominfo_sumut_fb"]
    early = f"{sumut.greeting}\n\n{early_body}\n\n{hashtag_line(rng, sumut)}"
    note = "the content was posted regionally before any central release of it"
    add(
        "diskominfo_sumut_fb",
        _at("2024-04-08T08:10", 7),
        early,
        SampleTruth(LATE_RELEASE_ID, None, False, "contradicted", None, "undian", (), note),
        PREDATING_ID,
    )
    add(
        "kemkominfo_x",
        _at("2024-04-08T13:45", 7).astimezone(UTC),
        early_body,
        SampleTruth(
            LATE_RELEASE_ID,
            PREDATING_ID,
            True,
            "supported",
            None,
            "undian",
            (),
            "a central post is a release itself, though its content first appeared "
            "regionally (the family's origin is the earlier regional post)",
            link="text",
        ),
        LATE_RELEASE_ID,
    )

    # 5. Unrelated local posts: same greetings, hashtags and templates, other facts.
    local_ids = [
        a.account_id
        for o in offices
        if o.tier in ("province", "regency", "other")
        for a in o.accounts
    ]
    moments = sorted(
        rng.randrange(
            int(_at("2024-01-03T06:00", 7).timestamp()), int(_at("2024-04-28T21:00", 7).timestamp())
        )
        for _ in range(18)
    )
    for i, ts in enumerate(moments):
        account_id = rng.choice(local_ids)
        if i < 4:  # offices that also copied the case, and a news site
            account_id = (
                "diskominfo_banten_ig",
                "diskominfo_kab_serang_ig",
                "diskominfo_jabar_ig",
                "kabarnusantara",
            )[i]
        office = office_of[account_id]
        topic = vocab.topics[rng.randrange(len(vocab.topics))]
        when = datetime.fromtimestamp(ts, account_zone(account_by_id[account_id], office))
        add(
            account_id,
            when,
            make_local_text(rng, topic, office, when.date()),
            SampleTruth(None, None, False, "not_found", None, None),
        )

    # 6. The media cases (own random generator: the cases above stay as they were).
    add_media_cases(seed, offices, add)

    used = {p.account_id for p in posts}
    accounts = [a for o in offices for a in o.accounts if a.account_id in used]
    posts.sort(key=lambda p: (p.published_at, p.post_id))
    return accounts, posts, truth
