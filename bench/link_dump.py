"""Dump what linking decided in a database, in a form that two databases of the same
corpus can be diffed by: so a change meant only to make linking faster can show that it
changed no answer.

    python -m bench.link_dump tracer.db > before.txt

One line per post (by post id): its family, named by the smallest post id in it; its
parent's post id, lag and edge; the anchors it added to the index. Then one line per
stored match: both post ids, the modality and the scores. Post numbers (`idx`) are
not printed, so databases ingested in different batch orders compare too; edges and
scores are printed with their keys sorted, so an SQLite file and a PostgreSQL database
(`postgresql://…`, whose JSONB keeps keys in an order of its own) compare too.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
from typing import Any

import orjson

POSTS = "SELECT idx, post_id, family_id, parent_idx, lag_seconds, edge{cast}, indexed FROM posts"
MATCHES = "SELECT idx, other_idx, modality, scores{cast} FROM matches"


def _rows(db: str) -> tuple[list[Any], list[Any]]:
    if db.startswith(("postgresql://", "postgres://")):
        import psycopg

        with psycopg.connect(db) as conn:
            posts = conn.execute(POSTS.format(cast="::text")).fetchall()
            matches = conn.execute(MATCHES.format(cast="::text")).fetchall()
    else:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            posts = conn.execute(POSTS.format(cast="")).fetchall()
            matches = conn.execute(MATCHES.format(cast="")).fetchall()
        finally:
            conn.close()
    return posts, matches


def _json(text: str | None) -> str:
    if text is None:
        return "None"
    return orjson.dumps(orjson.loads(text), option=orjson.OPT_SORT_KEYS).decode()


def dump(db: str) -> list[str]:
    """The lines described above, sorted."""
    posts, matches = _rows(db)
    name = {idx: post_id for idx, post_id, *_ in posts}
    least: dict[int, str] = {}
    for _idx, post_id, family, *_ in posts:
        held = least.get(family)
        least[family] = post_id if held is None else min(held, post_id)
    lines = [
        "post\t"
        + "\t".join(
            (
                post_id,
                least[family],
                name.get(parent, "") if parent is not None else "",
                str(lag),
                _json(edge),
                hashlib.sha256(bytes(indexed)).hexdigest()[:16],
            )
        )
        for _idx, post_id, family, parent, lag, edge, indexed in posts
    ]
    lines += [
        f"match\t{name[idx]}\t{name[other]}\t{modality}\t{_json(scores)}"
        for idx, other, modality, scores in matches
    ]
    return sorted(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    args = parser.parse_args()
    lines = dump(args.db)
    sys.stdout.write("\n".join(lines) + "\n")
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    families = len({line.split("\t")[2] for line in lines if line.startswith("post\t")})
    matched = sum(line.startswith("match\t") for line in lines)
    print(
        f"# {len(lines)} lines, {families} families, {matched} matches, sha256 {digest}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
