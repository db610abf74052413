"""The text side of the media cases of `sample_data/`: who posts which picture or clip,
under which caption, and what a correct trace must say about it.

Media matching is measured on these: photo releases copied under completely new
captions (only the picture links them), captions kept over a different photo (only
the text links them), ministry posters on one template (which must not link to each
other), a poster re-drawn on a regional template with the same words, distinct photos
that must link to nothing, and a clip with trimmed, rescaled and overlaid copies.
`synthetic/sample_files/generate.py` draws the media each post's `MediaPlan` names. A random
generator of its own keeps the text cases of `sample.py` exactly as they were.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from synthetic.edits import apply_edits, pick_edits
from synthetic.offices import ZONES, Office
from synthetic.sample_truth import Link, MediaPlan, SampleTruth, message_altered
from synthetic.text import make_local_text, make_release_text
from synthetic.vocabulary import vocabulary
from tracer.models import Account, Post

AddPost = Callable[[str, datetime, str, SampleTruth, str | None, str, bool], Post]


@dataclass(frozen=True, slots=True)
class MediaRelease:
    """A central post whose media the regional offices copy (times in WIB)."""

    key: str
    account_id: str
    at: str
    topic: str
    title: str
    body: str = ""
    """For posters: the smaller words printed under the headline."""


PHOTO_RELEASES: tuple[MediaRelease, ...] = (
    MediaRelease(
        "mudik", "kemkominfo_ig", "2024-05-06T10:00", "infrastruktur",
        "Jalur Mudik Aman, Posko Kesehatan Siaga 24 Jam di Jalan Nasional",
    ),
    MediaRelease(
        "labkesda", "kominfo_wa", "2024-05-14T09:30", "kesehatan",
        "Laboratorium Kesehatan Daerah Kini Periksa Sampel dalam Satu Hari",
    ),
    MediaRelease(
        "bansos_tahap2", "kemkominfo_x", "2024-05-21T13:15", "bansos",
        "Penyaluran Bantuan Sosial Tahap Kedua Dimulai Pekan Ini",
    ),
)  # fmt: skip

PHOTO_STEPS: tuple[str, ...] = (
    "reencode",
    "resize",
    "crop_one_side",
    "crop_two_sides",
    "crop_centred",
    "frame_logo",
    "border",
    "banner",
    "png",
    "webp",
)
"""One media-only copy of every photo release per step; `frame_logo` is a province's,
and one of its regencies copies the framed photo in turn (`chain_resize`)."""

POSTER_RELEASES: tuple[MediaRelease, ...] = (
    MediaRelease(
        "poster_stunting", "kemkominfo_ig", "2024-06-03T10:00", "stunting",
        "Cegah Stunting Sejak Seribu Hari Pertama Kehidupan",
        "Timbang bayi tiap bulan di posyandu terdekat dan beri ASI eksklusif enam bulan.",
    ),
    MediaRelease(
        "poster_inflasi", "kemkominfo_x", "2024-06-05T14:00", "inflasi",
        "Harga Beras Stabil, Stok Pangan Aman Hingga Akhir Tahun",
        "Operasi pasar digelar di 514 kabupaten dan kota bersama Bulog.",
    ),
    MediaRelease(
        "poster_pajak", "kominfo_wa", "2024-06-10T09:00", "pajak",
        "Lapor SPT Tahunan Kini Cukup dari Ponsel",
        "Siapkan EFIN, bukti potong dan daftar harta sebelum mengisi formulir.",
    ),
    MediaRelease(
        "poster_sekolah", "kemkominfo_ig", "2024-06-13T11:00", "pendidikan",
        "Pendaftaran Sekolah Jalur Zonasi Dibuka 24 Juni",
        "Cek titik rumah dan kuota sekolah tujuan di laman resmi dinas pendidikan.",
    ),
    MediaRelease(
        "poster_pangan", "kemkominfo_x", "2024-06-18T15:30", "pangan",
        "Gerakan Tanam Cabai di Pekarangan Rumah",
        "Satu polybag cabai cukup untuk kebutuhan dapur satu keluarga kecil.",
    ),
    MediaRelease(
        "poster_imunisasi", "kominfo_wa", "2024-06-24T08:45", "vaksinasi",
        "Pekan Imunisasi Nasional Polio untuk Anak Usia 0-7 Tahun",
        "Dua tetes vaksin polio gratis di puskesmas, posyandu dan sekolah.",
    ),
)  # fmt: skip
"""Six posters on the ministry's one template, each its own release."""

