"""The helpers every adapter shares: times, ids and accounts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracer.adapters.base import AdapterOptions
from tracer.adapters.common import (
    AccountBook,
    FieldError,
    any_time,
    from_epoch,
    from_rfc2822,
    instagram_post_id,
)

MOMENT = datetime(2024, 1, 24, 12, 0, tzinfo=UTC)


def test_epoch_seconds_and_milliseconds_give_the_same_instant() -> None:
    seconds = int(MOMENT.timestamp())
    assert from_epoch(seconds, "t") == MOMENT
    assert from_epoch(seconds * 1000, "t") == MOMENT
    assert from_epoch(str(seconds), "t") == MOMENT
    assert from_epoch(float(seconds), "t") == MOMENT


@pytest.mark.parametrize("bad", [None, True, "soon", [1]])
def test_bad_epochs_name_the_field(bad: object) -> None:
    with pytest.raises(FieldError) as caught:
        from_epoch(bad, "createTime")
    assert caught.value.field == "createTime"


def test_rfc2822_layouts() -> None:
    assert from_rfc2822("Wed Jan 24 12:00:00 +0000 2024", "t") == MOMENT
    assert from_rfc2822("Wed, 24 Jan 2024 19:00:00 +0700", "t") == MOMENT
    assert any_time("2024-01-24T19:00:00+07:00", "t") == MOMENT
    with pytest.raises(FieldError, match="no UTC offset"):
        any_time("2024-01-24T19:00:00", "t")


@given(st.integers(min_value=1, max_value=2**63 - 1))
def test_shortcode_and_media_id_give_one_post_id(media_id: int) -> None:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    code = ""
    number = media_id
    while number:
        number, digit = divmod(number, 64)
        code = alphabet[digit] + code
    assert instagram_post_id(shortcode=code) == instagram_post_id(media_id=media_id)
    assert instagram_post_id(f"{media_id}_17841400000") == f"instagram:{media_id}"


def test_account_book_hands_out_each_account_once() -> None:
    book = AccountBook(AdapterOptions(tier="regency", region="Kabupaten Serang"))
    first = book.resolve("instagram", "@DiskominfoSerang", "Diskominfo Serang")
    again = book.resolve("instagram", "diskominfoserang")
    assert first[0] == again[0] == "instagram:diskominfoserang"
    assert first[1] is not None and first[1].tier == "regency" and again[1] is None
    with pytest.raises(FieldError, match="no handle"):
        book.resolve("instagram", " ")
