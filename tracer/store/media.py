"""The store's media side: fingerprint rows of media files, read back as values.

Kept apart from `tracer.store` (posts, families, cascades) because media rows have
their own life: decoded into `MediaItem`s for the linker and the verifier, and into
thumbnails and hashes for verification cards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tracer.media.match import MediaItem
from tracer.media.signals import signal_for
from tracer.normalize import normalize_text
from tracer.prepare import PreparedMedia
from tracer.store.dialects import bulk_insert
from tracer.store.rows import MediaRow
from tracer.store.schema import media, posts

CHUNK = 900


def insert_media(conn: Connection, rows: Sequence[MediaRow]) -> None:
    bulk_insert(conn, media, [asdict(r) for r in rows])


def media_item(row: MediaRow) -> MediaItem | None:
    """The verifier's view of a stored file; None when it could not be fingerprinted."""
    if row.fingerprint is None:
        return None
    ocr = normalize_text(row.ocr).tokens if row.ocr is not None else None
    signal = signal_for(row.algorithm or "")
    if signal is None:  # a kind this tracer does not make
        return None
    value = signal.from_bytes(row.fingerprint)
    if signal.kind == "video":
        return MediaItem(row.path, video=value)
    return MediaItem(row.path, image=value, ocr=ocr)


def _row(r: sa.Row[tuple[object, ...]]) -> MediaRow:
    m = r._mapping
    fingerprint = m["fingerprint"]
    return MediaRow(
        idx=int(m["idx"]),
        ordinal=int(m["ordinal"]),
        path=m["path"],
        sha256=m["sha256"],
        kind=m["kind"],
        algorithm=m["algorithm"],
        fingerprint=bytes(fingerprint) if fingerprint is not None else None,
        ocr=m["ocr"],
        error=m["error"],
        thumbnail=bytes(m["thumbnail"]) if m["thumbnail"] is not None else None,
        ocr_params=m["ocr_params"],
    )


class MediaStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def rows_for(self, idxs: Iterable[int]) -> dict[int, list[MediaRow]]:
        """Media rows of the given posts, in their order in the post."""
        out: dict[int, list[MediaRow]] = defaultdict(list)
        wanted = sorted(set(idxs))
        if not wanted:
            return {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), CHUNK):
                stmt = (
                    sa.select(media)
                    .where(media.c.idx.in_(wanted[start : start + CHUNK]))
                    .order_by(media.c.idx, media.c.ordinal)
                )
                for r in conn.execute(stmt):
                    row = _row(r)
                    out[row.idx].append(row)
        return dict(out)

    def stored_files(self, digests: Sequence[str], params: str) -> dict[str, PreparedMedia]:
        """Files already stored, by SHA-256, as prepared media to copy instead of decoding
        them again: any clip, and pictures read under the same `params` (OCR off, or the
        same engine and settings)."""
        out: dict[str, PreparedMedia] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(digests), CHUNK):
                stmt = sa.select(media).where(
                    media.c.sha256.in_(digests[start : start + CHUNK]),
                    media.c.fingerprint.is_not(None),
                    sa.or_(media.c.kind == "video", media.c.ocr_params == params),
                )
                for r in conn.execute(stmt):
                    row = _row(r)
                    item = media_item(row)
                    if row.sha256 is None or row.sha256 in out or item is None:
                        continue
                    out[row.sha256] = PreparedMedia(
                        row.path,
                        row.kind,
                        row.sha256,
                        item,
                        row.ocr,
                        thumbnail=row.thumbnail,
                        ocr_params=row.ocr_params,
                    )
        return out

    def items_for(self, idxs: Iterable[int]) -> dict[int, tuple[MediaItem, ...]]:
        return {
            idx: tuple(item for r in rows if (item := media_item(r)) is not None)
            for idx, rows in self.rows_for(idxs).items()
        }

    def _idx_of(self, post_ids: Iterable[str]) -> dict[int, str]:
        wanted = list(post_ids)
        out: dict[int, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), CHUNK):
                stmt = sa.select(posts.c.idx, posts.c.post_id).where(
                    posts.c.post_id.in_(wanted[start : start + CHUNK])
                )
                out.update({int(i): p for i, p in conn.execute(stmt).all()})
        return out

    def items_by_post(self, post_ids: Iterable[str]) -> dict[str, tuple[MediaItem, ...]]:
        found = self._idx_of(post_ids)
        return {found[idx]: items for idx, items in self.items_for(found).items()}

    def rows_by_post(self, post_ids: Iterable[str]) -> dict[str, list[MediaRow]]:
        found = self._idx_of(post_ids)
        return {found[idx]: rows for idx, rows in self.rows_for(found).items()}

    def iter_items(self, chunk: int = 20_000) -> Iterator[tuple[int, tuple[MediaItem, ...]]]:
        """Every post's fingerprinted media, in post order (the linker's start-up load),
        paged on (post, file) so that no page boundary can split or repeat a post."""
        last = (0, -1)
        current: tuple[int, list[MediaItem]] | None = None
        with self.engine.connect() as conn:
            while True:
                stmt = (
                    sa.select(media)
                    .where(
                        media.c.fingerprint.is_not(None),
                        sa.tuple_(media.c.idx, media.c.ordinal) > sa.tuple_(*last),
                    )
                    .order_by(media.c.idx, media.c.ordinal)
                    .limit(chunk)
                )
                rows = [_row(r) for r in conn.execute(stmt)]
                if not rows:
                    break
                for row in rows:
                    if current is not None and current[0] != row.idx:
                        yield current[0], tuple(current[1])
                        current = None
                    if current is None:
                        current = (row.idx, [])
                    item = media_item(row)
                    if item is not None:
                        current[1].append(item)
                last = (rows[-1].idx, rows[-1].ordinal)
        if current is not None and current[1]:
            yield current[0], tuple(current[1])
