"""`GET /accounts`, `GET /accounts/{account_id}`, `GET /accounts/duplicates` and a
release's adoption: `GET /adoption?post=…` and `GET /releases/{post_id}/adoption`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import Cursor, Limit, SettingsDep, StoreDep
from api.downloads import CSV_RESPONSE, Format, FormatQuery, csv_response
from api.errors import PROBLEM_RESPONSES
from api.schemas import AccountDetailOut, AccountPage, AdoptionOut, DuplicatesOut
from tracer import adoption, coverage, tables
from tracer.offices.placement import duplicate_accounts
from tracer.store import Store

router = APIRouter(tags=["accounts"], responses=PROBLEM_RESPONSES)
TierParam = Annotated[
    Literal["central", "province", "regency", "other"] | None, Query(description="Only this tier")
]
AdoptionTable = Annotated[
    Literal["accounts", "provinces"],
    Query(description="With `format=csv`: one row per account, or per province"),
]


def _all_accounts(store: Store, tier: str | None) -> Iterator[dict[str, Any]]:
    cursor = None
    while True:
        page = adoption.list_accounts(store, tier=tier, limit=500, cursor=cursor)
        yield from page.items
        if page.next is None:
            return
        cursor = page.next


@router.get("/accounts", response_model=AccountPage, responses=CSV_RESPONSE)
def list_accounts(
    store: StoreDep,
    settings: SettingsDep,
    tier: TierParam = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    format: Annotated[Format, FormatQuery] = "json",
) -> Any:
    """Known accounts by id, with their office, province and number of posts; `csv`
    gives every account (no pages)."""
    if format == "csv":
        name = tables.file_name("accounts", tier or "")
        return csv_response(tables.ACCOUNTS, _all_accounts(store, tier), settings.timezone, name)
    return adoption.list_accounts(store, tier=tier, limit=limit, cursor=cursor).to_json()


@router.get("/accounts/duplicates", response_model=DuplicatesOut)
def account_duplicates(store: StoreDep) -> dict[str, Any]:
    """Accounts stored twice: the same (platform, normalised handle) under two ids."""
    groups = duplicate_accounts(store.accounts().values())
    return {"items": [[a.account_id for a in group] for group in groups], "next": None}


@router.get("/accounts/{account_id}", response_model=AccountDetailOut)
def get_account(account_id: str, store: StoreDep) -> dict[str, Any]:
    """What an account re-posted, from which accounts, and how late."""
    return adoption.account_summary(store, account_id)


def _adoption(store: Store, ref: str, format: str, table: str, zone: str) -> Any:
    result = coverage.adoption(store, ref)
    if format == "json":
        return result
    release = result["release"]["post_id"]
    if table == "provinces":
        name = tables.file_name("adoption-provinces", release)
        return csv_response(tables.ADOPTION_PROVINCES, result["by_province"], zone, name)
    rows = tables.adoption_rows(result)
    return csv_response(tables.ADOPTION_ACCOUNTS, rows, zone, tables.file_name("adoption", release))


@router.get("/adoption", response_model=AdoptionOut, responses=CSV_RESPONSE)
def post_adoption(
    post: Annotated[str, Query(min_length=1, max_length=2048, description="Post id or URL")],
    store: StoreDep,
    settings: SettingsDep,
    format: Annotated[Format, FormatQuery] = "json",
    table: AdoptionTable = "accounts",
) -> Response | dict[str, Any]:
    """Adoption of the release of the post's family, from any post of it: who carried
    it, when, by province (all 38) and tier; which accounts and offices did not."""
    answer: Response | dict[str, Any] = _adoption(store, post, format, table, settings.timezone)
    return answer


@router.get("/releases/{post_id}/adoption", response_model=AdoptionOut, responses=CSV_RESPONSE)
def release_adoption(
    post_id: str,
    store: StoreDep,
    settings: SettingsDep,
    format: Annotated[Format, FormatQuery] = "json",
    table: AdoptionTable = "accounts",
) -> Response | dict[str, Any]:
    """The same as `GET /adoption?post=…`, by the release's (or any member's) id."""
    answer: Response | dict[str, Any] = _adoption(store, post_id, format, table, settings.timezone)
    return answer
