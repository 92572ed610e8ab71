"""Engines and connections for SQLite (embedded default) and PostgreSQL (scale-out)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

SQLITE_PRAGMAS = (
    # First, so that switching to WAL while another process holds a lock waits instead of failing.
    "PRAGMA busy_timeout=30000",
    "PRAGMA journal_mode=WAL",
    # FULL: every commit fsyncs the WAL, so an acknowledged letter survives power loss.
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
)


def _configure_sqlite(engine: AsyncEngine, *, immediate: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that later writes fails at once with SQLITE_BUSY, ignoring
        # busy_timeout; writers take the lock up front instead.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """A write engine and a read engine (the same one on PostgreSQL)."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.write_engine = create_async_engine(url, echo=echo, pool_size=3, max_overflow=5)
            _configure_sqlite(self.write_engine, immediate=True)
            self.read_engine = create_async_engine(url, echo=echo, pool_size=4, max_overflow=4)
            _configure_sqlite(self.read_engine, immediate=False)
        else:
            self.write_engine = create_async_engine(url, echo=echo, pool_size=10, max_overflow=10)
            self.read_engine = self.write_engine

    @property
    def dialect(self) -> str:
        return self.write_engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        async with self.write_engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        async with self.read_engine.connect() as conn:
            yield conn

    async def dispose(self) -> None:
        await self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            await self.read_engine.dispose()
