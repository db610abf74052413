"""The text-presence test: lines of words are found, bare photos and plain grounds are
not (its misses over many pictures are measured in bench/ocr.py, not here)."""

from __future__ import annotations

import pytest
from PIL import Image

from tracer.media.textpresence import has_text

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
