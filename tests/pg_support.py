"""PostgreSQL for the tests: one throw-away database per test session on the server
of `TRACER_TEST_POSTGRES` (default: the local server, user `postgres`), a fresh schema
in it for each store a test opens, and the database dropped at the end. When no server
answers, the PostgreSQL half of the tests is skipped (SQLite runs everywhere)."""

from __future__ import annotations

import itertools
import os
import secrets
from urllib.parse import quote

import psycopg
from psycopg import sql

ADMIN_URL = os.environ.get("TRACER_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
"""A URL of the server's maintenance database, as a user that may create databases."""


class PgServer:
    """The session's database on the server; `fresh()` hands out an empty schema."""

    def __init__(self, admin_url: str = ADMIN_URL) -> None:
        self.admin_url = admin_url
        self.database = f"tracer_test_{os.getpid()}_{secrets.token_hex(3)}"
        self._numbers = itertools.count(1)
        self.url = ""

    def answers(self) -> str | None:
        """None when the server answers, or why it does not."""
        try:
            with psycopg.connect(self.admin_url, connect_timeout=3):
                return None
        except psycopg.Error as exc:
            return f"PostgreSQL does not answer at {self.admin_url}: {str(exc).strip()[:120]}"

    def create(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))
        base = self.admin_url.rsplit("/", 1)[0]
        self.url = f"{base}/{self.database}"

    def drop(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.database)
                )
            )

    def fresh(self, name: str = "t") -> str:
        """The URL of a new, empty schema of the session's database (the store's tables
        go there: the connection's search path names it)."""
        schema = f"{name}_{next(self._numbers)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        return f"{self.url}?options={quote(f'-csearch_path={schema}')}"
