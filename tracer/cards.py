"""Verification cards to publish: what a card shows, gathered from the store, for a
stored post (`make_card`) and for content from outside the corpus (`make_content_card`:
the submitted file's thumbnail and SHA-256 beside the release and the stored copy it
shows). `tracer.card` renders them."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
from PIL import Image, UnidentifiedImageError

from tracer.card import Card, CardMedia
from tracer.errors import MediaError
from tracer.flags import Context
from tracer.linker import Linker
from tracer.media.decode import media_kind
from tracer.models import StoredPost, iso_utc
from tracer.policy import DEFAULT_POLICY, MatchPolicy
from tracer.store import Store
from tracer.store.media import media_item
from tracer.store.rows import MediaRow
from tracer.tracing import find_post, load_family
from tracer.verdict import decide
from tracer.verification import Submission, judge_content, post_zone, verify_post

THUMB_SIDE = 320


def card_media(row: MediaRow) -> CardMedia:
    """A stored file as the card shows it: thumbnail, SHA-256 and fingerprints."""
    prints: dict[str, Any] = {}
    item = media_item(row)
    if item is not None and item.image is not None:
        prints = {
            "pdq": item.image.pdq.to_hex(),
            "pdq_quality": item.image.pdq.quality,
            "phash": f"{item.image.phash:016x}",
        }
    elif item is not None and item.video is not None:
        prints = {"frames": len(item.video.frames), "duration_s": round(item.video.duration, 2)}
    if row.error:
        prints["error"] = row.error
    return CardMedia(row.path, row.kind, row.sha256, row.thumbnail, prints)


def content_digest(posts: Sequence[StoredPost], media: dict[str, list[MediaRow]]) -> str:
    """SHA-256 over what the verdict relied on: each family post's id, account, time,
    text digest and media hashes, in time order. A third party holding the same posts
    gets the same digest."""
    rows = [
        [
            p.post_id,
            p.account_id,
            iso_utc(p.published_at),
            hashlib.sha256(p.text.encode()).hexdigest(),
            [m.sha256 for m in media.get(p.post_id, [])],
        ]
        for p in sorted(posts, key=lambda p: (p.timestamp, p.post_id))
    ]
    return hashlib.sha256(orjson.dumps(rows)).hexdigest()


def make_card(
    store: Store, ref: str, policy: MatchPolicy = DEFAULT_POLICY, context: Context | None = None
) -> Card:
    """Everything a verification card shows, for a stored post."""
    report = verify_post(store, ref, policy, context)
    post = find_post(store, ref)
    family = load_family(store, policy, post)
    _, _, release, origin = decide(post, family.posts)
    source: StoredPost | None = release or origin
    if source is not None and source.post_id == post.post_id:
        source = None
    rows = store.media.rows_by_post([p.post_id for p in family.posts])
    return Card(
        report,
        post,
        source,
        tuple(card_media(r) for r in rows.get(post.post_id, [])),
        tuple(card_media(r) for r in rows.get(source.post_id, [])) if source else (),
        content_digest(family.posts, rows),
        post_zone(post, store.accounts()),
    )


def submitted_media(path: Path) -> CardMedia:
    """A submitted file as the card shows it: a thumbnail (pictures) and its SHA-256."""
    with path.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    thumb: bytes | None = None
    try:
        kind = media_kind(path)
    except MediaError:  # verified already: a readable picture or clip
        kind = "image"
    if kind == "image":
        try:
            with Image.open(path) as image:
                image.thumbnail((THUMB_SIDE, THUMB_SIDE))
                out = io.BytesIO()
                image.convert("RGB").save(out, "JPEG", quality=80)
                thumb = out.getvalue()
        except (OSError, UnidentifiedImageError):
            thumb = None
    return CardMedia(path.name, kind, digest, thumb, {})


def make_content_card(
    store: Store,
    submission: Submission,
    policy: MatchPolicy = DEFAULT_POLICY,
    context: Context | None = None,
    linker: Linker | None = None,
    names: Sequence[str] | None = None,
) -> Card:
    """Everything a card shows for content from outside the corpus: the verdict, the
    submitted files (thumbnail, SHA-256; `names` as the sender called them), the
    release and the stored post the content shows, side by side."""
    report, post, seen = judge_content(store, submission, policy, context, linker=linker)
    family = load_family(store, policy, seen).posts if seen is not None else ()
    release = report.release
    ids = [p.post_id for p in (release, seen) if p is not None]
    rows = store.media.rows_by_post(ids)
    files = []
    for n, path in enumerate(submission.media):
        shown_file = submitted_media(path)
        if names is not None and n < len(names):
            shown_file = CardMedia(
                names[n], shown_file.kind, shown_file.sha256, shown_file.thumbnail
            )
        files.append(shown_file)
    return Card(
        report,
        post,
        release,
        tuple(files),
        tuple(card_media(r) for r in rows.get(release.post_id, [])) if release else (),
        content_digest(family, rows),
        post_zone(post, store.accounts()),
        shown=seen
        if seen is not None and (release is None or seen.post_id != release.post_id)
        else None,
        shown_media=tuple(card_media(r) for r in rows.get(seen.post_id, [])) if seen else (),
    )
