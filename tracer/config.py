"""Settings, read from the environment (`TRACER_` prefix) or passed in; never at import."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything a deployment can set. Documented in docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="TRACER_", extra="ignore")

    db: str = "tracer.db"
    """Database file, or a SQLAlchemy URL, that the CLI and the service use."""
    timezone: str = "Asia/Jakarta"
    """Zone in which times are shown to people (labelled WIB/WITA/WIT)."""
    host: str = "127.0.0.1"
    port: int = 8000
    batch_size: int = 5000
    """Posts per ingest transaction."""
    node_modules: Path = Path(__file__).resolve().parent.parent / "node_modules"
    """Where the set-up installed the browser assets (Swagger UI) from the npm registry."""
