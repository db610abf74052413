"""What a correct trace and verify must say about one sample post (`sample_data/truth.json`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from tracer.models import Verdict

Link = Literal["text", "media", "text+media"]

MESSAGE_EDITS = frozenset({"title_only", "rewrite"})
"""The edits that change the message (sentences of the release dropped or replaced):
a copy carrying one of them is `altered`. Every other edit (greeting, hashtags, the
office's closing line, emoji, case, `kata2`, typos, spelling fixes, "… more"
truncation) is cosmetic (DESIGN.md, Cascades and verdicts)."""


def message_altered(edits: tuple[str, ...] | list[str]) -> bool:
    """Whether a copy made with `edits` changed the release's message."""
    return bool(MESSAGE_EDITS.intersection(edits))


@dataclass(frozen=True, slots=True)
class MediaPlan:
    """Which media `synthetic/sample_files/generate.py` gives a post of a media case.

    `kind` names the case (`photo_release`, `photo_copy`, …), `key` the release it
    belongs to, `step` the edit a copy makes, `source` the post whose media it copies.
    """

    kind: str
    key: str = ""
    step: str = ""
    source: str | None = None


@dataclass(frozen=True, slots=True)
class SampleTruth:
    """What a correct trace and verify must say about one sample post.

    `parent` is the post it was really copied from (None for an origin); `altered`
    says whether the copy changed the message of its family's core (the release, else
    the origin): sentences added or dropped, title only, a different caption — not
    greetings, hashtags, closing lines, emoji, case, typos or truncation
    (`message_altered`); None for posts that copy nothing. `link` is what ties a copy to
    its family: its text, its media or both (None for origins and unrelated posts); a
    `media` copy can only be found by media matching.
    """

    release: str | None
    parent: str | None
    copies_regional: bool
    verdict: Verdict
    altered: bool | None
    family: str | None
    edits: tuple[str, ...] = ()
    note: str = ""
    link: Link | None = None
    plan: MediaPlan | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "release": self.release,
            "parent": self.parent,
            "copies_regional": self.copies_regional,
            "verdict": self.verdict,
            "altered": self.altered,
            "family": self.family,
            "edits": list(self.edits),
            "note": self.note,
            "link": self.link,
            "case": self.plan.kind if self.plan else None,
        }
