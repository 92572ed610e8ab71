"""Bringing a database to the newest schema, safely when several processes start at once."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text

from postbud.storage.database import Database

MIGRATIONS = Path(__file__).parent / "migrations"
_PG_MIGRATION_LOCK = 0x706F737462756400  # "postbud\0": one advisory lock id for all nodes


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_MIGRATION_LOCK})
    command.upgrade(_config(connection), "head")


def _upgrade_sqlite(connection: Connection) -> None:
    """Upgrade with SQLite's foreign-key actions off, checking every key before the commit.

    A migration that changes a constraint rebuilds its table (copy, drop, rename); with foreign keys
    on, dropping it would fail or run the ON DELETE actions of every table that refers to it (SQLite's
    own procedure for altering a table). The pragma is a no-op inside a transaction, so it is set on
    the connection before the transaction begins, and set back before the connection is returned.
    """
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    cursor.execute("PRAGMA foreign_keys=OFF")
    try:
        with connection.begin():
            before = _current(connection)
            command.upgrade(_config(connection), "head")
            # Every key is checked only after a migration ran: the check reads every row that has a
            # foreign key, which at a million letters doubles the startup time of every process.
            if _current(connection) != before:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left rows whose keys point nowhere: {broken[:5]}")
    finally:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


async def migrate(database: Database) -> None:
    """Upgrade to head in one transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: advisory lock)."""
    if database.is_sqlite:
        async with database.write_engine.connect() as conn:
            await conn.run_sync(_upgrade_sqlite)
        return
    async with database.transaction() as conn:
        await conn.run_sync(_upgrade)


def _current(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(database: Database) -> str | None:
    async with database.reading() as conn:
        return await conn.run_sync(_current)
