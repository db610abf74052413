"""Response schemas at the HTTP boundary (the library hands out plain dicts and dataclasses)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class PostOut(BaseModel):
    post_id: str
    account_id: str
    tier: Literal["central", "province", "regency", "other"]
    region: str
    published_at: str = Field(description="ISO 8601, UTC")
    text: str
    media: list[str]
    url: str | None
    family_id: str | None


class NodeOut(BaseModel):
    id: str
    account_id: str
    tier: str
    region: str
    published_at: str
    timestamp: int
    url: str | None


class EdgeOut(BaseModel):
    source: str = Field(description="The parent post (copied from)")
    target: str = Field(description="The copy")
    lag_seconds: int
    modality: str
    scores: dict[str, float]
    reason: str
    evidence: dict[str, Any] | None = Field(
        None, description="Media evidence: the matched files and, for clips, time ranges"
    )


class GraphOut(BaseModel):
    directed: bool
    multigraph: bool
    graph: dict[str, Any]
    nodes: list[NodeOut]
    edges: list[EdgeOut]


class CytoscapeElement(BaseModel):
    data: dict[str, Any]


class CytoscapeOut(BaseModel):
    """Cytoscape.js elements (`tracer.exports.to_cytoscape`)."""

    family_id: str | None
    zone: str
    nodes: list[CytoscapeElement]
    edges: list[CytoscapeElement]


class GrafanaFrame(BaseModel):
    frame_schema: dict[str, Any] = Field(alias="schema")
    data: dict[str, Any]


class GrafanaOut(BaseModel):
    """Grafana Node Graph data frames (`tracer.exports.to_grafana`)."""

    family_id: str | None
    frames: list[GrafanaFrame]


class TraceOut(BaseModel):
    post: PostOut
    family_id: str | None
    origin: PostOut | None
    release: PostOut | None
    parent: str | None
    path: list[str] = Field(description="Post ids from the origin to this post")
    graph: GraphOut


class VerifyOut(BaseModel):
    post_id: str
    verdict: Literal["supported", "contradicted", "not_found", "inconclusive"]
    reason: str
    release: PostOut | None
    lag_seconds: int | None
    altered: bool
    changes: dict[str, Any]
    evidence: list[dict[str, Any]]
    corroboration: dict[str, Any]
    first_seen: PostOut | None
    times: dict[str, Any]
    """Release and post times in UTC and in the zone of the post's region."""
    flags: list[dict[str, Any]]
    """Context: a campaign period, political terms; each with its source."""
    headline: dict[str, str] | None = None
    """The answer in one line, Indonesian (`id`) and English (`en`)."""
    shown: dict[str, Any] | None = None
    """Outside content: the stored post it shows, the paths that matched, candidates."""


Tier = Literal["central", "province", "regency", "other"]


class PostPage(BaseModel):
    items: list[PostOut]
    next: str | None = Field(description="Cursor of the next page; null on the last")


class FamilyOut(BaseModel):
    family_id: str
    size: int
    accounts: int
    regions: list[str]
    first_seen: str = Field(description="ISO 8601, UTC: the family's earliest post")
    last_seen: str = Field(description="ISO 8601, UTC: its latest post")
    median_lag_seconds: int | None = Field(
        description="Median time from the release (else the origin) to the later posts"
    )
    release: PostOut | None
    origin: PostOut | None


class FamilyDetailOut(FamilyOut):
    by_tier: dict[str, int] = Field(description="Distinct accounts per tier")


class FamilyPage(BaseModel):
    items: list[FamilyOut]
    next: str | None


class AccountOut(BaseModel):
    account_id: str
    platform: str
    handle: str
    name: str
    tier: Tier
    region: str
    parent_id: str | None
    province: str | None = Field(description="Province of a province or regency office")
    province_code: str | None = Field(description="Its Kemendagri code")
    office: str | None = Field(description="The registry office the account speaks for")
    office_code: str | None
    posts: int


class SourceOut(BaseModel):
    account_id: str
    tier: Tier | None
    posts: int = Field(description="Posts of this account copied from that account")
    median_lag_seconds: int | None


class RepostOut(BaseModel):
    post_id: str
    published_at: str
    family_id: str
    parent: str
    parent_account: str
    release: str | None
    lag_seconds: int | None


class AccountDetailOut(AccountOut):
    reposts: int = Field(description="Posts with a parent in their cascade")
    families: int
    releases_reposted: int
    median_lag_seconds: int | None = Field(description="Typical lag behind the parent post")
    median_release_lag_seconds: int | None = Field(description="Typical lag behind the release")
    sources: list[SourceOut] = Field(description="Parent accounts in cascades, most copied first")
    recent_reposts: list[RepostOut]


