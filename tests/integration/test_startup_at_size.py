"""Starting on a migrated SQLite database does not read every row: the foreign-key check of the
migration runs only when a migration ran (at a million letters it doubled every process's startup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from postbud.storage.database import Database
from postbud.storage.migrate import migrate

pytestmark = pytest.mark.anyio


async def _statements_of_a_migrate(database: Database) -> list[str]:
    seen: list[str] = []

    def capture(_c: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool) -> None:
        seen.append(statement)

    engine = database.write_engine.sync_engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        await migrate(database)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return seen


async def test_keys_are_checked_after_a_migration_and_not_at_every_start(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'postbud.db'}")
    try:
        first = await _statements_of_a_migrate(database)
        again = await _statements_of_a_migrate(database)
    finally:
        await database.dispose()
    assert "PRAGMA foreign_key_check" in first
    assert "PRAGMA foreign_key_check" not in again
