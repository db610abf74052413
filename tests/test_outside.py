"""Outside content: which stored post it shows, by which path, and whether that is enough;
the verdict's headline in Indonesian and English."""

from __future__ import annotations

from datetime import UTC, datetime

from tracer.headline import headline, verdict_lines
from tracer.media.match import MediaMatch
from tracer.models import StoredPost, TextMatch
from tracer.outside import path_of, shown


def _post(post_id: str, tier: str, family: str | None) -> StoredPost:
    return StoredPost(
        post_id=post_id,
        account_id=f"acct-{post_id}",
        tier=tier,  # type: ignore[arg-type]
        region="",
        account_parent_id=None,
        published_at=datetime(2024, 1, 27, tzinfo=UTC),
        text="",
        media=(),
        url=f"https://instagram.com/p/{post_id}",
        family_id=family,
        parent_id=None,
        lag_seconds=None,
    )


POSTS = {
    "release": _post("release", "central", "F1"),
    "banten": _post("banten", "province", "F1"),
    "other": _post("other", "regency", "F2"),
}


def picture(source: str, distance: int, pdq: int, ocr: float | None = None) -> MediaMatch:
    return MediaMatch(
        source, "(submitted)", "image", "a.jpg", "s.jpg#embedded2", distance, pdq, ocr
    )


def caption(source: str, containment: float, tokens: int) -> TextMatch:
    return TextMatch(source, "(submitted)", containment, 1.0, tokens, containment, 5, 90.0)


def test_a_picture_at_the_edge_of_the_radius_alone_is_not_enough() -> None:
    assert not picture("other", 8, 126).conclusive()
    assert picture("other", 2, 140).conclusive()  # the same region, near-identical
    assert picture("other", 8, 60).conclusive()  # the whole picture agrees
    assert picture("other", 8, 126, ocr=0.9).conclusive()  # the words on it agree
    assert caption("banten", 0.95, 30).conclusive()
    assert not caption("banten", 0.95, 4).conclusive()


def test_the_shown_post_is_the_one_matched_by_most_paths() -> None:
    found = shown(
        [picture("release", 0, 20), picture("banten", 0, 22), caption("banten", 0.9, 25)],
        POSTS.__getitem__,
    )
    assert found.post == POSTS["banten"] and found.sure
    assert found.paths == ("caption", "picture")
    assert [c["post_id"] for c in found.candidates] == ["banten", "release"]
    assert found.to_json()["is_release"] is False


def test_partial_evidence_lists_the_candidates() -> None:
    found = shown([picture("other", 8, 126)], POSTS.__getitem__)
    assert found.post == POSTS["other"] and not found.sure
    assert found.candidates[0]["paths"] == ["picture"] and 0 < found.candidates[0]["score"] < 1
    assert path_of(MediaMatch("x", "y", "ocr", "a", "b", 30)) == "words on the picture"
    assert shown([], POSTS.__getitem__).post is None


def test_headlines_carry_what_matters() -> None:
    summary = {"id": "6 kalimat dihapus", "en": "6 sentences removed"}
    assert headline("supported", altered=True, changes={"summary": summary}) == {
        "id": "Didukung — salinan diubah: 6 kalimat dihapus",
        "en": "Supported — altered copy: 6 sentences removed",
    }
    cosmetic = {"summary": {"id": "hanya perubahan kosmetik", "en": "cosmetic changes only"}}
    assert headline("supported", changes=cosmetic)["en"].endswith("cosmetic changes only")
    no_release = headline("contradicted", first_tier="regency", central_accounts=3)
    assert no_release["id"] == (
        "Tidak didukung — pertama diunggah oleh akun daerah; "
        "tidak ada rilis pusat di antara 3 akun pusat yang dikumpulkan"
    )
    assert "Dibantah" not in no_release["id"]
    assert headline("inconclusive")["en"].startswith("Inconclusive")


def test_the_cli_lines_are_bullets_in_both_languages() -> None:
    report = {
        "post_id": "banten",
        "verdict": "supported",
        "reason": "derives from a central release published before the post",
        "release": {"post_id": "release", "account_id": "kominfo_wa", "published_at": "x"},
        "lag_seconds": 3600 * 13 + 42 * 60,
        "altered": True,
        "changes": {
            "summary": {"id": "1 kalimat dihapus", "en": "1 sentence removed"},
            "sentences_removed": ["Pemerintah memastikan ASN netral."],
            "sentences_added": [],
            "cosmetic": ["greeting"],
        },
        "times": {"release": {"local": "2024-01-26 19:33:00 WIB"}, "post": {"local": "…"}},
        "corroboration": {"accounts": 2, "regions": ["Banten"]},
        "flags": [],
    }
    lines = verdict_lines(report)
    assert lines[:2] == [
        "Didukung — salinan diubah: 1 kalimat dihapus",
        "Supported — altered copy: 1 sentence removed",
    ]
    assert "• Rilis / Release: release (kominfo_wa), 2024-01-26 19:33:00 WIB" in lines
    assert "• Selang / Lag: 13 j 42 mnt / 13 h 42 min" in lines
    assert "  − Pemerintah memastikan ASN netral." in lines
