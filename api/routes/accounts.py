"""`GET /accounts`, `GET /accounts/{account_id}` and `GET /releases/{post_id}/adoption`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from api.deps import Cursor, Limit, StoreDep
from api.errors import PROBLEM_RESPONSES
from api.schemas import AccountDetailOut, AccountPage, AdoptionOut
from tracer import adoption

router = APIRouter(tags=["accounts"], responses=PROBLEM_RESPONSES)
TierParam = Annotated[
    Literal["central", "province", "regency", "other"] | None, Query(description="Only this tier")
]


@router.get("/accounts", response_model=AccountPage)
def list_accounts(
    store: StoreDep, tier: TierParam = None, limit: Limit = 50, cursor: Cursor = None
) -> dict[str, Any]:
    """Known accounts by id, with their number of posts."""
    return adoption.list_accounts(store, tier=tier, limit=limit, cursor=cursor).to_json()


@router.get("/accounts/{account_id}", response_model=AccountDetailOut)
def get_account(account_id: str, store: StoreDep) -> dict[str, Any]:
    """What an account re-posted, from which accounts, and how late."""
    return adoption.account_summary(store, account_id)


@router.get("/releases/{post_id}/adoption", response_model=AdoptionOut)
def release_adoption(post_id: str, store: StoreDep) -> dict[str, Any]:
    """Who carried a release, when, by province and tier; which offices did not."""
    return adoption.adoption(store, post_id)
