"""Hard negatives of the media corpus: posts that look like copies and are not.

Each kind is here because it joins unrelated families in a matcher that trusts one
piece of evidence: distinct photos of the same kinds of scene, several shots of one
scene, collages and insets that reuse a tile of another picture (a release photo
among them), local photos in the same office frame as its release copies, posters on
the ministry's template with other headlines, regional posters, unrelated clips (some
behind the office's own intro card), generic captions, same-topic rewrites, and small
regional families that no release explains (their copies are `contradicted`).
"""

from __future__ import annotations

from collections.abc import Sequence

from synthetic.edits import apply_edits, pick_edits
from synthetic.media_plan import GENERIC_CAPTIONS, Plan, Spec
from synthetic.media_scale import (
    SPAN,
    START,
    Release,
    clip_root,
    day_of,
    lag,
    photo_root,
)
from synthetic.posters import ART
from synthetic.text import make_local_text, make_release_text
from synthetic.vocabulary import vocabulary
from tracer.models import Account

SHARES = {
    "distinct_photo": 0.15,
    "photo_series": 0.04,
    "collage": 0.045,
    "framed_local": 0.03,
    "template_poster": 0.05,
    "regional_poster": 0.03,
    "unrelated_clip": 0.015,
    "intro_shared_clip": 0.01,
    "generic_caption": 0.02,
    "rewrite": 0.025,
    "regional_family": 0.015,
}
"""Share of all posts per kind; the rest are text-only local posts."""


