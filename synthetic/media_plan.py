"""The bookkeeping of a media corpus plan: posts, their truth, and the files to draw.

`media_scale` (releases and copies) and `media_negatives` (what must not link) both
add posts through one `Plan`, which owns the corpus's single random generator, the
office roster and each office's fixed habits (frame, banner, logo, intro card), and
records, for every post, the truth a scorer needs and, for every file, the recipe that
`media_render` draws it from.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from synthetic.clips import SIZES
from synthetic.media_edits import Op, office_branding, pick_crop
from synthetic.offices import Office, account_zone, make_offices
from synthetic.rendering import post_url
from tracer.models import Account, Post

Spec = dict[str, Any]

GENERIC_CAPTIONS = (
    "Yuk lihat video di bawah ini.",
    "Simak infografis berikut.",
    "Simak informasi berikut ini ya, Sobat!",
    "Jangan lupa tonton sampai habis ya!",
    "Berikut informasinya.",
    "Yuk simak!",
    "Info penting untuk warga, silakan dibaca.",
    "Bagikan informasi ini kepada keluarga dan kerabat.",
    "Sahabat, simak video berikut.",
    "Mari simak bersama infografis di bawah ini.",
    "Semoga bermanfaat.",
    "Cek informasinya di sini ya.",
)
"""Captions offices write for anything they share: they say nothing about the content."""

COSMETIC_EDITS = frozenset(
    {
        "fix_spelling",
        "typos",
        "reduplication",
        "case",
        "truncate",
        "greeting",
        "local_line",
        "hashtags",
        "emoji",
    }
)
"""Caption edits that leave the message as it was (issue 10, item 5): the office's
closing line counts as a sign-off. Only `title_only` (sentences removed) and a new or
generic caption make a copy `altered`."""

PICTURE_EDITS = ("reencode", "resize", "whatsapp", "crop", "frame", "border", "banner", "sticker")
PICTURE_WEIGHTS = (10, 8, 8, 10, 9, 5, 7, 5)
EXT = {"jpeg": "jpg", "png": "png", "webp": "webp"}
CLIP_EDITS = ("reencode", "rescale", "intro", "trim", "overlay", "frame")
CLIP_WEIGHTS = (8, 6, 8, 8, 5, 3)


@dataclass(slots=True)
class Plan:
    """A corpus in the making. Every choice comes from `rng`, in one fixed order."""

    seed: int
    rng: random.Random
    offices: list[Office]
    posts: list[Post] = field(default_factory=list)
    truth: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[str, Spec] = field(default_factory=dict)
    """File path → recipe: `root` spec, `ops` from the root, and (pictures) `final` encode."""
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    """File path → its truth (how it was derived)."""
    office_of: dict[str, Office] = field(default_factory=dict)
    brands: dict[str, dict[str, Any]] = field(default_factory=dict)
    users: dict[str, list[Account]] = field(default_factory=dict)
    """Edit name → accounts that made it on a release copy (first time each): the
    negatives reuse their frames, banners and intro cards on unrelated content."""

    @classmethod
    def start(cls, seed: int) -> Plan:
        offices = make_offices(random.Random(f"tracer-offices-{seed}"), 38, 13)
        plan = cls(seed, random.Random(f"tracer-media-{seed}"), offices)
        plan.office_of = {a.account_id: o for o in offices for a in o.accounts}
        for i, office in enumerate(offices):
            label = office.name.replace("Diskominfo ", "").replace("Provinsi ", "Prov. ")
            plan.brands[office.key] = office_branding(
                random.Random(f"brand-{seed}-{office.key}"), label, i
            )
        return plan

    # --- accounts ---------------------------------------------------------------

    def regional(self, tier: str) -> list[Account]:
        return [
            a
            for o in self.offices
            if o.tier == tier
            for a in o.accounts
            if a.platform in ("instagram", "facebook", "x", "tiktok")
        ]

    def central(self) -> list[Account]:
        return list(self.offices[0].accounts)

    def brand(self, account: Account) -> dict[str, Any]:
        return self.brands[self.office_of[account.account_id].key]

    # --- posts ------------------------------------------------------------------

    def next_id(self) -> str:
        return f"m{len(self.posts):06d}"

    def path(self, index: int, ext: str) -> str:
        """The path of the next post's file number `index`."""
        return f"media/{self.next_id()}-{index}.{ext}"

    def add(
        self, account: Account, ts: int, text: str, media: list[str], truth: dict[str, Any]
    ) -> Post:
        """A post at UTC seconds `ts`, shown in its account's own offset; its files must
        have been planned (`picture`, `derive_picture`, `clip`, …) under `next_id`."""
        post_id = self.next_id()
        zone = account_zone(account, self.office_of[account.account_id])
        post = Post(
            post_id,
            account.account_id,
            datetime.fromtimestamp(ts, zone),
            text,
            tuple(media),
            post_url(account, post_id),
        )
        self.posts.append(post)
        base: dict[str, Any] = {
            "family": None,
            "release": None,
            "parent": None,
            "kind": "",
            "subtype": None,
            "content": None,
            "verdict": "not_found",
            "altered": None,
            "edits": [],
            "caption": None,
            "link": None,
            "chain": False,
            "media": [],
        }
        base.update(truth)
        base["media"] = [self.files[p] for p in media]
        self.truth[post_id] = base
        return post

    # --- media recipes -----------------------------------------------------------

    def final_encode(self, poster: bool = False) -> Op:
        roll = self.rng.random()
        if roll < (0.15 if poster else 0.03):
            return {"op": "encode", "format": "png"}
        if roll < 0.12:
            return {"op": "encode", "format": "webp", "quality": self.rng.randint(70, 90)}
        return {"op": "encode", "format": "jpeg", "quality": self.rng.randint(60, 92)}

    def picture(self, index: int, root: Spec, group: str | None, final: Op | None = None) -> str:
        """An original picture: drawn from `root`, saved with its own encoding."""
        final = final or self.final_encode(group is not None)
        path = self.path(index, EXT[final["format"]])
        self.jobs[path] = {"kind": "image", "root": root, "ops": [], "final": final}
        self._file_truth(path, None, path, [final], group, "original")
        return path

    def derive_picture(self, index: int, source: str, ops: list[Op]) -> str:
        """A picture made from the file `source` (decoded, edited, saved again)."""
        parent = self.jobs[source]
        group = self.files[source]["template_group"]
        final = self.final_encode(group is not None)
        path = self.path(index, EXT[final["format"]])
        chain = [*parent["ops"], parent["final"], *ops]
        self.jobs[path] = {"kind": "image", "root": parent["root"], "ops": chain, "final": final}
        variant = "+".join(o["op"] for o in ops) or "reencode"
        self._file_truth(path, source, self.files[source]["root"], [*ops, final], group, variant)
        return path

    def redraw_picture(self, index: int, source: str, root: Spec, group: str) -> str:
        """A poster redrawn on another template with the same words: no pixel is shared."""
        final = self.final_encode(True)
        path = self.path(index, EXT[final["format"]])
        self.jobs[path] = {"kind": "image", "root": root, "ops": [], "final": final}
        self._file_truth(
            path,
            source,
            self.files[source]["root"],
            [{"op": "redesign", "template_group": group}, final],
            group,
            "redesign",
        )
        return path

    def clip(self, index: int, root: Spec, ops: list[Op]) -> str:
        path = self.path(index, "mp4")
        self.jobs[path] = {"kind": "video", "root": root, "ops": ops}
        self._file_truth(path, None, path, list(ops), None, "original", "video")
        return path

    def derive_clip(self, index: int, source: str, ops: list[Op]) -> str:
        path = self.path(index, "mp4")
        parent = self.jobs[source]
        self.jobs[path] = {"kind": "video", "root": parent["root"], "ops": [*parent["ops"], *ops]}
        self._file_truth(
            path,
            source,
            self.files[source]["root"],
            list(ops),
            None,
            "+".join(o["op"] for o in ops),
            "video",
        )
        return path

    def _file_truth(
        self,
        path: str,
        source: str | None,
        root: str,
        transform: list[Op],
        group: str | None,
        variant: str,
        kind: str = "image",
    ) -> None:
        self.files[path] = {
            "path": path,
            "kind": kind,
            "derived_from": source,
            "variant": variant,
            "root": root,
            "transform": copy.deepcopy(transform),
            "template_group": group,
        }

    # --- edits ------------------------------------------------------------------

    def picture_edits(self, account: Account) -> list[Op]:
        """1–3 edits an office makes to a picture; frames and banners are its own."""
        names = set(
            self.rng.choices(PICTURE_EDITS, PICTURE_WEIGHTS, k=self.rng.choice((1, 1, 2, 2, 3)))
        )
        brand = self.brand(account)
        ops: list[Op] = []
        for name in PICTURE_EDITS:  # a fixed order: crop and resize before decorating
            if name not in names:
                continue
            self.used(name, account)
            if name == "resize":
                ops.append({"op": "resize", "scale": round(self.rng.uniform(0.45, 0.9), 3)})
            elif name == "whatsapp":
                ops.append({"op": "whatsapp", "long_side": 1600})
                ops.append({"op": "encode", "format": "jpeg", "quality": self.rng.randint(60, 75)})
            elif name == "crop":
                ops.append(pick_crop(self.rng))
            elif name in ("frame", "banner", "sticker"):
                ops.append({"op": name, **brand})
            elif name == "border":
                grey = self.rng.randint(0, 255)
                colour = [grey] * 3 if self.rng.random() < 0.6 else brand["colour"]
                ops.append(
                    {"op": "border", "colour": colour, "width": self.rng.choice((10, 20, 30, 40))}
                )
        return ops

    def clip_edits(self, account: Account) -> list[Op]:
        names = set(self.rng.choices(CLIP_EDITS, CLIP_WEIGHTS, k=self.rng.choice((1, 2, 2, 3))))
        brand = self.brand(account)
        ops: list[Op] = []
        for name in CLIP_EDITS:
            if name not in names:
                continue
            self.used(name, account)
            if name == "trim":
                ops.append(
                    {
                        "op": "trim",
                        "start": round(self.rng.choice((0, 0.5, 1.0, 1.5, 2.0)), 1),
                        "end": round(self.rng.choice((0, 0.5, 1.0, 2.0)), 1),
                    }
                )
            elif name == "intro":
                ops.append(self.intro(account))
            elif name == "overlay":
                ops.append({"op": "overlay", "logo": brand["logo"], "corner": brand["logo"] % 4})
            elif name == "frame":
                ops.append(
                    {
                        "op": "frame",
                        "colour": brand["colour"],
                        "width": self.rng.choice((16, 24, 32)),
                    }
                )
            elif name == "rescale":
                ops.append({"op": "rescale", "size": list(self.rng.choice(SIZES[1:]))})
        ops.append({"op": "encode", "crf": self.rng.randint(23, 32)})
        return ops

    def used(self, edit: str, account: Account) -> None:
        users = self.users.setdefault(edit, [])
        if account not in users:
            users.append(account)

    def intro(self, account: Account) -> Op:
        """The office's intro card: always the same for one office."""
        brand = self.brand(account)
        seconds = 2.0 + (brand["logo"] % 3) * 0.5
        return {
            "op": "intro",
            "label": brand["label"],
            "colour": brand["colour"],
            "logo": brand["logo"],
            "seconds": seconds,
        }

    def crop_op(self) -> Op:
        return pick_crop(self.rng)
