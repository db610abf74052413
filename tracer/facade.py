"""`Tracer`: one door to the library for the CLI, the API and scripts.

It holds what every question needs and should not rebuild per call: the store, the one
`MatchPolicy`, the context rules of the flags, and the warm search index. Each method
is one question (`ingest`, `trace`, `verify`, `verify_content`, `search`, `adoption`,
`export`, `card`) and returns values; JSON is made at the edges.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracer import cards, coverage, service, tracing, verification
from tracer.card import Card
from tracer.flags import Context
from tracer.outside import Submission
from tracer.policy import DEFAULT_POLICY, MatchPolicy
from tracer.search import SearchIndex, search_text
from tracer.service import IngestReport
from tracer.store import Store
from tracer.verdict import VerdictReport


class Tracer:
    def __init__(
        self, store: Store, policy: MatchPolicy = DEFAULT_POLICY, context: Context | None = None
    ) -> None:
        self.store = store
        self.policy = policy
        self.context = context
        """None: the shipped context rules."""
        self._search_index = SearchIndex()

    @classmethod
    def open(
        cls, db: str | Path, policy: MatchPolicy = DEFAULT_POLICY, context: Context | None = None
    ) -> Tracer:
        return cls(Store.open(db), policy, context)

    def close(self) -> None:
        self.store.close()

    def ingest(self, corpus: Path, **options: Any) -> IngestReport:
        """A canonical corpus into the store (options as `service.ingest`)."""
        return service.ingest(self.store, corpus, policy=self.policy, **options)

    def trace(self, ref: str) -> dict[str, Any]:
        return tracing.trace(self.store, ref, self.policy)

    def verify(self, ref: str) -> VerdictReport:
        return verification.verify_post(self.store, ref, self.policy, self.context)

    def verify_content(self, submission: Submission, **options: Any) -> VerdictReport:
        """Content from outside the corpus (options as `verification.verify_content`)."""
        return verification.verify_content(
            self.store, submission, policy=self.policy, context=self.context, **options
        )

    def search(self, text: str, limit: int = 10) -> list[dict[str, Any]]:
        return search_text(self.store, self._search_index, text, self.policy, limit)

    def adoption(self, ref: str) -> dict[str, Any]:
        return coverage.adoption(self.store, ref)

    def export(
        self, family_id: str, fmt: str = "json", zone: str = "Asia/Jakarta"
    ) -> dict[str, Any] | str:
        return tracing.export(self.store, family_id, fmt, self.policy, zone=zone)

    def card(self, ref: str) -> Card:
        return cards.make_card(self.store, ref, self.policy, self.context)
