"""The incremental linker: families, merges when a release surfaces late, boilerplate."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pytest
from PIL import Image

from tracer.candidates import Candidate, Candidates
from tracer.linker import Linker
from tracer.media.fingerprint import GRID_SIDE, PDQ, ImagePrint, fingerprint_image
from tracer.media.match import MediaItem
from tracer.normalize import normalize_text
from tracer.policy import MatchPolicy
from tracer.text.fingerprint import fingerprint_text
from tracer.text.overlap import NO_KEYS

from .conftest import BANTEN_GREETING, OTHER_RELEASE_TEXT, RELEASE_TEXT, TITLE
from .media_samples import jpeg50, sm


class Harness:
    """A linker whose `fetch` reads from a dict, as the store would."""

    def __init__(
        self, policy: MatchPolicy | None = None, central: frozenset[str] = frozenset()
    ) -> None:
        self.stored: dict[int, Candidate] = {}
        self.fetched: list[int] = []
        self.linker = Linker(policy or MatchPolicy(), self.fetch, central)
        self.ids: dict[str, int] = {}
        self.indexed: dict[str, bytes] = {}

    def fetch(self, idxs: Iterable[int]) -> dict[int, Candidate]:
        wanted = list(idxs)
        self.fetched.extend(wanted)
        return {i: self.stored[i] for i in wanted}

    def link(  # type: ignore[no-untyped-def]
        self, post_id: str, account_id: str, text: str, media: tuple[MediaItem, ...] = ()
    ):
        norm = normalize_text(text)
        idx = len(self.stored) + 1
        candidate = Candidate(
            idx,
            post_id,
            account_id,
            norm.tokens,
            fingerprint_text(norm).anchors,
            norm.lines,
            media,
        )
        self.stored[idx] = candidate
        self.ids[post_id] = idx
        result = self.linker.link(candidate)
        self.indexed[post_id] = result.indexed.astype("<u8").tobytes()
        self.linker.end_batch()
        return result

    def family(self, post_id: str) -> int:
        return self.linker.family_of(self.ids[post_id])

    def partition(self) -> set[frozenset[str]]:
        groups: dict[int, set[str]] = {}
        for post_id in self.ids:
            groups.setdefault(self.family(post_id), set()).add(post_id)
        return {frozenset(g) for g in groups.values()}


BODY = RELEASE_TEXT.split("\n\n", 1)[1]


def test_copies_join_the_release_family() -> None:
    h = Harness()
    first = h.link("release", "kominfo", RELEASE_TEXT)
    assert first.family_id == h.ids["release"] and first.matches == []
    copy = h.link("banten", "banten", BANTEN_GREETING + RELEASE_TEXT + " #BantenJawara")
    assert copy.family_id == first.family_id
    assert [other for other, _ in copy.matches] == [h.ids["release"]]
    assert copy.matches[0][1].containment == 1.0
    title = h.link("pandeglang", "pandeglang", TITLE)
    assert title.family_id == first.family_id
    other = h.link("other", "kominfo", OTHER_RELEASE_TEXT)
    assert other.family_id != first.family_id
    assert h.partition() == {
        frozenset({"release", "banten", "pandeglang"}),
        frozenset({"other"}),
    }
    assert len(h.linker) == 4


def test_a_release_that_surfaces_late_merges_its_copies() -> None:
    h = Harness()
    # A title-only copy and a body-only copy share nothing with each other…
    title = h.link("pandeglang", "pandeglang", TITLE)
    body = h.link("lebak", "lebak", BODY)
    assert title.family_id != body.family_id
    # …until the release that contains both arrives.
    release = h.link("release", "kominfo", RELEASE_TEXT)
    assert release.family_id == min(title.family_id, body.family_id)
    assert release.merged == [(max(title.family_id, body.family_id), release.family_id)]
    assert h.partition() == {frozenset({"pandeglang", "lebak", "release"})}


def test_an_office_signature_does_not_link_its_own_posts() -> None:
    h = Harness()
    h.link("banten-a", "banten", BANTEN_GREETING + RELEASE_TEXT)
    result = h.link("banten-b", "banten", BANTEN_GREETING + OTHER_RELEASE_TEXT)
    assert result.matches == []
    assert h.partition() == {frozenset({"banten-a"}), frozenset({"banten-b"})}


def test_anchors_carried_by_many_families_stop_linking() -> None:
    policy = MatchPolicy(common_families=3)
    h = Harness(policy)
    slogan = "Mari sukseskan pemilu damai jujur dan adil untuk Indonesia maju bersama"
    for i in range(5):
        h.link(
            f"post{i}",
            f"account{i}",
            f"{slogan} kabar {i} " + " ".join(f"kata{i}x{j}" for j in range(30)),
        )
    # The slogan alone, from a new account: its anchors are now common, nothing links.
    result = h.link("slogan", "someone", slogan)
    assert result.matches == []
    assert len(h.partition()) == 6


def test_each_family_indexes_an_anchor_once() -> None:
    h = Harness()
    first = h.link("release", "kominfo", RELEASE_TEXT)
    copy = h.link("serang", "serang", RELEASE_TEXT)
    assert len(first.indexed) == len(fingerprint_text(normalize_text(RELEASE_TEXT)).anchors)
    assert len(copy.indexed) == 0
    greeted = h.link("banten", "banten", BANTEN_GREETING + RELEASE_TEXT)
    assert 0 < len(greeted.indexed) < len(first.indexed)


def test_pending_candidates_are_not_fetched_and_stored_ones_are() -> None:
    h = Harness()
    h.link("release", "kominfo", RELEASE_TEXT)
    h.fetched.clear()
    h.link("serang", "serang", RELEASE_TEXT)
    assert h.fetched == [h.ids["release"]]


def test_load_rebuilds_families_from_stored_rows() -> None:
    h = Harness()
    h.link("release", "kominfo", RELEASE_TEXT)
    h.link("serang", "serang", RELEASE_TEXT)
    h.link("other", "kominfo", OTHER_RELEASE_TEXT)
    # What the store keeps: (idx, account, family, the anchors the post indexed).
    rows = [
        (idx, h.stored[idx].account_id, h.family(post_id), h.indexed[post_id])
        for post_id, idx in h.ids.items()
    ]
    assert h.indexed["serang"] == b""  # an identical copy adds nothing to the index
    fresh = Harness()
    fresh.stored = dict(h.stored)
    fresh.ids = dict(h.ids)
    fresh.linker.load(rows)
    assert fresh.partition() == h.partition()
    result = fresh.link("lebak", "lebak", "Info! " + RELEASE_TEXT)
    assert result.family_id == h.family("release")


def test_a_second_release_sharing_most_of_the_text_stays_a_family_of_its_own() -> None:
    h = Harness(central=frozenset({"kominfo", "kominfo_ig"}))
    h.link("release", "kominfo", RELEASE_TEXT)
    # A later release reuses the first one's paragraphs under a new closing sentence: a
    # close match, but a second content, so it does not join the first release's family.
    follow_up = (
        RELEASE_TEXT + "\n\nPemerintah menyiapkan posko pengaduan netralitas ASN di 38 provinsi."
    )
    h.link("follow-up", "kominfo", follow_up)
    assert h.family("follow-up") != h.family("release")
    # The ministry's own Instagram repost of the first release, word for word, does.
    h.link("release-ig", "kominfo_ig", RELEASE_TEXT)
    assert h.family("release-ig") == h.family("release")


def test_a_copy_matching_two_releases_does_not_merge_them() -> None:
    h = Harness(central=frozenset({"kominfo"}))
    h.link("release", "kominfo", RELEASE_TEXT)
    follow_up = (
        RELEASE_TEXT + "\n\nPemerintah menyiapkan posko pengaduan netralitas ASN di 38 provinsi."
    )
    h.link("follow-up", "kominfo", follow_up)
    h.link("copy", "banten", follow_up)
    assert h.family("copy") == h.family("follow-up")
    assert h.family("release") != h.family("follow-up")


CONTACT = (
    "Butuh bantuan? Hubungi layanan Banten di (0254) 123456 atau kunjungi "
    "diskominfo.bantenprov.go.id setiap hari kerja pukul delapan pagi."
)
OTHER_CONTACT = (
    "Informasi lengkap tersedia di kanal resmi Pemerintah Provinsi Jawa Barat, termasuk "
    "jadwal layanan keliling dan nomor pengaduan warga."
)


@pytest.mark.parametrize(
    ("account", "greeting"),
    [
        # A copy framed too heavily to link (greeting, contact line) starts a family of
        # its own with the title: the release is the one family whose release has it.
        ("banten", "Salam sehat!"),
        # A central title-only repost below a greeting is a release too, in a family of
        # its own (a second content): the title goes to the release that opens with it.
        ("kominfo_ig", "Sahabat Kominfo,"),
    ],
)
def test_a_title_another_family_also_carries_still_names_its_release(
    account: str, greeting: str
) -> None:
    h = Harness(central=frozenset({"kominfo", "kominfo_ig"}))
    h.link("release", "kominfo", RELEASE_TEXT)
    h.link("other", account, f"{greeting}\n{TITLE}\n\n{CONTACT}")
    assert h.family("other") != h.family("release")
    h.link("title", "lebak", TITLE)
    assert h.family("title") == h.family("release")


def test_a_title_in_two_families_without_a_release_stays_ambiguous() -> None:
    h = Harness(central=frozenset({"kominfo"}))
    h.link("one", "banten", f"Salam sehat!\n{TITLE}\n\n{CONTACT}")
    h.link("two", "jabar", f"Sampurasun!\n{TITLE}\n\n{OTHER_CONTACT}")
    assert h.family("one") != h.family("two")
    title = h.link("title", "lebak", TITLE)
    assert title.matches == []


def picture(path: str, key: int, seed: int) -> MediaItem:
    """A picture reduced to one region key and a textured grey grid (one per seed): two
    pictures match when their keys are within `image_radius` and their seeds agree."""
    grid = np.random.default_rng(seed).integers(0, 256, GRID_SIDE * GRID_SIDE, np.uint8)
    fp = ImagePrint(PDQ(bytes(32), 100), key, (key,), 100, 100, (0, 0, 100, 100), None,
                    grid.tobytes())  # fmt: skip
    return MediaItem(path, fp, ocr=())


def flip(key: int, bits: range) -> int:
    return key ^ sum(1 << b for b in bits)


def test_two_families_never_merge_through_one_weak_link() -> None:
    """A post whose pictures match a copy in each of two families, but neither family's
    first post, joins one family; the two stay apart."""
    h = Harness()
    a, b = 0x0F0F_3C3C_5A5A_A5A5, 0x7777_1111_EEEE_2222
    h.link("a1", "x", "", (picture("a1.jpg", a, 1),))
    h.link("a2", "y", "", (picture("a2.jpg", flip(a, range(6)), 1),))
    h.link("b1", "x", "", (picture("b1.jpg", b, 2),))
    h.link("b2", "y", "", (picture("b2.jpg", flip(b, range(6)), 2),))
    assert h.family("a2") == h.family("a1") and h.family("b2") == h.family("b1")
    bridge = h.link(
        "bridge",
        "z",
        "",
        (
            picture("x1.jpg", flip(a, range(12)), 1),
            picture("x2.jpg", flip(b, range(12)), 2),
        ),
    )
    assert bridge.merged == []
    assert h.family("a1") != h.family("b1")
    assert h.family("bridge") in (h.family("a1"), h.family("b1"))


def test_a_post_matching_both_cores_merges_and_says_why() -> None:
    h = Harness()
    a, b = 0x0F0F_3C3C_5A5A_A5A5, 0x7777_1111_EEEE_2222
    h.link("a1", "x", "", (picture("a1.jpg", a, 1),))
    h.link("a2", "y", "", (picture("a2.jpg", flip(a, range(6)), 1),))
    h.link("b1", "x", "", (picture("b1.jpg", b, 2),))
    h.link("b2", "y", "", (picture("b2.jpg", flip(b, range(6)), 2),))
    both = h.link(
        "both", "z", "", (picture("x1.jpg", flip(a, range(2)), 1), picture("x2.jpg", b, 2))
    )
    assert both.merged and h.family("a1") == h.family("b1") == h.family("both")
    assert set(both.joined_by) >= {h.ids["a1"], h.ids["b1"]}
    assert set(both.joined_by.values()) == {"core"}


def test_a_generic_caption_beside_other_pictures_links_nothing() -> None:
    h = Harness()
    caption = "Yuk lihat video di bawah ini ya sahabat semua"
    h.link("one", "x", caption, (picture("one.jpg", 0x1234_5678_9ABC_DEF0, 3),))
    other = h.link("two", "y", caption, (picture("two.jpg", 0x0FED_CBA9_8765_4321, 4),))
    assert other.matches == []
    assert h.family("one") != h.family("two")


def test_an_office_does_not_copy_its_own_series_of_shots() -> None:
    """Two shots of one event by one office (here, the second a tighter framing of the
    first) are two posts, not a copy; the same framing by another office is a copy, and
    the office's own picture again, as a whole, is the same content."""
    wide = sm.photo("chelsea").resize((720, 540), Image.Resampling.LANCZOS)
    tight = wide.crop((0, 0, 612, 540))  # 15 % of the area off one side

    def shot(path: str, picture: Image.Image) -> tuple[MediaItem, ...]:
        return (MediaItem(path, fingerprint_image(jpeg50(picture)), ocr=()),)

    h = Harness()
    h.link("event-1", "sleman", "Kegiatan pagi ini di pendopo", shot("e1.jpg", wide))
    h.link("event-2", "sleman", "Suasana acara siang ini", shot("e2.jpg", tight))
    assert h.family("event-2") != h.family("event-1")
    h.link("repost", "sleman", "Dokumentasi kegiatan", shot("e3.jpg", wide))
    assert h.family("repost") == h.family("event-1")
    copy = h.link("copy", "bantul", "Info dari tetangga", shot("c1.jpg", tight))
    assert copy.matches and h.family("copy") in (h.family("event-1"), h.family("event-2"))


