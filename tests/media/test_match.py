"""Media verification: clips encoded for real (intro card, trim, re-encode and rescale,
overlay) and pictures with their OCR tokens given directly, so no tesseract is needed."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from rapidfuzz.distance import Levenshtein

from tracer.media.decode import MediaLimits, sample_video
from tracer.media.fingerprint import (
    GRID_SIDE,
    PDQ,
    ImagePrint,
    best_region_distance,
    fingerprint_image,
)
from tracer.media.match import (
    FRAGMENT,
    MediaItem,
    MediaMatch,
    containment,
    match_images,
    match_media,
    match_videos,
    own_words,
    runs_of,
)
from tracer.media.video import VideoPrint, fingerprint_frames
from tracer.normalize import normalize_text
from tracer.policy import MatchPolicy

from ..media_samples import corner_logo, framed_with_logo, jpeg50, sm

POLICY = MatchPolicy()
SIZE = (256, 144)
SECONDS = 4.0
INTRO = 1.0


# --- clips -------------------------------------------------------------------------


def pan(name: str, seconds: float) -> Iterator[np.ndarray]:
    """Another clip: a slow pan over another photo, no text."""
    background = sm.photo(name).resize((1024, 1024), Image.Resampling.BILINEAR)
    n = round(seconds * sm.FPS)
    for i in range(n):
        x = round(40 + 300 * i / max(1, n - 1))
        yield np.asarray(background.crop((x, 200, x + 640, 560)))


@dataclass(frozen=True)
class Clips:
    original: Path
    intro: Path
    trimmed: Path
    rescaled: Path
    overlay: Path
    unrelated: Path


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Clips:
    folder = tmp_path_factory.mktemp("clips")
    c = Clips(*(folder / f"{n}.mp4" for n in Clips.__dataclass_fields__))
    sm.write_mp4(c.original, sm.clip_frames(SECONDS), size=SIZE)
    card = sm.intro_card("Diskominfo Kota Surabaya", INTRO)
    sm.write_mp4(c.intro, itertools.chain(card, sm.decoded(c.original)), size=SIZE)
    sm.write_mp4(c.trimmed, itertools.islice(sm.decoded(c.original), 25), size=SIZE)
    sm.write_mp4(c.rescaled, sm.decoded(c.original), size=(128, 72), crf=32)
    overlaid = (np.asarray(corner_logo(Image.fromarray(f))) for f in sm.decoded(c.original))
    sm.write_mp4(c.overlay, overlaid, size=SIZE)
    sm.write_mp4(c.unrelated, pan("coffee", SECONDS), size=SIZE)
    return c


def video_item(path: Path) -> MediaItem:
    frames = sample_video(path, MediaLimits())
    return MediaItem(
        path.name, video=fingerprint_frames(frames.times, frames.frames, frames.duration)
    )


def match_copy(clips: Clips, copy: Path) -> MediaMatch | None:
    """`match_videos` as the linker calls it: the copy's file first, the source's second."""
    return match_videos(video_item(copy), video_item(clips.original), POLICY, "release", "copy")


@pytest.mark.parametrize("copy", ["intro", "trimmed", "rescaled", "overlay"])
def test_copies_of_a_clip_match(clips: Clips, copy: str) -> None:
    m = match_copy(clips, getattr(clips, copy))
    assert m is not None
    assert (m.source, m.target, m.modality) == ("release", "copy", "video")
    assert (m.source_media, m.target_media) == ("original.mp4", f"{copy}.mp4")
    assert m.distance <= POLICY.video_frame_radius
    assert max(m.shares or ()) >= POLICY.video_major_share
    assert min(m.shares or ()) >= POLICY.video_minor_share
    assert m.ranges, "the evidence lists the matched time ranges"
    for source_start, source_end, target_start, target_end in m.ranges:
        assert 0 <= source_start < source_end <= SECONDS + 1
        assert 0 <= target_start < target_end <= SECONDS + INTRO + 1
    evidence = m.evidence
    assert evidence["modality"] == "video"
    assert evidence["ranges"][0].keys() == {"source", "target"}  # type: ignore[index]
    assert {"share_source", "share_target", "distance"} <= m.scores.keys()


def test_intro_card_copy_shares_and_ranges(clips: Clips) -> None:
    """The whole release is in the copy, and most of the copy is the release; the
    matched range starts after the card in the copy and at 0 in the release."""
    m = match_copy(clips, clips.intro)
    assert m is not None and m.shares is not None
    source_share, target_share = m.shares
    assert source_share >= 0.9
    assert target_share == pytest.approx(SECONDS / (SECONDS + INTRO), abs=0.15)
    assert len(m.ranges) == 1
    source_start, source_end, target_start, target_end = m.ranges[0]
    assert source_start == pytest.approx(0, abs=0.3)
    assert target_start == pytest.approx(INTRO, abs=0.5)
    assert source_end == pytest.approx(SECONDS, abs=0.6)
    assert target_end - target_start == pytest.approx(source_end - source_start, abs=0.6)


def test_trimmed_copy_shares_and_ranges(clips: Clips) -> None:
    """All of the trimmed copy is in the release; only its first 2.5 s are in the copy."""
    m = match_copy(clips, clips.trimmed)
    assert m is not None and m.shares is not None
    source_share, target_share = m.shares
    assert target_share >= 0.9
    assert source_share == pytest.approx(2.5 / SECONDS, abs=0.2)
    (source_start, source_end, target_start, _), *_ = m.ranges
    assert source_start == pytest.approx(0, abs=0.3)
    assert target_start == pytest.approx(0, abs=0.3)
    assert source_end == pytest.approx(2.5, abs=0.6)


@pytest.mark.parametrize("copy", ["rescaled", "overlay"])
def test_whole_copies_match_frame_for_frame(clips: Clips, copy: str) -> None:
    m = match_copy(clips, getattr(clips, copy))
    assert m is not None
    assert m.shares == (1.0, 1.0)
    assert len(m.ranges) == 1


def test_an_unrelated_clip_does_not_match(clips: Clips) -> None:
    assert match_copy(clips, clips.unrelated) is None
    assert match_videos(video_item(clips.unrelated), video_item(clips.intro), POLICY) is None


def test_frames_matched_out_of_order_are_not_one_clip(clips: Clips) -> None:
    original = video_item(clips.original)
    assert original.video is not None
    shuffled = list(original.video.frames)
    shuffled = shuffled[1::2][::-1] + shuffled[0::2]
    scrambled = MediaItem(
        "scrambled.mp4",
        video=VideoPrint(original.video.times, tuple(shuffled), original.video.duration),
    )
    # Every frame of one is a frame of the other, but not in the same order.
    assert match_videos(scrambled, original, POLICY) is None
    assert match_videos(original, original, POLICY) is not None


def test_match_media_prefers_the_matching_file(clips: Clips) -> None:
    unrelated, copy = video_item(clips.unrelated), video_item(clips.rescaled)
    m = match_media((unrelated, copy), (video_item(clips.original),), POLICY, "release", "copy")
    assert m is not None and m.target_media == "rescaled.mp4"
    assert match_media((unrelated,), (video_item(clips.original),), POLICY) is None
    assert match_media((), (video_item(clips.original),), POLICY) is None


# --- pictures ----------------------------------------------------------------------

HEADER = "Kementerian Komunikasi dan Informatika"
FOOTER = "#SobatKominfo #IndonesiaMaju kominfo.go.id"
HEADLINE = "Presiden punya hak politik acuannya UU pemilu"
OTHER_HEADLINE = "Waspada hoaks jelang pemungutan suara 14 Februari"


def tokens(*texts: str) -> tuple[str, ...]:
    return normalize_text("\n".join(texts)).tokens


def poster_item(path: str, headline: str, words: tuple[str, ...] | None) -> MediaItem:
    poster = sm.ministry_poster(headline, None, "ballot")
    return MediaItem(path, fingerprint_image(poster), ocr=words)


def test_template_siblings_are_refused_by_their_text() -> None:
    a = poster_item("a.jpg", HEADLINE, tokens(HEADER, HEADLINE, FOOTER))
    b = poster_item("b.jpg", OTHER_HEADLINE, tokens(HEADER, OTHER_HEADLINE, FOOTER))
    assert a.image is not None and b.image is not None
    assert best_region_distance(a.image.regions, b.image.regions) <= POLICY.image_radius
    assert containment(a.ocr or (), b.ocr or ()) < POLICY.ocr_min_containment
    assert match_images(a, b, POLICY) is None
    assert match_images(b, a, POLICY) is None


def test_a_framed_copy_with_extra_words_is_accepted() -> None:
    poster = sm.ministry_poster(HEADLINE, None, "ballot")
    original = MediaItem(
        "release.jpg", fingerprint_image(poster), ocr=tokens(HEADER, HEADLINE, FOOTER)
    )
    copy = MediaItem(
        "lebak.jpg",
        fingerprint_image(jpeg50(framed_with_logo(poster))),
        ocr=tokens(HEADER, HEADLINE, FOOTER, "Diskominfo Kabupaten Lebak"),
    )
    m = match_images(copy, original, POLICY, "release", "lebak")
    assert m is not None
    assert (m.modality, m.source_media, m.target_media) == ("image", "release.jpg", "lebak.jpg")
    assert m.distance <= POLICY.image_radius
    assert m.ocr_containment == 1.0
    assert m.pdq_distance is not None and m.scores["ocr_containment"] == 1.0


def ministry_and_redrawn() -> tuple[tuple[str, ...], MediaItem, MediaItem]:
    """The ministry's poster, and a regional office's redraw of it on its own template
    (its header read too): the words read off the ministry's, and both pictures."""
    words = tokens(HEADLINE, "Simak aturan kampanye presiden dalam UU Nomor 7 Tahun 2017")
    ministry = MediaItem(
        "ministry.jpg", fingerprint_image(sm.ministry_poster(HEADLINE, None, "ballot")), ocr=words
    )
    redrawn = MediaItem(
        "regional.jpg",
        fingerprint_image(sm.regional_poster(HEADLINE, "Diskominfo Kabupaten Lebak")),
        ocr=("diskominfo", "kabupaten", "lebak", *words),
    )
    return words, ministry, redrawn


