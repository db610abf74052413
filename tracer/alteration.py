"""Whether a copy changed the message, or only its dressing (DESIGN.md, `altered`).

A copy is *altered* when it adds or drops sentences of the release (a title-only copy,
a rewrite, a different caption). Regional admins also greet, sign off, tag, shout the
title, add emoji, write `kata2`, fix or make typos, and feeds cut long captions at
"… more": those are listed as cosmetic and leave the message as it was. Pure: takes
the two captions as posted, returns an `Alteration`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from rapidfuzz import fuzz

from tracer.normalize import normalize_text

_BREAK = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")
_ABBREVIATION = re.compile(r"(?:^|\s)(?:[a-z]{1,2}|prov|kel|kec|kab|drs|tbk)\.$", re.IGNORECASE)
_CUT = re.compile(r"(?:…|\.\.\.)\s*(?:more|lainnya|selengkapnya)?\W*$", re.IGNORECASE)

SAME_SENTENCE = 80.0
"""rapidfuzz ratio (0–100) above which two sentences are one with typos or a respelling."""

GREETING_WORDS = frozenset(
    [
        "salam",
        "halo",
        "hallo",
        "hai",
        "hi",
        "assalamualaikum",
        "assalamu",
        "alaikum",
        "wassalamualaikum",
        "selamat",
        "sahabat",
        "sobat",
        "sanak",
        "sedulur",
        "warga",
        "wargi",
        "sampurasun",
        "punten",
        "wilujeng",
        "tabik",
        "horas",
        "mejuah",
        "sugeng",
        "pinarak",
        "rahayu",
        "swastiastu",
        "om",
        "shalom",
        "dulur",
        "kawan",
        "rekan",
        "teman",
        "netizen",
        "pagi",
        "siang",
        "sore",
        "malam",
        "apa",
        "kabar",
        "yang",
        "budiman",
    ]
)
"""Words a salutation is made of; a short first line made only of these and names is a
greeting, not news."""

SIGNOFF = re.compile(
    r"(?:https?://|www\.|\b[\w-]+\.(?:go\.id|id|com|org|net)\b|\b\d[\d\s-]{6,}\d\b|@\w|"
    r"\b(?:hubungi|kunjungi|selengkapnya|lebih lanjut|call center|pengaduan|pantau terus|"
    r"ikuti|follow|terima kasih|salam)\b)",
    re.IGNORECASE,
)
"""What an office's own closing line carries: a site, a phone number, an account, a
call to follow or contact it."""

MAX_GREETING_WORDS = 8


def sentences(text: str) -> list[str]:
    """A caption's sentences (and lines), as written, without empty ones; "Kab." or
    "Dr." does not end a sentence."""
    out: list[str] = []
    for line in text.splitlines():
        merged: list[str] = []
        for piece in _BREAK.split(line):
            if merged and _ABBREVIATION.search(merged[-1]):
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        out.extend(m.strip() for m in merged if m.strip())
    return out


def _key(sentence: str) -> str:
    return " ".join(normalize_text(sentence).tokens)


def is_greeting(sentence: str) -> bool:
    """A short salutation (opening with a greeting word, or ending in a comma or an
    exclamation mark with one in it), or a rubric line ("Suara Desa —")."""
    words = _key(sentence).split()
    if not words or len(words) > MAX_GREETING_WORDS:
        return False
    end = sentence.rstrip()
    return (
        words[0] in GREETING_WORDS
        or (end.endswith((",", "!", "?")) and any(w in GREETING_WORDS for w in words))
        or (end.endswith(("—", "–", ":")) and len(words) <= 4)  # a rubric: "Suara Desa —"
    )


def is_signoff(sentence: str) -> bool:
    """An office's closing line: its site, phone or account, a call to follow it."""
    return len(_key(sentence).split()) <= 25 and SIGNOFF.search(sentence) is not None