SHORT_TITLE = "Waspada Penipuan Mengatasnamakan Pejabat Kota Balikpapan"
SHORT_TITLED = (
    f"{SHORT_TITLE}\n\n"
    "Pemerintah kota meminta warga tidak menanggapi pesan berantai yang meminta transfer "
    "dana atas nama pejabat daerah, dan melaporkannya ke kanal aduan resmi."
)


def test_a_release_titled_in_six_words_is_found_by_its_title_only_copies() -> None:
    h = Harness(central=frozenset({"kominfo"}))
    h.link("release", "kominfo", SHORT_TITLED)
    h.link("title", "lebak", f"Halo warga Kab. Lebak!\n*{SHORT_TITLE}* 👉")
    assert h.family("title") == h.family("release")


def test_six_words_that_open_a_copy_are_not_a_title() -> None:
    """A copy's first line of six words may be a greeting: only a release's is a title."""
    h = Harness(central=frozenset({"kominfo"}))
    h.link("local", "banten", SHORT_TITLED)
    h.link("title", "lebak", f"Halo warga Kab. Lebak!\n*{SHORT_TITLE}* 👉")
    assert h.family("title") != h.family("local")


def test_a_title_after_a_greeting_on_its_line_finds_its_release() -> None:
    """The title's words are ambiguous (a stray copy carries them too) and the copy's
    one line is greeting and title: the line's tail is the release's title line."""
    h = Harness(central=frozenset({"kominfo"}))
    h.link("release", "kominfo", RELEASE_TEXT)
    h.link("stray", "banten", f"Salam sehat!\n{TITLE}\n\n{CONTACT}")
    h.link("title", "malut", f"Halo Sobat Kominfo Maluku Utara! {TITLE} #MalukuUtaraBersinar")
    assert h.family("title") == h.family("release")