def test_a_redrawn_poster_with_the_same_words_matches_by_ocr() -> None:
    """A regional office redraws the ministry's poster on its own template: nothing
    looks alike, but the words are the same."""
    _, ministry, redrawn = ministry_and_redrawn()
    m = match_images(redrawn, ministry, POLICY)
    assert m is not None
    assert m.modality == "ocr"
    assert m.distance > POLICY.image_radius
    assert m.ocr_containment == 1.0
    few = tokens(HEADLINE)[: POLICY.ocr_alone_tokens - 1]  # too few words to go by text alone
    assert (
        match_images(
            MediaItem("r.jpg", redrawn.image, ocr=few),
            MediaItem("m.jpg", ministry.image, ocr=few),
            POLICY,
        )
        is None
    )


GRID = np.random.default_rng(7).integers(0, 256, GRID_SIDE * GRID_SIDE, np.uint8).tobytes()


def keyed(path: str, key: int, words: tuple[str, ...] | None, grid: bytes = GRID) -> MediaItem:
    """A picture reduced to one region key (distances are exactly the bits flipped) and a
    grey grid (the same textured one unless given)."""
    return MediaItem(
        path,
        ImagePrint(PDQ(bytes(32), 100), key, (key,), 100, 100, (0, 0, 100, 100), None, grid),
        ocr=words,
    )


