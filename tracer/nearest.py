"""The one search path: the stored posts nearest to a post or to a piece of content.

`LinkedPosts` searches what linking keeps in memory (`tracer.held.HeldPosts`: the anchor
index, each post's family and account, the media look-ups) and answers `nearest`: the
posts that share distinctive
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

from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from tracer.candidates import Candidate, Match
from tracer.held import HeldPosts
from tracer.media.match import MediaMatch, match_media
from tracer.strength import is_strong_match, rank
from tracer.text.fingerprint import U64, line_key, line_keys_of, line_tail_keys
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


class LinkedPosts(HeldPosts):
    """The search over the posts linked so far (`HeldPosts`)."""

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
            tails = key_array(set(line_tail_keys(candidate.lines)).difference(anchors.tolist()))
            lines.update(tails.tolist())
            keys = np.concatenate([anchors, tails])
        index, recent = self.index, self.index.recent
        voters, common, deferred, shares_line, chosen, held, ends = vote(
            keys, len(anchors), key_array(lines), cap, short,
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
        near = self.media.near(candidate.media, self._family_arr, self._common_cap())
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
