"""Context flags: facts about when and what a post is that a fact-checker should see.

A post inside an election campaign period, or a release whose words are political, is
flagged with the source of the rule, so a verdict never hides that context. The rules
are data (`tracer/data/context.json`, or a file named by `TRACER_CONTEXT_FILE`), not
code. Pure apart from `load_context`, which reads the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from tracer.errors import InputError
from tracer.normalize import normalize_text

JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True, slots=True)
class Period:
    name: str
    start: datetime
    end: datetime
    """Exclusive: midnight after the last day, Jakarta time."""
    source: str


@dataclass(frozen=True, slots=True)
class Context:
    periods: tuple[Period, ...]
    terms: tuple[tuple[str, ...], ...]
    """Normalised token sequences."""
    terms_source: str


def load_context(path: Path | None = None) -> Context:
    """The default rules, or a file in the same format; an `InputError` names the field."""
    try:
        raw = (
            path.read_bytes()
            if path
            else resources.files("tracer.data").joinpath("context.json").read_bytes()
        )
    except OSError as exc:
        raise InputError(f"{path}: cannot read context file: {exc.strerror}") from None
    name = str(path or "tracer/data/context.json")
    try:
        return parse_context(orjson.loads(raw))
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{name}: invalid JSON: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{name}: {exc}") from None


def parse_context(doc: dict[str, Any]) -> Context:
    periods = []
    for i, p in enumerate(doc.get("periods", [])):
        try:
            start, end = date.fromisoformat(p["start"]), date.fromisoformat(p["end"])
        except (KeyError, ValueError) as exc:
            raise ValueError(f"periods[{i}]: start/end must be YYYY-MM-DD ({exc})") from None
        if end < start:
            raise ValueError(f"periods[{i}]: end is before start")
        periods.append(
            Period(
                str(p["name"]),
                datetime.combine(start, time(), JAKARTA),
                datetime.combine(end + timedelta(days=1), time(), JAKARTA),
                str(p.get("source", "")),
            )
        )
    terms_doc = doc.get("terms", {})
    words = [normalize_text(str(w)).tokens for w in terms_doc.get("words", [])]
    return Context(tuple(periods), tuple(w for w in words if w), str(terms_doc.get("source", "")))


def flags(
    context: Context, moment: datetime, release_tokens: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Flags for a post published at `moment` whose release says `release_tokens`."""
    out: list[dict[str, Any]] = []
    for period in context.periods:
        if period.start <= moment < period.end:
            out.append(
                {
                    "flag": "campaign_period",
                    "detail": period.name,
                    "start": period.start.date().isoformat(),
                    "end": (period.end - timedelta(days=1)).date().isoformat(),
                    "source": period.source,
                }
            )
    found = [" ".join(t) for t in context.terms if _contains(release_tokens, t)]
    if found:
        out.append({"flag": "political_terms", "detail": found, "source": context.terms_source})
    return out


def _contains(tokens: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tokens[i : i + n] == phrase for i in range(len(tokens) - n + 1))
