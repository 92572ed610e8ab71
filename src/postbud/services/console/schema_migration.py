"""Use case: bring a database to the newest schema, and say from which revision to which."""

from __future__ import annotations

from dataclasses import dataclass

from postbud.storage.database import Database
from postbud.storage.migrate import current_revision, migrate


@dataclass(frozen=True, slots=True)
class Migrated:
    database: str
    """The URL without its password."""
    from_revision: str | None
    to_revision: str | None


async def migrate_database(database_url: str) -> Migrated:
    """Migrate the database at ``database_url``; safe while Postbud runs on it."""
    database = Database(database_url)
    shown = database.shown_url
    try:
        before = await current_revision(database)
        await migrate(database)
        after = await current_revision(database)
    finally:
        await database.dispose()
    return Migrated(shown, before, after)
