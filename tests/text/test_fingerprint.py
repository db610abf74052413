"""Text fingerprints: pinned values, a reference implementation, batch = single."""

from __future__ import annotations

import numpy as np
import xxhash
from hypothesis import example, given
from hypothesis import strategies as st

from tracer.normalize import NormalText, normalize_text
from tracer.text.fingerprint import (
    ALGORITHM,
    LINE_TOKENS,
    SHINGLE,
    VERSION,
    WINDOW,
    TextFingerprint,
    fingerprint_text,
    fingerprint_texts,
    line_key,
)

from ..conftest import RELEASE_TEXT, TITLE

# --- golden values: a change of hashing, shingling or winnowing must be noticed -----
#
# Keyed by `textfp.VERSION`: stored fingerprints are only comparable with fingerprints of
# the same version, so any change of the anchors must come with a new VERSION (and these
# tables get a new entry).

SENTENCE = (
    "Presiden Joko Widodo menegaskan bahwa presiden memiliki hak politik untuk "
    "berkampanye dan memihak dalam pemilihan umum"
)
SENTENCE_ANCHORS = {
    1: [
        0x07994AA6F8D4D3B2,
        0x0A83A6D0221F1772,
        0x1711E1699BF26ED1,
        0x2BE0EBA767F85D38,
        0x6FD9D751C0587BB8,
        0xA0DA2733CAC9BA45,
    ],
    2: [
        0x07994AA6F8D4D3B2,
        0x0A83A6D0221F1772,
        0x1711E1699BF26ED1,
        0x2BE0EBA767F85D38,
        0x32D7674DD5695F17,
        0x6FD9D751C0587BB8,
        0xA0DA2733CAC9BA45,
    ],
}
TITLE_ANCHORS = {
    1: [0x2C118320555C4656, 0x4397A4FAB44F7E92],
    2: [0x2C118320555C4656, 0x4397A4FAB44F7E92, 0x8FE3A1ECBB6DC7A5],
}
CHANGED = "the anchors changed: bump textfp.VERSION and pin the new values under it"


def test_golden_anchors_of_a_fixed_sentence() -> None:
    fp = fingerprint_text(normalize_text(SENTENCE))
    assert fp.anchors.tolist() == SENTENCE_ANCHORS[VERSION], CHANGED
    assert fp.token_count == 16


def test_golden_anchors_of_the_title() -> None:
    fp = fingerprint_text(normalize_text(TITLE))
    assert fp.anchors.tolist() == TITLE_ANCHORS[VERSION], CHANGED


def test_params_record_algorithm_and_sizes() -> None:
    fp = fingerprint_text(normalize_text(TITLE))
    assert fp.params[0] == ALGORITHM
    assert fp.params[3:] == (SHINGLE, WINDOW)


def test_fingerprint_is_deterministic_and_sorted_unique() -> None:
    norm = normalize_text(RELEASE_TEXT)
    a, b = fingerprint_text(norm), fingerprint_text(normalize_text(RELEASE_TEXT))
    assert a.anchors.tolist() == b.anchors.tolist()
    values = a.anchors.tolist()
    assert values == sorted(set(values))
    assert a.anchors.dtype == np.uint64


def test_anchor_bytes_round_trip() -> None:
    fp = fingerprint_text(normalize_text(RELEASE_TEXT))
    blob = fp.to_bytes()
    assert len(blob) == 8 * len(fp.anchors)
    assert TextFingerprint.anchors_from_bytes(blob).tolist() == fp.anchors.tolist()


def test_empty_and_tiny_texts() -> None:
    empty = fingerprint_text(normalize_text(""))
    assert empty.anchors.tolist() == [] and empty.token_count == 0
    one = fingerprint_text(normalize_text("halo"))
    assert len(one.anchors) == 1
    assert one.token_count == 1


def test_exact_hash_ignores_what_normalisation_folds() -> None:
    a = fingerprint_text(normalize_text("Presiden Punya Hak Politik!! 👋 #Pemilu"))
    b = fingerprint_text(normalize_text("presiden punya  hak politik"))
    assert a.anchors.tolist() == b.anchors.tolist()


# --- reference implementation (pure Python, from the module docstring) ---------------

_M = 2**64 - 1
_P = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)


def _mix(h: int) -> int:
    h = ((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9) & _M
    h = ((h ^ (h >> 27)) * 0x94D049BB133111EB) & _M
    return h ^ (h >> 31)


def reference_anchors(tokens: tuple[str, ...]) -> list[int]:
    """Winnowed shingles of the tokens, plus the key of the (single) line when it is long."""
    lines = [" ".join(tokens)] if tokens else []
    keys = [line_key(line) for line in lines if len(line.split()) >= LINE_TOKENS]
    return sorted(set(_winnowed(tokens)) | set(keys))


def _winnowed(tokens: tuple[str, ...]) -> list[int]:
    if not tokens:
        return []
    h = [xxhash.xxh3_64_intdigest(t.encode()) for t in tokens]
    h += [0] * max(0, SHINGLE - len(h))
    shingles = [
        _mix((h[i] * _P[0] + h[i + 1] * _P[1] + h[i + 2] * _P[2]) & _M)
        for i in range(len(h) - SHINGLE + 1)
    ]
    if len(shingles) <= WINDOW:
        return [min(shingles)]
    return sorted({min(shingles[i : i + WINDOW]) for i in range(len(shingles) - WINDOW + 1)})


def _norm(tokens: list[str]) -> NormalText:
    text = " ".join(tokens)
    return NormalText(
        text=text,
        tokens=tuple(tokens),
        lines=(text,) if tokens else (),
        hashtags=(),
        mentions=(),
        urls=(),
        truncated=False,
    )


WORDS = ("pemilu", "damai", "presiden", "hak", "politik", "uu", "acuan", "banten")
_tokens = st.lists(st.sampled_from(WORDS), max_size=14)


@given(_tokens)
def test_single_fingerprint_matches_reference(tokens: list[str]) -> None:
    assert fingerprint_text(_norm(tokens)).anchors.tolist() == reference_anchors(tuple(tokens))


@given(st.lists(_tokens, max_size=6))
@example([["halo", "sahabat"], []])  # a short caption, then a media-only post
@example([["selamat", "pagi", "sahabat", "banten"], []])
def test_batch_fingerprints_equal_single_fingerprints(docs: list[list[str]]) -> None:
    norms = [_norm(d) for d in docs]
    batch = fingerprint_texts(norms)
    assert len(batch) == len(docs)
    for tokens, fp in zip(docs, batch, strict=True):
        assert fp.anchors.tolist() == reference_anchors(tuple(tokens))
        assert fp.token_count == len(tokens)


@given(
    st.lists(
        st.text(alphabet="abcdefgh", min_size=1, max_size=3),
        min_size=SHINGLE + WINDOW - 1,
        max_size=12,
    ),
    _tokens,
    _tokens,
    _tokens,
)
def test_a_shared_run_of_window_plus_shingle_words_shares_an_anchor(
    shared: list[str], before: list[str], after: list[str], other: list[str]
) -> None:
    # The winnowing guarantee the index relies on: copies with anything around them
    # select at least one common anchor with the release.
    a = fingerprint_text(_norm(before + shared + after))
    b = fingerprint_text(_norm(other + shared))
    assert set(a.anchors.tolist()) & set(b.anchors.tolist())
