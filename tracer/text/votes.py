"""The linker's votes in compiled loops: a post's anchors looked up in the anchor index,
each earlier post voted for once per distinctive anchor it shares, and the best-voted
post of each of the best-voted families chosen for verification.

`tracer.nearest.LinkedPosts` states the rules (`_vote`, `_choose`); these loops apply
them over arrays (each post's family and account code, indexed by post number) so
that a post's ~100 anchors and their postings cost no Python objects. The one rule that
needs candidates' texts (a whole line that several families share, `_titled_by`) is
left to the caller: its anchors come back as `deferred`.
"""

from __future__ import annotations

import numba as nb
import numpy as np
import numpy.typing as npt

from tracer.text.fingerprint import U64
from tracer.text.index import grown_ints, postings_of

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
Bools = npt.NDArray[np.bool_]


@nb.njit(cache=True)
def vote(
    keys: U64, anchors: int, lines: U64, cap: int, short: bool, own: int, family: I64,
    account: I32, wanted: int, min_share: float,
    uniq: U64, buckets: I32, shift: int, starts: I64, posts: I64,
    slot_keys: U64, slot_newest: I64, slot_count: I64, recent_posts: I64, recent_prev: I64,
) -> tuple[I64, U64, U64, I64, I64, I64, I64]:  # fmt: skip
    """(voters, boilerplate, deferred, shares_line, chosen, held, ends): each voted
    post once per vote; the keys that are boilerplate for this post; the lines of
    several families, left to the caller (whose votes `chosen` then lacks); the posts
    sharing a whole line (`lines`, sorted) with it, sorted; `choose` of the votes; and
    the postings of the first `anchors` keys, one key's after another, with where each
    key's end (-1: over the cap), for `indexable`. `own`: the post's account code (-1
    when its account is new)."""
    n = len(keys)
    boilerplate = np.zeros(n, np.bool_)
    deferred = np.zeros(n, np.bool_)
    buf = np.empty(min(cap, len(posts) + len(recent_posts)), np.int64)  # one key's postings
    voters = np.empty(64, np.int64)
    voted = 0
    shares = np.empty(16, np.int64)
    shared = 0
    postings = np.empty(64, np.int64)
    ends = np.empty(anchors, np.int64)
    held = 0
    for i in range(n):
        key = keys[i]
        found = postings_of(
            key, cap, buf, uniq, buckets, shift, starts, posts,
            slot_keys, slot_newest, slot_count, recent_posts, recent_prev,
        )  # fmt: skip
        if i < anchors:
            if found > 0:
                if held + found > len(postings):
                    postings = grown_ints(postings, max(held + found, 2 * len(postings)))
                postings[held : held + found] = buf[:found]
                held += found
            ends[i] = held if found >= 0 else -1
        if found < 0:
            boilerplate[i] = True  # carried by too many families: common
            continue
        if found == 0:
            continue
        at = np.searchsorted(lines, key)
        in_line = at < len(lines) and lines[at] == key
        if in_line:
            if shared + found > len(shares):
                shares = grown_ints(shares, max(shared + found, 2 * len(shares)))
            shares[shared : shared + found] = buf[:found]
            shared += found
        if found > 1:
            ambiguous = (short or in_line) and _several_families(buf, found, family)
            if (ambiguous and not in_line) or _is_habit(buf, found, own, family, account):
                boilerplate[i] = True  # ambiguous, or this account's habit
                continue
            if ambiguous:
                deferred[i] = True
                continue
        if voted + found > len(voters):
            voters = grown_ints(voters, max(voted + found, 2 * len(voters)))
        voters[voted : voted + found] = buf[:found]
        voted += found
    voters = voters[:voted]
    shares_line = np.unique(shares[:shared])
    voted_posts, votes = tally(voters)
    chosen = choose(voted_posts, votes, family, wanted, min_share, shares_line)
    return voters, keys[boilerplate], keys[deferred], shares_line, chosen, postings[:held], ends


@nb.njit(cache=True)
def tally(voters: I64) -> tuple[I64, I64]:
    """The posts voted for, ascending, and their votes."""
    ordered = np.sort(voters)
    posts = np.empty(len(ordered), np.int64)
    votes = np.empty(len(ordered), np.int64)
    n = -1
    for i in range(len(ordered)):
        if n >= 0 and ordered[i] == posts[n]:
            votes[n] += 1
        else:
            n += 1
            posts[n] = ordered[i]
            votes[n] = 1
    return posts[: n + 1], votes[: n + 1]


@nb.njit(cache=True)
def choose(
    posts: I64, votes: I64, family: I64, wanted: int, min_share: float, shares_line: I64
) -> I64:
    """The best-voted post of each family, most votes first (then the lower post), of
    the first `wanted` families; without those under `min_share` of the best one's
    votes, unless they share a whole line (`shares_line`, sorted)."""
    order = np.argsort(-votes, kind="mergesort")  # stable: the lower post first
    chosen = np.empty(len(posts), np.int64)
    families = np.empty(len(posts), np.int64)
    got = np.empty(len(posts), np.int64)
    k = 0
    for j in order:
        f = family[posts[j]]
        if _held(families, k, f):
            continue
        chosen[k], families[k], got[k] = posts[j], f, votes[j]
        k += 1
        if k == wanted:
            break
    if k == 0:
        return chosen[:0]
    floor = got[0] * min_share
    kept = 0
    for i in range(k):
        at = np.searchsorted(shares_line, chosen[i])
        if got[i] >= floor or (at < len(shares_line) and shares_line[at] == chosen[i]):
            chosen[kept] = chosen[i]
            kept += 1
    return chosen[:kept]


@nb.njit(cache=True)
def indexable(held: I64, ends: I64, dedupe: bool, target: int, family: I64) -> Bools:
    """Which of a new post's anchors it adds to the index, from `vote`'s `held` postings
    and `ends` of them: those not over the cap and, after a strong match (`dedupe`),
    none with a posting in its family `target`: the family carries it already."""
    keep = np.zeros(len(ends), np.bool_)
    start = 0
    for i in range(len(ends)):
        if ends[i] < 0:
            continue
        keep[i] = True
        if dedupe:
            for j in range(start, ends[i]):
                if family[held[j]] == target:
                    keep[i] = False
                    break
        start = ends[i]
    return keep


@nb.njit(cache=True)
def _several_families(found: I64, n: int, family: I64) -> bool:
    first = family[found[0]]
    for j in range(1, n):
        if family[found[j]] != first:
            return True
    return False


@nb.njit(cache=True)
def _is_habit(found: I64, n: int, own: int, family: I64, account: I32) -> bool:
    """Whether the post's account already carried this anchor in two or more families."""
    if own < 0:
        return False
    seen = False
    first = 0
    for j in range(n):
        if account[found[j]] == own:
            f = family[found[j]]
            if not seen:
                seen, first = True, f
            elif f != first:
                return True
    return False


@nb.njit(cache=True)
def _held(values: I64, n: int, value: int) -> bool:
    for i in range(n):
        if values[i] == value:
            return True
    return False