def test_kept_candidates_recent_apart_from_asked() -> None:
    """Stored batches' candidates are kept as built (the last `recent`), apart from
    the asked-for ones, which the posts of later batches do not push out."""
    fetched: list[list[int]] = []

    def fetch(idxs: Iterable[int]) -> dict[int, Candidate]:
        wanted = sorted(idxs)
        fetched.append(wanted)
        return {i: Candidate(i, f"p{i}", "a", ("w",), NO_KEYS, ("w",)) for i in wanted}

    kept = Candidates(fetch, size=4, recent=3)
    for i in range(1, 6):
        kept.hold(Candidate(i, f"p{i}", "a", ("w",), NO_KEYS, ("w",)))
    assert set(kept.get([2, 5])) == {2, 5} and fetched == []  # pending: this batch
    kept.stored()  # past 3 kept: trimmed to the newest 2 (4, 5)
    assert set(kept.get([4, 1])) == {1, 4} and fetched == [[1]]
    for i in range(6, 30):  # later batches, never asked for
        kept.hold(Candidate(i, f"p{i}", "a", ("w",), NO_KEYS, ("w",)))
        kept.stored()
    assert set(kept.get([1, 4, 29])) == {1, 4, 29} and fetched == [[1]]
    assert set(kept.get([5])) == {5} and fetched == [[1], [5]]


def test_warm_up_compiles_the_loops_by_linking_in_memory() -> None:
    """Setup's warm-up (`make`) links its few posts without a store and leaves nothing
    behind to clean up."""
    from tracer.linker import warm_up

    warm_up()