class AccountPage(BaseModel):
    items: list[AccountOut]
    next: str | None


class PlacedAccountOut(BaseModel):
    account_id: str
    name: str
    platform: str
    tier: Tier
    region: str
    province: str | None = Field(description="Province from the registry (null: not placed)")
    province_code: str | None = Field(description="Its Kemendagri code")
    office: str | None = Field(description="The registry office the account speaks for")
    office_code: str | None
    same_as: list[str] = Field(description="Stored twins: same platform and handle")


class AdopterOut(PlacedAccountOut):
    post_id: str = Field(description="The account's first post of the family")
    published_at: str
    lag_seconds: int = Field(description="Seconds after the release (negative: before)")


class MissingOut(PlacedAccountOut):
    pass


class ProvinceOut(BaseModel):
    province: str
    code: str = Field(description="Kemendagri code of the province")
    adopted: int = Field(description="Accounts of the province that posted the family")
    missing: int = Field(description="Known accounts of the province that did not")
    median_lag_seconds: int | None
    offices_total: int = Field(description="The province's office and its regencies/cities")
    offices_adopted: int = Field(description="Offices with an account that posted")
    offices_missing: int = Field(description="Offices with known accounts, none posted")
    offices_no_account: int = Field(description="Offices with no account in the corpus")
    adopted_offices: list[str]
    missing_offices: list[str]


class AdoptionOut(BaseModel):
    post_id: str = Field(description="The post asked about (any member of the family)")
    release: PostOut
    family_id: str | None
    adopters: list[AdopterOut]
    by_tier: dict[str, int]
    by_province: list[ProvinceOut] = Field(description="All 38 provinces, in code order")
    offices: dict[str, int] = Field(
        description="Office totals: total, adopted, missing, no_account"
    )
    missing: list[MissingOut] = Field(
        description="Known province and regency accounts without a post of the family"
    )
    unplaced: list[str] = Field(
        description="Province and regency accounts the registry could not place"
    )


class DuplicatesOut(BaseModel):
    items: list[list[str]] = Field(description="Groups of account ids that are one account")
    next: None = Field(default=None, description="Always null: one page")


class WatchItemOut(BaseModel):
    post_id: str
    account_id: str
    account_name: str | None
    tier: Tier
    province: str | None
    province_code: str | None
    office: str | None
    published_at: str
    local_time: str = Field(description="published_at in the viewer's zone, labelled")
    url: str | None
    family_id: str | None
    status: Literal["release", "traced", "before_release", "own_content", "regional"]
    verdict: Literal["supported", "contradicted", "not_found"]
    release: PostOut | None = Field(description="The central release it was traced to")
    lag_seconds: int | None = Field(description="Seconds after the release")
    first_seen: PostOut | None = Field(description="Without a release: the family's origin")
    period: str | None = Field(description="The sensitive period it falls in")
    terms: list[str] = Field(description="Political terms in the post or its release")
    text: str


class WatchPeriodOut(BaseModel):
    name: str
    start: str
    end: str
    source: str


class WatchCountsOut(BaseModel):
    posts: int
    by_status: dict[str, int]
    by_tier: dict[str, int]


class WatchOut(BaseModel):
    from_: str | None = Field(alias="from", description="Start (inclusive, UTC)")
    to: str | None = Field(description="End (exclusive, UTC)")
    flags: list[str]
    periods: list[WatchPeriodOut]
    zone: str
    counts: WatchCountsOut
    items: list[WatchItemOut]


class SearchIn(BaseModel):
    text: str = Field(min_length=1, max_length=20_000, description="A caption to look for")
    limit: int = Field(default=10, ge=1, le=50)


class SearchHit(BaseModel):
    family_id: str | None = Field(description="Null when the matching post is alone")
    size: int
    linked: bool = Field(description="Whether the linker would join the text to this family")
    post: PostOut = Field(description="The family's member closest to the content")
    scores: dict[str, float]
    modality: str = Field(
        "text", description="What matched: text, image, video, ocr, or a `+` of them"
    )
    evidence: dict[str, Any] | None = Field(
        None, description="Media evidence: the matched files and, for clips, time ranges"
    )


class SearchOut(BaseModel):
    items: list[SearchHit]
    next: None = Field(default=None, description="Always null: one ranked page")


class IngestOut(BaseModel):
    ingested: int
    unchanged: int
    conflicts: list[str]
    errors: list[str]
    errors_by_kind: dict[str, int]
    accounts_added: int
    families_touched: int
    relinked: bool = False
    notes: list[str] = []
    """What the ingest wants known: e.g. how long it waited for another writer."""
    seconds: float


class Live(BaseModel):
    status: Literal["ok"]


class Ready(BaseModel):
    status: Literal["ready"]
    schema_version: int


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
