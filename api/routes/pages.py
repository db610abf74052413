"""`GET /`: the overview page for analysts — a post/URL look-up, the families table, a
timeline of releases and their reposts, coverage by province, and export links.

The page is a template and our own scripts (`/static/overview.js`, `/static/lookup.js`),
which fetch `/families`, `/accounts`, `/trace` and `/verify` and draw everything in the
browser: no framework, no inline script. Times are shown in `TRACER_TIMEZONE` (WIB by
default), as in the CLI.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import SettingsDep
from api.routes.embed import page
from tracer import resolve_zone, zone_label

router = APIRouter(include_in_schema=False)


def browser_zone(name: str) -> str:
    """An IANA name the browser's `Intl` knows: the zone's own, or `Etc/GMT-7` for a
    whole-hour offset such as `+07:00`; UTC otherwise."""
    zone = resolve_zone(name)
    if isinstance(zone, ZoneInfo):
        return zone.key
    offset = zone.utcoffset(datetime.now(UTC))
    hours, rest = divmod(int(offset.total_seconds()) if offset else 0, 3600)
    return f"Etc/GMT{-hours:+d}" if hours and not rest else "UTC"


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, settings: SettingsDep) -> HTMLResponse:
    """The overview; its data come from `GET /families`, `GET /accounts`, `GET /trace`."""
    return page(
        request,
        "overview.html",
        zone=browser_zone(settings.timezone),
        zone_label=zone_label(settings.timezone),
    )
