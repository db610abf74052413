"""Zone abbreviations written after a wall-clock time (`2024-01-27 10:00:00 BRT`).

CrowdTangle wrote each time in its dashboard's zone, named by an abbreviation. Three
sources, in this order, say what an abbreviation means:

1. `PREFERRED`: the Indonesian zones and, for the US abbreviations that also name other
   zones (CST is China and Cuba too), the US meaning a US dashboard wrote.
2. The IANA database this Python reads (`zoneinfo`): every abbreviation its zones use
   between 2010 and 2035, kept when all zones using it in the time's year agree on one
   UTC offset (MSK was +04:00 in 2013, +03:00 since 2014). It is maintained with the
   operating system or the `tzdata` package.
3. `RETIRED`: abbreviations the IANA database used until 2017, when it replaced the
   ones no local authority uses with numeric names (`-03`); dashboards and browsers
   of the time wrote them. Each has one meaning there.

An abbreviation with several meanings (IST: India, Israel, Ireland) is `Ambiguous`,
one found nowhere is unknown: the caller reports both, and `--tz` settles them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

YEARS = range(2010, 2036)


def _fixed(hours: float) -> timezone:
    return timezone(timedelta(minutes=round(hours * 60)))


PREFERRED: Mapping[str, tzinfo] = {
    "UTC": UTC,
    "GMT": UTC,
    "Z": UTC,
    "WIB": _fixed(7),
    "WITA": _fixed(8),
    "WIT": _fixed(9),
    "EST": _fixed(-5),
    "EDT": _fixed(-4),
    "CST": _fixed(-6),
    "CDT": _fixed(-5),
    "MST": _fixed(-7),
    "MDT": _fixed(-6),
    "PST": _fixed(-8),
    "PDT": _fixed(-7),
}

RETIRED: Mapping[str, float] = {
    # South America
    "BRT": -3, "BRST": -2, "AMT": -4, "ART": -3, "CLT": -4, "CLST": -3, "COT": -5,
    "PET": -5, "BOT": -4, "PYT": -4, "PYST": -3, "UYT": -3, "UYST": -2, "GFT": -3,
    "SRT": -3, "GYT": -4, "FNT": -2,
    # Asia and the Pacific
    "SGT": 8, "MYT": 8, "ICT": 7, "PHT": 8, "BNT": 8, "TLT": 9, "MMT": 6.5, "NPT": 5.75,
    "BTT": 6, "UZT": 5, "TJT": 5, "TMT": 5, "KGT": 6, "ALMT": 6, "GET": 4, "AZT": 4,
    "AFT": 4.5, "IRST": 3.5, "IRDT": 4.5, "MVT": 5, "IOT": 6, "YAKT": 9, "VLAT": 10,
    "MAGT": 11, "PETT": 12, "KRAT": 7, "NOVT": 7, "OMST": 6, "YEKT": 5, "FJT": 12,
    "NCT": 11, "VUT": 11, "SBT": 11, "TOT": 13, "PGT": 10, "CHUT": 10, "PONT": 11,
    "KOST": 11, "MHT": 12, "TVT": 12, "NRT": 12, "GILT": 12, "WAKT": 12, "WFT": 12,
    "TKT": 13, "CKT": -10, "TAHT": -10, "MART": -9.5, "GAMT": -9,
    # Africa and the Atlantic
    "CVT": -1, "AZOT": -1, "AZOST": 0, "GST": 4, "SCT": 4, "MUT": 4, "RET": 4,
}  # fmt: skip
"""GST is the Gulf's (UAE, Oman): South Georgia's -02 was written GST too, rarely."""


class Ambiguous(ValueError):
    """An abbreviation that names several UTC offsets."""

    def __init__(self, name: str, offsets: list[timedelta]) -> None:
        self.name = name
        self.offsets = offsets
        written = ", ".join(_offset_text(o) for o in offsets)
        super().__init__(f"{name!r} names several offsets ({written})")


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@cache
def _iana() -> dict[str, dict[int, frozenset[timedelta]]]:
    """Every alphabetic abbreviation of the IANA zones, with the offsets it stands for
    in each year (sampled four times a year, so both sides of daylight saving time)."""
    found: dict[str, dict[int, set[timedelta]]] = {}
    instants = [datetime(y, m, 15, 12, tzinfo=UTC) for y in YEARS for m in (1, 4, 7, 10)]
    for key in available_timezones():
        try:
            zone = ZoneInfo(key)
        except (ValueError, OSError):
            continue
        for instant in instants:
            local = instant.astimezone(zone)
            name, offset = local.tzname(), local.utcoffset()
            if name and offset is not None and name.isalpha():
                found.setdefault(name, {}).setdefault(instant.year, set()).add(offset)
    return {
        name: {year: frozenset(offsets) for year, offsets in years.items()}
        for name, years in found.items()
    }


def lookup(name: str, year: int) -> tzinfo | None:
    """The fixed offset an abbreviation stood for in `year`; None when it is unknown,
    and `Ambiguous` when it stood for several."""
    upper = name.upper()
    if upper in PREFERRED:
        return PREFERRED[upper]
    years = _iana().get(upper)
    if years is None:
        return _fixed(RETIRED[upper]) if upper in RETIRED else None
    clamped = min(max(year, YEARS.start), YEARS.stop - 1)
    offsets = years.get(clamped) or frozenset().union(*years.values())
    if len(offsets) == 1:
        return timezone(next(iter(offsets)))
    raise Ambiguous(upper, sorted(offsets))


_NUMERIC = re.compile(r"(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


def numeric(text: str) -> tzinfo | None:
    """`+07`, `+0700`, `-03:00`, `GMT+7`, `UTC+05:30` as a fixed offset, else None."""
    match = _NUMERIC.fullmatch(text.strip())
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    total = int(hours) * 60 + int(minutes or 0)
    if total > 14 * 60:
        return None
    return timezone(timedelta(minutes=total if sign == "+" else -total))
