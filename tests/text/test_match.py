"""Verification of candidate pairs under the one `MatchPolicy`."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tracer.normalize import normalize_text
from tracer.policy import MatchPolicy
from tracer.text.fingerprint import fingerprint_text
from tracer.text.match import (
    TextSide,
    accepts,
    carries_title,
    may_carry_title,
    score_pair,
    title_size,
    verify_pair,
)

from ..conftest import (
    BANTEN_GREETING,
    JABAR_GREETING,
    OTHER_RELEASE_TEXT,
    REGIONAL_TEXT,
    RELEASE_TEXT,
    TITLE,
)

POLICY = MatchPolicy()


def side(post_id: str, text: str) -> TextSide:
    norm = normalize_text(text)
    return TextSide(post_id, norm.tokens, fingerprint_text(norm).anchors, norm.lines)


RELEASE = side("release", RELEASE_TEXT)

COPIES = {
    "greeting": BANTEN_GREETING + RELEASE_TEXT,
    "hashtags": RELEASE_TEXT + "\n\n#PemiluDamai2024 #BantenJawara #NarasiTunggal @kemkominfo",
    "truncated": RELEASE_TEXT[:260] + "… more",
    "truncated_mid_word": BANTEN_GREETING + RELEASE_TEXT[:203] + "... selengkapnya",
    "two_typos": RELEASE_TEXT.replace("menegaskan", "menegasakan").replace(
        "tanggungan", "tangungan"
    ),
    "title_only": TITLE,
    "title_with_tags": f"{TITLE} 🇮🇩 #PemiluDamai2024",
    "everything": JABAR_GREETING
    + RELEASE_TEXT[:400].replace("berkampanye", "berkampnye")
    + "… more",
}


@pytest.mark.parametrize("kind", sorted(COPIES))
def test_copies_verify_against_the_release(kind: str) -> None:
    copy = side(kind, COPIES[kind])
    match = verify_pair(copy, RELEASE, frozenset(), POLICY)
    assert match is not None, score_pair(copy, RELEASE).scores
    assert match.source == "release" and match.target == kind
    assert match.containment >= POLICY.min_containment
    assert match.shared_anchors >= 1


def test_title_only_copy_has_at_least_seven_words() -> None:
    assert len(normalize_text(TITLE).tokens) >= 7


def test_full_copy_scores() -> None:
    match = score_pair(side("copy", COPIES["greeting"]), RELEASE)
    assert match.containment == 1.0
    assert match.anchor_containment == 1.0
    assert match.shared_anchors == len(RELEASE.keys)
    assert 90 < match.ratio < 100
    scores = match.scores
    assert scores["containment"] == 1.0
    assert scores["shared_anchors"] == float(len(RELEASE.keys))
    assert scores["ratio"] == round(match.ratio, 2)
    assert all(isinstance(v, float) for v in scores.values())


def test_releases_from_the_same_templates_do_not_match() -> None:
    other = side("other", OTHER_RELEASE_TEXT)
    assert verify_pair(other, RELEASE, frozenset(), POLICY) is None
    assert verify_pair(RELEASE, other, frozenset(), POLICY) is None
    # …and neither do their copies carrying the same province greeting.
    a = side("a", BANTEN_GREETING + RELEASE_TEXT)
    b = side("b", BANTEN_GREETING + OTHER_RELEASE_TEXT)
    assert verify_pair(a, b, frozenset(), POLICY) is None


@pytest.mark.parametrize(
    "greeting",
    [
        "Halo Sahabat Banten! 👋",
        "Selamat pagi Sahabat Banten! Semangat beraktivitas 🙏",
        BANTEN_GREETING,
        "Sampurasun! #JabarJuara #PemiluDamai2024",
    ],
)
def test_greeting_only_text_does_not_link_to_the_release(greeting: str) -> None:
    assert verify_pair(side("g", greeting), RELEASE, frozenset(), POLICY) is None


def test_greeting_only_text_does_not_link_through_a_boilerplate_greeting() -> None:
    copy = side("copy", BANTEN_GREETING + RELEASE_TEXT)
    greeting = side("g", BANTEN_GREETING)
    boilerplate = set(greeting.keys.tolist())
    assert verify_pair(greeting, copy, boilerplate, POLICY) is None
    # while the copy itself still links to the release with the greeting discounted
    assert verify_pair(copy, RELEASE, boilerplate, POLICY) is not None


def test_texts_below_min_tokens_never_link_even_when_identical() -> None:
    tiny = side("a", "Halo Sahabat Banten!")
    assert len(tiny.tokens) < POLICY.min_tokens
    assert verify_pair(tiny, side("b", "Halo Sahabat Banten! 👋"), frozenset(), POLICY) is None


def test_boilerplate_anchors_do_not_count_as_shared() -> None:
    copy = side("copy", COPIES["greeting"])
    match = score_pair(copy, RELEASE, boilerplate=set(RELEASE.keys.tolist()))
    assert match.shared_anchors == 0
    assert match.anchor_containment == 0.0
    assert verify_pair(copy, RELEASE, set(RELEASE.keys.tolist()), POLICY) is None


# --- the rule itself ---------------------------------------------------------------


def _words_of(text: str) -> list[str]:
    return list(normalize_text(text).tokens)


BODY_WORDS = _words_of(RELEASE_TEXT)[7:]  # the release without its title
FILLER = _words_of(REGIONAL_TEXT)  # nothing in common with the release


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        # Short texts need (nearly) all of their words in the release.
        (TITLE, True),
        (TITLE.replace("Politik", "Pilihan"), False),  # 6 of 7 words
        ("Presiden Punya Hak Politik, Acuannya UU Pilkada", False),
        # Long texts: the share of their words that the release contains decides.
        (" ".join(BODY_WORDS[:40]), True),
        (" ".join(BODY_WORDS[:36] + FILLER[:4]), True),
        (" ".join(BODY_WORDS[:12] + FILLER[:28]), False),
        (" ".join(FILLER[:12] + BODY_WORDS[:12] + FILLER[12:28]), False),
    ],
)
def test_the_linking_rule(text: str, accepted: bool) -> None:
    copy = side("copy", text)
    match = score_pair(copy, RELEASE)
    shorter = min(len(copy.tokens), len(RELEASE.tokens))
    assert accepts(match, shorter, POLICY) is accepted, match.scores
    assert (verify_pair(copy, RELEASE, frozenset(), POLICY) is not None) is accepted


def test_no_shared_anchor_never_links() -> None:
    copy = side("copy", " ".join(BODY_WORDS[:40]))
    match = score_pair(copy, RELEASE, boilerplate=set(RELEASE.keys.tolist()))
    assert match.shared_anchors == 0
    assert accepts(match, len(copy.tokens), POLICY) is False


def test_policy_from_mapping() -> None:
    policy = MatchPolicy.from_mapping({"min_containment": 0.7, "common_families": 5})
    assert policy.min_containment == 0.7 and policy.common_families == 5
    assert policy.short_tokens == POLICY.short_tokens
    with pytest.raises(ValueError, match="unknown policy fields: nope"):
        MatchPolicy.from_mapping({"nope": 1})
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.min_containment = 0.1  # type: ignore[misc]


# --- properties ---------------------------------------------------------------------

WORDS = ("presiden", "hak", "politik", "pemilu", "kampanye", "undang", "negara", "cuti")
_words = st.sampled_from((*WORDS, "halo", "sahabat", "banten"))
_texts = st.lists(_words, max_size=30).map(" ".join)


@given(_texts, _texts, st.sets(st.integers(0, 2**64 - 1), max_size=3))
@example("presiden presiden politik hak", "politik hak presiden politik", set())
def test_score_pair_is_symmetric(a_text: str, b_text: str, extra: set[int]) -> None:
    a, b = side("a", a_text), side("b", b_text)
    boilerplate = set(extra) | set(a.keys.tolist()[:1])
    ab = score_pair(a, b, boilerplate)
    ba = score_pair(b, a, boilerplate)
    assert ab.containment == ba.containment
    assert ab.shared_anchors == ba.shared_anchors
    assert ab.anchor_containment == ba.anchor_containment
    assert ab.ratio == ba.ratio
    assert (ab.source, ab.target) == (ba.target, ba.source)
    assert 0.0 <= ab.containment <= 1.0
    assert 0.0 <= ab.anchor_containment <= 1.0


@given(_texts, _texts)
def test_verify_pair_decision_is_symmetric(a_text: str, b_text: str) -> None:
    a, b = side("a", a_text), side("b", b_text)
    assert (verify_pair(a, b, frozenset(), POLICY) is None) == (
        verify_pair(b, a, frozenset(), POLICY) is None
    )


@given(_texts)
def test_a_text_contains_itself(text: str) -> None:
    a = side("a", text)
    match = score_pair(a, side("b", text))
    if len(a.tokens) >= 2:
        assert match.containment == 1.0
        assert match.shared_anchors == len(a.keys)


WORDS = st.sampled_from(["halo", "sobat", "bayar", "pbb", "kini", "bisa", "online", "di", "kota"])
LINES = st.lists(st.lists(WORDS, min_size=1, max_size=12).map(" ".join), max_size=4)


@given(LINES, LINES, st.booleans(), st.booleans())
@example(["bayar pbb kini bisa online"], ["halo sobat bayar pbb kini bisa online"], True, False)
def test_may_carry_title_holds_whenever_a_title_is_carried(
    lines_a: list[str], lines_b: list[str], release_a: bool, release_b: bool
) -> None:
    """The linker skips a pair that `may_carry_title` rules out: it must never rule out
    a pair that `carries_title` accepts."""
    a = side("a", "\n".join(lines_a))
    b = side("b", "\n".join(lines_b))
    a, b = dataclasses.replace(a, release=release_a), dataclasses.replace(b, release=release_b)
    if carries_title(a, b, set(), POLICY.max_framing):
        sizes = (len(a.tokens), title_size(a.lines), len(b.tokens), title_size(b.lines))
        assert may_carry_title(*sizes, POLICY.max_framing)
