"""Verdicts on "this post was a ministry release"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tracer.models import StoredPost
from tracer.normalize import normalize_text
from tracer.verdict import build_verdict, corroboration, decide, text_changes

from .conftest import ADDED_SENTENCE, BANTEN_GREETING, REGIONAL_TEXT, RELEASE_TEXT, VERIFY_KEYS

T0 = datetime(2024, 1, 26, 12, 33, tzinfo=UTC)
REGIONS = {
    "kominfo": ("central", "Indonesia", None),
    "banten": ("province", "Banten", None),
    "serang": ("regency", "Kabupaten Serang", "banten"),
    "lebak": ("regency", "Kabupaten Lebak", "banten"),
    "detik": ("other", "", None),
}


def stored(
    post_id: str,
    account_id: str,
    minutes: int,
    text: str = RELEASE_TEXT,
    media: tuple[str, ...] = (),
) -> StoredPost:
    tier, region, parent = REGIONS[account_id]
    return StoredPost(
        post_id=post_id,
        account_id=account_id,
        tier=tier,  # type: ignore[arg-type]
        region=region,
        account_parent_id=parent,
        published_at=T0 + timedelta(minutes=minutes),
        text=text,
        media=media,
        url=None,
        family_id="F1",
        parent_id=None,
        lag_seconds=None,
    )


def verdict_of(post: StoredPost, family: list[StoredPost]):  # type: ignore[no-untyped-def]
    """As `verification.verify_post` does: compare with the release, else the first sighting."""
    family = sorted(family, key=lambda p: (p.timestamp, p.post_id))
    _, _, release, origin = decide(post, family)
    source = release or origin
    if source.post_id == post.post_id:
        return build_verdict(post, family, normalize_text(post.text), None, [])
    return build_verdict(
        post,
        family,
        normalize_text(post.text),
        normalize_text(source.text),
        [{"against": source.post_id}],
    )


RELEASE = stored("release", "kominfo", 0)
BANTEN = stored(
    "banten", "banten", 60, BANTEN_GREETING + RELEASE_TEXT + " " + ADDED_SENTENCE + " #BantenJawara"
)
SERANG = stored("serang", "serang", 90)
LEAK = stored("leak", "detik", -120)


def test_supported_copy_after_the_release() -> None:
    report = verdict_of(SERANG, [RELEASE, BANTEN, SERANG])
    assert report.verdict == "supported"
    assert report.release == RELEASE
    assert report.lag_seconds == 90 * 60
    assert report.first_seen is None
    assert report.evidence == [{"against": "release"}]
    assert report.altered is False
    assert report.changes["text_identical"] is True
    assert report.changes["added_text"] == [] and report.changes["removed_text"] == []


def test_the_release_itself_is_supported_with_no_lag() -> None:
    report = verdict_of(RELEASE, [RELEASE, BANTEN])
    assert report.verdict == "supported"
    assert report.release == RELEASE
    assert report.lag_seconds == 0
    assert report.altered is False
    assert report.changes == {}


def test_contradicted_when_the_post_predates_the_release() -> None:
    report = verdict_of(LEAK, [LEAK, RELEASE, SERANG])
    assert report.verdict == "contradicted"
    assert "predates" in report.reason
    assert report.release == RELEASE
    assert report.lag_seconds == -120 * 60
    assert report.first_seen == LEAK


def test_a_central_post_is_a_release_even_when_its_content_appeared_first_elsewhere() -> None:
    # docs/concepts.md and sample_data/truth.json: the release itself is supported (lag 0);
    # the earlier non-central post is the one contradicted.
    report = verdict_of(RELEASE, [LEAK, RELEASE])
    assert report.verdict == "supported"
    assert report.release == RELEASE
    assert report.lag_seconds == 0
    assert verdict_of(LEAK, [LEAK, RELEASE]).verdict == "contradicted"


def test_contradicted_when_the_only_earlier_match_is_not_central() -> None:
    original = stored("serang-jembatan", "serang", 0, REGIONAL_TEXT)
    added = "Pemerintah Kabupaten Lebak akan membangun jembatan serupa tahun depan."
    copy = stored("lebak-jembatan", "lebak", 150, REGIONAL_TEXT + " " + added)
    report = verdict_of(copy, [original, copy])
    assert report.verdict == "contradicted"
    assert "non-central" in report.reason
    assert report.release is None
    assert report.lag_seconds is None
    assert report.first_seen == original
    assert report.corroboration["accounts"] == 0
    # What the copy changed is told against the first sighting.
    assert report.changes["against"] == "serang-jembatan"
    assert report.changes["added_text"] == [normalize_text(added).text]
    assert report.changes["sentences_added"] == [added]
    assert report.altered is True


def test_not_found_for_a_regional_original() -> None:
    original = stored("serang-jembatan", "serang", 0, REGIONAL_TEXT)
    copy = stored("lebak-jembatan", "lebak", 150, REGIONAL_TEXT)
    for family in ([original], [original, copy]):
        report = verdict_of(original, family)
        assert report.verdict == "not_found"
        assert report.release is None
        assert report.lag_seconds is None
        assert report.first_seen is None


def test_altered_copy_reports_the_added_sentence_and_hashtags() -> None:
    report = verdict_of(BANTEN, [RELEASE, BANTEN])
    assert report.verdict == "supported"
    assert report.altered is True
    changes = report.changes
    assert changes["sentences_added"] == [
        "👋 Simak informasi penting berikut ini ya.",
        ADDED_SENTENCE,
    ]
    assert changes["summary"] == {"id": "2 kalimat ditambahkan", "en": "2 sentences added"}
    assert changes["text_identical"] is False
    assert changes["removed_text"] == []
    assert changes["added_text"] == [
        normalize_text(BANTEN_GREETING).text,
        normalize_text(ADDED_SENTENCE).text,
    ]
    assert changes["hashtags_added"] == ["bantenjawara"]
    assert changes["hashtags_removed"] == []
    assert changes["against"] == "release"
    assert changes["media_count"] == {"source": 0, "post": 0}
    assert 0.8 < changes["similarity"] < 1.0


def test_hashtags_alone_are_cosmetic() -> None:
    copy = stored("serang", "serang", 90, RELEASE_TEXT + " #SerangBaik")
    report = verdict_of(copy, [RELEASE, copy])
    assert report.changes["text_identical"] is True
    assert report.changes["hashtags_added"] == ["serangbaik"]
    assert report.changes["cosmetic"] == ["hashtags"]
    assert report.changes["summary"]["en"] == "cosmetic changes only"
    assert report.altered is False


def test_media_counts_are_reported() -> None:
    copy = stored("serang", "serang", 90, media=("media/serang.jpg",))
    report = verdict_of(copy, [RELEASE, copy])
    assert report.changes["media_count"] == {"source": 0, "post": 1}


def test_the_same_image_under_another_name_is_not_a_change() -> None:
    release = stored("release", "kominfo", 0, media=("media/kominfo.jpg",))
    copy = stored("serang", "serang", 90, media=("media/serang.jpg",))
    report = verdict_of(copy, [release, copy])
    assert report.changes["media_count"] == {"source": 1, "post": 1}
    assert report.altered is False


def test_kata2_style_is_a_cosmetic_change() -> None:
    # `undang2` folds to `undang undang`: the words as posted differ, the message does not.
    rewritten = RELEASE_TEXT.replace("Undang-Undang", "Undang2")
    assert normalize_text(rewritten).text == normalize_text(RELEASE_TEXT).text
    copy = stored("serang", "serang", 90, rewritten)
    report = verdict_of(copy, [RELEASE, copy])
    assert report.changes["text_identical"] is True
    assert report.changes["wording_identical"] is False
    assert report.changes["cosmetic"] != []
    assert report.altered is False


def test_text_changes_of_a_truncated_copy() -> None:
    at_word = RELEASE_TEXT[:120].rsplit(" ", 1)[0]
    truncated = normalize_text(at_word + "… more")
    changes = text_changes(truncated, normalize_text(RELEASE_TEXT))
    assert changes["truncated"] is True
    assert changes["added_text"] == []
    assert len(changes["removed_text"]) == 1
    assert normalize_text(RELEASE_TEXT).text.endswith(changes["removed_text"][0])


def test_corroboration_counts_later_copies_by_account_and_region() -> None:
    lebak_a = stored("lebak-a", "lebak", 200)
    lebak_b = stored("lebak-b", "lebak", 300)
    family = [LEAK, RELEASE, BANTEN, SERANG, lebak_a, lebak_b]
    # Who else carried it: neither the release's author nor the post under verification.
    got = corroboration(RELEASE, family, BANTEN)
    assert got == {
        "accounts": 2,
        "regions": ["Kabupaten Lebak", "Kabupaten Serang"],
        "provinces": 0,
        "regencies": 2,
        "by_tier": {"regency": 2},
        "first_lag_seconds": 90 * 60,
        "median_lag_seconds": 200 * 60,
        # The opposite signal: a non-central account carried it before the release.
        "non_central_before_release": 1,
        "first_non_central": LEAK.post_id,
    }
    assert corroboration(RELEASE, family, RELEASE)["accounts"] == 3
    again = stored("release-again", "kominfo", 400)
    assert corroboration(RELEASE, [*family, again], lebak_a)["accounts"] == 2


@pytest.mark.parametrize("family", [[], [RELEASE]])
def test_corroboration_without_copies(family: list[StoredPost]) -> None:
    got = corroboration(RELEASE if family else None, family, RELEASE)
    assert got["accounts"] == 0
    assert got["regions"] == []
    assert got["first_lag_seconds"] is None


def test_to_json_shape() -> None:
    data = verdict_of(BANTEN, [RELEASE, BANTEN]).to_json()
    assert set(data) >= VERIFY_KEYS
    assert data["release"]["post_id"] == "release"
    assert data["release"]["published_at"] == "2024-01-26T12:33:00Z"
    assert data["lag_seconds"] == 3600
