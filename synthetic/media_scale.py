"""The media corpus at scale: ministry releases (photos, carousels, posters, clips, text)
copied by province and regency offices with every edit the sample covers, next to hard
negatives (`media_negatives`), with the ground truth of every post and file.

`media_corpus.plan_media_corpus(seed, n_posts)` puts releases and negatives together:
pure, it returns the posts, the truth and the recipe of every file;
`media_render.write_media_corpus` draws and writes them. The
default size (10,000 posts) is the calibration corpus of issue 10; smaller sizes keep
the proportions (fewer releases, fewer copies each).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime

from synthetic.edits import apply_edits, pick_edits
from synthetic.media_plan import COSMETIC_EDITS, GENERIC_CAPTIONS, Plan, Spec
from synthetic.offices import WIB
from synthetic.posters import ART
from synthetic.text import make_local_text, make_release_text
from synthetic.vocabulary import Topic, vocabulary
from tracer.models import Account, Post

START = int(datetime(2024, 1, 8, tzinfo=WIB).timestamp())
SPAN = 340 * 86400
_HALF = ("photo", "poster", "clip", "carousel", "poster", "photo", "clip", "text")
KINDS = (*_HALF, "poster", "photo", *_HALF[2:])
"""Release kinds in turn: about a quarter each photos, posters and clips, carousels, a
few text-only releases."""
COPY_SHARE = 0.47
"""Of all posts, the share that copies a release (chains and central reposts included)."""
CHAIN_SHARE = 0.3


@dataclass(slots=True)
class Copy:
    post: Post
    edits: tuple[str, ...]
    caption: str
    """edited, new, generic (what the caption is relative to the release)."""
    files: list[str]


@dataclass(slots=True)
class Release:
    key: str
    kind: str
    topic: Topic
    post: Post
    files: list[str]
    headline: str
    body: str
    picture: Spec | None = None
    province_copies: dict[str, Copy] = field(default_factory=dict)


def lag(plan: Plan, longest: float = 3 * 86400) -> int:
    """Ten minutes to `longest` seconds, log-uniform: most copies come within hours."""
    return int(600 * (longest / 600) ** plan.rng.random())


def day_of(ts: int) -> date:
    return datetime.fromtimestamp(ts, WIB).date()


def photo_root(plan: Plan, seed: int) -> Spec:
    w, h = plan.rng.choice(((1080, 1080), (1080, 1350), (1440, 1080), (1920, 1440), (1080, 810)))
    return {"type": "scene", "seed": seed, "size": [w, h]}


def clip_root(plan: Plan, seeds: list[int], title: str, brand: str = "KOMINFO") -> Spec:
    seconds = plan.rng.choice((6.0, 7.0, 8.0, 9.0, 10.0, 12.0))
    return {
        "type": "clip",
        "scenes": seeds,
        "title": title,
        "seconds": seconds,
        "brand_text": brand,
    }


def _headline(text: str) -> str:
    return text.split("\n", 1)[0].strip("*").strip()


def _poster_body(text: str) -> str:
    rest = text.split("\n\n", 1)[-1]
    return " ".join(rest.split()[:16])


def make_release(plan: Plan, key: str, kind: str, ts: int, account: Account) -> Release:
    """A central post: its caption, and its picture(s), poster or clip."""
    rng = plan.rng
    topics = vocabulary().topics
    topic = topics[rng.randrange(len(topics))]
    text = make_release_text(rng, topic, whatsapp=account.platform == "whatsapp", around=day_of(ts))
    headline, body = _headline(text), _poster_body(text)
    files: list[str] = []
    picture: Spec | None = None
    seed = plan.seed * 1_000_003 + len(plan.posts) * 7919
    if kind == "photo":
        picture = photo_root(plan, seed)
        root = (
            {"type": "photo_post", "picture": picture, "headline": headline}
            if rng.random() < 0.4
            else picture
        )
        files.append(plan.picture(0, root, None))
    elif kind == "carousel":
        for i in range(rng.randint(2, 4)):
            files.append(plan.picture(i, photo_root(plan, seed + i), None))
    elif kind == "poster":
        picture = photo_root(plan, seed) if rng.random() < 0.5 else None
        art = ART[rng.randrange(len(ART))]
        root = {
            "type": "ministry_poster",
            "headline": headline,
            "body": body,
            "picture": picture,
            "art": art,
        }
        files.append(plan.picture(0, root, "ministry"))
    elif kind == "clip":
        scenes = [seed + i for i in range(rng.randint(1, 3))]
        files.append(plan.clip(0, clip_root(plan, scenes, headline), [{"op": "encode", "crf": 24}]))
    truth = {
        "family": key,
        "kind": f"{kind}_release",
        "content": kind,
        "verdict": "supported",
        "altered": False,
        "link": None,
    }
    post = plan.add(account, ts, text, files, truth)
    plan.truth[post.post_id]["release"] = post.post_id
    return Release(key, kind, topic, post, files, headline, body, picture)


def copy_media(plan: Plan, rel: Release, account: Account, source: list[str]) -> list[str]:
    """The copy's files: each source file edited by the copying office."""
    out: list[str] = []
    if rel.kind == "carousel" and len(source) > 1 and plan.rng.random() < 0.3:
        source = source[: plan.rng.randint(1, len(source) - 1)]  # only the first photos
    for i, path in enumerate(source):
        if plan.jobs[path]["kind"] == "video":
            out.append(plan.derive_clip(i, path, plan.clip_edits(account)))
        elif rel.kind == "poster" and plan.rng.random() < 0.12 and source is rel.files:
            office = plan.office_of[account.account_id]
            template = _province_index(plan, office.province)
            root = {
                "type": "regional_poster",
                "template": template,
                "office": office.name,
                "headline": rel.headline,
                "body": rel.body,
                "picture": rel.picture,
            }
            out.append(plan.redraw_picture(i, path, root, f"regional-{template}"))
        else:
            out.append(plan.derive_picture(i, path, plan.picture_edits(account)))
    return out