@pytest.mark.parametrize("bits", range(POLICY.image_strict_radius + 1, POLICY.image_radius + 1))
def test_a_close_region_is_only_a_candidate(bits: int) -> None:
    key = 0x0123_4567_89AB_CDEF
    near = key ^ ((1 << bits) - 1)
    # OCR ran and found no text: the ordinary radius, when the aligned pictures agree.
    assert match_images(keyed("a", key, ()), keyed("b", near, ()), POLICY) is not None
    # The same region keys over pictures that disagree as a whole: no match.
    other = np.random.default_rng(8).integers(0, 256, GRID_SIDE * GRID_SIDE, np.uint8).tobytes()
    assert match_images(keyed("a", key, ()), keyed("b", near, (), other), POLICY) is None
    # Prints that keep no grid cannot be aligned: no match.
    assert match_images(keyed("a", key, (), b""), keyed("b", near, (), b""), POLICY) is None
    # OCR did not run: pictures near-identical as a whole still match.
    m = match_images(keyed("a", key, None), keyed("b", near, None), POLICY)
    assert m is not None and m.modality == "image" and m.distance == bits


def test_without_ocr_template_siblings_are_refused() -> None:
    a = poster_item("a.jpg", HEADLINE, None)
    b = poster_item("b.jpg", OTHER_HEADLINE, None)
    assert match_images(a, b, POLICY) is None


