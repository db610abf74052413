"""The one normaliser for text, times and URLs.

Every comparison in tracer goes through `normalize_text`, so that a copy and its
release are folded the same way: Unicode NFKC, case-fold, zero-width and emoji
stripping, URLs, mentions and hashtags pulled out as separate features, Indonesian
reduplication (`kata2` → `kata-kata`), truncation markers ("… more") dropped, and
punctuation and whitespace folded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

NORMALIZER_VERSION = 2

# A character shown as an emoji: followed by the emoji presentation selector, or a
# keycap ("ℹ️", "Ⓜ️", "1️⃣"). Removed before NFKC, which would make the first two the
# letters "i" and "m": a word that the release never had.
_EMOJI_PRESENTATION = re.compile(".\ufe0f\u20e3?|.\u20e3")
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@([\w.]{1,64}\w)")
_HASHTAG = re.compile(r"(?<![\w#&])#(\w*[^\W\d_]\w*)")
# "… more", "...more", "... lihat selengkapnya", "… lainnya" at the very end of a caption.
_TRUNCATION = re.compile(
    r"(?:\.\.\.|…)\s*"
    r"(?:more|lainnya|selengkapnya|lihat selengkapnya|see more|baca selengkapnya)?\s*$"
)
# Emoji, pictographs and other symbols are not word characters, so the punctuation
# fold below strips them with everything else that is not a letter or a digit.
# A word of letters followed by the digit 2: Indonesian shorthand for reduplication.
_REDUP = re.compile(r"\b([^\W\d_]{2,})2\b")
_UNDERSCORE = re.compile(r"_+")
# A word is a run of letters and digits; everything else (punctuation, emoji, symbols,
# the underscore) only separates words.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class NormalText:
    """A caption folded for comparison, with the features taken out of it."""

    text: str
    tokens: tuple[str, ...]
    lines: tuple[str, ...]
    """The folded text line by line (empty lines dropped): a title is a line of its own."""
    hashtags: tuple[str, ...]
    mentions: tuple[str, ...]
    urls: tuple[str, ...]
    truncated: bool

    def __reduce__(self) -> tuple[Callable[..., NormalText], tuple[Any, ...]]:
        # Pickled for every post an ingest's workers prepare: without its tokens, which
        # are its text split again, and without the dataclass default (`fields()` per
        # object), a third of the cost to send and to receive.
        return (_unpickled, (self.text, self.lines, self.hashtags, self.mentions, self.urls,
                             self.truncated))  # fmt: skip


def _unpickled(
    text: str,
    lines: tuple[str, ...],
    hashtags: tuple[str, ...],
    mentions: tuple[str, ...],
    urls: tuple[str, ...],
    truncated: bool,
) -> NormalText:
    return NormalText(text, tuple(text.split()), lines, hashtags, mentions, urls, truncated)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _pulled(pattern: re.Pattern[str], group: int, text: str) -> tuple[str, list[str]]:
    """`text` with each match of `pattern` made a space, and the matches' `group`s, in
    one pass (a `findall` and a `sub` scan it twice)."""
    found: list[str] = []

    def pull(match: re.Match[str]) -> str:
        found.append(match.group(group))
        return " "

    return pattern.sub(pull, text), found


def _may_reduplicate(text: str) -> bool:
    """Whether some "2" follows a letter (a word character that is neither a decimal
    digit nor the underscore): `_REDUP` can match only then, and running it costs a
    third of the fold."""
    at = text.find("2", 1)
    while at > 0:
        before = text[at - 1]
        if before.isalnum() and not before.isdecimal():
            return True
        at = text.find("2", at + 1)
    return False


def normalize_url(url: str) -> str:
    """Fold a URL so that the same page compares equal: scheme, `www.`, case, slash, query
    tracking parameters dropped."""
    folded = unicodedata.normalize("NFKC", url).strip()
    folded = re.sub(r"^(?:https?://)?(?:www\.|m\.)?", "", folded, flags=re.IGNORECASE)
    folded = folded.split("#", 1)[0]
    location, _, query = folded.partition("?")
    host, _, path = location.partition("/")
    path = path.rstrip("/")
    kept = [
        part
        for part in query.split("&")
        if part and not part.lower().startswith(("utm_", "igsh", "igshid", "fbclid", "si="))
    ]
    out = host.lower() + ("/" + path if path else "")
    return out + ("?" + "&".join(kept) if kept else "")


def normalize_text(raw: str) -> NormalText:
    """Fold a caption for comparison; idempotent on its own `text` output."""
    text = raw
    if "\ufe0f" in text or "\u20e3" in text:
        text = _EMOJI_PRESENTATION.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text)
    urls: list[str] = []
    if "http" in text or "www." in text or "HTTP" in text or "WWW." in text:
        text, found = _pulled(_URL, 0, text)
        urls = [normalize_url(u) for u in found]
    text = text.casefold().rstrip()
    truncated = text.endswith(("…", "...", "more", "lainnya", "selengkapnya")) and bool(
        _TRUNCATION.search(text)
    )
    if truncated:
        text = _TRUNCATION.sub(" ", text)
    hashtags: list[str] = []
    if "#" in text:
        text, hashtags = _pulled(_HASHTAG, 1, text)
    mentions: list[str] = []
    if "@" in text:
        text, mentions = _pulled(_MENTION, 1, text)
    if _may_reduplicate(text):
        # The underscore first: `kata2_` is `kata2`.
        text = _REDUP.sub(r"\1 \1", _UNDERSCORE.sub(" ", text))
    words = [found for line in text.split("\n") if (found := _WORD.findall(line))]
    lines = tuple(map(" ".join, words))
    tokens = tuple(chain.from_iterable(words))
    return NormalText(
        text=" ".join(tokens),
        tokens=tokens,
        lines=lines,
        hashtags=_unique(hashtags),
        mentions=_unique(mentions),
        urls=_unique(urls),
        truncated=truncated,
    )


# --- time -------------------------------------------------------------------------

_ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def resolve_zone(name: str) -> tzinfo:
    """A zone from an IANA name, a WIB/WITA/WIT label, or a `+07:00` offset."""
    labels = {label: zone for zone, label in _ZONE_LABELS.items()}
    name = labels.get(name.upper(), name)
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", name)
    if match:
        sign = 1 if match.group(1) == "+" else -1
        minutes = int(match.group(2)) * 60 + int(match.group(3))
        return timezone(sign * timedelta(minutes=minutes))
    if name.upper() in {"UTC", "Z"}:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def zone_label(zone: str) -> str:
    return _ZONE_LABELS.get(zone, zone)


EARLIEST = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)
"""Instants tracer accepts: a day inside Python's range, so that showing one in any zone
(offsets reach ±14 h) and adding a lag never overflow."""


def parse_instant(value: str, assume: tzinfo | None = None) -> datetime:
    """Parse ISO 8601 into an aware UTC datetime.

    A value without a UTC offset is refused unless `assume` says which zone it is in:
    guessing the zone would shift a release by hours, which is the very fact in dispute.
    """
    text = value.strip()
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not an ISO 8601 time: {value!r}") from exc
    if moment.tzinfo is None:
        if assume is None:
            raise ValueError(f"time {value!r} has no UTC offset (use --assume-tz)")
        moment = moment.replace(tzinfo=assume)
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        span = f"{EARLIEST.date().isoformat()} … {LATEST.date().isoformat()}"
        raise ValueError(f"time {value!r} is outside {span} UTC")
    return utc


def local_time(moment: datetime, zone: str = "Asia/Jakarta") -> str:
    """An instant shown in a viewer's zone, labelled (WIB/WITA/WIT)."""
    shown = moment.astimezone(resolve_zone(zone))
    return f"{shown:%Y-%m-%d %H:%M:%S} {zone_label(zone)}"


