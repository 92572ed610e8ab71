"""Shared fixtures for the whole suite."""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy.engine import make_url

from postbud.storage.database import Database
from postbud.storage.migrate import migrate
from tests.tool_check import tool_missing

T = TypeVar("T")

PG_URL_VARIABLE = "POSTBUD_TEST_PG_URL"

# Property tests judge what a function does, never how fast: on a loaded 2-core CI machine
# hypothesis's per-example deadline and its "too slow" health check fail tests for the load alone.
settings.register_profile("postbud", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("postbud")


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


# --- Databases on both backends ---------------------------------------------------------


def _run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from a sync fixture, on a thread of its own.

    Sync fixtures may be used by sync and async tests alike; a private thread keeps this
    event loop apart from anyio's test loop and from the main thread's loop policy.
    """
    result: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(coroutine))
        except BaseException as exc:
            error.append(exc)

    thread = threading.Thread(target=target, name="postbud-test-db-admin")
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]


async def _pg_admin(server_url: str, statement: str) -> None:
    """Run one statement on the server's `postgres` maintenance database.

    CREATE/DROP DATABASE cannot run inside a transaction, so use asyncpg directly.
    """
    dsn = make_url(server_url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(dsn.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def _postgres_server_url() -> str:
    url = os.environ.get(PG_URL_VARIABLE)
    if url:
        return url
    tool_missing(f"{PG_URL_VARIABLE} is not set; ./scripts/test.sh starts a PostgreSQL server and sets it")


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of a fresh, empty database: a new SQLite file, or a new PostgreSQL database.

    Each test gets its own database, so tests (and xdist workers) never share state.
    """
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'postbud.db'}"
        return

    server_url = _postgres_server_url()
    name = f"postbud_test_{uuid.uuid4().hex[:16]}"
    _run_async(_pg_admin(server_url, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        # FORCE: a test that leaked a connection must not keep the database alive.
        _run_async(_pg_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """A migrated `Database` on a fresh database of each backend."""
    db = Database(database_url)
    try:
        await migrate(db)
        yield db
    finally:
        await db.dispose()