def test_a_picture_and_a_clip_never_match(clips: Clips) -> None:
    picture = poster_item("a.jpg", HEADLINE, ())
    clip = video_item(clips.original)
    assert match_media((picture,), (clip,), POLICY) is None
    assert match_media((clip,), (picture,), POLICY) is None


# --- colour and template runs ------------------------------------------------------------


def recoloured(picture: Image.Image) -> Image.Image:
    """The same grey levels in other colours (Cb and Cr mirrored around grey): another
    photo laid out exactly alike, as far as grey grids can tell."""
    y, cb, cr = picture.convert("YCbCr").split()
    mirror = [255 - v for v in range(256)]
    return Image.merge("YCbCr", (y, cb.point(mirror), cr.point(mirror))).convert("RGB")


def test_a_photo_laid_out_alike_in_other_colours_is_refused_a_copy_is_not() -> None:
    photo = sm.photo("coffee")
    original = MediaItem("a.jpg", fingerprint_image(photo), ocr=())
    copy = MediaItem("b.jpg", fingerprint_image(jpeg50(photo)), ocr=())
    other = MediaItem("c.jpg", fingerprint_image(recoloured(photo)), ocr=())
    found = match_images(copy, original, POLICY)
    assert found is not None and found.alignment is not None
    assert found.alignment.chroma is not None and found.alignment.chroma < 3
    assert "aligned_chroma" in found.scores
    refused = match_images(other, original, POLICY)
    assert refused is None
    # Grey levels alone cannot tell them apart: the colour test refuses it.
    assert match_images(other, original, replace(POLICY, align_max_chroma=255.0)) is not None


def test_a_grey_copy_of_a_colour_photo_is_not_refused_for_its_colour() -> None:
    photo = sm.photo("coffee")
    original = MediaItem("a.jpg", fingerprint_image(photo), ocr=())
    grey = MediaItem("g.jpg", fingerprint_image(photo.convert("L").convert("RGB")), ocr=())
    found = match_images(grey, original, POLICY)
    assert found is not None and found.alignment is not None
    assert found.alignment.chroma is None


def test_template_text_is_told_by_runs_not_words() -> None:
    common = runs_of(tokens(HEADER)) | runs_of(tokens(FOOTER))
    words = tokens(HEADER, HEADLINE, FOOTER)
    own = own_words(words, frozenset(common))
    telling = {w for w in tokens(HEADLINE) if len(w) >= FRAGMENT or w.isdigit()}
    assert set(own) >= telling
    assert not set(tokens(HEADER)) & set(own)
    assert own_words(words, frozenset()) == tuple(
        w for w in words if len(w) >= FRAGMENT or w.isdigit()
    )


def test_ocr_fragments_are_not_words_of_the_picture_but_numbers_are() -> None:
    read = ("bm", "tai", "lapor", "spt", "sebelum", "8", "september", "2024", "z5")
    assert own_words(read, frozenset()) == ("lapor", "sebelum", "8", "september", "2024")


def test_a_misread_letter_is_found_a_misread_number_is_not() -> None:
    release = ("inflasi", "kota", "palopo", "40", "persen")
    cropped = ("nflasi", "kota", "palopo", "40", "ersen", "sumatera", "utara")
    assert containment(release, cropped) == 0.6
    assert containment(release, cropped, misread=True) == 1.0
    assert containment(("40", "persen"), ("41", "persen"), misread=True) == 0.5
    # Short words one letter apart are other words, not misreads.
    assert containment(("kota", "baru"), ("kota", "batu"), misread=True) == 0.5