_WITA_PROVINCES = (
    "bali", "nusa tenggara barat", "nusa tenggara timur", "kalimantan selatan",
    "kalimantan timur", "kalimantan utara", "sulawesi utara", "sulawesi tengah",
    "sulawesi selatan", "sulawesi tenggara", "sulawesi barat", "gorontalo",
)  # fmt: skip
_WIT_PROVINCES = ("maluku", "maluku utara", "papua")  # every Papua province starts so
_WITA_CODES = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})
_WIT_CODES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})


def zone_of_region(region: str) -> str | None:
    """The IANA zone of an Indonesian province, by name or Kemendagri code (a regency's
    code starts with its province's two digits); None when the region does not say."""
    text = " ".join(normalize_text(region).tokens)
    code = text.replace(" ", "")[:2]
    if code.isdigit():
        if code in _WITA_CODES:
            return "Asia/Makassar"
        return "Asia/Jayapura" if code in _WIT_CODES else "Asia/Jakarta"
    if not text or text in ("nasional", "national", "indonesia"):
        return None
    if any(text == p or text.startswith(p + " ") for p in _WIT_PROVINCES):
        return "Asia/Jayapura"
    if any(text == p for p in _WITA_PROVINCES):
        return "Asia/Makassar"
    if text.startswith(("kabupaten ", "kab ", "kota ")):
        return None  # a regency's name alone does not say its province
    return "Asia/Jakarta"
