"""Response headers (CSP, CORS), body size limits and rate limits, as ASGI middleware.

Order, outermost first: security headers (on every answer, refusals included) → CORS →
rate limit → body limit → the app. Refusals are problem+json like every other error.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from dataclasses import dataclass

from fastapi import FastAPI, HTTPException
from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem
from tracer import Settings

UNLIMITED = frozenset({"/livez", "/readyz", "/metrics"})
"""Probes and scrapes: never rate limited."""
UPLOADS = frozenset({"/ingest", "/verify", "/search"})
"""Routes whose body may reach `max_upload_bytes` (files); the others stop at
`max_body_bytes`, as does a JSON body of `/search` (checked by the route)."""


def content_security_policy(settings: Settings) -> str:
    """Only the app's own scripts, styles, images and API; framing as configured."""
    ancestors = " ".join(settings.frame_ancestors) or "'none'"
    return (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
        f"form-action 'self'; frame-ancestors {ancestors}"
    )


class SecurityHeaders:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.headers = {
            "Content-Security-Policy": content_security_policy(settings),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """413 for a body over the route's limit: at once when Content-Length says so,
    else as soon as the streamed body passes it."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        upload = path in UPLOADS
        limit = self.settings.max_upload_bytes if upload else self.settings.max_body_bytes
        detail = f"the request body exceeds {limit} bytes"
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await problem(413, "Content Too Large", detail)(scope, receive, send)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, detail)
            return message

        await self.app(scope, counted, send)


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float


class TokenBuckets:
    """Per-client token buckets: `burst` requests at once, refilled at `per_minute`."""

    def __init__(self, per_minute: int, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, client: str, now: float) -> float:
        """0 when the request may go ahead, else the seconds until it could."""
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) > 10_000:
                    self._prune(now)
                bucket = self._buckets[client] = _Bucket(self.burst, now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate

    def _prune(self, now: float) -> None:
        """Forget clients whose bucket has filled up again: they lose nothing."""
        full = (self.burst - 1) / self.rate if self.rate else 0
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.stamp < full}


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # not an address (a test client's name)
        return False


class RateLimit:
    """Per-client limits; loopback clients (an analyst's script against their own
    `tracer serve`) are exempt unless `rate_limit_loopback`. Behind a reverse proxy on the
    same host, the proxy's X-Forwarded-For (trusted from 127.0.0.1 by uvicorn) names the
    real client."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.buckets = TokenBuckets(settings.rate_limit, settings.rate_burst)
        self.loopback = settings.rate_limit_loopback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        host = client[0] if client else ""
        exempt = scope["type"] != "http" or scope["path"] in UNLIMITED
        if exempt or (not self.loopback and is_loopback(host)):
            await self.app(scope, receive, send)
            return
        wait = self.buckets.take(host, time.monotonic())
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            detail = f"rate limit exceeded; retry in {seconds} s"
            response = problem(429, "Too Many Requests", detail, {"Retry-After": str(seconds)})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the middleware; the last added is the outermost."""
    app.add_middleware(BodyLimit, settings=settings)
    if settings.rate_limit > 0:
        app.add_middleware(RateLimit, settings=settings)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-API-Key"],
            expose_headers=["Retry-After"],
            max_age=600,
        )
    app.add_middleware(SecurityHeaders, settings=settings)
