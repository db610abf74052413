"""Families, built incrementally: each new post joins the families of the posts it matches.

The linker keeps in memory only compact arrays (`tracer.held.HeldPosts`: the anchor
index, each post's family and account); candidate texts come through `fetch` (the
store) so the linker itself does no I/O. A new post's matches are its nearest posts
that the rules accept (`LinkedPosts.nearest`). Families are merged when one post
matches several of them, which is how a release that surfaces after its copies
re-links them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from tracer.candidates import Candidate, Match
from tracer.linkstate import pack, unpack
from tracer.media import fingerprint as media_fingerprint
from tracer.media import lattice, textpresence
from tracer.nearest import LinkedPosts
from tracer.normalize import normalize_text
from tracer.policy import DEFAULT_POLICY
from tracer.strength import is_strong_match, same_content, tier
from tracer.text.fingerprint import U64, fingerprint_text
from tracer.text.match import verify_pair
from tracer.text.votes import indexable


@dataclass(slots=True)
class LinkResult:
    family_id: int
    matches: list[tuple[int, Match]]
    indexed: U64
    merged: list[tuple[int, int]] = field(default_factory=list)
    """(absorbed family, surviving family) pairs."""
    joined_by: dict[int, str] = field(default_factory=dict)
    """Posts whose match corroborated a merge of families, and why (stored as evidence)."""


class Linker(LinkedPosts):
    """Places each new post in a family: the one of its best match, or several merged."""

    def link(self, candidate: Candidate) -> LinkResult:
        """Match one new post against everything linked so far and place it in a family."""
        idx = candidate.idx
        anchors, votes, near = self._nearest(candidate)
        matches = [(n.idx, n.match) for n in near]
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
        indexed = anchors[indexable(votes.held, votes.ends, dedupe, family, self._family_arr)]
        self._hold(idx, family, candidate.account_id)
        self.index.add_all(indexed, idx)
        self._candidates.hold(candidate)
        self.media.add(idx, family, candidate.media)
        joined_by = {p: "core" for p, _ in corroboration} if merged else {}
        return LinkResult(family, matches, indexed, merged, joined_by)

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
        text = verify_pair(self._side(candidate), self._side(other), set(), self.policy)
        if text is not None:
            found.append(text)
        if candidate.media and other.media:
            media = self._match_media(candidate, other)
            if media is not None:
                found.append(media)
        short = len(candidate.tokens) < self.policy.short_tokens
        return min(found, key=lambda m: tier(m, short, self.policy), default=None)

    def _place(self, idx: int, families: set[int]) -> tuple[int, list[tuple[int, int]]]:
        if not families:
            self._hold(idx, idx)
            return idx, []
        target = min(families)
        members = self._members.setdefault(target, [target])
        merged: list[tuple[int, int]] = []
        for other in sorted(families - {target}):
            self._absorb(target, other)
            merged.append((other, target))
        members.append(idx)
        self._hold(idx, target)
        return target, merged

    def end_batch(self, behind: bool = False) -> None:
        """The batch is stored: pending texts can now be fetched like any other. With
        `behind`, its write may still be running, and the one before it is done
        (`Candidates.stored`)."""
        self._candidates.stored(behind)
        self.index.compact()
        self.media.compact()


_WARM_TEXTS = (
    ("central", "Pemerintah membuka pendaftaran beasiswa digital bagi 100.000 peserta.\n"
     "Pendaftaran dibuka hingga akhir bulan melalui laman resmi dan kuota terbatas."),
    ("office", "Halo warga!\nPemerintah membuka pendaftaran beasiswa digital bagi 100.000 "
     "peserta.\nPendaftaran dibuka hingga akhir bulan melalui laman resmi dan kuota terbatas."),
    ("office", "Selamat pagi."),
)  # fmt: skip


def warm_up() -> None:
    """Compile the linker's loops (numba: `tracer.text.votes`, `tracer.text.overlap`,
    `tracer.media.index`, `tracer.media.lattice`; and the workers' integral images and
    text-presence test, `tracer.media.fingerprint` and `tracer.media.textpresence`) into
    numba's cache, or load them from it, by linking a release, a copy and a short post
    in memory and searching a snapshot of them. Setup runs it once (`make`), so that a
    first ingest does not spend ~15 s compiling."""
    held: dict[int, Candidate] = {}

    def fetch(idxs: Iterable[int]) -> dict[int, Candidate]:
        return {i: held[i] for i in idxs if i in held}

    central = frozenset({"central"})
    linker = Linker(DEFAULT_POLICY, fetch, central)
    for idx, (account, text) in enumerate(_WARM_TEXTS, start=1):
        norm = normalize_text(text)
        keys = fingerprint_text(norm).anchors
        held[idx] = Candidate(idx, f"warm{idx}", account, norm.tokens, keys, norm.lines)
        linker.link(held[idx])
    linker.nearest(held[2], posts=5)  # a search's scores: one pair's overlap at a time
    linker.end_batch()
    linker.index.compact(min_size=0)
    linker.index.lookup(linker.index.distinct_keys(), 10)
    linker.media.media_index.search_batch(np.arange(1, 4, dtype=np.uint64), 4)
    # A replica opens a snapshot: its postings are read-only int32 arrays until its
    # first compaction, each another type for numba.
    snapshot = Linker(DEFAULT_POLICY, fetch, central)
    snapshot.open_state(unpack(pack(linker.state(), {}))[0])
    for compacted in (False, True):
        snapshot.find(held[2])
        snapshot.index.lookup(snapshot.index.distinct_keys(), 10)
        snapshot.media.ocr_index.lookup(snapshot.index.distinct_keys(), 10)
        keys = np.arange(1, 4, dtype=np.uint64)
        snapshot.media.media_index.search_batch(keys, 4)
        snapshot.media.media_index.add(keys, 1)  # and its delta
        snapshot.media.media_index.search_batch(keys, 4)
        if not compacted:
            snapshot.index.add_all(np.arange(1, 2_000, dtype=np.uint64), 1)  # past the table
            snapshot.index.compact(min_size=0)
            snapshot.media.media_index.compact()
    lattice.warm_up()
    media_fingerprint.warm_up()
    textpresence.warm_up()
