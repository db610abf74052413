"""The text-presence test: lines of words are found, bare photos and plain grounds are
not (its misses over many pictures are measured in bench/ocr.py, not here)."""

from __future__ import annotations

import pytest
from PIL import Image

from tracer.media.textpresence import has_text, text_boxes

from ..media_samples import banner, framed_with_logo, sm, width

BARE = ("rocket", "chelsea", "camera")


@pytest.mark.parametrize("name", BARE)
def test_a_photo_without_words_is_bare(name: str) -> None:
    assert not has_text(width(sm.photo(name), 720))


@pytest.mark.parametrize("name", BARE)
def test_the_same_photo_with_an_office_banner_or_frame_carries_text(name: str) -> None:
    photo = width(sm.photo(name), 720)
    assert has_text(banner(photo))
    assert has_text(framed_with_logo(photo))


def test_template_posters_carry_text() -> None:
    assert has_text(sm.ministry_poster("Ayo ke TPS 14 Februari", None, art="ballot"))
    assert has_text(sm.regional_poster("Banjir bandang", "Diskominfo Kabupaten Garut"))


def test_plain_grounds_are_bare() -> None:
    assert not has_text(Image.new("RGB", (1080, 1080), (11, 42, 91)))
    assert not has_text(Image.linear_gradient("L").resize((1080, 720)).convert("RGB"))


def test_a_picture_too_small_to_judge_is_left_to_ocr() -> None:
    assert has_text(Image.new("RGB", (12, 6)))


def _area(box: tuple[float, float, float, float]) -> float:
    left, top, right, bottom = box
    return (right - left) * (bottom - top)


def test_a_bare_photo_has_no_text_boxes() -> None:
    assert text_boxes(width(sm.photo("rocket"), 720)) == []


def test_the_boxes_of_a_bannered_photo_lie_in_its_banner() -> None:
    bannered = banner(width(sm.photo("camera"), 720))
    boxes = text_boxes(bannered)
    assert boxes
    banner_top = 1 - 110 / bannered.height  # `sample_media.bannered`: 110 pixels at the bottom
    inside = [b for b in boxes if b[1] >= banner_top - 0.02]
    assert sum(b[2] - b[0] for b in inside) > 1.5  # the label's rows, most of their width
    outside = sum(_area(b) for b in boxes if b not in inside)
    assert outside < 0.01  # the photo's texture: a word-sized stretch at most


def test_the_boxes_of_a_poster_cover_its_headline_rows_only_where_words_are() -> None:
    poster = sm.regional_poster("Banjir bandang", "Diskominfo Kabupaten Garut")
    boxes = text_boxes(poster)
    assert len(boxes) >= 2
    for left, top, right, bottom in boxes:
        assert 0 <= left < right <= 1 and 0 <= top < bottom <= 1
    covered = sum(_area(b) for b in boxes)
    assert covered < 0.5  # lines, not the whole poster


def test_a_picture_too_small_to_judge_is_one_box() -> None:
    assert text_boxes(Image.new("RGB", (12, 6))) == [(0.0, 0.0, 1.0, 1.0)]
