"""What regional admins do to a release before posting it: the edits of a copy."""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable, Sequence

from synthetic.offices import Office
from synthetic.text import hashtag_line
from synthetic.vocabulary import vocabulary

Edit = Callable[[str, random.Random, Office], str]

_WORD5 = re.compile(r"[^\W\d_]{5,}")
_REDUP = re.compile(r"\b([^\W\d_]{2,})-\1\b", re.IGNORECASE)
_TOKEN = re.compile(r"\S+")


@functools.cache
def _nonstandard() -> re.Pattern[str]:
    """The vocabulary's non-standard spellings, as one case-insensitive pattern."""
    return re.compile(r"\b(" + "|".join(vocabulary().spelling) + r")\b", re.IGNORECASE)


def add_greeting(text: str, rng: random.Random, office: Office) -> str:
    """The office's own salutation on top, as almost every regional admin does."""
    if text.lstrip().startswith(office.greeting):
        return text  # already greeted (a title-only copy keeps the greeting)
    sep = "\n\n" if rng.random() < 0.7 else " "
    return f"{office.greeting}{sep}{text}"


def add_hashtags(text: str, rng: random.Random, office: Office) -> str:
    """The office's hashtags and a few of the ministry's generic ones at the end."""
    return f"{text}\n\n{hashtag_line(rng, office)}"


def truncate_more(text: str, rng: random.Random, office: Office) -> str:
    """Cut at a word boundary, as a feed or a scraper shows a long caption."""
    tokens = list(_TOKEN.finditer(text))
    if len(tokens) < 20:
        return text
    keep = max(12, int(len(tokens) * rng.uniform(0.35, 0.8)))
    marker = "… more" if rng.random() < 0.6 else "... selengkapnya"
    return f"{text[: tokens[keep - 1].end()]}{marker}"


def add_typos(text: str, rng: random.Random, office: Office) -> str:
    """Swap, drop or double one letter in 1–3 words of five letters or more."""
    words = [m for m in _WORD5.finditer(text) if m.start() == 0 or text[m.start() - 1] != "#"]
    if not words:
        return text
    picked = sorted(rng.sample(words, min(len(words), rng.randint(1, 3))), key=lambda m: m.start())
    out, last = [], 0
    for m in picked:
        word = m.group()
        i = rng.randrange(1, len(word) - 1)
        kind = rng.randrange(3)
        if kind == 0:
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif kind == 1:
            word = word[:i] + word[i + 1 :]
        else:
            word = word[:i] + word[i] + word[i:]
        out += [text[last : m.start()], word]
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def fix_spelling(text: str, rng: random.Random, office: Office) -> str:
    """Correct the release's non-standard spellings (himbauan → imbauan, resiko → risiko)."""

    spelling = vocabulary().spelling

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        right = spelling[word.lower()]
        return right[:1].upper() + right[1:] if word[:1].isupper() else right

    return _nonstandard().sub(fix, text)


def keep_title(text: str, rng: random.Random, office: Office) -> str:
    """Only the release's title line, often under the office's greeting."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # Skip greetings a source copy already carries (they end in "," or "!").
    title = next(
        (line for line in lines if not line.endswith((",", "!"))), lines[0] if lines else ""
    )
    if rng.random() < 0.5:
        return f"{office.greeting}\n{title}"
    return title


def add_local_line(text: str, rng: random.Random, office: Office) -> str:
    """The office's own closing line (call center, website)."""
    return f"{text}\n\n{office.local_line}"


def add_emoji(text: str, rng: random.Random, office: Office) -> str:
    """A few emoji at the start, after the first line and at the end."""
    lines = text.split("\n")
    emoji = vocabulary().emoji
    for _ in range(rng.randint(1, 3)):
        where = rng.randrange(3)
        mark = rng.choice(emoji)
        if where == 0:
            lines[0] = f"{mark} {lines[0]}"
        elif where == 1:
            lines[0] = f"{lines[0]} {mark}"
        else:
            lines[-1] = f"{lines[-1]} {mark}"
    return "\n".join(lines)


def reduplicate(text: str, rng: random.Random, office: Office) -> str:
    """Informal reduplication: "undang-undang" → "undang2", "masing-masing" → "masing2"."""
    return _REDUP.sub(r"\g<1>2", text)


def change_case(text: str, rng: random.Random, office: Office) -> str:
    """Shout the title, lowercase everything, or title-case the first line."""
    head, sep, rest = text.partition("\n")
    match rng.randrange(3):
        case 0:
            return head.upper() + sep + rest
        case 1:
            return text.lower()
        case _:
            return head.title() + sep + rest


EDITS: dict[str, Edit] = {
    "fix_spelling": fix_spelling,
    "typos": add_typos,
    "reduplication": reduplicate,
    "case": change_case,
    "title_only": keep_title,
    "truncate": truncate_more,
    "greeting": add_greeting,
    "local_line": add_local_line,
    "hashtags": add_hashtags,
    "emoji": add_emoji,
}
"""Every edit, in the order a copy applies them (content first, decoration after)."""
_EDIT_NAMES = tuple(EDITS)
_EDIT_WEIGHTS = (4, 6, 3, 3, 2, 5, 12, 4, 12, 5)


def pick_edits(rng: random.Random) -> tuple[str, ...]:
    """Usually 1–3 edits, weighted to what admins do most: greeting and hashtags."""
    k = rng.choices((1, 2, 3, 4), weights=(40, 35, 20, 5))[0]
    chosen: set[str] = set()
    while len(chosen) < k:
        chosen.add(rng.choices(_EDIT_NAMES, weights=_EDIT_WEIGHTS)[0])
    if "title_only" in chosen:
        chosen.discard("truncate")
    return tuple(name for name in _EDIT_NAMES if name in chosen)


def apply_edits(text: str, rng: random.Random, office: Office, names: Sequence[str]) -> str:
    for name in _EDIT_NAMES:
        if name in names:
            text = EDITS[name](text, rng, office)
    return text


# --- rendering ----------------------------------------------------------------------