POSTER_REPOSTS: Mapping[str, tuple[str, ...]] = {
    "poster_stunting": ("reencode", "frame_name"),
    "poster_inflasi": ("resize", "reencode"),
    "poster_pajak": ("frame_name", "resize"),
}
REDESIGNED: tuple[str, ...] = ("poster_stunting", "poster_pajak", "poster_pangan")

VIDEO_RELEASE = MediaRelease(
    "klip_jembatan", "kemkominfo_ig", "2024-07-02T15:00", "infrastruktur",
    "Jembatan Baru Hubungkan Dua Kecamatan, Waktu Tempuh Kini 20 Menit",
)  # fmt: skip

VIDEO_STEPS: tuple[tuple[str, Link], ...] = (
    ("intro", "media"),
    ("trim", "text+media"),
    ("reencode", "media"),
    ("rescale_up_trim", "media"),
    ("rescale_down_reencode", "media"),
    ("overlay_intro", "media"),
    ("overlay_trim_reencode", "text+media"),
    ("intro_rescale_overlay", "media"),
)
"""The clip's copies: what each one does to it, and what ties it to the release."""

DISTINCT_PHOTOS = 26
NEW_CAPTION = "keeps the release's media under a completely new caption"


def runs(text: str, n: int = 4) -> set[tuple[str, ...]]:
    """Runs of `n` words (case and punctuation aside, hashtags left out): a copy's new
    caption has none in common with its release."""
    words = [w.strip(".,!?:;*()\"'").lower() for w in text.split() if not w.startswith("#")]
    words = [w for w in words if w]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZONES[7])


class _Picker:
    """Regional accounts for one release's copies: one account per province, so every
    direct copy's parent is the release itself."""

    def __init__(self, rng: random.Random, offices: Sequence[Office]) -> None:
        self.rng = rng
        self.accounts = [
            a
            for o in offices
            if o.tier in ("province", "regency")
            for a in o.accounts
            if a.platform in ("instagram", "facebook")
        ]
        self.office_of = {a.account_id: o for o in offices for a in o.accounts}
        self.provinces: set[str] = set()

    def fresh(self) -> None:
        self.provinces = set()

    def pick(self, tier: str | None = None) -> Account:
        for account in self.rng.sample(self.accounts, len(self.accounts)):
            office = self.office_of[account.account_id]
            if (tier is None or office.tier == tier) and office.province not in self.provinces:
                self.provinces.add(office.province)
                return account
        raise ValueError("no province left to pick a copier from")

    def child_of(self, parent: Account) -> Account:
        children = [a for a in self.accounts if a.parent_id == parent.account_id]
        return self.rng.choice(children)


