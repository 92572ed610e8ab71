"""A set of inserts that belong to one use case, applied atomically, possibly grouped with others."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema

# Rows in these tables may already exist (a retried job, a replayed event): skip, don't fail.
_IGNORE_CONFLICTS = frozenset({schema.events.name, schema.webhook_deliveries.name})
# Parents before children, whatever order the rows were added in.
_TABLE_ORDER = [t.name for t in schema.metadata.sorted_tables]


@dataclass(slots=True)
class WriteSet:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: Table, row: dict[str, Any]) -> None:
        self.rows.setdefault(table.name, []).append(row)

    def extend(self, other: WriteSet) -> None:
        for name, rows in other.rows.items():
            self.rows.setdefault(name, []).extend(rows)

    def __bool__(self) -> bool:
        return any(self.rows.values())


def _insert(conn: AsyncConnection, table: Table) -> Any:
    if table.name not in _IGNORE_CONFLICTS:
        return table.insert()
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


async def apply(conn: AsyncConnection, writesets: Sequence[WriteSet]) -> None:
    """Insert every row of ``writesets`` with one executemany per table, parents first."""
    merged = WriteSet()
    for ws in writesets:
        merged.extend(ws)
    for name in _TABLE_ORDER:
        rows = merged.rows.get(name)
        if rows:
            table = schema.metadata.tables[name]
            await conn.execute(_insert(conn, table), rows)
