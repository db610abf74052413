"""The facade's verification half: verdicts for stored posts and for content from outside
the corpus (a caption, a screenshot, a downloaded clip), in the same shape.

Content from outside is fingerprinted like an ingested post, matched against the store
by the linker's search path (`LinkedPosts.find`, which changes nothing), and judged
against the family it matches as if it had been posted at the claimed time by the
claimed account.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracer.candidates import Candidate, Match
from tracer.cascades.stored import edge_evidence
from tracer.errors import InputError, MediaError
from tracer.flags import Context, load_context
from tracer.linker import Linker
from tracer.linking import make_linker
from tracer.media import ocr
from tracer.media.decode import MediaLimits, check_size, load_image, media_kind
from tracer.media.embedded import embedded_picture
from tracer.media.fingerprint import fingerprint_image
from tracer.media.match import MediaItem, describe_change, match_media
from tracer.models import Account, StoredPost
from tracer.normalize import NormalText, normalize_text, zone_of_region
from tracer.outside import Submission as Submission  # re-exported: the API and CLI build it
from tracer.outside import (
    closest_copy,
    raw_caption,
    shown,
    shown_media,
)
from tracer.policy import DEFAULT_POLICY, MatchPolicy
from tracer.prepare import PreparedMedia, prepare_media
from tracer.screen_text import without_handles
from tracer.screenshot import View, screenshot_media
from tracer.store import Store
from tracer.text.fingerprint import fingerprint_text
from tracer.tracing import find_post, load_family, text_side
from tracer.verdict import VerdictReport, build_verdict, decide
from tracer.views import view_matches

SUBMITTED = "(submitted)"
"""The post id given to content verified from outside the corpus."""


@functools.cache
def default_context() -> Context:
    return load_context()


def post_zone(post: StoredPost, accounts: dict[str, Account]) -> str:
    """The zone of the post's region, else of its parent account's (a regency's province),
    else WIB."""
    zone = zone_of_region(post.region)
    parent = accounts.get(post.account_parent_id or "")
    if zone is None and parent is not None:
        zone = zone_of_region(parent.region)
    return zone or "Asia/Jakarta"


def verify_post(
    store: Store, ref: str, policy: MatchPolicy = DEFAULT_POLICY, context: Context | None = None
) -> VerdictReport:
    """The verdict on "this post was a ministry release", with its evidence."""
    post = find_post(store, ref)
    family = load_family(store, policy, post)
    media = store.media.items_by_post([p.post_id for p in family.posts])
    return _judge(store, policy, context, post, family.posts, media)


def _judge(
    store: Store,
    policy: MatchPolicy,
    context: Context | None,
    post: StoredPost,
    members: Sequence[StoredPost],
    media: dict[str, tuple[MediaItem, ...]],
) -> VerdictReport:
    post_text = normalize_text(post.text)
    _, _, release, origin = decide(post, members)
    source = release or origin
    accounts = store.accounts()
    extras: dict[str, Any] = {
        "post_zone": post_zone(post, accounts),
        "context": context or default_context(),
        "central_accounts": sum(a.tier == "central" for a in accounts.values()),
    }
    if source.post_id == post.post_id:
        return build_verdict(post, members, post_text, None, [], **extras)
    source_text = normalize_text(source.text)
    mine, theirs = media.get(post.post_id, ()), media.get(source.post_id, ())
    found = edge_evidence(
        text_side(post.post_id, post_text),
        text_side(source.post_id, source_text, source.tier == "central"),
        mine,
        theirs,
        policy,
    )
    evidence: list[dict[str, Any]] = [
        {"against": source.post_id, "modality": found.modality, "scores": found.scores}
    ]
    if found.media:
        evidence[0]["media"] = found.media
    report = media_report(mine, theirs, policy)
    return build_verdict(post, members, post_text, source_text, evidence, report, **extras)


def media_report(
    mine: tuple[MediaItem, ...], theirs: tuple[MediaItem, ...], policy: MatchPolicy
) -> list[dict[str, Any]]:
    """Each media file of a post against the best-matching file of its source."""
    out: list[dict[str, Any]] = []
    for item in mine:
        found = match_media((item,), theirs, policy)
        source = next((t for t in theirs if found and t.path == found.source_media), None)
        out.append(
            {
                "media": item.path,
                "match": found.evidence if found else None,
                "changes": describe_change(item, source, found) if found and source else [],
            }
        )
    return out


# --- content from outside the corpus ----------------------------------------------


def prepare_upload(
    path: Path, limits: MediaLimits, ocr_lang: str | None
) -> tuple[list[PreparedMedia], list[View]]:
    """An uploaded file as media items: the file itself and, for a screenshot of a post,
    the picture inside the app's frame, with the views of a picture a scroll cut.
    Tesseract reads the picture in a thread while it is fingerprinted (OCR is most of
    the time). A bad file raises `InputError` (it was sent on purpose; there is no post
    to report it against)."""
    try:
        kind = media_kind(path)
    except MediaError as exc:
        raise InputError(f"{path.name}: {exc.reason}") from None
    if kind == "video":
        clip = prepare_media(path.parent, path.name, limits, ocr_lang)
        if clip.error is not None:
            raise InputError(f"{path.name}: {clip.error}")
        return [clip], []
    try:
        check_size(path, limits)
        image = load_image(path, limits)
    except MediaError as exc:
        raise InputError(f"{path.name}: {exc.reason}") from None
    with path.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    shot = screenshot_media(image, path.name, digest, ocr_lang)
    if shot is not None:  # a phone screenshot: the picture inside, caption read apart
        return shot
    with ThreadPoolExecutor(max_workers=1) as pool:
        reading = pool.submit(ocr.read_text_or_none, image, ocr_lang) if ocr_lang else None
        whole = fingerprint_image(image)
        box = embedded_picture(image)
        inner = None
        if box is not None:
            crop = image.crop(box)
            crop.info.pop("source_size", None)  # the crop's own size, not the screenshot's
            inner = fingerprint_image(crop)
        text = reading.result() if reading is not None else None
    tokens = normalize_text(text).tokens if text is not None else None
    items = [
        PreparedMedia(
            path.name, "image", digest, MediaItem(path.name, image=whole, ocr=tokens), text
        )
    ]
    if inner is not None:
        # The embedded picture carries the words read off the whole screenshot: its own
        # words are among them, and they tell template siblings apart.
        name = f"{path.name}#embedded"
        items.append(PreparedMedia(name, "image", digest, MediaItem(name, image=inner, ocr=tokens)))
    return items, []


def submission_text(submission: Submission, media: Sequence[PreparedMedia]) -> NormalText:
    """The caption given, else the words read off a screenshot (its caption is there)."""
    return normalize_text(raw_caption(submission, media))


def submission_candidate(
    submission: Submission, limits: MediaLimits | None, ocr_lang: str | None
) -> tuple[Candidate, list[PreparedMedia], NormalText, list[View]]:
    """Outside content fingerprinted as the linker sees a post (it is never stored), and
    the views of pictures a scroll cut."""
    if not submission.text.strip() and not submission.media:
        raise InputError("nothing to check: give a text, a media file or both")
    if ocr_lang is not None and ocr.unavailable(ocr_lang):
        ocr_lang = None
    prepared: list[PreparedMedia] = []
    views: list[View] = []
    for path in submission.media:
        items, seen = prepare_upload(path, limits or MediaLimits(), ocr_lang)
        prepared += items
        views += seen
    norm = submission_text(submission, prepared)
    candidate = Candidate(
        -1,
        SUBMITTED,
        submission.account_id or SUBMITTED,
        norm.tokens,
        fingerprint_text(norm).anchors,
        norm.lines,
        tuple(m.item for m in prepared if m.item is not None),
    )
    return candidate, prepared, norm, views


def _find(
    store: Store,
    policy: MatchPolicy,
    candidate: Candidate,
    linker: Linker | None,
    views: Sequence[View] = (),
) -> list[Match]:
    """Verified matches of `candidate`, best first, then those of the views of a
    scrolled picture (`views.view_matches`), with the given linker or one loaded for this
    call."""
    if linker is not None:
        return _with_views(store, policy, candidate, linker, views)
    reader = store.link_reader()
    try:
        return _with_views(store, policy, candidate, make_linker(store, policy, reader), views)
    finally:
        reader.close()


def _with_views(
    store: Store, policy: MatchPolicy, candidate: Candidate, linker: Linker, views: Sequence[View]
) -> list[Match]:
    found = linker.find(candidate)
    matches = [m for _, m in found]
    if not views:
        return matches
    done = {linker.family_of(p) for p, m in found if m.modality != "text"}
    return matches + view_matches(store, policy, candidate, linker, views, done)


def verify_content(
    store: Store,
    submission: Submission,
    *,
    policy: MatchPolicy = DEFAULT_POLICY,
    context: Context | None = None,
    limits: MediaLimits | None = None,
    ocr_lang: str | None = ocr.LANG,
    linker: Linker | None = None,
) -> VerdictReport:
    """The verdict for content that is not in the corpus, as if `submission.account_id`
    had posted it at `submission.claimed_at` (now when not claimed).

    `linker`: a searcher already loaded from the store (the HTTP service keeps one);
    without it, one is loaded for this call."""
    return judge_content(
        store,
        submission,
        policy,
        context,
        limits=limits,
        ocr_lang=ocr_lang,
        linker=linker,
    )[0]


def judge_content(
    store: Store,
    submission: Submission,
    policy: MatchPolicy,
    context: Context | None,
    *,
    limits: MediaLimits | None = None,
    ocr_lang: str | None = ocr.LANG,
    linker: Linker | None = None,
) -> tuple[VerdictReport, StoredPost, StoredPost | None]:
    """`verify_content`, with the submission as a post and the stored post it shows."""
    candidate, prepared, _, views = submission_candidate(submission, limits, ocr_lang)
    matches = _find(store, policy, candidate, linker, views)
    found = shown(matches, lambda ref: find_post(store, ref))
    members: list[StoredPost] = []
    if found.post is not None:  # the stored post the content shows, and its family
        members = list(load_family(store, policy, found.post).posts)
        stored = store.media.items_by_post([p.post_id for p in members])
        found = closest_copy(found, candidate.media, matches, stored, members, policy)
    items = shown_media(candidate.media, matches)
    names = {i.path for i in items if "#embedded" in i.path}
    account = candidate.account_id
    known = store.accounts().get(account)
    moment = submission.claimed_at or datetime.now(UTC)
    post = StoredPost(
        post_id=SUBMITTED,
        account_id=account,
        # Never `central`, whatever account is claimed: the claim under test is that the
        # content was a ministry release, and only the corpus can show one.
        tier="other",
        region=known.region if known else "",
        account_parent_id=known.parent_id if known else None,
        published_at=moment.astimezone(UTC),
        text=without_handles(
            raw_caption(submission, [m for m in prepared if m.path in names] or prepared),
            known_handles(store) if not submission.text.strip() else (),
        ),
        media=tuple(m.path for m in prepared if "#embedded" not in m.path),
        url=None,
        family_id=members[0].family_id if members else None,
        parent_id=None,
        lag_seconds=None,
    )
    family_posts = sorted([*members, post], key=lambda p: (p.timestamp, p.post_id))
    media = store.media.items_by_post([p.post_id for p in members])
    media[SUBMITTED] = items
    report = _judge(store, policy, context, post, family_posts, media)
    report = replace(report, shown=found.to_json())
    if found.post is not None and not found.sure:
        report = replace(
            report,
            verdict="inconclusive",
            reason="partial evidence: only "
            + " and ".join(found.paths)
            + " matched, at the edge of the match radius",
            release=None,
            lag_seconds=None,
            first_seen=None,
        )
    return report, post, found.post


def known_handles(store: Store) -> list[str]:
    """The stored accounts' handles, longest first (to strip them off a caption)."""
    return sorted({a.handle for a in store.accounts().values() if a.handle}, key=len, reverse=True)
