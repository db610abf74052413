"""What the linker compares: a post as a candidate (its text and media fingerprints),
the keys its media are found by, and the words read off pictures that are too common
to tell contents apart."""

from __future__ import annotations

from dataclasses import dataclass

from tracer.media.match import MediaItem, MediaMatch
from tracer.models import TextMatch
from tracer.normalize import normalize_text
from tracer.text.fingerprint import fingerprint_text

Match = TextMatch | MediaMatch


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored (or pending) post as the verifier sees it."""

    idx: int
    post_id: str
    account_id: str
    tokens: tuple[str, ...]
    anchors: frozenset[int]
    """Shingle anchors and line keys (see `tracer.text.fingerprint`)."""
    lines: tuple[str, ...]
    media: tuple[MediaItem, ...] = ()


def media_keys(items: tuple[MediaItem, ...]) -> list[int]:
    """The keys a post's media are found by: picture regions and video frame regions."""
    keys: list[int] = []
    for item in items:
        if item.image is not None:
            keys.extend(item.image.regions)
        if item.video is not None:
            keys.extend(k for frame in item.video.frames for k in frame)
    return keys


def ocr_anchors(items: tuple[MediaItem, ...], min_tokens: int) -> list[int]:
    """Anchors of the text read off a post's pictures, when there is enough of it."""
    anchors: set[int] = set()
    for item in items:
        if item.ocr is not None and len(item.ocr) >= min_tokens:
            norm = normalize_text(" ".join(item.ocr))
            anchors.update(fingerprint_text(norm).anchors.tolist())
    return sorted(anchors)


class CommonWords:
    """Counts, for every word read off a picture, the families it was seen in; a word of
    more than `cap` families is template or frame text from then on (a header, a
    footer, an office's name)."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.common: frozenset[str] = frozenset()
        self._families: dict[str, set[int]] = {}

    def note(self, family: int, items: tuple[MediaItem, ...]) -> None:
        grown: list[str] = []
        for word in sorted({w for item in items if item.ocr for w in item.ocr}):
            held = self._families.setdefault(word, set())
            if len(held) <= self.cap and family not in held:
                held.add(family)
                if len(held) > self.cap:
                    grown.append(word)
        if grown:
            self.common = self.common | frozenset(grown)
