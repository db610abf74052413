"""The match protocol (`tracer.evidence.Match`): text and media matches answer the same
questions, and `Evidence.combine` builds the evidence that is stored and served."""

from __future__ import annotations

import pytest

from tracer.evidence import Evidence, Match
from tracer.media.item import MediaMatch
from tracer.models import TextMatch
from tracer.policy import DEFAULT_POLICY
from tracer.strength import is_strong_match, rank, same_content, tier

TEXT = TextMatch("a", "b", 1.0, 1.0, 40, 0.8, 12, 97.0)
IMAGE = MediaMatch("a", "b", "image", "a/1.jpg", "b/1.jpg", 3, pdq_distance=10)
OCR = MediaMatch("a", "b", "ocr", "a/1.jpg", "b/1.jpg", 20, ocr_containment=0.9)


@pytest.mark.parametrize("match", [TEXT, IMAGE, OCR], ids=["text", "image", "ocr"])
def test_every_match_answers_the_same_questions(match: Match) -> None:
    policy = DEFAULT_POLICY
    assert match.modality in ("text", "image", "video", "ocr")
    assert all(isinstance(v, float) for v in match.scores.values())
    assert match.evidence is None or match.evidence["modality"] == match.modality
    assert is_strong_match(match, policy) is match.strong(policy)
    assert same_content(match, policy) is match.same_content(policy)
    assert tier(match, False, policy) == match.tier(False, policy)
    assert rank(match) == match.rank() == match.tier(False, policy)[1:]


def test_a_close_copy_and_a_picture_copy_rank_before_words_off_a_picture() -> None:
    matches: list[TextMatch | MediaMatch] = [OCR, IMAGE, TEXT]
    order = sorted(matches, key=lambda m: m.tier(False, DEFAULT_POLICY))
    assert [m.modality for m in order] == ["text", "image", "ocr"]
    assert TEXT.tier(True, DEFAULT_POLICY)[0] == 1  # a short caption says less
    assert not OCR.strong(DEFAULT_POLICY) and not OCR.same_content(DEFAULT_POLICY)


def test_evidence_joins_modalities_and_prefixes_media_scores() -> None:
    evidence = Evidence.combine([TEXT, IMAGE])
    assert evidence.modality == "text+image"
    assert evidence.scores == {
        **TEXT.scores,
        **{f"image_{k}": v for k, v in IMAGE.scores.items()},
    }
    assert evidence.media == IMAGE.evidence
    stored = evidence.stored_scores()
    assert list(stored)[-1] == "media" and stored["media"] == IMAGE.evidence
    assert "media" not in evidence.scores


def test_the_first_match_of_a_modality_counts() -> None:
    weaker = TextMatch("c", "b", 0.5, 0.5, 10, 0.3, 2, 40.0)
    evidence = Evidence.combine([IMAGE, TEXT, weaker])
    assert evidence.modality == "image+text"  # in the order given (best first)
    assert evidence.scores["containment"] == TEXT.scores["containment"]


def test_unverified_scores_are_kept_first_and_say_text_when_nothing_verifies() -> None:
    alone = Evidence.combine([], unverified=[TEXT])
    assert (alone.modality, alone.scores, alone.media) == ("text", TEXT.scores, None)
    beside = Evidence.combine([IMAGE], unverified=[TEXT])
    assert beside.modality == "image"
    assert list(beside.scores)[: len(TEXT.scores)] == list(TEXT.scores)