class _Negatives:
    def __init__(self, plan: Plan, releases: Sequence[Release]) -> None:
        self.plan, self.rng, self.releases = plan, plan.rng, releases
        self.accounts = plan.regional("province") + plan.regional("regency")
        self.topics = vocabulary().topics
        self.seed = plan.seed * 7_000_003 + 11
        self.tiles = [self.new_seed() for _ in range(max(8, len(releases)))]

    def new_seed(self) -> int:
        self.seed += 1
        return self.seed

    def when(self) -> int:
        return START + self.rng.randrange(SPAN)

    def account(self, edits: tuple[str, ...] = ()) -> Account:
        """A regional account; with `edits`, one that made one of them on a release copy."""
        users = [a for e in edits for a in self.plan.users.get(e, [])]
        pool = users if users and self.rng.random() < 0.85 else self.accounts
        return pool[self.rng.randrange(len(pool))]

    def caption(self, account: Account, ts: int) -> str:
        office = self.plan.office_of[account.account_id]
        topic = self.topics[self.rng.randrange(len(self.topics))]
        return make_local_text(self.rng, topic, office, day_of(ts))

    def post(
        self,
        subtype: str,
        account: Account,
        ts: int,
        files: list[str],
        text: str | None = None,
        family: str | None = None,
        **truth: object,
    ) -> str:
        text = text if text is not None else self.caption(account, ts)
        info = {"kind": "negative", "subtype": subtype, "family": family, **truth}
        return self.plan.add(account, ts, text, files, info).post_id

    def release_tile(self) -> Spec | None:
        """A release photo's scene, to reuse as a tile (a collage is not a copy)."""
        photos = [r for r in self.releases if r.picture is not None and r.kind == "photo"]
        return photos[self.rng.randrange(len(photos))].picture if photos else None

    def poster_words(self, account: Account, text: str) -> tuple[str, str]:
        """A poster's headline (the caption's title, not its greeting) and body."""
        office = self.plan.office_of[account.account_id]
        parts = [p for p in text.split("\n\n") if p != office.greeting and not p.startswith("#")]
        headline = " ".join(parts[0].split()[:12])
        body = " ".join(" ".join(parts[1:2]).split()[:18])
        return headline, body

    # --- kinds -------------------------------------------------------------------

    def distinct_photo(self) -> None:
        account, ts = self.account(), self.when()
        self.post(
            "distinct_photo",
            account,
            ts,
            [self.plan.picture(0, photo_root(self.plan, self.new_seed()), None)],
        )

    def photo_series(self) -> int:
        """2–4 shots of one scene by one office within an hour, each its own post."""
        account, ts, scene = self.account(), self.when(), self.new_seed()
        shots = self.rng.randint(2, 4)
        for view in range(shots):
            root = {"type": "series", "seed": scene, "view": view}
            self.post(
                "photo_series",
                account,
                ts + view * self.rng.randint(60, 900),
                [self.plan.picture(0, root, None)],
            )
        return shots

    def collage(self) -> None:
        """Tiles shared with other collages and with release photos, around one fresh
        picture (so no two collages are the same picture): none of them is a copy."""
        rng = self.rng
        layout = rng.choice(("grid", "row", "diptych", "column", "inset"))
        fresh = self.new_seed()
        tiles: list[Spec] = []
        for _ in range(3 if layout == "grid" else 1 if layout in ("diptych", "inset") else 2):
            pick = self.release_tile() if rng.random() < 0.3 else None
            if pick is None:
                seed = self.tiles[rng.randrange(len(self.tiles))]
                pick = {"type": "scene", "seed": seed, "size": [720, 720]}
            if pick not in tiles:
                tiles.append(pick)
        if rng.random() < 0.5:
            self.tiles.append(fresh)
        if layout == "inset":
            base = photo_root(self.plan, fresh)
            root: Spec = {
                "type": "inset",
                "base": base,
                "small": tiles[0],
                "corner": rng.randrange(4),
            }
        else:
            tiles.insert(
                rng.randrange(len(tiles) + 1), {"type": "scene", "seed": fresh, "size": [720, 720]}
            )
            root = {"type": "collage", "layout": layout, "tiles": tiles}
        account, ts = self.account(), self.when()
        self.post("collage", account, ts, [self.plan.picture(0, root, None)], layout=layout)

    def framed_local(self) -> None:
        """A local photo in the frame (or banner) the office also puts on release copies."""
        account, ts = self.account(("frame", "banner")), self.when()
        brand = self.plan.brand(account)
        used = [e for e in ("frame", "banner") if account in self.plan.users.get(e, [])]
        op = {"op": used[0] if used else self.rng.choice(("frame", "banner")), **brand}
        source = self.plan.picture(0, photo_root(self.plan, self.new_seed()), None)
        self.plan.jobs[source]["ops"] = [op]
        self.plan.files[source]["transform"].insert(0, op)
        self.post("framed_local", account, ts, [source])

    def template_poster(self) -> None:
        """A regional office's own poster on the ministry's template."""
        self.poster(regional=False)

    def regional_poster(self) -> None:
        """A regional office's own poster on its province's template."""
        self.poster(regional=True)

    def poster(self, regional: bool) -> None:
        account, ts = self.account(), self.when()
        office = self.plan.office_of[account.account_id]
        names = [o.province for o in self.plan.offices if o.tier == "province"]
        template = names.index(office.province) if office.province in names else 0
        text = self.caption(account, ts)
        headline, body = self.poster_words(account, text)
        with_photo = self.rng.random() < (0.3 if regional else 0.4)
        picture = photo_root(self.plan, self.new_seed()) if with_photo else None
        root: Spec = {"headline": headline, "body": body, "picture": picture}
        if regional:
            root |= {"type": "regional_poster", "template": template, "office": office.name}
            group = f"regional-{template}"
        else:
            root |= {"type": "ministry_poster", "art": ART[self.rng.randrange(len(ART))]}
            group = "ministry"
        subtype = "regional_poster" if regional else "template_poster"
        self.post(subtype, account, ts, [self.plan.picture(0, root, group)], text)

    def clip(self, intro: bool) -> None:
        account, ts = self.account(("intro",) if intro else ()), self.when()
        scenes = [self.new_seed() for _ in range(self.rng.randint(1, 3))]
        office = self.plan.office_of[account.account_id]
        title = self.caption(account, ts).split("\n")[0][:40] if self.rng.random() < 0.6 else ""
        root = clip_root(
            self.plan, scenes, title, office.name.replace("Diskominfo ", "").upper()[:24]
        )
        ops = ([self.plan.intro(account)] if intro else []) + [
            {"op": "encode", "crf": self.rng.randint(23, 30)}
        ]
        self.post(
            "intro_shared_clip" if intro else "unrelated_clip",
            account,
            ts,
            [self.plan.clip(0, root, ops)],
        )

    def generic_caption(self) -> None:
        """Boilerplate under unrelated media: the caption alone says nothing."""
        account, ts = self.account(), self.when()
        text = GENERIC_CAPTIONS[self.rng.randrange(len(GENERIC_CAPTIONS))]
        if self.rng.random() < 0.3:
            files = [
                self.plan.clip(
                    0, clip_root(self.plan, [self.new_seed()], ""), [{"op": "encode", "crf": 28}]
                )
            ]
        elif self.rng.random() < 0.85:
            files = [self.plan.picture(0, photo_root(self.plan, self.new_seed()), None)]
        else:
            files = []
        self.post("generic_caption", account, ts, files, text)

    def rewrite(self) -> None:
        """The same topic as a release, days around it, in other words and facts."""
        rel = self.releases[self.rng.randrange(len(self.releases))]
        account = self.account()
        ts = rel.post.timestamp + self.rng.randint(-5 * 86400, 5 * 86400)
        text = make_release_text(self.rng, rel.topic, around=day_of(ts))
        files = (
            [self.plan.picture(0, photo_root(self.plan, self.new_seed()), None)]
            if self.rng.random() < 0.4
            else []
        )
        self.post("rewrite", account, ts, files, text)

    def regional_family(self, key: str) -> int:
        """A regency's own photo that its neighbours copy: a family without a release."""
        rng = self.rng
        origin = self.account()
        ts = self.when()
        text = self.caption(origin, ts)
        files = [self.plan.picture(0, photo_root(self.plan, self.new_seed()), None)]
        first = self.post("regional_origin", origin, ts, files, text, key)
        self.plan.truth[first].update(
            {"kind": "regional_origin", "subtype": None, "content": "photo"}
        )
        neighbours = [
            a
            for a in self.accounts
            if self.plan.office_of[a.account_id].province
            == self.plan.office_of[origin.account_id].province
            and a != origin
        ]
        count = rng.randint(2, 6)
        for account in rng.sample(neighbours, min(count, len(neighbours))):
            office = self.plan.office_of[account.account_id]
            edits = pick_edits(rng)
            copied = [self.plan.derive_picture(0, files[0], self.plan.picture_edits(account))]
            pid = self.post(
                "regional_copy",
                account,
                ts + lag(self.plan, 86400),
                copied,
                apply_edits(text, rng, office, edits),
                key,
            )
            self.plan.truth[pid].update(
                {
                    "kind": "regional_copy",
                    "subtype": None,
                    "content": "photo",
                    "parent": first,
                    "verdict": "contradicted",
                    "edits": list(edits),
                    "caption": "edited",
                    "link": "text+media",
                }
            )
        return 1 + min(count, len(neighbours))

    def local_text(self) -> None:
        account, ts = self.account(), self.when()
        self.post("local_text", account, ts, [])


def plan_negatives(plan: Plan, releases: Sequence[Release], n_posts: int) -> None:
    """Fill the plan up to `n_posts` posts with negatives, in `SHARES` proportions."""
    neg = _Negatives(plan, releases)
    for kind, share in SHARES.items():
        target = max(2, round(share * n_posts))
        made = 0
        while made < target and len(plan.posts) < n_posts:
            if kind == "photo_series":
                made += neg.photo_series()
            elif kind == "regional_family":
                made += neg.regional_family(f"L{made:04d}")
            elif kind in ("unrelated_clip", "intro_shared_clip"):
                neg.clip(kind == "intro_shared_clip")
                made += 1
            else:
                getattr(neg, kind)()
                made += 1
    while len(plan.posts) < n_posts:
        neg.local_text()
