"""Settings, read from the environment (`TRACER_` prefix) or passed in; never at import."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

StrList = Annotated[list[str], NoDecode]
"""A list read from one variable as values separated by commas or spaces, or JSON."""


class Settings(BaseSettings):
    """Everything a deployment can set. Documented in docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="TRACER_", extra="ignore")

    db: str = "tracer.db"
    """Database file, or a SQLAlchemy URL, that the CLI and the service use."""
    timezone: str = "Asia/Jakarta"
    """Zone in which times are shown to people (labelled WIB/WITA/WIT)."""
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=1, ge=1)
    """Server processes `tracer serve` starts."""
    batch_size: int = 5000
    """Posts per ingest transaction (fewer when their media are many: see `media_batch`)."""
    engine: str = "local"
    """Where `tracer ingest` decodes, fingerprints and reads media files: `local` (a
    process per core) or `dask://HOST:PORT` (the workers of a Dask scheduler)."""
    ingest_wait: float = Field(default=30.0, ge=0)
    """Seconds `POST /ingest` waits for another ingest writing to the database before
    answering 409."""
    node_modules: Path = Path(__file__).resolve().parent.parent / "node_modules"
    """Where the set-up installed the browser assets (Swagger UI) from the npm registry."""
    api_keys: StrList = []
    """Keys accepted in the `X-API-Key` header of write routes; none: writes are refused."""
    max_body_bytes: int = Field(default=1_048_576, ge=1)
    """Largest request body of a read route (`POST /search`); larger is a 413."""
    max_upload_bytes: int = Field(default=104_857_600, ge=1)
    """Largest upload to `POST /ingest`; larger is a 413."""
    rate_limit: int = Field(default=600, ge=0)
    """Requests per minute per client address; 0 turns rate limiting off."""
    rate_burst: int = Field(default=60, ge=1)
    """Requests a client may make at once before the per-minute rate applies."""
    rate_limit_loopback: bool = False
    """Rate-limit loopback clients (127.0.0.1, ::1) too; by default they are exempt."""
    cors_origins: StrList = []
    """Origins whose browser scripts may call the API (CORS allow-list); `*` for any."""
    frame_ancestors: StrList = ["'self'"]
    """Pages allowed to embed tracer's pages in a frame (CSP `frame-ancestors`)."""
    graph_cache_mb: int = Field(default=64, ge=0)
    """Megabytes (estimated) of families' cascade graphs and exports each server process
    keeps, least recently used first out; 0 keeps none."""
    context_file: Path | None = None
    """Context rules for verdicts (campaign periods, political terms); default: the
    rules shipped in `tracer/data/context.json`."""

    @field_validator("api_keys", "cors_origins", "frame_ancestors")
    @classmethod
    def _one_token_each(cls, values: list[str]) -> list[str]:
        """Each value goes into a header as it is: no `;` or control characters."""
        for value in values:
            if ";" in value or not value.isprintable():
                raise ValueError(f"{value!r} is not a single value")
        return values

    @field_validator("api_keys", "cors_origins", "frame_ancestors", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        """`a,b`, `a b` (as in a CSP) or a JSON list; list items are split the same way."""
        if isinstance(value, str):
            text = value.strip()
            value = json.loads(text) if text.startswith("[") else [text]
        if isinstance(value, list):
            return [p for v in value if isinstance(v, str) for p in re.split(r"[,\s]+", v) if p]
        return value
