"""Any export → a canonical corpus, and an export's ingest through one.

Every format reaches the store by the same road: its adapter's values are written as a
canonical corpus (accounts.csv, posts.jsonl, media/), which the canonical ingest then
validates, links and stores. So the fast path, its checks and its idempotence are the
same for every format, and `tracer convert` shows exactly what an ingest would read.
Both stream: memory holds one record and the set of account ids, whatever the size.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import orjson

from tracer.adapters import adapter, detect, read, root_of
from tracer.adapters.base import AdapterOptions, Skipped, SkipTally
from tracer.corpus import ACCOUNT_FIELDS, ACCOUNTS_FILE, POSTS_FILE, PostRecord, post_to_json
from tracer.engines import Engine
from tracer.errors import InputError, RecordError
from tracer.media import ocr
from tracer.models import Account
from tracer.offices.placement import AccountMatcher, matcher_notes
from tracer.policy import DEFAULT_POLICY, MatchPolicy
from tracer.service import IngestReport, ingest
from tracer.store import Store

Progress = Callable[[int], None]
PROGRESS_EVERY = 500
MEDIA_DIR = "media"


@dataclass(slots=True)
class ConvertReport:
    """What a conversion wrote, and every record it skipped or kept only in part."""

    out: Path
    format: str
    posts: int = 0
    accounts: int = 0
    media_linked: int = 0
    media_copied: int = 0
    errors: list[RecordError] = field(default_factory=list)
    skipped: SkipTally = field(default_factory=SkipTally)
    """Records that are not posts (system lines, playlists, empty messages), by reason."""

    def to_json(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "format": self.format,
            "posts": self.posts,
            "accounts": self.accounts,
            "media_linked": self.media_linked,
            "media_copied": self.media_copied,
            "errors": [str(e) for e in self.errors],
            "skipped": self.skipped.to_json(),
        }


@dataclass(slots=True)
class ExportIngestReport(IngestReport):
    """An ingest's report, plus what the export's adapter passed over, by reason."""

    format: str = "canonical"
    skipped: SkipTally = field(default_factory=SkipTally)

    def to_json(self) -> dict[str, Any]:
        base = IngestReport.to_json(self)  # no super(): slots make a new class
        return {**base, "format": self.format, "skipped": self.skipped.to_json()}


def resolve_format(path: Path, fmt: str | None) -> str:
    """The format asked for, else the detected one. A folder holding either canonical
    file, or a path that does not exist, is taken as canonical, so its own errors say
    what is missing (as `tracer ingest CORPUS_DIR` always did)."""
    if fmt:
        adapter(fmt)  # an unknown or unavailable format fails before anything is written
        return fmt
    if not path.exists() or (
        path.is_dir() and ((path / ACCOUNTS_FILE).exists() or (path / POSTS_FILE).exists())
    ):
        return "canonical"
    return detect(path)


def convert(
    path: Path,
    out: Path,
    fmt: str | None = None,
    options: AdapterOptions | None = None,
    *,
    known_accounts: Collection[str] = (),
    progress: Progress | None = None,
    matcher: AccountMatcher | None = None,
) -> ConvertReport:
    """Write the export at `path` as a canonical corpus in `out` (created if needed; its
    accounts.csv and posts.jsonl are replaced). Accounts in `known_accounts` are left out
    of accounts.csv: the store that will read the corpus has them already. A `matcher`
    maps accounts the store knows under another id onto that id, and places tier-less
    accounts whose name names an office (`tracer.offices.placement.AccountMatcher`)."""
    fmt = resolve_format(path, fmt)
    root = root_of(path, fmt)
    if out.resolve() == root.resolve() or out.resolve() == path.resolve():
        raise InputError(f"{out}: the output folder must not be the input folder")
    report = ConvertReport(out, fmt)
    out.mkdir(parents=True, exist_ok=True)
    written: set[str] = set(known_accounts)
    pending = 0
    with (
        (out / ACCOUNTS_FILE).open("w", newline="", encoding="utf-8") as accounts_file,
        (out / POSTS_FILE).open("wb") as posts_file,
    ):
        accounts = csv.writer(accounts_file)
        accounts.writerow(ACCOUNT_FIELDS)
        for item in read(path, fmt, options):
            if isinstance(item, Account):
                account = item
                if item.account_id not in written and matcher is not None:
                    account = matcher.match(item)  # type: ignore[assignment]
                if account is not None and item.account_id not in written:
                    written.add(item.account_id)
                    accounts.writerow(_account_row(account))
                    report.accounts += 1
                continue
            if isinstance(item, RecordError):
                report.errors.append(item)
            elif isinstance(item, Skipped):
                report.skipped.add(item)
            else:
                if matcher is not None and item.post.account_id in matcher.aliases:
                    moved = replace(item.post, account_id=matcher.alias(item.post.account_id))
                    item = replace(item, post=moved)
                posts_file.write(orjson.dumps(_staged_post(item, root, out, report)) + b"\n")
                report.posts += 1
            pending += 1
            if progress and pending >= PROGRESS_EVERY:
                progress(pending)
                pending = 0
    if progress and pending:
        progress(pending)
    return report


def _account_row(a: Account) -> list[str]:
    return [a.account_id, a.platform, a.handle, a.name, a.tier, a.region, a.parent_id or ""]


def _staged_post(item: PostRecord, root: Path, out: Path, report: ConvertReport) -> dict[str, Any]:
    """The post's line, its media placed under `out/media/` (same relative layout)."""
    media: list[str] = []
    for relative in item.post.media:
        target = relative if relative.startswith(f"{MEDIA_DIR}/") else f"{MEDIA_DIR}/{relative}"
        if _place(root / relative, out / target):
            report.media_linked += 1
        else:
            report.media_copied += 1
        media.append(target)
    return post_to_json(replace(item.post, media=tuple(media)))


