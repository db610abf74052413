"""The text of a phone screenshot that is the app's, not the post's: counters, the
clock, buttons, "Forwarded", the account's name over the post, handles before a
caption."""

from __future__ import annotations

import re
from collections.abc import Sequence

COUNTERS = re.compile(r"^(?:\W*\d+[\d.,:]*\s*(?:rb|jt|k|m|ribu|j|h)?\W*)+$", re.IGNORECASE)
"""A line of numbers: counters, the clock, the battery."""
UI_WORDS = re.compile(
    r"\b(?:suka|likes?|komentar|comments?|dibagikan|shares?|bagikan|komentari|balas|reply|"
    r"repost|retweet|diteruskan|forwarded|lihat semua|view all|bersponsor|sponsored|ikuti|"
    r"follow|terjemahkan|translate|disukai oleh|liked by|grup|group|info warga)\b",
    re.IGNORECASE,
)
"""Words of an app's own short lines: counters, buttons, "Forwarded", a chat's name."""
UI_MAX_WORDS = 6
HANDLE = re.compile(r"^@?[a-z0-9]+(?:[._][a-z0-9]+)+\b\s*", re.IGNORECASE)
"""An account handle (`diskominfo_banten`) at the start of a caption line."""


def caption_lines(text: str) -> list[str]:
    """The lines read around the picture that belong to the post: the app's own lines
    (counters, buttons, clock, "Forwarded") dropped, a leading handle taken off."""
    out: list[str] = []
    for raw in text.splitlines():
        line = re.sub(r"^\W+|(?:\s*(?:\.{2,}|…|•+))+$", "", raw.strip())  # avatar, "•••"
        if not line or COUNTERS.match(line):
            continue
        if len(line.split()) <= UI_MAX_WORDS and UI_WORDS.search(line):
            continue
        line = HANDLE.sub("", line) if not out else line
        if sum(ch.isalpha() for ch in line) < 4:
            continue
        if not out and _name_line(line):
            continue  # the account's name over the post, not its caption
        out.append(line)
    return out


def _name_line(line: str) -> bool:
    """A header line: an account's name or handle, a few words without punctuation
    (beside the post's age and the menu's dots)."""
    words = [w for w in line.split() if any(ch.isalpha() for ch in w)]  # not "2 j", "•••"
    return len(words) <= 3 and not re.search(r"[.,!?:;]", " ".join(words))


def without_handles(caption: str, handles: Sequence[str]) -> str:
    """A caption read off a screenshot without the account handles an app prints before
    it (`diskominfo_banten Halo …`; OCR may read the underscore as a space)."""
    out = caption
    for handle in handles:
        spaced = re.escape(handle).replace(r"_", "[_ ]").replace(r"\.", r"[. ]")
        out = re.sub(rf"(?:^|(?<=\s))@?{spaced}\b\s*", "", out, flags=re.IGNORECASE)
    return out.strip()