def add_media_cases(seed: int, offices: Sequence[Office], add: AddPost) -> None:
    """Add the media cases' posts through `add` (which records them and their truth)."""
    rng = random.Random(f"tracer-sample-media-{seed}")
    vocab = vocabulary()
    picker = _Picker(rng, offices)
    office_of = picker.office_of
    bodies: dict[str, str] = {}

    def later(start: datetime, office: Office, low: float = 1.0, high: float = 72.0) -> datetime:
        minutes = round(rng.uniform(low, high) * 60)
        return (start + timedelta(minutes=minutes)).astimezone(ZONES[office.utc_offset])

    def own_caption(office: Office, avoid: MediaRelease | None, when: datetime) -> str:
        """The office's own words; for a copy, none of them a run the release has too."""
        topics = [t for t in vocab.topics if avoid is None or t.name != avoid.topic]
        taken = runs(bodies[avoid.key]) if avoid is not None else set()
        for _ in range(200):
            text = make_local_text(rng, rng.choice(topics), office, when.date())
            # Boilerplate-only captions are left out: in a corpus this small, today's
            # text linker joins two of them, which would blur what media matching does.
            if not runs(text) & taken and not any(b in text for b in vocab.boilerplate):
                return text
        raise ValueError(f"no caption for {office.key} shares nothing with {avoid}")

    def release(spec: MediaRelease, kind: str) -> tuple[Post, str]:
        account = next(a for o in offices for a in o.accounts if a.account_id == spec.account_id)
        body = make_release_text(
            rng,
            vocab.topic_by_name[spec.topic],
            spec.title,
            whatsapp=account.platform == "whatsapp",
            around=_at(spec.at).date(),
        )
        info = SampleTruth(
            None, None, False, "supported", None, spec.key, plan=MediaPlan(kind, spec.key)
        )
        post = add(spec.account_id, _at(spec.at), body, info, None, f"-{spec.key}", True)
        bodies[spec.key] = body
        return post, body

    def media_copy(
        spec: MediaRelease, rel: Post, account: Account, kind: str, step: str, parent: Post
    ) -> Post:
        office = office_of[account.account_id]
        when = later(parent.published_at, office)
        info = SampleTruth(
            rel.post_id,
            parent.post_id,
            parent.post_id != rel.post_id,
            "supported",
            True,
            spec.key,
            note=NEW_CAPTION,
            link="media",
            plan=MediaPlan(kind, spec.key, step, parent.post_id),
        )
        return add(account.account_id, when, own_caption(office, spec, when), info, None, "", False)

    def text_copy(
        spec: MediaRelease,
        rel: Post,
        body: str,
        account: Account,
        plan: MediaPlan,
        link: Link,
        note: str = "",
    ) -> Post:
        office = office_of[account.account_id]
        when = later(rel.published_at, office)
        edits = pick_edits(rng)
        while len(edits) > 3 or {"typos", "truncate"} <= set(edits):
            edits = pick_edits(rng)  # milder: the text must still find its release today
        text = apply_edits(body, rng, office, edits)
        info = SampleTruth(
            rel.post_id,
            rel.post_id,
            False,
            "supported",
            text != body and message_altered(edits),
            spec.key,
            edits,
            note,
            link,
            plan,
        )
        return add(account.account_id, when, text, info, None, "", False)

    # 1-2. Photo releases: media-only copies of every step, a text copy, a caption
    #      kept over a different photo.
    kept = 0
    for spec in PHOTO_RELEASES:
        picker.fresh()
        rel, body = release(spec, "photo_release")
        framer = picker.pick("province")
        for step in PHOTO_STEPS:
            account = framer if step == "frame_logo" else picker.pick()
            copy = media_copy(spec, rel, account, "photo_copy", step, rel)
            if step == "frame_logo":
                media_copy(spec, rel, picker.child_of(framer), "photo_copy", "chain_resize", copy)
        plan = MediaPlan("photo_text_copy", spec.key, "reencode_resize", rel.post_id)
        text_copy(spec, rel, body, picker.pick(), plan, "text+media")
        plan = MediaPlan("caption_kept", spec.key, str(kept))
        note = "keeps the release caption over a different, unrelated photo"
        text_copy(spec, rel, body, picker.pick(), plan, "text", note)
        kept += 1

    # 3-4. Template posters, their reposts, and posters re-drawn on a regional template.
    for spec in POSTER_RELEASES:
        picker.fresh()
        rel, body = release(spec, "poster_release")
        for step in POSTER_REPOSTS.get(spec.key, ()):
            plan = MediaPlan("poster_repost", spec.key, step, rel.post_id)
            text_copy(spec, rel, body, picker.pick(), plan, "text+media")
        if spec.key in REDESIGNED:
            media_copy(spec, rel, picker.pick("regency"), "poster_redesign", "", rel)
        if spec.key == "poster_inflasi":
            plan = MediaPlan("caption_kept", spec.key, str(kept))
            note = "keeps the release caption over a different, unrelated photo"
            text_copy(spec, rel, body, picker.pick(), plan, "text", note)
            kept += 1

    # 6. The clip and its copies, and an unrelated clip.
    picker.fresh()
    rel, body = release(VIDEO_RELEASE, "video_release")
    for step, link in VIDEO_STEPS:
        account = picker.pick()
        if link == "media":
            media_copy(VIDEO_RELEASE, rel, account, "video_copy", step, rel)
        else:
            plan = MediaPlan("video_copy", VIDEO_RELEASE.key, step, rel.post_id)
            text_copy(VIDEO_RELEASE, rel, body, account, plan, link)

    # 5. Distinct photos (and the unrelated clip): regional posts that link to nothing.
    start, span = _at("2024-05-02T07:00"), 80 * 24 * 3600
    moments = sorted(rng.randrange(span) for _ in range(DISTINCT_PHOTOS + 1))
    for i, offset in enumerate(moments):
        account = rng.choice(picker.accounts)
        office = office_of[account.account_id]
        when = (start + timedelta(seconds=offset)).astimezone(ZONES[office.utc_offset])
        kind = "unrelated_video" if i == len(moments) // 2 else "distinct_photo"
        plan = MediaPlan(kind, "", str(i))
        info = SampleTruth(None, None, False, "not_found", None, None, plan=plan)
        add(account.account_id, when, own_caption(office, None, when), info, None, "", False)
