"""`GET /accounts`, `GET /accounts/{account_id}`, `GET /accounts/duplicates` and a
release's adoption: `GET /adoption?post=…` and `GET /releases/{post_id}/adoption`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import Cursor, Limit, SettingsDep, TracerDep
from api.downloads import CSV_RESPONSE, Format, FormatQuery, csv_response
from api.errors import PROBLEM_RESPONSES
from api.schemas import AccountDetailOut, AccountPage, AdoptionOut, DuplicatesOut
from tracer import (
    ACCOUNTS_TABLE,
    ADOPTION_ACCOUNTS_TABLE,
    ADOPTION_PROVINCES_TABLE,
    Tracer,
    adoption_rows,
    download_name,
)

router = APIRouter(tags=["accounts"], responses=PROBLEM_RESPONSES)
TierParam = Annotated[
    Literal["central", "province", "regency", "other"] | None, Query(description="Only this tier")
]
AdoptionTable = Annotated[
    Literal["accounts", "provinces"],
    Query(description="With `format=csv`: one row per account, or per province"),
]


def _all_accounts(door: Tracer, tier: str | None) -> Iterator[dict[str, Any]]:
    cursor = None
    while True:
        page = door.accounts(tier=tier, limit=500, cursor=cursor)
        yield from page.items
        if page.next is None:
            return
        cursor = page.next


@router.get("/accounts", response_model=AccountPage, responses=CSV_RESPONSE)
def list_accounts(
    door: TracerDep,
    settings: SettingsDep,
    tier: TierParam = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    format: Annotated[Format, FormatQuery] = "json",
) -> Any:
    """Known accounts by id, with their office, province and number of posts; `csv`
    gives every account (no pages)."""
    if format == "csv":
        name = download_name("accounts", tier or "")
        return csv_response(ACCOUNTS_TABLE, _all_accounts(door, tier), settings.timezone, name)
    return door.accounts(tier=tier, limit=limit, cursor=cursor).to_json()


@router.get("/accounts/duplicates", response_model=DuplicatesOut)
def account_duplicates(door: TracerDep) -> dict[str, Any]:
    """Accounts stored twice: the same (platform, normalised handle) under two ids."""
    groups = door.duplicate_accounts()
    return {"items": [[a.account_id for a in group] for group in groups], "next": None}


@router.get("/accounts/{account_id}", response_model=AccountDetailOut)
def get_account(account_id: str, door: TracerDep) -> dict[str, Any]:
    """What an account re-posted, from which accounts, and how late."""
    return door.account(account_id)


def _adoption(door: Tracer, ref: str, format: str, table: str, zone: str) -> Any:
    result = door.adoption(ref).to_json()
    if format == "json":
        return result
    release = result["release"]["post_id"]
    if table == "provinces":
        name = download_name("adoption-provinces", release)
        return csv_response(ADOPTION_PROVINCES_TABLE, result["by_province"], zone, name)
    rows = adoption_rows(result)
    return csv_response(ADOPTION_ACCOUNTS_TABLE, rows, zone, download_name("adoption", release))


@router.get("/adoption", response_model=AdoptionOut, responses=CSV_RESPONSE)
def post_adoption(
    post: Annotated[str, Query(min_length=1, max_length=2048, description="Post id or URL")],
    door: TracerDep,
    settings: SettingsDep,
    format: Annotated[Format, FormatQuery] = "json",
    table: AdoptionTable = "accounts",
) -> Response | dict[str, Any]:
    """Adoption of the release of the post's family, from any post of it: who carried
    it, when, by province (all 38) and tier; which accounts and offices did not."""
    answer: Response | dict[str, Any] = _adoption(door, post, format, table, settings.timezone)
    return answer


@router.get("/releases/{post_id}/adoption", response_model=AdoptionOut, responses=CSV_RESPONSE)
def release_adoption(
    post_id: str,
    door: TracerDep,
    settings: SettingsDep,
    format: Annotated[Format, FormatQuery] = "json",
    table: AdoptionTable = "accounts",
) -> Response | dict[str, Any]:
    """The same as `GET /adoption?post=…`, by the release's (or any member's) id."""
    answer: Response | dict[str, Any] = _adoption(door, post_id, format, table, settings.timezone)
    return answer