def test_a_poster_redrawn_with_all_its_words_is_the_same_content() -> None:
    words, ministry, redrawn = ministry_and_redrawn()
    found = match_images(redrawn, ministry, POLICY)
    assert found is not None and found.modality == "ocr"
    assert found.same_content(POLICY)
    fewer = MediaItem("r2.jpg", redrawn.image, ocr=words[: len(words) * 3 // 4])
    partial = match_images(fewer, ministry, POLICY)
    assert partial is None or not partial.same_content(POLICY)


def test_a_slightly_other_view_is_not_the_same_picture_a_re_encode_is() -> None:
    """An office's second shot of one scene (here: a 5 % zoom) aligns nearly whole, but
    as a whole it is another picture; its own picture posted again is the same."""
    photo = sm.photo("coffee")
    w, h = photo.size
    zoom = photo.crop((w // 40, h // 40, w - w // 40, h - h // 40)).resize(photo.size)
    original = MediaItem("a.jpg", fingerprint_image(photo), ocr=())
    again = match_images(
        MediaItem("b.jpg", fingerprint_image(jpeg50(photo)), ocr=()), original, POLICY
    )
    assert again is not None and again.same_picture(POLICY)
    view = match_images(MediaItem("c.jpg", fingerprint_image(zoom), ocr=()), original, POLICY)
    assert view is not None and not view.same_picture(POLICY)


def test_a_framed_photo_with_a_few_words_of_its_own_matches_on_all_of_them() -> None:
    # A photo with its headline burnt in, on a headline template other releases share:
    # what is left of its own is the date. Framed by an office, it is no longer the
    # same picture as a whole, and OCR reads fragments off the texture and the frame.
    photo = sm.photo("coffee")
    headline = ("lapor", "spt", "tahunan", "sebelum", "8", "september", "2024", "jangan")
    common = frozenset(runs_of(("lapor", "spt", "tahunan", "sebelum")))
    common |= frozenset(runs_of(("2024", "jangan", "sampai")))
    release = MediaItem("r.jpg", fingerprint_image(photo), ocr=("bm", "tai", *headline))
    framed = framed_with_logo(photo)
    copy = MediaItem("c.jpg", fingerprint_image(framed), ocr=("z5", *headline, "kabupaten"))
    found = match_images(copy, release, POLICY, common=common)
    assert found is not None and found.modality == "image"
    # A sibling dated otherwise, framed alike, is another release.
    other = ("lapor", "spt", "tahunan", "sebelum", "23", "agustus", "2024", "jangan")
    sibling = MediaItem("s.jpg", fingerprint_image(framed), ocr=("z5", *other, "kabupaten"))
    assert match_images(sibling, release, POLICY, common=common) is None


def _containment_by_scan(a: tuple[str, ...], b: tuple[str, ...], misread: bool) -> float:
    """`containment` as first written: every missed word compared with every word left."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if not short:
        return 0.0
    left = Counter(long)
    found, missed = 0, []
    for word in short:
        if left[word] > 0:
            left[word] -= 1
            found += 1
        else:
            missed.append(word)
    if misread:
        for word in missed:
            near = next(
                (
                    w
                    for w, n in left.items()
                    if n > 0
                    and w.isalpha()
                    and word.isalpha()
                    and max(len(w), len(word)) >= 5
                    and Levenshtein.distance(w, word) <= 1
                ),
                None,
            )
            if near is not None:
                left[near] -= 1
                found += 1
    return found / len(short)


_WORDS = st.text(alphabet="abcde1", min_size=1, max_size=8)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(_WORDS, max_size=30, unique=True).flatmap(
        lambda pool: st.tuples(
            st.lists(st.sampled_from(pool) | _WORDS if pool else _WORDS, max_size=15),
            st.lists(st.sampled_from(pool) | _WORDS if pool else _WORDS, max_size=15),
        )
    ),
    st.booleans(),
)
def test_containment_finds_what_a_scan_of_every_word_finds(
    pair: tuple[list[str], list[str]], misread: bool
) -> None:
    """Misread words are looked for among words of a near length only: the same words
    found, the same first one taken, as comparing each missed word with every word."""
    a, b = tuple(pair[0]), tuple(pair[1])
    assert containment(a, b, misread) == _containment_by_scan(a, b, misread)