def _place(source: Path, target: Path) -> bool:
    """Hard-link `source` at `target` (True), or copy it when the two folders are on
    different file systems (False). An existing target is replaced unless it already is
    the same file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        if os.path.samefile(source, target):
            return True
        target.unlink()
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
        return False
    return True


# --- ingest of an export ------------------------------------------------------------


def ingest_export(
    store: Store,
    path: Path,
    fmt: str | None = None,
    options: AdapterOptions | None = None,
    *,
    batch_size: int = 5000,
    converted: Progress | None = None,
    progress: Progress | None = None,
    on_staged: Callable[[int], None] | None = None,
    ocr_lang: str | None = ocr.LANG,
    media_progress: Progress | None = None,
    policy: MatchPolicy = DEFAULT_POLICY,
    engine: Engine | None = None,
) -> ExportIngestReport:
    """Ingest any format: a canonical corpus directly, any other through a temporary
    canonical corpus. Records the adapter skipped are reported before the canonical
    ingest's own errors, and those are traced back to the export's file and record.
    `converted` counts records read, `on_staged` gets the number of posts staged, and
    `progress` counts posts ingested, `media_progress` media files fingerprinted;
    `engine` prepares the media files (as `service.ingest`)."""
    options = options or AdapterOptions()
    fmt = resolve_format(path, fmt)
    if fmt == "canonical":
        plain = ingest(
            store,
            path,
            policy=policy,
            assume_tz=options.tz,
            batch_size=batch_size,
            progress=progress,
            ocr_lang=ocr_lang,
            media_progress=media_progress,
            engine=engine,
        )
        return _with_skips(plain, fmt, SkipTally())
    # Accounts the store knows are not restaged, unless the user describes them anew.
    described = options.tier is not None or options.region is not None
    known = () if described else set(store.accounts())
    matcher = AccountMatcher(store.accounts(), tier_given=options.tier is not None)
    with tempfile.TemporaryDirectory(prefix="tracer-staging-") as tmp:
        staging = Path(tmp)
        staged = convert(
            path, staging, fmt, options, known_accounts=known, progress=converted, matcher=matcher
        )
        if on_staged:
            on_staged(staged.posts)
        report = ingest(
            store,
            staging,
            policy=policy,
            batch_size=batch_size,
            progress=progress,
            ocr_lang=ocr_lang,
            media_progress=media_progress,
            engine=engine,
        )
        root = root_of(path, fmt)
        report.media_errors = _traced_back(report.media_errors, staging, root, path)
        report.errors = [*staged.errors, *_traced_back(report.errors, staging, root, path)]
        report.conflicts = _traced_back(report.conflicts, staging, root, path)
    report.notes.extend(matcher_notes(matcher))
    return _with_skips(report, fmt, staged.skipped)


def _with_skips(report: IngestReport, fmt: str, skipped: SkipTally) -> ExportIngestReport:
    values = {f.name: getattr(report, f.name) for f in fields(report)}
    return ExportIngestReport(**values, format=fmt, skipped=skipped)


def _traced_back(
    errors: list[RecordError], staging: Path, root: Path, export: Path
) -> list[RecordError]:
    """Errors about a staged line, renamed to the export's file and record (kept in each
    staged line's `source_file` / `source_record`); an error about the staging corpus
    that no record explains (an account line) names the export itself, never the
    temporary folder the user cannot open."""
    posts = str(staging / POSTS_FILE)
    wanted = {e.line for e in errors if e.file == posts}
    origin = dict(_origins(staging / POSTS_FILE, wanted)) if wanted else {}
    traced = []
    for e in errors:
        where = origin.get(e.line) if e.file == posts else None
        if where is not None:
            traced.append(RecordError(str(root / where[0]), where[1], e.field, e.reason))
        elif Path(e.file).is_relative_to(staging):
            traced.append(RecordError(str(export), 0, e.field, e.reason))
        else:
            traced.append(e)
    return traced


def _origins(posts: Path, wanted: set[int]) -> Iterator[tuple[int, tuple[str, int]]]:
    with posts.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if number in wanted:
                obj = orjson.loads(raw)
                file, record = obj.get("source_file"), obj.get("source_record")
                if isinstance(file, str) and isinstance(record, int):
                    yield number, (file, record)
