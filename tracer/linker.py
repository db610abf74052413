"""Families, built incrementally: each new post joins the families of the posts it matches.

The linker keeps in memory only compact arrays (the anchor index, each post's family
and account); candidate texts come through `fetch` (the store) so the linker itself
does no I/O. Families are merged when one post matches several of them, which is how a
release that surfaces after its copies re-links them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from tracer.candidates import Candidate, Candidates, Fetch, Match, MediaLookup
from tracer.media.match import MediaItem, MediaMatch, match_media
from tracer.policy import MatchPolicy
from tracer.strength import is_strong_match, rank, same_content, tier
from tracer.text.fingerprint import U64, TextFingerprint, line_keys_of
from tracer.text.index import AnchorIndex
from tracer.text.match import TextSide, verify_pair

MEDIA_TRIES_PER_FAMILY = 3
"""Posts of one candidate family whose media are verified, closest first, until one
matches."""


@dataclass(slots=True)
class LinkResult:
    family_id: int
    matches: list[tuple[int, Match]]
    indexed: U64
    merged: list[tuple[int, int]] = field(default_factory=list)
    """(absorbed family, surviving family) pairs."""
    joined_by: dict[int, str] = field(default_factory=dict)
    """Posts whose match corroborated a merge of families, and why (stored as evidence)."""


class Linker:
    def __init__(
        self, policy: MatchPolicy, fetch: Fetch, central: frozenset[str] = frozenset()
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
        self._candidates = Candidates(fetch)

    def load(self, rows: Iterable[tuple[int, str, int, bytes]]) -> None:
        """Rebuild state from stored (idx, account, family, indexed anchors) rows."""
        keys: list[U64] = []
        owners: list[np.ndarray] = []
        groups: dict[int, list[int]] = defaultdict(list)
        for idx, account, family, indexed in rows:
            self._family_of[idx] = family
            self._account_of[idx] = self._account_names.setdefault(account, account)
            if account in self._central:
                held = self._release_of.get(family)
                self._release_of[family] = idx if held is None else min(held, idx)
            groups[family].append(idx)
            anchors = TextFingerprint.anchors_from_bytes(indexed)
            if len(anchors):
                keys.append(anchors)
                owners.append(np.full(len(anchors), idx, np.int64))
        self._members = {f: m for f, m in groups.items() if len(m) > 1}
        if keys:
            self.index = AnchorIndex(np.concatenate(keys), np.concatenate(owners))

    def load_media(self, rows: Iterable[tuple[int, tuple[MediaItem, ...]]]) -> None:
        """Rebuild the media indexes from stored (idx, media items) rows."""
        self.media.load(rows, self._family_of)

    @property
    def common_runs(self) -> frozenset[str]:
        """Runs of words read off pictures of more than `ocr_common_families` families."""
        return self.media.runs.common

    def __len__(self) -> int:
        return len(self._family_of)

    def family_of(self, idx: int) -> int:
        return self._family_of[idx]

    def link(self, candidate: Candidate) -> LinkResult:
        """Match one new post against everything linked so far and place it in a family."""
        idx = candidate.idx
        anchors, postings, matches = self._find(candidate)
        short = len(candidate.tokens) < self.policy.short_tokens
        is_release = candidate.account_id in self._central
        joining, corroboration = self._families_to_join(candidate, matches, short, is_release)
        family, merged = self._place(idx, joining)
        if is_release:
            self._release_of.setdefault(family, idx)
        matches = [(p, m) for p, m in matches if self._family_of[p] == family]
        matches += [(p, m) for p, m in corroboration if all(p != q for q, _ in matches)]
        # A strong copy adds only what its family lacks, so a release copied by hundreds
        # stays rare; a weaker match (a template sibling, say) adds all its anchors, so
        # shared template phrases grow common and stop linking.
        dedupe = any(is_strong_match(m, self.policy) for _, m in matches)
        indexed = [
            a
            for a, found in zip(anchors.tolist(), postings, strict=True)
            if found is not None
            and not (dedupe and any(self._family_of[p] == family for p in found))
        ]
        for a in indexed:
            self.index.add(a, idx)
        self._account_of[idx] = self._account_names.setdefault(
            candidate.account_id, candidate.account_id
        )
        self._candidates.hold(candidate)
        self.media.add(idx, family, candidate.media)
        joined_by = {p: "core" for p, _ in corroboration} if merged else {}
        return LinkResult(family, matches, np.array(indexed, np.uint64), merged, joined_by)

    def find(self, candidate: Candidate) -> list[tuple[int, Match]]:
        """Verified matches of content that is not (and will not be) linked: a caption or
        a picture someone wants checked. Changes nothing; best matches first."""
        _, _, matches = self._find(candidate)
        return sorted(
            matches, key=lambda m: (not is_strong_match(m[1], self.policy), *rank(m[1]), m[0])
        )

    def _find(
        self, candidate: Candidate
    ) -> tuple[U64, list[list[int] | None], list[tuple[int, Match]]]:
        anchors = np.fromiter(candidate.anchors, np.uint64)
        anchors.sort()
        postings = self.index.lookup(anchors, self._common_cap())
        short = len(candidate.tokens) < self.policy.short_tokens
        votes, boilerplate, shares_line = self._vote(candidate, anchors, postings, short)
        chosen = self._choose(votes, shares_line)
        texts = self._texts(chosen)
        side = TextSide(candidate.post_id, candidate.tokens, candidate.anchors, candidate.lines)
        matches: list[tuple[int, Match]] = []
        for p in chosen:
            other = texts[p]
            found_match = verify_pair(
                side,
                TextSide(other.post_id, other.tokens, other.anchors, other.lines),
                boilerplate,
                self.policy,
            )
            if found_match is not None:
                matches.append((p, found_match))
        media = self._media_matches(candidate)
        if short and candidate.media:
            # A short caption beside pictures that do not match is a generic one ("Yuk
            # lihat video di bawah ini."): the same words go with any content.
            agree = {self._family_of[p] for p, _ in media}
            matches = [
                (p, m) for p, m in matches if not texts[p].media or self._family_of[p] in agree
            ]
        return anchors, postings, matches + media

    def _vote(
        self, candidate: Candidate, anchors: U64, postings: list[list[int] | None], short: bool
    ) -> tuple[dict[int, int], set[int], set[int]]:
        """Votes for earlier posts (one per distinctive anchor they share), the anchors
        that are boilerplate for this post, and the posts that share a whole line with it.

        A short text, and a whole line, must be unique to one family to count: a greeting
        line carried by two unrelated copies is framing, not content."""
        lines = set(line_keys_of(candidate.lines))
        boilerplate: set[int] = set()
        votes: dict[int, int] = defaultdict(int)
        shares_line: set[int] = set()
        for anchor, found in zip(anchors.tolist(), postings, strict=True):
            if not found:
                if found is None:
                    boilerplate.add(anchor)  # carried by too many families: common
                continue
            if anchor in lines:
                shares_line.update(found)
            if len(found) == 1:  # the usual case: one earlier family, no ambiguity
                votes[found[0]] += 1
                continue
            if self._is_habit(found, candidate.account_id) or (
                (short or anchor in lines) and self._families(found) > 1
            ):
                boilerplate.add(anchor)  # this account's habit, or ambiguous
                continue
            for p in found:
                votes[p] += 1
        return votes, boilerplate, shares_line

    def _choose(self, votes: dict[int, int], shares_line: set[int]) -> list[int]:
        """The best-voted post of each family, best families first; a candidate with a
        small share of the best one's votes cannot reach the anchor containment the policy
        asks for and is not verified, unless it shares a whole line (maybe a title)."""
        best_per_family: dict[int, int] = {}
        for p, n in votes.items():
            fam = self._family_of[p]
            held = best_per_family.get(fam)
            if held is None or (n, -p) > (votes[held], -held):
                best_per_family[fam] = p
        chosen = sorted(best_per_family.values(), key=lambda p: (-votes[p], p))
        if not chosen:
            return []
        floor = votes[chosen[0]] * self.policy.min_vote_share
        return [
            p for p in chosen[: self.policy.max_candidates] if votes[p] >= floor or p in shares_line
        ]

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
                other = others[p]
                m = match_media(
                    candidate.media,
                    other.media,
                    self.policy,
                    other.post_id,
                    candidate.post_id,
                    self.common_runs,
                )
                if m is None:
                    continue
                if self._account_of[p] == candidate.account_id and not same_content(m, self.policy):
                    # An office's own shots of one event look alike, cropped and zoomed
                    # differently; it posts them as a series, it does not copy itself.
                    # Its own picture again, as a whole, is still the same content.
                    continue
                out.append((p, m))
                break
        return out

    def _families_to_join(
        self,
        candidate: Candidate,
        matches: list[tuple[int, Match]],
        short: bool,
        is_release: bool,
    ) -> tuple[set[int], list[tuple[int, Match]]]:
        """The best-matching family, plus any other family this post merges with it, and
        the matches to the families' cores that corroborate the merge.

        A post joins its best family on one verified match. Two families of two or more
        posts merge only on corroborated evidence: a strong match (never a short text) to
        the core of each — its release, else its first post — so one weak or unlucky
        link never joins whole families. Two releases are two contents: a family holds
        one release, and another joins it only as a near-identical repost of it (the
        ministry's Instagram post of its WhatsApp release, say)."""
        if not matches:
            return set(), []
        ranked = sorted(matches, key=lambda m: (*tier(m[1], short, self.policy), m[0]))
        chosen: list[int] = []
        holds_release = is_release
        for p, m in ranked:
            family = self._family_of[p]
            if family in chosen:
                continue
            if chosen and (tier(m, short, self.policy)[0] > 0):
                continue
            releases = family in self._release_of
            if releases and holds_release and not same_content(m, self.policy):
                continue
            chosen.append(family)
            holds_release |= releases
        if len(chosen) <= 1:
            return set(chosen), []
        # A merge: every family of more than one post must be matched at its core.
        found: dict[int, Match] = {}
        for p, m in ranked:
            found.setdefault(p, m)  # the strongest match to each post
        corroboration: list[tuple[int, Match]] = []
        kept: list[int] = []
        for family in chosen:
            if family not in self._members:
                kept.append(family)  # a lone post: joining it is not growth
                continue
            core = self._core(family)
            at_core = found.get(core)
            if at_core is None or tier(at_core, short, self.policy)[0] > 0:
                at_core = self._verify_one(candidate, core)
            if at_core is not None and tier(at_core, short, self.policy)[0] == 0:
                kept.append(family)
                corroboration.append((core, at_core))
        if chosen[0] not in kept or len(kept) <= 1:
            return {chosen[0]}, []  # no merge: the post joins its best family alone
        return set(kept), corroboration

    def _core(self, family: int) -> int:
        """A family's first release, else its first post: what a merge must match."""
        return self._release_of.get(family, family)

    def _verify_one(self, candidate: Candidate, idx: int) -> Match | None:
        """The strongest verified match of `candidate` to one stored post, or None."""
        other = self._texts([idx])[idx]
        found: list[Match] = []
        text = verify_pair(
            TextSide(candidate.post_id, candidate.tokens, candidate.anchors, candidate.lines),
            TextSide(other.post_id, other.tokens, other.anchors, other.lines),
            set(),
            self.policy,
        )
        if text is not None:
            found.append(text)
        if candidate.media and other.media:
            media = match_media(
                candidate.media,
                other.media,
                self.policy,
                other.post_id,
                candidate.post_id,
                self.common_runs,
            )
            if media is not None:
                found.append(media)
        short = len(candidate.tokens) < self.policy.short_tokens
        return min(found, key=lambda m: tier(m, short, self.policy), default=None)

    def _common_cap(self) -> int:
        """Families above which an anchor is boilerplate: `common_families`, or a share of
        all posts in a large corpus, where template phrases of one release's kind recur
        in dozens of unrelated families without being boilerplate of every post."""
        return max(
            self.policy.common_families, int(len(self._family_of) * self.policy.common_share)
        )

    def _is_habit(self, postings: list[int], account: str) -> bool:
        """Whether `account` already used this anchor in two or more families: its
        signature or greeting, which says nothing about where a new post came from. One
        earlier use is still evidence (an office re-posting its own text)."""
        own = [p for p in postings if self._account_of[p] == account]
        return len(own) >= 2 and self._families(own) >= 2

    def _families(self, postings: list[int]) -> int:
        return len({self._family_of[p] for p in postings})

    def _texts(self, idxs: list[int]) -> dict[int, Candidate]:
        return self._candidates.get(idxs)

    def is_shared(self, family: int) -> bool:
        """Whether a family has more than one post (only those have a cascade)."""
        return family in self._members

    def _place(self, idx: int, families: set[int]) -> tuple[int, list[tuple[int, int]]]:
        if not families:
            self._family_of[idx] = idx
            return idx, []
        target = min(families)
        members = self._members.setdefault(target, [target])
        merged: list[tuple[int, int]] = []
        for other in sorted(families - {target}):
            absorbed = self._members.pop(other, [other])
            for m in absorbed:
                self._family_of[m] = target
            moved = self._release_of.pop(other, None)
            if moved is not None:
                held = self._release_of.get(target)
                self._release_of[target] = moved if held is None else min(held, moved)
            members.extend(absorbed)
            merged.append((other, target))
        members.append(idx)
        self._family_of[idx] = target
        return target, merged

    def end_batch(self) -> None:
        """The batch is stored: pending texts can now be fetched like any other."""
        self._candidates.stored()
        self.index.compact()
        self.media.compact()
