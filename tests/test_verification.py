"""Verification (issue 5): verdicts with changes, times, corroboration and flags on the
sample corpus; content from outside the corpus, a phone screenshot included; cards."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from synthetic.posters import font
from tracer.alteration import alteration
from tracer.card import render, word_diff
from tracer.cards import content_digest, make_card
from tracer.errors import InputError
from tracer.flags import load_context, parse_context
from tracer.normalize import zone_of_region
from tracer.store import Store
from tracer.verification import Submission, verify_content, verify_post

from .conftest import copy_db
from .processes import run_tracer

pytestmark = pytest.mark.databases  # on SQLite and on PostgreSQL

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
TRUTH = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
CASES = TRUTH["cases"]
RELEASE = CASES["release"]
POSTER = SAMPLE / "corpus" / "media" / "hak_politik_poster.jpg"


# --- verdicts on the sample -------------------------------------------------------


def test_a_post_that_predates_the_release_is_contradicted(sample_store: Store) -> None:
    report = verify_post(sample_store, CASES["contradicted"])
    assert report.verdict == "contradicted"
    assert report.release is not None and report.release.post_id == CASES["late_release"]
    assert report.lag_seconds is not None and report.lag_seconds < 0
    assert report.corroboration["non_central_before_release"] >= 1


def test_a_repost_with_added_sentences_is_supported_and_altered(sample_store: Store) -> None:
    report = verify_post(sample_store, CASES["banten_repost"])
    assert report.verdict == "supported"
    assert report.release is not None and report.release.post_id == RELEASE
    assert report.altered
    added = report.changes["sentences_added"]
    assert added and all(isinstance(s, str) and s for s in added)
    post_text = sample_store.find_post(CASES["banten_repost"])
    assert post_text is not None
    assert all(s in post_text.text for s in added)  # listed as written
    assert report.changes["hashtags_added"]


def test_a_regional_original_is_not_found(sample_store: Store) -> None:
    report = verify_post(sample_store, CASES["regional_origin"])
    assert report.verdict == "not_found"
    assert report.release is None


def test_every_supported_sample_verdict_names_its_release(sample_store: Store) -> None:
    for post_id, truth in TRUTH["posts"].items():
        if truth["verdict"] != "supported":
            continue
        report = verify_post(sample_store, post_id)
        assert report.verdict == "supported", post_id
        assert report.release is not None and report.release.post_id == truth["release"], post_id


def test_times_are_shown_in_utc_and_in_the_regions_zone(sample_store: Store) -> None:
    report = verify_post(sample_store, CASES["banten_repost"])
    assert report.times["release"]["local"].endswith("WIB")
    assert report.times["release"]["utc"].endswith("Z")
    assert report.times["post"]["local"].endswith("WIB")
    papua = verify_post(sample_store, "papua-ig-20240127")
    assert papua.times["post"]["local"].endswith("WIT")
    assert papua.times["lag_seconds"] == papua.lag_seconds


def test_media_changes_name_what_the_copy_did(sample_store: Store) -> None:
    report = verify_post(sample_store, "kota-surabaya-ig-20240127")  # clip with an intro card
    changes = [c["change"] for m in report.changes["media"] for c in m["changes"]]
    assert "intro_added" in changes
    cropped = verify_post(sample_store, "bali-ig-20240127")
    assert "cropped" in [c["change"] for m in cropped.changes["media"] for c in m["changes"]]


def test_campaign_period_and_political_terms_are_flagged_with_their_source(
    sample_store: Store,
) -> None:
    report = verify_post(sample_store, CASES["banten_repost"])  # January 2024
    flags = {f["flag"]: f for f in report.flags}
    assert flags["campaign_period"]["start"] == "2023-11-28"
    assert flags["campaign_period"]["end"] == "2024-02-10"
    assert "pemilu" in flags["political_terms"]["detail"]
    assert all(f["source"] for f in report.flags)
    later = verify_post(sample_store, CASES["regional_origin"])  # March 2024
    assert "campaign_period" not in {f["flag"] for f in later.flags}


def test_corroboration_counts_provinces_and_regencies(sample_store: Store) -> None:
    report = verify_post(sample_store, CASES["banten_repost"])
    c = report.corroboration
    assert c["accounts"] >= c["provinces"] > 0 and c["regencies"] > 0
    assert c["first_lag_seconds"] <= c["median_lag_seconds"]


# --- content from outside the corpus ----------------------------------------------


def phone_screenshot(picture: Path, handle: str, caption: list[str]) -> Image.Image:
    """A post as a phone shows it: status bar, account, the picture, buttons, caption."""
    width = 1080
    shot = Image.new("RGB", (width, 2340), (255, 255, 255))
    draw = ImageDraw.Draw(shot)
    draw.text((40, 25), "09.41   4G  87%", font=font(36), fill=(0, 0, 0))
    draw.ellipse([30, 130, 110, 210], fill=(200, 200, 200))
    draw.text((130, 150), handle, font=font(40), fill=(0, 0, 0))
    with Image.open(picture) as source:
        shown = source.convert("RGB").resize((width, round(source.height * width / source.width)))
    shot.paste(shown, (0, 240))
    y = 240 + shown.height + 40
    draw.text((30, y), "1.234 suka", font=font(40), fill=(0, 0, 0))
    for line in caption:
        y += 60
        draw.text((30, y), line, font=font(38), fill=(0, 0, 0))
    return shot


def test_a_screenshot_of_a_post_verifies_to_its_release(
    sample_store: Store, tmp_path: Path
) -> None:
    shot = tmp_path / "screenshot.png"
    caption = ["diskominfo.banten Halo Sahabat Banten! Presiden punya hak", "politik ..."]
    phone_screenshot(POSTER, "diskominfo.banten", caption).save(shot)
    claimed = datetime(2024, 1, 27, 5, 0, tzinfo=UTC)
    report = verify_content(sample_store, Submission(media=(shot,), claimed_at=claimed))
    assert report.verdict == "supported"
    assert report.release is not None and report.release.post_id == RELEASE
    assert report.lag_seconds == int(claimed.timestamp()) - report.release.timestamp
    assert report.evidence and report.evidence[0]["against"] == RELEASE


def test_a_caption_claimed_before_the_release_is_contradicted(sample_store: Store) -> None:
    release = sample_store.find_post(RELEASE)
    assert release is not None
    early = datetime(2024, 1, 25, 8, 0, tzinfo=UTC)
    report = verify_content(sample_store, Submission(text=release.text, claimed_at=early))
    assert report.verdict == "contradicted"
    assert report.release is not None and report.release.post_id == RELEASE


def test_unrelated_content_is_not_found(sample_store: Store) -> None:
    text = "Jadwal posyandu bulan ini di kelurahan kami mulai pukul delapan pagi di balai warga."
    assert verify_content(sample_store, Submission(text=text)).verdict == "not_found"


def test_verifying_nothing_or_a_bad_file_is_an_input_error(
    sample_store: Store, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="nothing to check"):
        verify_content(sample_store, Submission())
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not a picture")
    with pytest.raises(InputError, match=r"broken\.jpg"):
        verify_content(sample_store, Submission(media=(bad,)))


# --- cards ------------------------------------------------------------------------


def test_the_html_card_carries_the_verdict_and_reproducible_evidence(sample_store: Store) -> None:
    card = make_card(sample_store, CASES["banten_repost"])
    html = render(card)
    assert 'data-verdict="supported"' in html
    assert "Didukung" in html and "Supported" in html
    assert card.content_digest in html and re.fullmatch(r"[0-9a-f]{64}", card.content_digest)
    for m in (*card.post_media, *card.source_media):
        assert m.sha256 and m.sha256 in html
    assert "data:image/jpeg;base64," in html  # thumbnails embedded: one file
    assert "<script" not in html


def test_the_card_escapes_what_posts_say(sample_store: Store) -> None:
    card = make_card(sample_store, CASES["banten_repost"])
    hostile = type(card.post)(**{**_fields(card.post), "text": "<script>alert(1)</script> *x*"})
    html = render(type(card)(**{**_fields(card), "post": hostile}))
    assert "<script>alert(1)</script>" not in html
    markdown = render(type(card)(**{**_fields(card), "post": hostile}), "md")
    assert r"\*x\*" in markdown


def test_the_markdown_card(sample_store: Store) -> None:
    markdown = render(make_card(sample_store, CASES["contradicted"]), "md")
    assert markdown.startswith("# Tidak didukung — diunggah sebelum rilis pusatnya")
    assert "## Not supported — posted before its central release" in markdown
    assert "Dibantah" not in markdown and "Content digest" in markdown  # not "denied"


def test_the_content_digest_depends_on_the_data(sample_store: Store) -> None:
    card = make_card(sample_store, CASES["banten_repost"])
    family = [card.post, *([card.source] if card.source else [])]
    one = content_digest(family, {})
    assert one == content_digest(list(reversed(family)), {})  # order-free: sorted by time
    edited = type(card.post)(**{**_fields(card.post), "text": card.post.text + "!"})
    assert content_digest([edited, *family[1:]], {}) != one


def _fields(value: object) -> dict[str, object]:
    return {name: getattr(value, name) for name in value.__slots__}  # type: ignore[attr-defined]


# --- pure pieces ------------------------------------------------------------------


def test_sentence_changes_compare_normalised_sentences_and_report_them_as_written() -> None:
    source = "Presiden punya hak politik. Acuannya UU Pemilu."
    post = "Halo Sahabat Banten! PRESIDEN PUNYA HAK POLITIK. Acuannya UU Pemilu."
    found = alteration(post, source)
    assert (found.added, found.removed, found.altered) == ([], [], False)
    assert found.cosmetic == ["greeting"]
    louder = alteration(post + " Simak terus kanal resmi kami setiap hari.", source)
    assert louder.added == ["Simak terus kanal resmi kami setiap hari."]


def test_word_diff_marks_added_and_removed_words() -> None:
    left, right = word_diff("a b c", "a X c")
    assert ("removed", "b") in left and ("added", "X") in right


@pytest.mark.parametrize(
    ("region", "zone"),
    [
        ("Bali", "Asia/Makassar"),
        ("Sulawesi Selatan", "Asia/Makassar"),
        ("Papua Pegunungan", "Asia/Jayapura"),
        ("Maluku Utara", "Asia/Jayapura"),
        ("Banten", "Asia/Jakarta"),
        ("Kalimantan Barat", "Asia/Jakarta"),
        ("73.71", "Asia/Makassar"),
        ("Kota Serang", None),
        ("Nasional", None),
    ],
)
def test_zone_of_region(region: str, zone: str | None) -> None:
    assert zone_of_region(region) == zone


def test_context_files_are_validated() -> None:
    assert load_context().periods  # the shipped rules load
    with pytest.raises(ValueError, match="periods"):
        parse_context({"periods": [{"name": "x", "start": "2024-02-30", "end": "2024-03-01"}]})
    with pytest.raises(ValueError, match="before start"):
        parse_context({"periods": [{"name": "x", "start": "2024-03-02", "end": "2024-03-01"}]})


def test_a_context_file_replaces_the_shipped_rules(sample_db_file: Path, tmp_path: Path) -> None:
    rules = {
        "periods": [
            {"name": "Pilkada 2024", "start": "2024-03-01", "end": "2024-03-31", "source": "KPU"}
        ],
        "terms": {"source": "our list", "words": ["banjir"]},
    }
    path = tmp_path / "context.json"
    path.write_text(json.dumps(rules), encoding="utf-8")
    db = copy_db(sample_db_file, tmp_path / "db")
    env = {"TRACER_CONTEXT_FILE": str(path)}
    result = run_tracer("--db", str(db), "verify", CASES["regional_origin"], "--json", env=env)
    assert result.returncode == 0, result.stderr
    flags = {f["flag"]: f for f in json.loads(result.stdout)["flags"]}
    assert flags["campaign_period"]["detail"] == "Pilkada 2024"
    assert flags["campaign_period"]["source"] == "KPU"
    assert "political_terms" not in flags or flags["political_terms"]["source"] == "our list"
    path.write_text("{not json", encoding="utf-8")
    broken = run_tracer("--db", str(db), "verify", CASES["regional_origin"], env=env)
    assert broken.returncode == 2 and "context.json" in broken.stderr


def test_claiming_a_central_account_does_not_make_content_a_release(sample_store: Store) -> None:
    central = next(a for a in sample_store.accounts().values() if a.tier == "central")
    text = "Jadwal posyandu bulan ini di kelurahan kami mulai pukul delapan pagi di balai warga."
    report = verify_content(sample_store, Submission(text=text, account_id=central.account_id))
    assert report.verdict == "not_found"
    release = sample_store.find_post(RELEASE)
    assert release is not None
    early = datetime(2024, 1, 20, tzinfo=UTC)  # before the real release, "by" the ministry
    claimed = Submission(text=release.text, claimed_at=early, account_id=central.account_id)
    assert verify_content(sample_store, claimed).verdict == "contradicted"


def test_a_standalone_card_keeps_its_styles_intact(sample_store: Store) -> None:
    html = render(make_card(sample_store, CASES["banten_repost"]))
    assert '"Segoe UI"' in html and "&#34;" not in html.split("</style>")[0]
