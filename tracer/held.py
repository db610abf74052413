"""What linking keeps in memory of the posts linked so far: each post's family and
account (in dictionaries, and by post number in the arrays the compiled votes read), the
families' members and releases, the anchor index, the media look-ups and the cache of
candidates. `HeldPosts` builds it from stored rows or opens it from a snapshot
(`tracer.linkstate`), takes in posts another writer stored, and hands out candidates'
texts through `fetch` (the store), so nothing here does I/O. The search over it is
`tracer.nearest.LinkedPosts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from tracer.candidates import CACHE_SIZE, Candidate, Candidates, Fetch, MediaLookup
from tracer.linkstate import LinkState
from tracer.media.index import MediaIndex
from tracer.media.match import MediaItem
from tracer.policy import MatchPolicy
from tracer.text.fingerprint import TextFingerprint
from tracer.text.index import AnchorIndex, grown


class HeldPosts:
    """The posts linked so far, as linking holds them."""

    def __init__(
        self,
        policy: MatchPolicy,
        fetch: Fetch,
        central: frozenset[str] = frozenset(),
        cache_size: int = CACHE_SIZE,
        recent: int = 0,
    ) -> None:
        self.policy = policy
        self._central = central
        """Accounts of tier `central`: their posts are releases."""
        self._release_of: dict[int, int] = {}
        """Each family that holds a release: its first release (the family's core)."""
        self.index = AnchorIndex()
        self.media = MediaLookup(policy)
        self._family_of: dict[int, int] = {}
        self._account_of: dict[int, str] = {}
        self._account_names: dict[str, str] = {}
        self._members: dict[int, list[int]] = {}
        self._family_arr = np.full(0, -1, np.int64)
        self._account_arr = np.full(0, -1, np.int32)
        """Each post's family and account code, by post number: what the compiled votes
        read (`tracer.text.votes`), kept beside the dictionaries."""
        self._account_code: dict[str, int] = {}
        self._candidates = Candidates(fetch, cache_size, recent)
        self.top_ups = 0
        """Times `extend` took in posts stored since: what is cached beside this state
        (`tracer.views.release_bank`) is stale when it moved."""

    def load(self, rows: Iterable[tuple[int, str, int, bytes]]) -> None:
        """Rebuild state from stored (idx, account, family, indexed anchors) rows, in idx
        order. Column by column: a million posts' rows are read on every start without a
        snapshot and for every snapshot stored, and a per-post loop of dictionary and
        array calls cost as much as reading them."""
        columns = tuple(zip(*rows, strict=True))
        if not columns:
            return
        idxs, names, families, blobs = (list(c) for c in columns)
        intern = self._account_names.setdefault
        accounts = [intern(a, a) for a in names]
        self._family_of.update(zip(idxs, families, strict=True))
        self._account_of.update(zip(idxs, accounts, strict=True))
        central = self._central
        for idx, account, family in zip(idxs, accounts, families, strict=True):
            if account in central:
                self._note_release(idx, account, family)
        self._members = _members(idxs, families)
        self._arrays_from_dicts()
        sizes = np.fromiter(map(len, blobs), np.int64, len(blobs)) // 8
        if sizes.any():
            keys = np.frombuffer(b"".join(blobs), "<u8").astype(np.uint64)
            self.index = AnchorIndex(keys, np.repeat(np.array(idxs, np.int64), sizes))

    def _arrays_from_dicts(self) -> None:
        self._account_code = {name: n for n, name in enumerate(self._account_names)}
        count = len(self._family_of)
        posts = np.fromiter(self._family_of, np.int64, count)
        size = int(posts.max()) + 1 if count else 0
        self._family_arr = np.full(size, -1, np.int64)
        self._family_arr[posts] = np.fromiter(self._family_of.values(), np.int64, count)
        code = self._account_code.__getitem__
        self._account_arr = np.full(size, -1, np.int32)
        account_of = self._account_of.__getitem__
        self._account_arr[posts] = np.fromiter(
            (code(account_of(p)) for p in self._family_of), np.int32, count
        )

    def _hold(self, idx: int, family: int, account: str | None = None) -> None:
        """Set a post's family, and its account when given, in the dictionaries and the
        arrays."""
        if idx >= len(self._family_arr):
            size = max(idx + 1, 2 * len(self._family_arr), 1024)
            self._family_arr = grown(self._family_arr, size, -1)
            self._account_arr = grown(self._account_arr, size, -1)
        self._family_of[idx] = family
        self._family_arr[idx] = family
        if account is not None:
            name = self._account_names.setdefault(account, account)
            self._account_of[idx] = name
            code = self._account_code.setdefault(name, len(self._account_code))
            self._account_arr[idx] = code

    def state(self) -> LinkState:
        """What this holds, as arrays (what a snapshot stores; `tracer.linkstate`)."""
        count = len(self._family_of)
        posts = np.fromiter(self._family_of, np.int64, count)
        order = np.argsort(posts, kind="stable")
        posts = posts[order]
        families = np.fromiter(self._family_of.values(), np.int64, count)[order]
        names = sorted(self._account_names)
        code = {name: n for n, name in enumerate(names)}
        accounts = np.fromiter((code[self._account_of[p]] for p in posts.tolist()), np.int32, count)
        releases = np.array(sorted(self._release_of.items()), np.int64).reshape(-1, 2)
        media = self.media
        return LinkState(
            posts, families, accounts, tuple(names), releases, self.index.arrays(),
            media.media_index.arrays(), media.ocr_index.arrays(), media.runs.seen(),
            tuple(sorted(media.runs.common)),
        )  # fmt: skip

    def open_state(self, state: LinkState) -> None:
        """Hold `state` (a snapshot's), as `load` and `load_media` would have built it:
        the indexes as they are, the dictionaries of families and accounts from the
        arrays, in post order like `load`."""
        posts = state.posts.tolist()
        families = _shared(posts, state.posts, state.families)
        self._family_of = dict(zip(posts, families, strict=True))
        self._account_names = {name: name for name in state.account_names}
        names = list(self._account_names)
        self._account_of = dict(
            zip(posts, [names[a] for a in state.accounts.tolist()], strict=True)
        )
        self._release_of = {int(f): int(i) for f, i in state.releases.tolist()}
        self._account_code = {name: n for n, name in enumerate(state.account_names)}
        size = int(state.posts.max()) + 1 if len(state.posts) else 0
        self._family_arr = np.full(size, -1, np.int64)
        self._family_arr[state.posts] = state.families
        self._account_arr = np.full(size, -1, np.int32)
        self._account_arr[state.posts] = state.accounts
        self._members = _members(posts, families)
        self.index = AnchorIndex.opened(*state.anchors)
        self.media.media_index = MediaIndex.opened(*state.media)
        self.media.ocr_index = AnchorIndex.opened(*state.ocr)
        self.media.runs.restore(state.runs, state.common)

    def load_media(self, rows: Iterable[tuple[int, tuple[MediaItem, ...]]]) -> None:
        """Rebuild the media indexes from stored (idx, media items) rows (of the posts
        loaded: a post stored since by another process is taken in by `extend`)."""
        self.media.load(((i, m) for i, m in rows if i in self._family_of), self._family_of)

    def extend(
        self,
        rows: Iterable[tuple[int, str, int, bytes]],
        media: Mapping[int, tuple[MediaItem, ...]],
        matched: Iterable[tuple[int, int]],
        central: frozenset[str] | None = None,
    ) -> None:
        """Take in posts another writer stored since: their (idx, account, family,
        indexed anchors) rows in idx order, their media, and the (new post, earlier
        post) pairs they matched. A matched earlier post whose family is not the new
        post's was in a family the writer merged into it: its whole family follows.
        `central`: the central accounts again, when the rows bring a new account."""
        if central is not None:
            self._central = central
        for idx, account, family, indexed in rows:
            self._hold(idx, family, account)
            self._note_release(idx, account, family)
            if family != idx:
                self._members.setdefault(family, [family]).append(idx)
            self.index.add_all(TextFingerprint.anchors_from_bytes(indexed), idx)
        for new, old in matched:
            target, other = self._family_of.get(new), self._family_of.get(old)
            if target is not None and other is not None and target != other:
                self._absorb(target, other)
        for idx, items in media.items():
            self.media.add(idx, self._family_of[idx], items)
        self.index.compact()
        self.media.compact()
        self.top_ups += 1

    def _note_release(self, idx: int, account: str, family: int) -> None:
        if account in self._central:
            held = self._release_of.get(family)
            self._release_of[family] = idx if held is None else min(held, idx)

    def _absorb(self, target: int, other: int) -> None:
        """Family `other` joins family `target`, with its members and its release."""
        absorbed = self._members.pop(other, [other])
        for m in absorbed:
            self._family_of[m] = target
        self._family_arr[absorbed] = target
        moved = self._release_of.pop(other, None)
        if moved is not None:
            held = self._release_of.get(target)
            self._release_of[target] = moved if held is None else min(held, moved)
        self._members.setdefault(target, [target]).extend(absorbed)

    @property
    def common_runs(self) -> frozenset[str]:
        """Runs of words read off pictures of more than `ocr_common_families` families."""
        return self.media.runs.common

    def __len__(self) -> int:
        return len(self._family_of)

    @property
    def newest(self) -> int:
        """The highest post number held (0 when none)."""
        return max(self._family_of, default=0)

    def knows(self, account: str) -> bool:
        """Whether a post of `account` is held."""
        return account in self._account_names

    def family_of(self, idx: int) -> int:
        return self._family_of[idx]

    def is_shared(self, family: int) -> bool:
        """Whether a family has more than one post (only those have a cascade)."""
        return family in self._members

    def _texts(self, idxs: list[int]) -> dict[int, Candidate]:
        return self._candidates.get(idxs)


def _members(idxs: list[int], families: list[int]) -> dict[int, list[int]]:
    """Each family of two or more posts (`families[i]` is post `idxs[i]`'s), its members
    in the order given, as the very int objects of `idxs`; families in the order their
    first member comes."""
    by_family = np.array(families, np.int64)
    order = np.argsort(by_family, kind="stable")
    grouped = by_family[order]
    first = np.ones(len(grouped), bool)
    first[1:] = grouped[1:] != grouped[:-1]
    starts = np.flatnonzero(first)
    ends = np.append(starts[1:], len(grouped))
    shared = np.flatnonzero(ends - starts > 1)
    shared = shared[np.argsort(order[starts[shared]], kind="stable")]  # by first member
    members = list(map(idxs.__getitem__, order.tolist()))
    return {
        families[order[a]]: members[a:b]
        for a, b in zip(starts[shared].tolist(), ends[shared].tolist(), strict=True)
    }


def _shared(objects: list[int], posts: np.ndarray, numbers: np.ndarray) -> list[int]:
    """`numbers` (post numbers, such as families) as a list of the very int objects of
    `objects` (`posts` as a list; `posts` ascending) where a number is one of the posts,
    as `load` leaves them: a million posts' families and members would otherwise hold a
    second and a third million ints (~32 MB each)."""
    if not len(posts):
        return numbers.tolist()  # type: ignore[no-any-return]
    at = np.minimum(np.searchsorted(posts, numbers), len(posts) - 1)
    if not bool((posts[at] == numbers).all()):  # a family not among the posts
        return numbers.tolist()  # type: ignore[no-any-return]
    return list(map(objects.__getitem__, at.tolist()))
