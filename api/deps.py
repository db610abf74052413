"""Dependencies as `Annotated` aliases: the store and the settings live on `app.state`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from tracer.config import Settings
from tracer.matching import MatchPolicy
from tracer.store import Store


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_policy(request: Request) -> MatchPolicy:
    policy: MatchPolicy = request.app.state.policy
    return policy


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
PolicyDep = Annotated[MatchPolicy, Depends(get_policy)]
