"""The one search path: the stored posts nearest to a post or to a piece of content.

`LinkedPosts` is what linking keeps in memory (the anchor index, each post's family and
account, the media look-ups) and answers `nearest`: the posts that share distinctive
anchors with a candidate, voted as the linker votes (an account's own habits, and a
line or a short text carried by several families, are boilerplate), scored by
alignment — the best-voted post of each family, or in a wide search the best-voted
posts — and the posts whose pictures or clips the candidate's media copy. Each answer
(`Near`) carries its match and whether the linker's rules accept it. The linker
(`tracer.linker`) places a new post by it, content from outside the corpus is verified
by it (`tracer.verification`), and `POST /search` lists it (`tracer.search`): one set of
votes and rules for all three. Candidates' texts come through `fetch` (the store), so
nothing here does I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from tracer.candidates import CACHE_SIZE, Candidate, Candidates, Fetch, Match, MediaLookup
from tracer.linkstate import LinkState
from tracer.media.index import MediaIndex
from tracer.media.match import MediaItem, MediaMatch, match_media
from tracer.policy import MatchPolicy
from tracer.strength import is_strong_match, rank
from tracer.text.fingerprint import U64, TextFingerprint, line_key, line_keys_of, line_tail_keys
from tracer.text.index import AnchorIndex, grown
from tracer.text.match import (
    TextSide,
    accepts,
    may_carry_title,
    score_pair,
    share,
    title_size,
    verify_pair,
    weak_overlap,
)
from tracer.text.overlap import distinct, key_array, pair_counts
from tracer.text.votes import choose, tally, vote

MEDIA_TRIES_PER_FAMILY = 3
"""Posts of one candidate family whose media are verified, closest first, until one
matches."""


@dataclass(frozen=True, slots=True)
class Near:
    """A stored post near a candidate, with the match's scores."""

    idx: int
    match: Match
    linked: bool
    """Whether the linker's rules accept the match (the policy, with the candidate's
    boilerplate): among the posts the linker verifies, that it links the two."""


@dataclass(slots=True)
class Votes:
    """A post's votes (`LinkedPosts._vote`)."""

    voters: np.ndarray
    """Each voted post once per vote."""
    boilerplate: set[int]
    """The post's anchors (and line tails) that say nothing of where it came from."""
    shares_line: np.ndarray
    """Posts sharing a whole line with it, sorted."""
    chosen: list[int] | None
    """`_choose` of the votes (None: not made yet)."""
    held: np.ndarray
    ends: np.ndarray
    """Each anchor's postings, one anchor's after another, and where each anchor's end
    (-1: over the cap): what `indexable` reads."""


