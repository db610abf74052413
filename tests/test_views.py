"""A picture a scroll cut: its visible part placed on stored pictures by their shapes,
the keys it is looked up by, the release bank, and the words that decide posters."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from synthetic.sample_files.media import ministry_poster
from tracer.media.align import align_view, placed
from tracer.media.bank import bank_of, scan_view
from tracer.media.fingerprint import fingerprint_image, region_keys
from tracer.media.match import MediaItem
from tracer.normalize import normalize_text
from tracer.outside import _inside_cut, match_view
from tracer.policy import MatchPolicy
from tracer.screenshot import View, view_keys

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT / "sample_data" / "corpus" / "media"
POLICY = MatchPolicy()
COMMON = frozenset({"kementerian komunikasi dan", "komunikasi dan informatika", "kominfo go id"})


def _words(text: str) -> tuple[str, ...]:
    return normalize_text(text).tokens


def _cut(image: Image.Image, top: float, bottom: float) -> Image.Image:
    """The picture with `top` and `bottom` shares of its height scrolled off, at the
    size a phone screenshot shows it (about 1080 px wide, recompressed)."""
    w, h = image.size
    part = image.convert("RGB").crop((0, round(h * top), w, round(h * (1 - bottom))))
    part = part.resize((540, round(540 * part.height / part.width)))
    return part.reduce(1)


def _poster(headline: str) -> Image.Image:
    return ministry_poster(headline, None)


@pytest.fixture(scope="module")
def photo() -> Image.Image:
    with Image.open(MEDIA / "kab-pandeglang-ig-20240506.jpg") as image:
        return image.convert("RGB")


@pytest.mark.parametrize(("top", "bottom"), [(0.35, 0.0), (0.45, 0.0), (0.0, 0.3), (0.0, 0.42)])
def test_a_cut_picture_is_placed_on_its_whole_by_the_shapes(
    photo: Image.Image, top: float, bottom: float
) -> None:
    whole = fingerprint_image(photo)
    view = fingerprint_image(_cut(photo, top, bottom))
    found = align_view(view, whole, (top > 0, bottom > 0))
    assert found is not None and placed(found), found
    assert found.overlap[1][1] == pytest.approx(top, abs=0.04)
    assert found.overlap[1][3] == pytest.approx(1 - bottom, abs=0.04)
    # Placed at the wrong end, it does not agree.
    wrong = align_view(view, whole, (top == 0, bottom == 0))
    assert wrong is None or not placed(wrong)


def test_a_view_does_not_sit_on_another_picture(photo: Image.Image) -> None:
    with Image.open(MEDIA / "hak_politik_poster.jpg") as other:
        stored = fingerprint_image(other.convert("RGB"))
    view = fingerprint_image(_cut(photo, 0.3, 0.0))
    found = align_view(view, stored, (True, False))
    assert found is None or not placed(found)


def test_the_view_keys_hold_the_stored_regions_inside_a_shallow_cut(photo: Image.Image) -> None:
    stored = set(fingerprint_image(photo).regions)
    keys = view_keys(_cut(photo, 0.12, 0.0).convert("L"), (True, False))
    near = [min(bin(k ^ s).count("1") for s in stored) for k in keys]
    assert min(near) <= 4
    # Uncut, one placement: the standard regions themselves.
    assert len(view_keys(photo.convert("L"), (False, False))) == len(
        region_keys(photo.convert("L"), side_cuts=True)
    )


def test_the_bank_finds_the_release_a_deep_cut_shows(photo: Image.Image) -> None:
    pictures = [(1, fingerprint_image(photo))]
    for n, name in enumerate(("hak_politik_poster.jpg", "hoaks.jpg", "garut_banjir.jpg")):
        with Image.open(MEDIA / name) as other:
            pictures.append((10 + n, fingerprint_image(other.convert("RGB"))))
    bank = bank_of(pictures)
    view = fingerprint_image(_cut(photo, 0.5, 0.0))
    corr = scan_view(view, (True, False), bank)
    assert int(bank.owners[int(np.argmax(corr))]) == 1 and corr.max() >= 0.8
    assert sorted(corr)[-2] < 0.8


def test_posters_on_one_template_never_match_by_a_view() -> None:
    stored_poster = _poster("Ayo ke TPS 14 Februari, suaramu menentukan")
    stored = MediaItem(
        "tps.jpg",
        fingerprint_image(stored_poster),
        ocr=_words(
            "KEMENTERIAN KOMUNIKASI DAN INFORMATIKA AYO KE TPS 14 FEBRUARI, SUARAMU "
            "MENENTUKAN #SobatKominfo kominfo.go.id"
        ),
    )
    sibling = _poster("Waspada Cuaca Ekstrem di Musim Hujan")
    for top, bottom, words in [
        (0.3, 0.0, "WASPADA CUACA EKSTREM DI MUSIM HUJAN #SobatKominfo kominfo.go.id"),
        (0.0, 0.25, "KEMENTERIAN KOMUNIKASI DAN INFORMATIKA WASPADA CUACA"),
        (0.0, 0.35, "KEMENTERIAN KOMUNIKASI DAN INFORMATIKA"),  # the headline off screen
    ]:
        item = MediaItem(
            "s.jpg#embedded0", fingerprint_image(_cut(sibling, top, bottom)), ocr=_words(words)
        )
        assert (
            match_view(View(item, (top > 0, bottom > 0), ()), stored, POLICY, common=COMMON) is None
        )
    # Without the words read, part of a template poster cannot tell: no match.
    bare = MediaItem("s.jpg#embedded0", fingerprint_image(_cut(sibling, 0.0, 0.35)))
    assert match_view(View(bare, (False, True), ()), stored, POLICY, common=COMMON) is None
    # The poster itself, its last words cut through at the screen's edge: a match.
    mine = MediaItem(
        "s.jpg#embedded0",
        fingerprint_image(_cut(stored_poster, 0.0, 0.2)),
        ocr=_words(
            "KEMENTERIAN KOMUNIKASI DAN INFORMATIKA AYO KE TPS 14 FEBRUARI, SUARAMU menenlu"
        ),
    )
    found = match_view(View(mine, (False, True), ()), stored, POLICY, common=COMMON)
    assert found is not None and found.conclusive() and found.ocr_containment == 1.0


def test_a_photo_view_matches_without_words(photo: Image.Image) -> None:
    stored = MediaItem("garut.jpg", fingerprint_image(photo), ocr=())
    item = MediaItem("s.jpg#embedded0", fingerprint_image(_cut(photo, 0.4, 0.0)), ocr=())
    found = match_view(View(item, (True, False), ()), stored, POLICY)
    assert found is not None and found.conclusive()
    assert found.alignment is not None and found.alignment.cover[0] >= 0.85


def test_a_headline_is_not_set_aside_for_a_shared_footer() -> None:
    # A regency's poster on its own template, seen from its headline down: the footer
    # is the template's, the headline is another poster's.
    footer = "siaga bencana call center 112"
    stored = _words(f"diskominfo kab garut banjir bandang warga diminta waspada {footer}")
    seen = _words(f"cegah stunting sejak seribu hari pertama kehidupan {footer}")
    kept = _inside_cut(seen, stored, (True, False))
    assert kept == seen[len(seen) // 4 :] and "pertama" in kept
    # Fragments of a line cut through at the screen's edge are set aside.
    seen = _words("kementerian ayo ke tps februari suaramu liadi dtanaa")
    kept = _inside_cut(seen, _words("kementerian ayo ke tps februari suaramu hari"), (False, True))
    assert kept == seen[:-2]
    # Never more than a quarter of what is seen: a short headline is not set aside.
    head = _words("diskominfo kab garut waspada cuaca ekstrem musim hujan")
    found = _inside_cut(head, _words("diskominfo kab garut waspada banjir"), (False, True))
    assert found == head[:-2]
