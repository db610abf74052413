"""The part of a picture a phone's scroll left visible (a "view"): placed on the
stored pictures of the families it may come from — the releases' pictures it correlates
with (a bank of coarse grids), their members it looks most like, and the families its
regions, caption and words point to."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence

import numpy as np

from tracer.candidates import Candidate, Match
from tracer.linker import Linker
from tracer.media.bank import Bank, bank_of, distinct_pictures, scan_view
from tracer.media.fingerprint import ImagePrint
from tracer.media.match import MediaMatch
from tracer.outside import VIEW_POSTS, match_view, view_candidates
from tracer.policy import MatchPolicy
from tracer.screenshot import View
from tracer.store import Store

BANK_CORRELATION = 0.8
"""A release picture a view correlates with this well (placed, coarsely) is a candidate;
`outside.match_view` decides."""
BANK_FAMILIES = 3
"""Banked pictures whose families a view is tried on, best correlated first."""
BANK_CHUNK = 5_000
_banks: weakref.WeakKeyDictionary[Linker, tuple[int, Bank]] = weakref.WeakKeyDictionary()
_bank_lock = threading.Lock()


def release_bank(store: Store, linker: Linker) -> Bank:
    """The pictures of the families that hold a release (a central account's post),
    banked for placing views on (`mediaalign.scan_view`): the ones a claim of "it was
    a ministry release" is about. Of a family's pictures that look alike at the bank's
    coarseness (`distinct_pictures`), one is kept: a release copied by hundreds of
    offices keeps its few variants (frames, crops, bands). Built once per state of the
    linker (the service's is topped up, or loaded again, when the store changes)."""
    with _bank_lock:
        built = _banks.get(linker)
        held = built[1] if built is not None and built[0] == linker.top_ups else None
        if held is None:
            central = {a for a, account in store.accounts().items() if account.tier == "central"}
            state = [(idx, account, family) for idx, account, family, _ in store.iter_link_state()]
            released = {family for _, account, family in state if account in central}
            idxs = [idx for idx, _, family in state if family in released]
            family_of = {idx: family for idx, _, family in state}
            pictures: list[tuple[int, ImagePrint]] = []
            for start in range(0, len(idxs), BANK_CHUNK):
                items = store.media.items_for(idxs[start : start + BANK_CHUNK])
                pictures += [(i, m.image) for i, ms in items.items() for m in ms if m.image]
            held = bank_of(distinct_pictures(pictures, family_of))
            _banks[linker] = (linker.top_ups, held)
        return held


def view_matches(
    store: Store,
    policy: MatchPolicy,
    candidate: Candidate,
    linker: Linker,
    views: Sequence[View],
    done: set[int],
) -> list[Match]:
    """Matches of the part of a picture a scroll left visible, placed on the stored
    pictures (`outside.match_view`) of candidate families: the releases it correlates
    with (`release_bank`) and their members it looks most like, then the families its
    regions, caption and words point to. Families whose picture already matched are
    not tried again."""
    bank = release_bank(store, linker)
    picked: list[int] = []
    for view in views[:1]:  # the rows found: the others add a band of the app's colour
        if view.item.image is not None:
            corr = scan_view(view.item.image, view.cut, bank)
            picked += [
                int(bank.owners[k])
                for k in np.argsort(-corr)[:BANK_FAMILIES].tolist()
                if corr[k] >= BANK_CORRELATION
            ]
    picked = list({linker.family_of(p): p for p in reversed(picked)}.values())[::-1]
    families = [[p] for p in picked] + view_candidates(linker, views, candidate.keys, policy)
    families = [f for f in families if linker.family_of(f[0]) not in done]
    if not families:
        return []
    reader = store.link_reader()
    try:
        rows = reader.rows([p for family in families for p in family])
    finally:
        reader.close()
    groups = [[rows[p].post_id for p in family if p in rows] for family in families]
    for n, p in enumerate(picked):
        if p in rows and groups[n]:
            groups[n] += _closest_members(store, linker.family_of(p), views[0])
    out: list[Match] = []
    tried: set[str] = set()
    media = store.media.items_by_post({pid for group in groups for pid in group})
    for group in groups:
        for post_id in dict.fromkeys(group):
            if post_id in tried:
                continue
            tried.add(post_id)
            matched: list[MediaMatch] = []
            for view in views:  # the rows found first, then with a band of the app's colour
                placed = (
                    match_view(view, item, policy, post_id, candidate.post_id, linker.common_runs)
                    for item in media.get(post_id, ())
                )
                matched = [m for m in placed if m is not None]
                if matched:
                    break
            if matched:
                out.append(
                    max(matched, key=lambda m: m.alignment.correlation if m.alignment else 0)
                )
                break
    return out


def _closest_members(store: Store, family: int, view: View) -> list[str]:
    """The members of a family whose pictures a view correlates best with (placed
    coarsely): the copy a screenshot shows may carry an office's own band or redraw,
    which the release's picture does not."""
    ids = [post.post_id for post, _ in store.family_posts(family)]
    media = store.media.items_by_post(ids)
    pictures = [
        (n, item.image)
        for n, post_id in enumerate(ids)
        for item in media.get(post_id, ())
        if item.image is not None
    ]
    if view.item.image is None or not pictures:
        return []
    bank = bank_of(pictures)
    corr = scan_view(view.item.image, view.cut, bank)
    best = [ids[int(bank.owners[k])] for k in np.argsort(-corr) if corr[k] >= BANK_CORRELATION]
    return list(dict.fromkeys(best))[: VIEW_POSTS - 1]