class LinkedPosts:
    """The posts linked so far, as linking holds them, and the search over them."""

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
        """Rebuild state from stored (idx, account, family, indexed anchors) rows."""
        keys: list[U64] = []
        owners: list[np.ndarray] = []
        groups: dict[int, list[int]] = defaultdict(list)
        for idx, account, family, indexed in rows:
            self._family_of[idx] = family
            self._account_of[idx] = self._account_names.setdefault(account, account)
            self._note_release(idx, account, family)
            groups[family].append(idx)
            anchors = TextFingerprint.anchors_from_bytes(indexed)
            if len(anchors):
                keys.append(anchors)
                owners.append(np.full(len(anchors), idx, np.int64))
        self._members = {f: m for f, m in groups.items() if len(m) > 1}
        self._arrays_from_dicts()
        if keys:
            self.index = AnchorIndex(np.concatenate(keys), np.concatenate(owners))

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
        order = np.argsort(state.families, kind="stable")  # members in post order
        by_family = state.families[order]
        first = np.ones(len(by_family), bool)
        first[1:] = by_family[1:] != by_family[:-1]
        starts = np.flatnonzero(first)
        ends = np.append(starts[1:], len(by_family))
        shared = ends - starts > 1
        member_list = list(map(posts.__getitem__, order.tolist()))
        self._members = {
            family: member_list[a:b]
            for family, a, b in zip(
                by_family[starts[shared]].tolist(), starts[shared].tolist(), ends[shared].tolist(),
                strict=True,
            )
        }  # fmt: skip
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

    # --- the search ----------------------------------------------------------------

    def nearest(self, candidate: Candidate, *, posts: int = 0) -> list[Near]:
        """The stored posts nearest to `candidate` (a post, or content that will not be
        linked), best first: those the rules accept, closest copies first, then by
        aligned share; changes nothing. By text, the posts the linker verifies: the
        best-voted post of each of the best-voted families. With `posts`, a wider
        search: the `posts` best-voted posts, several of a family among them, each with
        its scores whether the rules accept it or not (what a search lists)."""
        found = self._nearest(candidate, posts)[2]
        return sorted(
            found,
            key=lambda n: (not n.linked, not is_strong_match(n.match, self.policy),
                           *rank(n.match), n.idx),
        )  # fmt: skip

    def find(self, candidate: Candidate) -> list[tuple[int, Match]]:
        """The verified matches of `candidate` (what the linker would link), best first."""
        return [(n.idx, n.match) for n in self.nearest(candidate)]

    def _nearest(self, candidate: Candidate, posts: int = 0) -> tuple[U64, Votes, list[Near]]:
        """The candidate's anchors, its votes, and its near posts: by text, in vote
        order, then by media."""
        anchors = candidate.keys
        cap = self._common_cap()
        short = len(candidate.tokens) < self.policy.short_tokens
        votes = self._vote(candidate, anchors, cap, short)
        boilerplate = votes.boilerplate
        if posts:
            voted, counts = tally(votes.voters)
            scored = voted[np.argsort(-counts, kind="stable")][:posts].tolist()
        elif votes.chosen is not None:
            scored = votes.chosen
        else:
            scored = self._choose(votes.voters, votes.shares_line)
        texts = self._texts(scored)
        side = self._side(candidate)
        near: list[Near] = []
        if posts:
            for p in scored:
                theirs = self._side(texts[p])
                m = score_pair(side, theirs, boilerplate, self.policy)
                shorter = min(len(side.tokens), len(theirs.tokens))
                near.append(Near(p, m, accepts(m, shorter, self.policy)))
        else:
            # Most candidates are rejected on the anchors they share alone, before their
            # words are aligned: counted here with the boilerplate sorted once a post.
            boilerplate_keys = key_array(boilerplate)
            own = distinct(anchors, boilerplate_keys)
            own_tokens, own_title = len(side.tokens), title_size(side.lines)
            framing = self.policy.max_framing
            for p in scored:
                other = texts[p]
                shared, _, distinct_theirs = pair_counts(anchors, other.keys, boilerplate_keys)
                overlap = share(shared, own, distinct_theirs)
                if weak_overlap(overlap, self.policy) and not may_carry_title(
                    own_tokens, own_title, len(other.tokens), title_size(other.lines), framing
                ):
                    continue  # what `verify_pair` rejects, without building the side
                found = verify_pair(side, self._side(other), boilerplate, self.policy, overlap)
                if found is not None:
                    near.append(Near(p, found, True))
        media = self._media_matches(candidate)
        if short and candidate.media:
            # A short caption beside pictures that do not match is a generic one ("Yuk
            # lihat video di bawah ini."): the same words go with any content.
            agree = {self._family_of[p] for p, _ in media}
            near = [
                n
                if not (n.linked and texts[n.idx].media and self._family_of[n.idx] not in agree)
                else Near(n.idx, n.match, False)
                for n in near
                if posts or not texts[n.idx].media or self._family_of[n.idx] in agree
            ]
        return anchors, votes, near + [Near(p, m, True) for p, m in media]

    def _side(self, candidate: Candidate) -> TextSide:
        return TextSide(
            candidate.post_id,
            candidate.tokens,
            candidate.keys,
            candidate.lines,
            candidate.account_id in self._central,
        )

    def _vote(self, candidate: Candidate, anchors: U64, cap: int, short: bool) -> Votes:
        """Votes for earlier posts (each voted post once per distinctive anchor it
        shares), the anchors that are boilerplate for this post and the posts that share
        a whole line with it.

        An anchor carried by more than `cap` families is common. One carried by several
        earlier posts of this account in two or more families is the account's habit (its
        signature or greeting, which says nothing about where a new post came from; one
        earlier use is still evidence: an office re-posting its own text). A short text,
        and a whole line, must be unique to one family to count: a greeting line carried
        by two unrelated copies is framing, not content. A short text's lines also vote by
        their tails (`line_tail_keys`), as whole lines: a title after a greeting on one
        line. The loops are compiled (`tracer.text.votes.vote`); a whole line of several
        families comes back here (`_titled_by`)."""
        lines = set(line_keys_of(candidate.lines))
        keys = anchors
        if short:
            tails = np.array(
                sorted(set(line_tail_keys(candidate.lines)).difference(anchors.tolist())), np.uint64
            )
            lines.update(tails.tolist())
            keys = np.concatenate([anchors, tails])
        index, recent = self.index, self.index.recent
        voters, common, deferred, shares_line, chosen, held, ends = vote(
            keys, len(anchors), np.array(sorted(lines), np.uint64), cap, short,
            self._account_code.get(candidate.account_id, -1), self._family_arr,
            self._account_arr, self.policy.max_candidates, self.policy.min_vote_share,
            index.uniq, index.buckets, index.shift, index.starts, index.posts,
            recent.slot_keys, recent.slot_newest, recent.slot_count, recent.posts, recent.prev,
        )  # fmt: skip
        boilerplate = set(common.tolist())
        if not len(deferred):
            return Votes(voters, boilerplate, shares_line, chosen.tolist(), held, ends)
        more = [voters]
        for line, found in zip(deferred.tolist(), index.lookup(deferred, cap), strict=True):
            titled = self._titled_by(line, found or [])
            if titled:
                more.append(np.array(titled, np.int64))
            else:
                boilerplate.add(line)  # a line of several families
        return Votes(np.concatenate(more), boilerplate, shares_line, None, held, ends)

    def _titled_by(self, line: int, found: list[int]) -> list[int]:
        """Of the posts carrying a whole line that several families share, the releases
        of the one family whose release has it, or the one whose release opens with it:
        a title that a failed copy (or a central title-only repost) also carries is
        still its release's title, not a greeting. Empty when that family is not one."""
        releases = [p for p in found if self._account_of[p] in self._central]
        if self._families(releases) > 1:
            texts = self._texts(releases)
            releases = [p for p in releases if line_key(texts[p].lines[0]) == line]
        return releases if self._families(releases) == 1 else []

    def _choose(self, voters: np.ndarray, shares_line: np.ndarray) -> list[int]:
        """The best-voted post of each family, best families first; a candidate with a
        small share of the best one's votes cannot reach the anchor containment the policy
        asks for and is not verified, unless it shares a whole line (maybe a title)."""
        chosen = choose(
            *tally(voters), self._family_arr, self.policy.max_candidates,
            self.policy.min_vote_share, shares_line,
        )  # fmt: skip
        return chosen.tolist()  # type: ignore[no-any-return]

    def _media_matches(self, candidate: Candidate) -> list[tuple[int, MediaMatch]]:
        """Earlier posts whose media this post's media copy: candidates from the media
        index (and from the text read off pictures), verified by `match_media`."""
        if not candidate.media:
            return []
        near = self.media.near(candidate.media, self._family_of, self._common_cap())
        # Posts sharing the most keys first, then the closest: a picture on the same
        # template as a dozen others shares their header and footer keys (at distance 0),
        # a copy shares nearly all of them. The closest few posts of each family are
        # tried: the closest key may belong to a post whose picture is framed or cropped
        # differently, and a whole-picture match with another post of the family holds.
        per_family: dict[int, list[int]] = {}
        for p, _ in sorted(near.items(), key=lambda ph: (-ph[1][0], ph[1][1], ph[0])):
            held = per_family.setdefault(self._family_of[p], [])
            if len(held) < MEDIA_TRIES_PER_FAMILY:
                held.append(p)
        families = list(per_family.values())[: self.policy.max_candidates]
        others = self._texts([p for posts in families for p in posts])
        out: list[tuple[int, MediaMatch]] = []
        for posts in families:
            for p in posts:
                m = self._match_media(candidate, others[p])
                if m is None:
                    continue
                if self._account_of[p] == candidate.account_id and not m.same_picture(self.policy):
                    # An office's own shots of one event look alike, cropped and zoomed
                    # differently; it posts them as a series, it does not copy itself.
                    # Its own picture again, as a whole, is still the same content.
                    continue
                out.append((p, m))
                break
        return out

    def _match_media(self, candidate: Candidate, other: Candidate) -> MediaMatch | None:
        """Whether `candidate`'s media copy those of an earlier post (`match_media`)."""
        return match_media(
            candidate.media,
            other.media,
            self.policy,
            other.post_id,
            candidate.post_id,
            self.common_runs,
        )

    def _common_cap(self) -> int:
        """Families above which an anchor is boilerplate: `common_families`, or a share of
        all posts in a large corpus, where template phrases of one release's kind recur
        in dozens of unrelated families without being boilerplate of every post."""
        return max(
            self.policy.common_families, int(len(self._family_of) * self.policy.common_share)
        )

    def _families(self, postings: list[int]) -> int:
        if len(postings) <= 1:
            return len(postings)
        return len(set(itemgetter(*postings)(self._family_of)))

    def _texts(self, idxs: list[int]) -> dict[int, Candidate]:
        return self._candidates.get(idxs)


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
