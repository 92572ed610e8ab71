"""Engines and connections for SQLite (embedded default) and PostgreSQL (scale-out)."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import QueuePool

SQLITE_PRAGMAS = (
    # First, so that switching to WAL while another process holds a lock waits instead of failing.
    "PRAGMA busy_timeout=30000",
    "PRAGMA journal_mode=WAL",
    # FULL: every commit fsyncs the WAL, so an acknowledged letter survives power loss.
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
)


def _configure_sqlite(engine: Engine, *, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that later writes fails at once with SQLITE_BUSY, ignoring
        # busy_timeout; writers take the lock up front instead.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class _InlineConnection(AsyncConnection):
    """An AsyncConnection over a plain (blocking) SQLite connection that runs statements at once.

    An indexed SQLite lookup takes tens of microseconds; handing it to aiosqlite's thread and
    back costs about half a millisecond of CPU. Only for short reads on the hot path.
    """

    async def execute(self, statement: Any, parameters: Any = None, *, execution_options: Any = None) -> Any:
        return self._proxied.execute(statement, parameters, execution_options=execution_options)

    async def scalar(self, statement: Any, parameters: Any = None, *, execution_options: Any = None) -> Any:
        return self._proxied.scalar(statement, parameters, execution_options=execution_options)


class Database:
    """A write engine and a read engine (the same one on PostgreSQL).

    A SQLite file also gets two blocking engines: one for short reads run inline on the event
    loop (``reading(inline=True)``), one for the group-commit writer's thread
    (``blocking_transaction``).
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self._inline_engine: Engine | None = None
        self._blocking_write_engine: Engine | None = None
        self._writer_lock: _FileLock | None = None
        self._plain_by_thread = threading.local()
        self._plain_connections: list[Any] = []
        if self.is_sqlite:
            self.write_engine = create_async_engine(url, echo=echo, pool_size=3, max_overflow=5)
            _configure_sqlite(self.write_engine.sync_engine, immediate=True)
            self.read_engine = create_async_engine(url, echo=echo, pool_size=4, max_overflow=4)
            _configure_sqlite(self.read_engine.sync_engine, immediate=False)
            if _is_file(url):
                self._inline_engine = _blocking_engine(url, echo=echo, immediate=False)
                self._blocking_write_engine = _blocking_engine(url, echo=echo, immediate=True)
                self._writer_lock = _FileLock(f"{make_url(url).database}.writer-lock")
        else:
            self.write_engine = create_async_engine(url, echo=echo, pool_size=10, max_overflow=10)
            self.read_engine = self.write_engine

    @property
    def dialect(self) -> str:
        return self.write_engine.dialect.name

    @property
    def shown_url(self) -> str:
        """The URL without its password, for people to read."""
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def has_blocking_writes(self) -> bool:
        return self._blocking_write_engine is not None

    @property
    def has_plain_reads(self) -> bool:
        """Whether `plain_read_connection` is available (a SQLite file)."""
        return self._inline_engine is not None

    @contextmanager
    def plain_read_connection(self) -> Iterator[Any]:
        """This thread's own DB-API connection in autocommit mode, for prepared reads run inline.

        Kept for the thread's life: a pool checkout per lookup cost as much as the lookup.
        """
        if self._inline_engine is None:
            raise RuntimeError("plain read connections are only available on a SQLite file")
        connection = getattr(self._plain_by_thread, "connection", None)
        if connection is None:
            connection = self._inline_engine.raw_connection()
            self._plain_by_thread.connection = connection
            self._plain_connections.append(connection)
        yield connection.driver_connection

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        async with self.write_engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def reading(self, *, inline: bool = False) -> AsyncIterator[AsyncConnection]:
        if inline and self._inline_engine is not None:
            with self._inline_engine.connect() as sync_conn:
                yield _InlineConnection(self.read_engine, sync_conn)
            return
        async with self.read_engine.connect() as conn:
            yield conn

    @contextmanager
    def blocking_transaction(self) -> Iterator[Connection]:
        """A write transaction on a plain connection, for a worker thread (SQLite files only).

        Writers of several processes queue on a file lock first: SQLite's own busy handler
        polls with sleeps of up to 100 ms, while a waiter on the lock wakes as soon as it is free.
        """
        if self._blocking_write_engine is None or self._writer_lock is None:
            raise RuntimeError("blocking transactions are only available on a SQLite file")
        with self._writer_lock, self._blocking_write_engine.begin() as conn:
            yield conn

    async def dispose(self) -> None:
        for connection in self._plain_connections:
            connection.close()
        self._plain_connections.clear()
        self._plain_by_thread = threading.local()
        await self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            await self.read_engine.dispose()
        for engine in (self._inline_engine, self._blocking_write_engine):
            if engine is not None:
                engine.dispose()
        if self._writer_lock is not None:
            self._writer_lock.close()


class _FileLock:
    """An exclusive ``flock`` on a file next to the database, held by one thread at a time."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._fd: int | None = None
        self._threads = threading.Lock()

    def __enter__(self) -> None:
        self._threads.acquire()
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def __exit__(self, *_: object) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def close(self) -> None:
        with self._threads:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def _is_file(url: str) -> bool:
    database = make_url(url).database or ""
    return database not in ("", ":memory:") and "mode=memory" not in url


def _blocking_engine(url: str, *, echo: bool, immediate: bool) -> Engine:
    # Never blocks on checkout (max_overflow=-1): a blocked checkout would stall the event loop.
    # Connections move between threads but are never used by two at once.
    engine = create_engine(
        make_url(url).set(drivername="sqlite+pysqlite"),
        echo=echo,
        poolclass=QueuePool,
        pool_size=8,
        max_overflow=-1,
        connect_args={"check_same_thread": False},
    )
    _configure_sqlite(engine, immediate=immediate)
    return engine
