"""The indexes of schema.py are the ones the migrations build, and the letter lists use them.

The console lists every letter newest first, keyset-paged by (created_at, id): ix_shipments_created_id
makes each page a walk down an index, on SQLite and on PostgreSQL alike, with no sort. A recipient's
letters use ix_shipments_recipient_created_id, which made ix_shipments_recipient_created redundant
(PostgreSQL may also walk the other index and filter, when its statistics say that is cheaper).
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Column, Connection, event, inspect
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema
from postbud.storage.database import Database
from postbud.storage.repos.shipments import ShipmentRepository
from postbud.storage.schema import metadata

pytestmark = pytest.mark.anyio

LETTERS = 4_000
EXPRESSION = "<expression>"
RECIPIENTS = 400  # ten letters each
START = datetime(2026, 1, 1, tzinfo=UTC)


def _indexes(connection: Connection) -> set[tuple[str, str, tuple[str, ...]]]:
    """Every ``ix_`` index with its columns; an index on an expression (which SQLAlchemy cannot
    reflect on SQLite) by its name alone, its columns as ``("<expression>",)``."""
    inspector = inspect(connection)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        reflected = {
            (table, str(index["name"]), tuple(str(c) for c in index["column_names"]))
            for table in inspector.get_table_names()
            for index in inspector.get_indexes(table)
            if str(index["name"]).startswith("ix_") and None not in index["column_names"]
        }
    if connection.dialect.name == "sqlite":
        sql = "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index'"
    else:
        sql = "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = current_schema()"
    named = {(str(t), str(n)) for t, n in connection.exec_driver_sql(sql) if str(n).startswith("ix_")}
    plain = {(table, name) for table, name, _ in reflected}
    return reflected | {(table, name, (EXPRESSION,)) for table, name in named - plain}


async def test_the_migrated_indexes_are_those_of_schema_py(database: Database) -> None:
    declared = {
        (
            table.name,
            str(index.name),
            tuple(c.name for c in index.columns)
            if all(isinstance(e, Column) for e in index.expressions)
            else (EXPRESSION,),
        )
        for table in metadata.tables.values()
        for index in table.indexes
    }
    async with database.reading() as conn:
        built = await conn.run_sync(_indexes)
    assert built == declared
    assert ("shipments", "ix_shipments_created_id", ("created_at", "id")) in built
    assert not any(name == "ix_shipments_recipient_created" for _, name, _ in built)


async def _fill(conn: AsyncConnection, reader: uuid.UUID) -> None:
    sender_id, recipients = uuid.uuid4(), [reader, *(uuid.uuid4() for _ in range(RECIPIENTS - 1))]
    sender = {"id": sender_id, "name": "Skatteetaten", "organisation_number": "974761076"}
    await conn.execute(schema.senders.insert(), [{**sender, "altinn_scopes": [], "created_at": START}])
    await conn.execute(
        schema.recipients.insert(),
        [
            {"id": r, "party_id": f"p{i}", "kind": "person", "name": f"R {i}"}
            | {"created_at": START, "updated_at": START}
            for i, r in enumerate(recipients)
        ],
    )
    await conn.execute(
        schema.shipments.insert(),
        [
            {
                "id": uuid.uuid4(),
                "sender_id": sender_id,
                "dialect": "platform",
                "recipient_id": recipients[i % len(recipients)],
                "status": "delivered",
                "channel": "digital_mailbox",
                "request": {},
                "created_at": START + timedelta(seconds=i // 3),  # ties: the id breaks them
                "updated_at": START,
            }
            for i in range(LETTERS)
        ],
    )
    await conn.exec_driver_sql("ANALYZE")


Captured = tuple[str, Any]


async def _capture(conn: AsyncConnection, query: Awaitable[Any]) -> Captured:
    """Run a repository query (on the still empty table) and catch its SQL."""
    seen: list[Captured] = []

    def capture(_c: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if "FROM shipments" in statement and "ORDER BY" in statement:
            seen.append((statement, parameters))

    event.listen(conn.sync_engine, "before_cursor_execute", capture)
    try:
        await query
    finally:
        event.remove(conn.sync_engine, "before_cursor_execute", capture)
    return seen[-1]


async def _explain(conn: AsyncConnection, captured: Captured) -> str:
    statement, parameters = captured
    if conn.dialect.name == "sqlite":
        rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return "\n".join(str(tuple(row)[3]) for row in rows)  # id, parent, notused, detail
    rows = await conn.exec_driver_sql(f"EXPLAIN {statement}", parameters)
    return "\n".join(str(row[0]) for row in rows)


def _walks(plan: str, index: str) -> None:
    assert index in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # SQLite sorting
    assert "Sort" not in plan, plan  # PostgreSQL sorting
    assert "Seq Scan" not in plan, plan
    assert not any(line.startswith("SCAN shipments") and "INDEX" not in line for line in plan.splitlines())


async def test_every_letter_list_page_walks_an_index_without_sorting(database: Database) -> None:
    deep = (START + timedelta(seconds=LETTERS // 6), uuid.UUID(int=0))
    reader = uuid.uuid4()
    async with database.transaction() as conn:
        repo = ShipmentRepository(conn)
        queries = {
            "first": await _capture(conn, repo.list(limit=31)),
            "deep": await _capture(conn, repo.list(before=deep, limit=31)),
            "recipient": await _capture(conn, repo.list(recipient_id=reader, limit=31)),
            "recipient deep": await _capture(conn, repo.list(recipient_id=reader, before=deep, limit=31)),
        }
        await _fill(conn, reader)
        plans = {name: await _explain(conn, captured) for name, captured in queries.items()}
    _walks(plans["first"], "ix_shipments_created_id")
    _walks(plans["deep"], "ix_shipments_created_id")
    for name in ("recipient", "recipient deep"):
        plan = plans[name]
        assert "Seq Scan" not in plan, plan
        if database.url.startswith("sqlite"):
            _walks(plan, "ix_shipments_recipient_created_id")
        else:  # PostgreSQL weighs the two indexes by its statistics; either keeps the page cheap
            assert "ix_shipments_recipient_created_id" in plan or "ix_shipments_created_id" in plan, plan
    for name in ("deep", "recipient deep"):  # the cursor bounds the walk, not a filter after it
        assert "(created_at,id)<(?,?)" in plans[name] or "ROW(created_at, id) <" in plans[name], plans[name]
