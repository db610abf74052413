"""Cascades of stored families: inferred by `tracer.cascades.infer`, each edge explained by
the evidence that links the copy to its parent, and written back for the families an
ingest touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any

import orjson

from tracer.cascades.infer import Member, infer_cascade
from tracer.evidence import Evidence, Match
from tracer.media.match import MediaItem, match_media
from tracer.models import Edge
from tracer.policy import MatchPolicy
from tracer.store import Store
from tracer.store.behind import Writes
from tracer.store.rows import CascadeRow
from tracer.text.fingerprint import TextFingerprint
from tracer.text.match import TextSide, accepts, score_pair


def _members(rows: Sequence[dict[str, Any]]) -> list[Member]:
    return [
        Member(
            post_id=r["post_id"],
            account_id=r["account_id"],
            tier=r["tier"],
            account_parent_id=r["parent_id"],
            timestamp=int(r["ts"]),
            anchors=frozenset(TextFingerprint.anchors_from_bytes(r["anchors"]).tolist()),
            hashtags=frozenset(orjson.loads(r["hashtags"])),
        )
        for r in rows
    ]


def family_cascades(
    store: Store, policy: MatchPolicy, family_ids: Sequence[int]
) -> tuple[list[CascadeRow], list[dict[str, Any]], list[Edge]]:
    """Cascade rows to store, family summaries, and the same edges as values."""
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in store.cascade_inputs(family_ids):
        grouped[int(row["family_id"])].append(row)
    cascades: list[CascadeRow] = []
    summaries: list[dict[str, Any]] = []
    edges: list[Edge] = []
    media = store.media.items_for(r["idx"] for rows in grouped.values() for r in rows)
    for family_id, rows in grouped.items():
        by_id = {r["post_id"]: r for r in rows}
        sides = {r["post_id"]: _side(r) for r in rows}  # once each: a release has many copies
        cascade = infer_cascade(_members(rows), policy)
        cascades.append(CascadeRow(by_id[cascade.origin]["idx"], None, None, None))
        for link in cascade.links:
            source, target = by_id[link.source], by_id[link.target]
            evidence = edge_evidence(
                sides[link.target],
                sides[link.source],
                media.get(target["idx"], ()),
                media.get(source["idx"], ()),
                policy,
            )
            modality, scores = evidence.modality, evidence.scores
            edge = {"modality": modality, "scores": scores, "reason": link.reason}
            if evidence.media:
                edge["evidence"] = evidence.media
            cascades.append(CascadeRow(target["idx"], source["idx"], link.lag_seconds, edge))
            edges.append(
                Edge(
                    link.source,
                    link.target,
                    link.lag_seconds,
                    modality,
                    scores,
                    link.reason,
                    evidence.media,
                )
            )
        summaries.append(
            {
                "family_id": family_id,
                "size": len(rows),
                "origin_idx": by_id[cascade.origin]["idx"],
                "release_idx": by_id[cascade.release]["idx"] if cascade.release else None,
            }
        )
    return cascades, summaries, edges


def edge_evidence(
    copy: TextSide,
    source: TextSide,
    copy_media: tuple[MediaItem, ...],
    source_media: tuple[MediaItem, ...],
    policy: MatchPolicy,
) -> Evidence:
    """How a copy relates to the post it was copied from: text scores always; the media
    match when their media match; the modality names what verifies (`text`, `image`,
    `text+video`, …). A parent chosen for the hierarchy alone can verify by neither: the
    edge then says `text` with scores below the linking thresholds."""
    text = score_pair(copy, source, policy=policy)
    accepted = accepts(text, min(len(copy.tokens), len(source.tokens)), policy)
    found = match_media(copy_media, source_media, policy, source.post_id, copy.post_id)
    verified: list[Match] = [m for m in (text if accepted else None, found) if m is not None]
    return Evidence.combine(verified, unverified=() if accepted else [text])


def _side(row: dict[str, Any]) -> TextSide:
    return TextSide(
        row["post_id"],
        tuple(row["norm_text"].split()),
        TextFingerprint.anchors_from_bytes(row["anchors"]),
        tuple(row["norm_text"].split("\n")),
        row["tier"] == "central",
    )


def refresh_cascades(
    store: Store, policy: MatchPolicy, chunk: int = 2000, writes: Writes | None = None
) -> int:
    """Recompute the cascades of every family an ingest touched; returns how many. A
    chunk is written while the next is inferred, where writes run behind (on a database
    server; a relink's writer process, handed over as `writes`): what inference reads
    (members, texts, media) is not what is written (parents, summaries)."""
    done = 0
    after: int | None = None
    with nullcontext(writes) if writes is not None else store.writes_behind() as behind:
        while family_ids := store.dirty_families(chunk, after):
            cascades, summaries, _ = family_cascades(store, policy, family_ids)
            behind.submit(store.write_cascades, cascades, summaries)
            done += len(family_ids)
            after = family_ids[-1]
        behind.wait()
    return done
