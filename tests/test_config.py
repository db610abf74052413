"""Settings: list values from the environment, and values that could not go into a
header unchanged are refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tracer.config import Settings


def test_lists_from_comma_separated_or_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACER_API_KEYS", " k1, k2 ,")
    monkeypatch.setenv("TRACER_CORS_ORIGINS", '["https://a.example", "https://b.example"]')
    monkeypatch.setenv("TRACER_FRAME_ANCESTORS", "'self' https://portal.example.go.id")
    settings = Settings()
    assert settings.api_keys == ["k1", "k2"]
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.frame_ancestors == ["'self'", "https://portal.example.go.id"]
    assert Settings(frame_ancestors=["'self' https://x.example"]).frame_ancestors == [
        "'self'",
        "https://x.example",
    ]


def test_defaults() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.api_keys == [] and settings.cors_origins == []
    assert settings.frame_ancestors == ["'self'"]
    assert settings.rate_limit == 600 and settings.workers == 1


@pytest.mark.parametrize(
    "value",
    [
        ["https://a.example; script-src *"],
        ["https://a.example\x00"],
        "https://a.example;",
    ],
)
def test_header_values_are_single_tokens(value: list[str] | str) -> None:
    with pytest.raises(ValidationError):
        Settings(frame_ancestors=value)


@pytest.mark.parametrize("field", ["rate_limit", "max_body_bytes", "workers"])
def test_limits_are_not_negative(field: str) -> None:
    with pytest.raises(ValidationError):
        Settings(**{field: -1})
