"""`Tracer`: one door to the library for the CLI, the API and scripts.

It holds what every question needs and should not rebuild per call: the store, the one
`MatchPolicy`, the context rules of the flags, and the warm caches (the one linker that
`search` and outside content search, kept up to date with the store; the family
summaries; the families' cascade graphs per family version). Each method is one
question and returns values (`Trace`, `VerdictReport`, `SearchHit`, `Adoption`, `Watch`,
`FamilyExport`, …); JSON is made at the edges.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from tracer.accounts_import import AccountsImportReport, import_accounts
from tracer.adapters.base import AdapterOptions
from tracer.adoption import account_summary, list_accounts
from tracer.card import Card
from tracer.cards import make_card, make_content_card
from tracer.config import Settings
from tracer.convert import ExportIngestReport
from tracer.convert import ingest_export as ingest_any
from tracer.coverage import Adoption
from tracer.coverage import adoption as release_adoption
from tracer.errors import CorpusError, StoreError
from tracer.exports import to_cytoscape
from tracer.flags import Context, load_context
from tracer.graphcache import GraphCache, Rendered
from tracer.linking import Searcher
from tracer.media import ocr
from tracer.models import Account, StoredPost
from tracer.offices.placement import duplicate_accounts
from tracer.outside import Submission
from tracer.policy import DEFAULT_POLICY, MatchPolicy
from tracer.relinking import relink as relink_all
from tracer.search import SearchHit, text_candidate
from tracer.search import search as search_near
from tracer.service import IngestReport
from tracer.service import ingest as ingest_corpus
from tracer.store import SCHEMA_VERSION, DatabaseError, Store
from tracer.store.listings import FamilyStats, Page, family_summary, list_families, list_posts
from tracer.store.writelock import OnWait
from tracer.tracing import Family, FamilyExport, Trace, find_post
from tracer.uploads import UploadKind
from tracer.uploads import ingest_upload as ingest_batch
from tracer.verdict import VerdictReport
from tracer.verification import default_context, submission_candidate, verify_post
from tracer.verification import verify_content as verify_outside
from tracer.watch import Watch, make_query
from tracer.watch import watch as watch_list

GRAPH_CACHE_BYTES = 64_000_000
"""Default bound of the family graph cache (`Settings.graph_cache_mb`)."""


class Tracer:
    def __init__(
        self,
        store: Store,
        policy: MatchPolicy = DEFAULT_POLICY,
        context: Context | None = None,
        *,
        context_file: Path | None = None,
        graph_cache_bytes: int = GRAPH_CACHE_BYTES,
    ) -> None:
        self.store = store
        self.policy = policy
        self._context = context
        self._context_file = context_file
        self._searcher = Searcher(policy)
        self._family_stats = FamilyStats()
        self._graphs = GraphCache(graph_cache_bytes)

    @classmethod
    def open(
        cls,
        db: str | Path,
        policy: MatchPolicy = DEFAULT_POLICY,
        context: Context | None = None,
        *,
        graph_cache_bytes: int = GRAPH_CACHE_BYTES,
    ) -> Tracer:
        return cls(Store.open(db), policy, context, graph_cache_bytes=graph_cache_bytes)

    @classmethod
    def from_settings(
        cls, settings: Settings, policy: MatchPolicy = DEFAULT_POLICY, *, create: bool = True
    ) -> Tracer:
        """The store of `settings.db` with the context rules of `settings.context_file`
        (read on first use); `create=False` refuses a database file that does not exist
        (a mistyped path)."""
        db = settings.db
        if not create and "://" not in db and not Path(db).is_file():
            raise CorpusError(f"no database at {db} (run `tracer ingest` first)")
        return cls(
            Store.open(db),
            policy,
            context_file=settings.context_file,
            graph_cache_bytes=settings.graph_cache_mb * 1_000_000,
        )

    @property
    def context(self) -> Context | None:
        """The context rules of the flags; None: the shipped ones. A context file is
        read when a question first needs it (an ingest never does)."""
        if self._context is None and self._context_file is not None:
            self._context = load_context(self._context_file)
        return self._context

    def close(self) -> None:
        self.store.close()

    # --- the service's health ------------------------------------------------------

    def warm(self, summaries: bool = True) -> None:
        """Load the linker that searches (`POST /search`, outside content) from the
        stored snapshot or the posts, and (`summaries`) bring the family summaries up
        to date: on a large store each takes seconds."""
        try:
            self._searcher.warm(self.store)
            if summaries:
                self._family_stats.ensure_fresh(self.store)
        except DatabaseError as exc:  # the store closed under it, or is unusable
            raise StoreError(f"warm-up stopped: {exc}") from None

    def share_indexes(self, built: bool = False) -> bool:
        """Store the searcher's linker as the snapshot that other processes (replicas)
        open instead of building it, when the stored one is missing, of an earlier
        epoch or `SNAPSHOT_BEHIND` posts behind the store (or, `built`, whenever this
        process had to build it from the posts); True when stored."""
        try:
            due = (built and self._searcher.opened == "built") or self._searcher.due(self.store)
            return due and self._searcher.share(self.store)
        except DatabaseError as exc:  # the store closed under it, or is unusable
            raise StoreError(f"storing the linker's snapshot stopped: {exc}") from None

    def ready(self) -> int:
        """The schema version, when the database answers and holds the one expected."""
        try:
            version = self.store.schema_version()
        except DatabaseError:
            raise StoreError("the database does not answer") from None
        if version != SCHEMA_VERSION:
            raise StoreError(f"schema version {version}, expected {SCHEMA_VERSION}")
        return version

    def counts(self) -> dict[str, int]:
        return self.store.counts()

    # --- writes --------------------------------------------------------------------

    def ingest(self, corpus: Path, **options: Any) -> IngestReport:
        """A canonical corpus into the store (options as `service.ingest`)."""
        report = ingest_corpus(self.store, corpus, policy=self.policy, **options)
        self.share_indexes()
        return report

    def ingest_upload(
        self,
        kind: UploadKind,
        body: Path,
        workdir: Path,
        *,
        max_bytes: int,
        batch_size: int,
        wait: float | None = None,
    ) -> IngestReport:
        """An uploaded batch (JSON lines or a zipped corpus) saved at `body`, under the
        one-writer lock (`BusyError` past `wait` seconds)."""
        holders: list[str] = []
        asked = time.monotonic()
        with self.store.writer(wait, on_wait=holders.append):
            waited = time.monotonic() - asked
            report = ingest_batch(
                self.store,
                kind,
                body,
                workdir,
                max_bytes=max_bytes,
                policy=self.policy,
                batch_size=batch_size,
            )
        if holders:  # another replica or a CLI was writing: say how long this waited
            report.notes.append(f"waited {waited:.1f} s for {holders[0]} to finish writing")
        self.share_indexes()
        return report

    def writer(
        self, wait: float | None = None, on_wait: OnWait | None = None
    ) -> AbstractContextManager[None]:
        """The one-writer lock, for a caller that writes in several steps."""
        return self.store.writer(wait, on_wait)

    def ingest_export(
        self, path: Path, fmt: str | None = None, options: AdapterOptions | None = None, **more: Any
    ) -> ExportIngestReport:
        """A canonical corpus or an export of any format (`fmt`; options and progress
        callbacks as `convert.ingest_export`)."""
        report = ingest_any(self.store, path, fmt, options, policy=self.policy, **more)
        self.share_indexes()
        return report

    def relink(self) -> int:
        """Link every stored post again under the policy; returns how many."""
        total = relink_all(self.store, self.policy)
        self.share_indexes()
        return total

    def import_accounts(self, stream: IO[str], name: str) -> AccountsImportReport:
        return import_accounts(self.store, stream, name)

    # --- one post, one family ------------------------------------------------------

    def post(self, ref: str) -> StoredPost:
        """A stored post by id or URL."""
        return find_post(self.store, ref)

    def family(self, family_id: str) -> Family:
        return self._graphs.family(self.store, self.policy, family_id)

    def trace(self, ref: str) -> Trace:
        return self._graphs.trace(self.store, self.policy, ref)

    def trace_document(self, ref: str, if_none_match: str | None = None) -> Rendered:
        """`trace`'s JSON as bytes with its entity tag; no body when `if_none_match`
        (a request's `If-None-Match`) names the current answer."""
        return self._graphs.trace_document(self.store, self.policy, ref, if_none_match)

    def verify(self, ref: str) -> VerdictReport:
        return verify_post(self.store, ref, self.policy, self.context)

    def card(self, ref: str) -> Card:
        return make_card(self.store, ref, self.policy, self.context)

    def export(self, family_id: str, fmt: str = "json", zone: str = "Asia/Jakarta") -> FamilyExport:
        """A family's cascade for a graph tool, from the cached family (`render` writes
        it in `fmt`)."""
        return self._graphs.export(self.store, self.policy, family_id, fmt, zone)

    def graph_document(
        self,
        family_id: str,
        fmt: str = "json",
        zone: str = "Asia/Jakarta",
        table: str | None = None,
        if_none_match: str | None = None,
    ) -> Rendered:
        """A family's cascade as bytes (`fmt` as `export`, or `csv` with `table` `nodes`
        or `edges`), with its entity tag; no body when `if_none_match` names it."""
        return self._graphs.graph_document(
            self.store, self.policy, family_id, fmt, zone, table, if_none_match
        )

    def graph_cache(self) -> dict[str, int]:
        """The graph cache's entries, bytes (estimated), bound, hits, misses, evictions."""
        return asdict(self._graphs.stats())

    def lone_graph(self, post: StoredPost, zone: str = "Asia/Jakarta") -> dict[str, Any]:
        """The Cytoscape.js elements of a post that belongs to no family."""
        return to_cytoscape(None, [post], [], zone)

    def adoption(self, ref: str) -> Adoption:
        return release_adoption(self.store, ref)

    # --- content from outside the corpus -------------------------------------------

    def verify_content(self, submission: Submission, **options: Any) -> VerdictReport:
        """Content from outside the corpus (options as `verification.verify_content`),
        searched with the warm linker."""
        with self._searcher.reading(self.store) as linker:
            return verify_outside(
                self.store,
                submission,
                policy=self.policy,
                context=self.context,
                linker=linker,
                **options,
            )

    def content_card(self, submission: Submission, names: Sequence[str] | None = None) -> Card:
        """A card for content from outside the corpus; `names`: the files as sent."""
        with self._searcher.reading(self.store) as linker:
            return make_content_card(
                self.store, submission, self.policy, self.context, linker, names
            )

    def search(self, text: str, limit: int = 10) -> list[SearchHit]:
        """The families nearest to a text, best first."""
        candidate = text_candidate(text)
        with self._searcher.reading(self.store) as linker:
            return search_near(self.store, linker, candidate, limit)

    def search_content(self, submission: Submission, limit: int = 10) -> list[SearchHit]:
        """The families nearest to a text with pictures or clips, best first."""
        candidate = submission_candidate(submission, None, ocr.LANG)[0]
        with self._searcher.reading(self.store) as linker:
            return search_near(self.store, linker, candidate, limit)

    # --- lists ---------------------------------------------------------------------

    def posts(self, **query: Any) -> Page:
        """Posts in time order (filters as `store.listings.list_posts`)."""
        return list_posts(self.store, **query)

    def families(self, **query: Any) -> Page:
        """Families with their summaries, brought up to date first."""
        self._family_stats.ensure_fresh(self.store)
        return list_families(self.store, **query)

    def family_summary(self, family_id: str) -> dict[str, Any]:
        self._family_stats.ensure_fresh(self.store)
        return family_summary(self.store, family_id)

    def accounts(self, tier: str | None = None, limit: int = 50, cursor: str | None = None) -> Page:
        return list_accounts(self.store, tier=tier, limit=limit, cursor=cursor)

    def account(self, account_id: str) -> dict[str, Any]:
        """What an account re-posted, from which accounts, and how late."""
        return account_summary(self.store, account_id)

    def duplicate_accounts(self) -> list[list[Account]]:
        """Accounts stored twice: the same (platform, normalised handle) under two ids."""
        return duplicate_accounts(self.store.accounts().values())

    def watch(
        self,
        start: str | None,
        end: str | None,
        flags: Sequence[str] | None,
        zone: str,
        **filters: Any,
    ) -> Watch:
        """The neutrality watch (filters and sort as `watch.WatchQuery`)."""
        query = make_query(start, end, flags, zone, **filters)
        return watch_list(self.store, self.context or default_context(), query, zone)
