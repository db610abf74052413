"""`POST /verify` (content from outside the corpus) and `GET /verify/card` (a card to
publish): the fact-checkers' routes beside `GET /verify`."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.datastructures import UploadFile as StarletteUpload

from api.deps import SettingsDep, TracerDep
from api.errors import problems
from api.schemas import VerifyOut
from tracer import (
    IMAGE_SUFFIXES,
    VIDEO_SUFFIXES,
    Submission,
    card_css,
    parse_instant,
    render_card,
    resolve_zone,
)

router = APIRouter(tags=["verify"])
MAX_FILES = 4
CHUNK = 1 << 20
TextForm = Annotated[str, Form(max_length=20_000, description="A caption to check.")]
ClaimedForm = Annotated[
    str | None, Form(description="When it was posted (ISO 8601; default zone WIB).")
]
AccountForm = Annotated[
    str | None, Form(max_length=200, description="The account said to have posted it.")
]
FilesForm = Annotated[
    list[UploadFile] | None,
    File(description="Pictures, screenshots or clips (JPEG, PNG, WEBP, MP4, MOV, WEBM)."),
]
"""The fields of `POST /verify`, shared by `POST /verify/card`."""
CARD_CONTENT: dict[str, Any] = {
    "content": {
        "text/html": {"schema": {"type": "string"}},
        "text/markdown": {"schema": {"type": "string"}},
    },
    "description": "The card",
}


def checked(
    files: list[UploadFile] | None, claimed_at: str | None, timezone: str
) -> tuple[list[UploadFile], datetime | None]:
    """The uploads (at most `MAX_FILES`) and the claimed time, or a 400."""
    uploads = files or []
    if len(uploads) > MAX_FILES:
        raise HTTPException(400, f"at most {MAX_FILES} files")
    try:
        claimed = parse_instant(claimed_at, resolve_zone(timezone)) if claimed_at else None
    except ValueError as exc:
        raise HTTPException(400, f"claimed_at: {exc}") from None
    return uploads, claimed


@router.post("/verify", response_model=VerifyOut, responses=problems(400, 413, 415, 422, 429))
async def verify_submission(
    door: TracerDep,
    settings: SettingsDep,
    text: TextForm = "",
    claimed_at: ClaimedForm = None,
    account: AccountForm = None,
    files: FilesForm = None,
) -> dict[str, Any]:
    """The verdict for content that is not in the corpus — a caption, a screenshot of a
    post, a downloaded clip — as if `account` had posted it at `claimed_at`."""
    uploads, claimed = checked(files, claimed_at, settings.timezone)
    with tempfile.TemporaryDirectory(prefix="tracer-verify-") as tmp:
        paths = [await save_upload(upload, Path(tmp), n) for n, upload in enumerate(uploads)]
        submission = Submission(text, tuple(paths), claimed, account or None)
        report = await run_in_threadpool(door.verify_content, submission)
    return report.to_json()


@router.post(
    "/verify/card",
    response_class=HTMLResponse,
    responses={200: CARD_CONTENT, **problems(400, 413, 415, 422, 429)},
)
async def submission_card(
    request: Request,
    door: TracerDep,
    settings: SettingsDep,
    text: TextForm = "",
    claimed_at: ClaimedForm = None,
    account: AccountForm = None,
    files: FilesForm = None,
    format: Annotated[
        str, Form(pattern="^(html|md)$", description="`html` (default) or `md`")
    ] = "html",
) -> Response:
    """A card to publish for content from outside the corpus (the fields of `POST
    /verify`): the submitted files' thumbnails and SHA-256, the verdict, the release and
    the stored copy the content shows side by side, evidence and times."""
    uploads, claimed = checked(files, claimed_at, settings.timezone)
    names = [Path(u.filename or f"upload{n}").name for n, u in enumerate(uploads)]
    with tempfile.TemporaryDirectory(prefix="tracer-verify-") as tmp:
        paths = [await save_upload(upload, Path(tmp), n) for n, upload in enumerate(uploads)]
        submission = Submission(text, tuple(paths), claimed, account or None)
        card = await run_in_threadpool(door.content_card, submission, names)
    if format == "md":
        return PlainTextResponse(render_card(card, "md"), media_type="text/markdown; charset=utf-8")
    stylesheet = str(request.url_for("card_stylesheet").path)
    return HTMLResponse(render_card(card, "html", stylesheet=stylesheet))


async def save_upload(upload: StarletteUpload, folder: Path, number: int) -> Path:
    """An upload under a name of ours (the client's name is never a path), keeping a
    suffix tracer reads."""
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in IMAGE_SUFFIXES | VIDEO_SUFFIXES:
        raise HTTPException(415, f"{upload.filename!r}: send a JPEG, PNG, WEBP, MP4, MOV or WEBM")
    path = folder / f"upload{number}{suffix}"
    with path.open("wb") as out:
        while chunk := await upload.read(CHUNK):
            out.write(chunk)
    return path


@router.get(
    "/verify/card",
    response_class=HTMLResponse,
    responses={200: CARD_CONTENT, **problems(400, 404, 422, 429)},
)
async def verification_card(
    request: Request,
    door: TracerDep,
    post: Annotated[str, Query(min_length=1, max_length=2048, description="Post id or URL")],
    format: Annotated[
        str, Query(pattern="^(html|md)$", description="`html` (default) or `md`")
    ] = "html",
) -> Response:
    """A verification card to publish: the verdict in Indonesian and English, release and
    post side by side, times, corroboration, flags and reproducible evidence."""
    card = await run_in_threadpool(door.card, post)
    if format == "md":
        return PlainTextResponse(render_card(card, "md"), media_type="text/markdown; charset=utf-8")
    stylesheet = str(request.url_for("card_stylesheet").path)  # behind a root path too
    return HTMLResponse(render_card(card, "html", stylesheet=stylesheet))


@router.get("/verify/card.css", include_in_schema=False)
async def card_stylesheet() -> Response:
    return Response(card_css(), media_type="text/css", headers={"Cache-Control": "max-age=3600"})