def _province_index(plan: Plan, province: str) -> int:
    names = [o.province for o in plan.offices if o.tier == "province"]
    return names.index(province) if province in names else 0


def make_copy(
    plan: Plan, rel: Release, account: Account, ts: int, parent: Copy | None, kind: str = "copy"
) -> Copy:
    """A regional copy of the release, or of `parent` (its province's copy): the
    parent's caption and media with this office's own edits on top."""
    rng = plan.rng
    office = plan.office_of[account.account_id]
    source_text = parent.post.text if parent else rel.post.text
    mode = parent.caption if parent else "edited"
    roll = rng.random()
    if rel.kind != "text" and roll < 0.22:
        mode = "new"
    elif rel.kind != "text" and roll < 0.34:
        mode = "generic"
    own = pick_edits(rng)
    if mode == "new":
        text, own = make_local_text(rng, rel.topic, office, day_of(ts)), ()
        while _shares_run(text, rel.post.text):
            text = make_local_text(rng, rel.topic, office, day_of(ts))
    elif mode == "generic":
        text = GENERIC_CAPTIONS[rng.randrange(len(GENERIC_CAPTIONS))]
        if rng.random() < 0.5:
            text = f"{text}\n\n{' '.join(office.hashtags)}"
        own = ()
    else:
        text = apply_edits(source_text, rng, office, own)
    edits = tuple(
        dict.fromkeys((*(parent.edits if parent and mode == parent.caption else ()), *own))
    )
    files = copy_media(plan, rel, account, parent.files if parent else rel.files)
    altered = mode != "edited" or "title_only" in edits or bool(set(edits) - COSMETIC_EDITS)
    link = "text" if not files else ("media" if mode != "edited" else "text+media")
    truth = {
        "family": rel.key,
        "release": rel.post.post_id,
        "parent": parent.post.post_id if parent else rel.post.post_id,
        "kind": f"{rel.kind}_{kind}",
        "content": rel.kind,
        "verdict": "supported",
        "altered": altered,
        "edits": list(edits),
        "caption": mode,
        "link": link,
        "chain": parent is not None,
    }
    if kind == "predating":
        truth.update({"parent": None, "verdict": "contradicted"})
    post = plan.add(account, ts, text, files, truth)
    return Copy(post, edits, mode, files)


def _shares_run(text: str, release: str, n: int = 5) -> bool:
    """Whether a new caption shares a run of `n` words with the release (then it is not new)."""

    def runs(t: str) -> set[tuple[str, ...]]:
        w = [x.strip(".,!?:;*()\"'").lower() for x in t.split() if not x.startswith("#")]
        return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}

    return bool(runs(text) & runs(release))


def plan_releases(plan: Plan, n_posts: int) -> list[Release]:
    """Releases spread over the year, each copied 20–120 times (scaled to `n_posts`)."""
    rng = plan.rng
    n_releases = max(8, min(60, n_posts // 90))
    weights = [rng.uniform(20, 120) for _ in range(n_releases)]
    scale = COPY_SHARE * n_posts / sum(weights)
    provinces, regencies = plan.regional("province"), plan.regional("regency")
    central = plan.central()
    children: dict[str, list[Account]] = {}
    for account in regencies:
        children.setdefault(account.parent_id or "", []).append(account)
    releases = []
    for r in range(n_releases):
        ts = START + SPAN * r // n_releases + rng.randrange(SPAN // n_releases // 2)
        account = central[rng.choices((0, 1, 2), weights=(5, 3, 2))[0]]
        rel = make_release(plan, f"R{r:02d}", KINDS[r % len(KINDS)], ts, account)
        releases.append(rel)
        if rng.random() < 0.2:  # the ministry reposts its own release on another account
            other = next(a for a in central if a.account_id != account.account_id)
            make_copy(plan, rel, other, ts + lag(plan, 86400), None, "central_copy")
        if rng.random() < 0.12:  # a region had it before the ministry published it
            early = provinces[rng.randrange(len(provinces))]
            make_copy(plan, rel, early, ts - lag(plan, 6 * 3600), None, "predating")
        n_copies = max(3, math.floor(weights[r] * scale))
        used: set[str] = set()
        for _ in range(n_copies):
            chained = rel.province_copies and rng.random() < CHAIN_SHARE * 0.75
            if chained:
                keys = sorted(rel.province_copies)
                parent = rel.province_copies[keys[rng.randrange(len(keys))]]
                kids = [
                    a for a in children.get(parent.post.account_id, []) if a.account_id not in used
                ]
                if kids:
                    account = kids[rng.randrange(len(kids))]
                    used.add(account.account_id)
                    make_copy(plan, rel, account, parent.post.timestamp + lag(plan, 86400), parent)
                    continue
            pool = provinces if rng.random() < 0.25 else regencies
            account = pool[rng.randrange(len(pool))]
            if account.account_id in used:
                continue
            used.add(account.account_id)
            made = make_copy(plan, rel, account, ts + lag(plan), None)
            if account in provinces:
                rel.province_copies[account.account_id] = made
    return releases
