"""The linker's in-memory state as arrays, and the bytes a snapshot of it is stored as.

A replica needs the whole linker (anchor index, each post's family and account, the
media look-ups) before `POST /search` and `POST /verify` can answer, and rebuilding it
from every stored post takes seconds at a million posts (~5 s in SQLite, more with
media or over a network). Built once, it is stored as a snapshot
(`tracer.store.snapshots`) that another process opens in about the time it takes to
read its bytes: the sorted arrays are used as they are read (no sort, no per-post
Python loop but the dictionaries of families and accounts).

The bytes: a magic word and format number, a JSON header (what the snapshot is of, the
strings, and each array's dtype, shape, place and checksum), then the arrays, each
aligned to 64 bytes. Anything that does not check out is a `SnapshotError`: the caller
builds the state again, it never serves a half-read one.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
import xxhash

from tracer.errors import SnapshotError

MAGIC = b"TRLS"
FORMAT = 2
"""Bumped whenever what is stored changes: a snapshot of another format is rebuilt."""
_HEAD = struct.Struct("<4sIQQ")
"""Magic, format, header length, header checksum."""
ALIGN = 64

Arrays = dict[str, np.ndarray]


@dataclass(frozen=True, slots=True)
class LinkState:
    """What a `LinkedPosts` holds, as arrays: a post's family and account, the families'
    releases, the anchor and media indexes ready to search, and the runs of words read
    off pictures with the families they were seen in."""

    posts: np.ndarray
    """Post numbers, ascending (int64)."""
    families: np.ndarray
    """Each post's family (int64, aligned with `posts`)."""
    accounts: np.ndarray
    """Each post's account, as a number into `account_names` (int32)."""
    account_names: tuple[str, ...]
    releases: np.ndarray
    """(family, its first release) pairs, shape (n, 2) (int64)."""
    anchors: tuple[np.ndarray, ...]
    """`AnchorIndex.arrays()`: keys and posts in key order."""
    media: tuple[np.ndarray, ...]
    """`MediaIndex.arrays()`."""
    ocr: tuple[np.ndarray, ...]
    """`AnchorIndex.arrays()` of the words read off pictures."""
    runs: dict[str, list[int]]
    """Runs of words read off pictures → the families seen with them (`CommonRuns`)."""
    common: tuple[str, ...]


_INDEX_PARTS = {"anchors": 2, "media": 4, "ocr": 2}


def pack(state: LinkState, about: dict[str, Any]) -> bytes:
    """`state` as bytes, with `about` (what it is a snapshot of) in its header."""
    arrays: Arrays = {
        "posts": state.posts,
        "families": state.families,
        "accounts": state.accounts,
        "releases": state.releases,
    }
    for name in _INDEX_PARTS:
        for n, array in enumerate(getattr(state, name)):
            arrays[f"{name}.{n}"] = array
    described: dict[str, dict[str, Any]] = {}
    offset = 0
    payloads: list[bytes] = []
    for name, array in arrays.items():
        kept = _narrowed(array)
        data = np.ascontiguousarray(kept).tobytes()
        pad = -offset % ALIGN if data else 0  # no padding after the last bytes
        payloads.append(b"\0" * pad + data)
        offset += pad
        described[name] = {
            "dtype": kept.dtype.str,
            "shape": list(array.shape),
            "offset": offset,
            "bytes": len(data),
            "xxh3": xxhash.xxh3_64_intdigest(data),
        }
        offset += len(data)
    header = orjson.dumps(
        {
            "about": about,
            "account_names": list(state.account_names),
            "runs": state.runs,
            "common": list(state.common),
            "arrays": described,
        }
    )
    start = -(_HEAD.size + len(header)) % ALIGN
    head = (
        _HEAD.pack(MAGIC, FORMAT, len(header), xxhash.xxh3_64_intdigest(header))
        + header
        + b"\0" * start
    )
    return head + b"".join(payloads)


def _narrowed(array: np.ndarray) -> np.ndarray:
    """Post numbers as 32-bit integers while they fit (up to 2**31 posts): a third of
    a snapshot's bytes are post numbers. They stay so when opened (the indexes take
    either; what they add later is cast to their type), so the opened arrays are views
    of the bytes read, with no copy."""
    if array.dtype == np.int64 and (not array.size or (array.min() >= 0 and array.max() < 2**31)):
        return array.astype(np.int32)
    return array


def about_of(data: bytes | bytearray | memoryview) -> dict[str, Any]:
    """What a snapshot is of (`about`), read from its header alone."""
    return _header(memoryview(data))[0]["about"]  # type: ignore[no-any-return]


def unpack(data: bytes | bytearray | memoryview) -> tuple[LinkState, dict[str, Any]]:
    """The state and `about` of bytes `pack` made; the arrays are views of `data`."""
    view = memoryview(data)
    header, base = _header(view)
    arrays: Arrays = {}
    try:
        for name, spec in header["arrays"].items():
            start = base + int(spec["offset"])
            chunk = view[start : start + int(spec["bytes"])]
            if len(chunk) != spec["bytes"] or xxhash.xxh3_64_intdigest(chunk) != spec["xxh3"]:
                raise SnapshotError(f"snapshot array {name!r} is truncated or corrupt")
            arrays[name] = np.frombuffer(chunk, np.dtype(spec["dtype"])).reshape(spec["shape"])
        parts = {k: tuple(arrays[f"{k}.{n}"] for n in range(c)) for k, c in _INDEX_PARTS.items()}
        state = LinkState(
            arrays["posts"],
            arrays["families"],
            arrays["accounts"],
            tuple(header["account_names"]),
            arrays["releases"],
            parts["anchors"],
            parts["media"],
            parts["ocr"],
            {str(k): [int(f) for f in v] for k, v in header["runs"].items()},
            tuple(header["common"]),
        )
    except (KeyError, TypeError, ValueError) as exc:  # a header that does not fit
        raise SnapshotError(f"snapshot does not fit format {FORMAT}: {exc}") from None
    if not len(state.posts) == len(state.families) == len(state.accounts):
        raise SnapshotError("snapshot arrays disagree in length")
    return state, header["about"]


def _header(view: memoryview) -> tuple[dict[str, Any], int]:
    """The decoded header and where the arrays start."""
    if len(view) < _HEAD.size:
        raise SnapshotError("snapshot is truncated")
    magic, version, size, digest = _HEAD.unpack(view[: _HEAD.size])
    if magic != MAGIC:
        raise SnapshotError("not a tracer snapshot")
    if version != FORMAT:
        raise SnapshotError(f"snapshot format {version}, this tracer reads {FORMAT}")
    end = _HEAD.size + size
    if len(view) < end or xxhash.xxh3_64_intdigest(view[_HEAD.size : end]) != digest:
        raise SnapshotError("snapshot header is truncated or corrupt")
    try:
        header = orjson.loads(view[_HEAD.size : end])
    except orjson.JSONDecodeError:
        raise SnapshotError("snapshot header is corrupt") from None
    if not isinstance(header, dict) or "about" not in header:
        raise SnapshotError("snapshot header is corrupt")
    return header, end + (-end % ALIGN)
