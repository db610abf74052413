"""The words synthetic corpora are made of, read from `synthetic/data/vocabulary.json`.

Places, greetings, topics and sentence templates are data, not code: they live in a
JSON file shipped with the package and are read on first use (`vocabulary()` caches
the result), never at import time. The order of every list and mapping is part of the
output: seeded draws index into them, so reordering the file changes every corpus.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, NamedTuple

VOCABULARY_FILE = "vocabulary.json"


class Province(NamedTuple):
    """A province: the key used in handles, its name, UTC offset and real regencies.

    The first regencies of a list are the ones the sample case relies on.
    """

    key: str
    name: str
    utc_offset: int
    regencies: tuple[str, ...]


class NewsSite(NamedTuple):
    key: str
    title: str
    domain: str


@dataclass(frozen=True, slots=True)
class Topic:
    """A theme of government communication and the phrases that fill its templates."""

    name: str
    hashtag: str
    titles: tuple[str, ...]
    slots: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Every table the generators draw from; see `vocabulary()`."""

    provinces: tuple[Province, ...]
    regency_name_heads: tuple[str, ...]
    """Made-up regency names (head + tail) for rosters larger than the real lists."""
    regency_name_tails: tuple[str, ...]
    villages: tuple[str, ...]
    province_greetings: Mapping[str, str]
    """Province key → the salutation its office really uses; others get a pattern."""
    greeting_patterns: tuple[str, ...]
    local_lines: tuple[str, ...]
    slogan_suffixes: tuple[str, ...]
    generic_hashtags: tuple[str, ...]
    news_sites: tuple[NewsSite, ...]
    topics: tuple[Topic, ...]
    generic_slots: Mapping[str, tuple[str, ...]]
    """Template slots any topic may use (officials' titles and names, channels, …)."""
    sentences: tuple[str, ...]
    boilerplate: tuple[str, ...]
    """Sentences every office writes: boilerplate that must not link unrelated posts."""
    amplify: str
    """The distribution group's request line, which copies drop."""
    months: tuple[str, ...]
    days: tuple[str, ...]
    emoji: tuple[str, ...]
    spelling: Mapping[str, str]
    """Non-standard spellings that copy editors fix (KBBI: imbauan, risiko, aktivitas, …)."""
    topic_by_name: Mapping[str, Topic]
    places: tuple[str, ...]
    """Every province and real regency, in file order: where template facts happen."""


def _strs(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"vocabulary: {what} must be a list of strings")
    return tuple(value)


def _str_map(value: Any, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError(f"vocabulary: {what} must map strings to strings")
    return dict(value)


def _slot_map(value: Any, what: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ValueError(f"vocabulary: {what} must be an object")
    return {str(k): _strs(v, f"{what}.{k}") for k, v in value.items()}


def parse_vocabulary(raw: Mapping[str, Any]) -> Vocabulary:
    """Build a `Vocabulary` from the decoded JSON, checking the shape as it goes."""
    provinces = tuple(
        Province(
            str(p["key"]),
            str(p["name"]),
            int(p["utc_offset"]),
            _strs(p["regencies"], f"regencies of {p['key']}"),
        )
        for p in raw["provinces"]
    )
    topics = tuple(
        Topic(
            str(t["name"]),
            str(t["hashtag"]),
            _strs(t["titles"], f"titles of {t['name']}"),
            _slot_map(t["slots"], f"slots of {t['name']}"),
        )
        for t in raw["topics"]
    )
    return Vocabulary(
        provinces=provinces,
        regency_name_heads=_strs(raw["regency_name_heads"], "regency_name_heads"),
        regency_name_tails=_strs(raw["regency_name_tails"], "regency_name_tails"),
        villages=_strs(raw["villages"], "villages"),
        province_greetings=_str_map(raw["province_greetings"], "province_greetings"),
        greeting_patterns=_strs(raw["greeting_patterns"], "greeting_patterns"),
        local_lines=_strs(raw["local_lines"], "local_lines"),
        slogan_suffixes=_strs(raw["slogan_suffixes"], "slogan_suffixes"),
        generic_hashtags=_strs(raw["generic_hashtags"], "generic_hashtags"),
        news_sites=tuple(
            NewsSite(str(s["key"]), str(s["title"]), str(s["domain"])) for s in raw["news_sites"]
        ),
        topics=topics,
        generic_slots=_slot_map(raw["generic_slots"], "generic_slots"),
        sentences=_strs(raw["sentences"], "sentences"),
        boilerplate=_strs(raw["boilerplate"], "boilerplate"),
        amplify=str(raw["amplify"]),
        months=_strs(raw["months"], "months"),
        days=_strs(raw["days"], "days"),
        emoji=_strs(raw["emoji"], "emoji"),
        spelling=_str_map(raw["spelling"], "spelling"),
        topic_by_name={t.name: t for t in topics},
        places=tuple(name for p in provinces for name in (p.name, *p.regencies)),
    )


@functools.cache
def vocabulary() -> Vocabulary:
    """The packaged vocabulary, read and checked on the first call, then cached."""
    text = (resources.files("synthetic") / "data" / VOCABULARY_FILE).read_text("utf-8")
    return parse_vocabulary(json.loads(text))