@dataclass(frozen=True, slots=True)
class Alteration:
    """Sentences of the message added and removed, and the cosmetic edits beside them."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    cosmetic: list[str] = field(default_factory=list)

    @property
    def altered(self) -> bool:
        return bool(self.added or self.removed)

    def summary(self) -> dict[str, str]:
        """The change in a few words, in Indonesian (`id`) and English (`en`)."""
        if self.altered:
            en, id_ = [], []
            if self.removed:
                n = len(self.removed)
                en.append(f"{n} sentence{'s' if n > 1 else ''} removed")
                id_.append(f"{n} kalimat dihapus")
            if self.added:
                n = len(self.added)
                en.append(f"{n} sentence{'s' if n > 1 else ''} added")
                id_.append(f"{n} kalimat ditambahkan")
            return {"id": ", ".join(id_), "en": ", ".join(en)}
        if self.cosmetic:
            return {"id": "hanya perubahan kosmetik", "en": "cosmetic changes only"}
        return {"id": "tanpa perubahan", "en": "no changes"}

    def to_json(self) -> dict[str, Any]:
        return {
            "altered": self.altered,
            "sentences_added": self.added,
            "sentences_removed": self.removed,
            "cosmetic": self.cosmetic,
            "summary": self.summary(),
        }


def _content(text: str) -> list[tuple[str, str]]:
    """Sentences with their normalised words; lines of hashtags, mentions or emoji (no
    word of three letters) are dressing and left out."""
    out = []
    for sentence in sentences(text):
        key = _key(sentence)
        if any(len(w) >= 3 for w in key.split()):
            out.append((sentence, key))
    return out


def _cut(mine: list[tuple[str, str]], theirs: list[tuple[str, str]]) -> int | None:
    """Where the feed cut the copy at "… more": the index in `theirs` of the sentence
    the copy's cut sentence starts, or None when the copy was not cut."""
    cut = next((n for n, (s, _) in enumerate(mine) if _CUT.search(s)), None)
    if cut is None:
        return None
    fragment = _key(_CUT.sub("", mine[cut][0]))
    if not fragment:
        return None
    words = fragment.split()
    tail = " ".join(words[-3:])
    for n, (_, key) in enumerate(theirs):
        if key.startswith(fragment) or (len(words) >= 3 and tail in key):
            return n
    return None


def alteration(post: str, source: str) -> Alteration:
    """How the caption `post` changed the message of `source` (its release)."""
    norm_post, norm_source = normalize_text(post), normalize_text(source)
    cosmetic: set[str] = set()
    if set(norm_post.hashtags) != set(norm_source.hashtags):
        cosmetic.add("hashtags")
    if set(norm_post.mentions) != set(norm_source.mentions):
        cosmetic.add("mentions")
    mine, theirs = _content(post), _content(source)
    cut_at = _cut(mine, theirs)
    if cut_at is not None:  # the rest of the release is behind "… more", not removed
        cosmetic.add("truncated at … more")
        cut = next(n for n, (s, _) in enumerate(mine) if _CUT.search(s))
        mine[cut] = (mine[cut][0], theirs[cut_at][1])
        theirs = theirs[: cut_at + 1]
    matcher = SequenceMatcher(a=[k for _, k in theirs], b=[k for _, k in mine], autojunk=False)
    added: list[tuple[int, str]] = []
    removed: list[str] = []
    kept_at: list[int] = []  # positions in `mine` of sentences of the release
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            kept_at.extend(range(j1, j2))
            continue
        gone = list(range(i1, i2))
        for j in range(j1, j2):  # a sentence respelt, with typos, or under a greeting
            near = _closest(mine[j][1], [theirs[i][1] for i in gone])
            if near is None:
                added.append((j, mine[j][0]))
                continue
            cosmetic.add(near[1])
            kept_at.append(j)
            gone.pop(near[0])
        removed.extend(theirs[i][0] for i in gone)
    first, last = (min(kept_at), max(kept_at)) if kept_at else (len(mine), -1)
    kept_added = []
    signoff_next = False
    for j, s in reversed(added):
        if j < first and is_greeting(s):
            cosmetic.add("greeting")
        elif j > last and (
            is_signoff(s) or is_greeting(s) or (signoff_next and len(s.split()) <= 4)
        ):
            cosmetic.add("sign-off")
            signoff_next = True
            continue
        else:
            kept_added.append(s)
        signoff_next = False
    kept_added.reverse()
    kept_removed = []
    for s in removed:
        if is_greeting(s) or is_signoff(s):
            cosmetic.add("greeting or sign-off of the release")
        else:
            kept_removed.append(s)
    if post.split() != source.split() and not (kept_added or kept_removed or cosmetic):
        cosmetic.add("case, punctuation, emoji or spacing")
    return Alteration(kept_added, kept_removed, sorted(cosmetic))


def _closest(key: str, candidates: list[str]) -> tuple[int, str] | None:
    """The candidate that `key` is with small edits, or under a greeting on its line;
    its index and what changed."""
    best, at = 0.0, None
    for n, other in enumerate(candidates):
        if other in key and other != key:
            rest = key.replace(other, " ").strip()
            if is_greeting(rest) or is_signoff(rest):
                return n, "greeting"
        score = fuzz.ratio(key, other)
        if score > best:
            best, at = score, n
    return (at, "typos or respelling") if at is not None and best >= SAME_SENTENCE else None
