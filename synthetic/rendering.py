"""How a synthetic post looks in an export: its URL and its time in its own offset."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tracer.corpus import post_to_json
from tracer.models import Account, Post


def post_url(account: Account, post_id: str) -> str | None:
    match account.platform:
        case "instagram":
            return f"https://instagram.com/p/{post_id}"
        case "facebook":
            return f"https://facebook.com/{account.handle}/posts/{post_id}"
        case "x":
            return f"https://x.com/{account.handle}/status/{post_id}"
        case "tiktok":
            return f"https://tiktok.com/@{account.handle}/video/{post_id}"
        case "web":
            return f"https://{account.handle}/berita/{post_id}"
    return None


def local_iso(moment: datetime) -> str:
    """ISO 8601 in the instant's own offset, `Z` for UTC (DESIGN: all of them occur)."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def post_json_local(post: Post) -> dict[str, Any]:
    """`post_to_json`, but with the time in the post's own offset instead of UTC.

    `post_to_json` renders every instant in UTC; a synthetic corpus should carry the
    WIB/WITA/WIT offsets that real exports carry, so readers are tested on them.
    """
    out = post_to_json(post)
    out["published_at"] = local_iso(post.published_at)
    return out
