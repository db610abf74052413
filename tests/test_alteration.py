"""`altered` means the message changed: sentences added or dropped, not the dressing."""

from __future__ import annotations

import random

import pytest

from synthetic.edits import EDITS, apply_edits
from synthetic.offices import make_offices
from synthetic.sample_truth import MESSAGE_EDITS
from synthetic.text import make_release_text
from synthetic.vocabulary import vocabulary
from tracer.alteration import alteration, is_greeting, is_signoff, sentences

OFFICES = [o for o in make_offices(random.Random(7), 6, 3) if o.tier != "central"]
RELEASE = (
    "Presiden Punya Hak Politik, Acuannya UU Pemilu\n\n"
    "Presiden menegaskan hak politik untuk berkampanye sesuai Undang-Undang Pemilu. "
    "Aturan itu membolehkan presiden berkampanye tanpa fasilitas negara.\n\n"
    "Pemerintah memastikan aparatur sipil negara, TNI, dan Polri tetap netral."
)


def _releases(n: int) -> list[str]:
    rng = random.Random(11)
    topics = vocabulary().topics
    return [make_release_text(rng, rng.choice(topics)) for _ in range(n)]


@pytest.mark.parametrize("edit", sorted(set(EDITS) - MESSAGE_EDITS))
def test_every_cosmetic_edit_leaves_the_message_as_it_was(edit: str) -> None:
    rng = random.Random(edit)
    wrong = []
    for text in _releases(40):
        office = rng.choice(OFFICES)
        copy = apply_edits(text, rng, office, (edit,))
        found = alteration(copy, text)
        if found.altered:
            wrong.append((copy, found.to_json()))
    assert wrong == []


def test_a_title_only_copy_is_altered_and_says_how_many_sentences_went() -> None:
    found = alteration("Presiden Punya Hak Politik, Acuannya UU Pemilu", RELEASE)
    assert found.altered
    assert len(found.removed) == 3
    assert found.summary() == {"id": "3 kalimat dihapus", "en": "3 sentences removed"}


def test_a_dropped_sentence_is_altered_even_under_greeting_and_hashtags() -> None:
    copy = "Halo Sahabat Banten!\n\n" + RELEASE.rsplit("\n\n", 1)[0] + "\n\n#BantenMaju"
    found = alteration(copy, RELEASE)
    assert found.removed == [RELEASE.rsplit("\n\n", 1)[1]]
    assert found.added == []
    assert {"greeting", "hashtags"} <= set(found.cosmetic)


def test_a_different_caption_is_altered() -> None:
    found = alteration("Bupati meresmikan jembatan gantung di Kecamatan Cinangka.", RELEASE)
    assert found.altered and found.added and found.removed


def test_truncation_at_more_is_cosmetic_but_a_cut_release_end_is_not() -> None:
    cut = RELEASE[:150].rsplit(" ", 1)[0] + "… more"
    assert not alteration(cut, RELEASE).altered
    assert "truncated at … more" in alteration(cut, RELEASE).cosmetic
    shortened = RELEASE[: RELEASE.index("Aturan")].strip()
    assert alteration(shortened, RELEASE).altered


def test_an_identical_copy_has_no_changes() -> None:
    found = alteration(RELEASE, RELEASE)
    assert (found.altered, found.cosmetic) == (False, [])
    assert found.summary()["en"] == "no changes"


def test_greetings_sign_offs_and_sentences_are_told_apart() -> None:
    assert is_greeting("Halo Sobat Kominfo Kab. Garut!")
    assert is_greeting("Sampurasun Wargi Jabar!")
    assert not is_greeting("Presiden menegaskan hak politik untuk berkampanye.")
    assert is_signoff("Info lebih lanjut hubungi call center Kab. Garut di 112.")
    assert not is_signoff("Pemerintah memastikan aparatur tetap netral.")
    assert sentences("Halo Kab. Garut! Satu dua. Tiga\nEmpat") == [
        "Halo Kab. Garut!",
        "Satu dua.",
        "Tiga",
        "Empat",
    ]
