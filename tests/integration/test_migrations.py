"""Migrations on both backends: complete, idempotent, and safe when several nodes start at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import anyio
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from postbud.storage.database import Database
from postbud.storage.migrate import MIGRATIONS, current_revision, migrate
from postbud.storage.schema import metadata

CONCURRENT_MIGRATORS = 3
MIGRATOR_TIMEOUT_S = 120

# Each child imports everything, says "ready", then waits for the gate file, so that all
# of them call migrate() at the same moment instead of one finishing before the next starts.
MIGRATOR = textwrap.dedent(
    """
    import asyncio, os, sys, time
    from postbud.storage.database import Database
    from postbud.storage.migrate import migrate

    async def main(url):
        db = Database(url)
        try:
            await migrate(db)
        finally:
            await db.dispose()

    url, gate = sys.argv[1], sys.argv[2]
    print("ready", flush=True)
    deadline = time.monotonic() + 60
    while not os.path.exists(gate):
        if time.monotonic() > deadline:
            sys.exit("the gate never opened")
        time.sleep(0.005)
    asyncio.run(main(url))
    """
)


def _head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"the migrations have several heads: {heads}"
    return heads[0]


def _columns_by_table(connection: Connection) -> dict[str, set[str]]:
    inspector = inspect(connection)
    return {table: {c["name"] for c in inspector.get_columns(table)} for table in inspector.get_table_names()}


async def _schema(db: Database) -> dict[str, set[str]]:
    async with db.reading() as conn:
        return await conn.run_sync(_columns_by_table)


async def _version_rows(db: Database) -> list[str]:
    async with db.reading() as conn:
        rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
        return [row[0] for row in rows]


@pytest.mark.anyio
async def test_migrate_creates_every_table_with_its_columns(database: Database) -> None:
    schema = await _schema(database)

    missing = set(metadata.tables) - set(schema)
    assert not missing, f"tables in schema.py that no migration creates: {sorted(missing)}"
    for name, table in metadata.tables.items():
        assert schema[name] == {c.name for c in table.columns}, f"columns of {name} differ from schema.py"


@pytest.mark.anyio
async def test_migrating_twice_is_a_no_op(database: Database) -> None:
    before = await _schema(database)

    await migrate(database)

    assert await _schema(database) == before
    assert await _version_rows(database) == [_head_revision()]


@pytest.mark.anyio
async def test_current_revision_is_the_head(database: Database) -> None:
    assert await current_revision(database) == _head_revision()


@pytest.mark.anyio
async def test_current_revision_of_an_empty_database_is_none(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert await current_revision(db) is None
    finally:
        await db.dispose()


def _start_migrators(database_url: str, gate: Path) -> list[subprocess.Popen[str]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATOR, database_url, str(gate)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(CONCURRENT_MIGRATORS)
    ]
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    return procs


def test_concurrent_processes_migrating_a_fresh_database_all_succeed(
    database_url: str, tmp_path: Path
) -> None:
    gate = tmp_path / "go"
    procs = _start_migrators(database_url, gate)
    started = time.monotonic()
    gate.touch()

    results = [proc.communicate(timeout=MIGRATOR_TIMEOUT_S) for proc in procs]

    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, f"a migrator failed after {time.monotonic() - started:.1f}s:\n{err}"

    async def check() -> None:
        db = Database(database_url)
        try:
            assert await _version_rows(db) == [_head_revision()]
            assert set(metadata.tables) <= set(await _schema(db))
        finally:
            await db.dispose()

    anyio.run(check)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.anyio
async def test_sqlite_uses_wal_and_synchronous_full(database: Database, database_url: str) -> None:
    async with database.transaction() as conn:
        journal_mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
        synchronous = (await conn.exec_driver_sql("PRAGMA synchronous")).scalar()
    assert journal_mode == "wal"
    assert synchronous == 2  # FULL: each commit fsyncs the WAL

    # WAL is a property of the file, so any later opener (a backup tool, the CLI) sees it.
    path = database_url.removeprefix("sqlite+aiosqlite:///")
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
