"""The writer's prepared inserts (SQLite) store exactly what SQLAlchemy reads back."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from postbud.domain.identifiers import parse_party_id
from postbud.domain.shipments import PrintInstructions
from postbud.services.letters.send_letter import send_letter
from postbud.storage import schema
from postbud.storage.writeset import WriteSet, apply_blocking
from tests.integration.core_helpers import (
    ADDRESS,
    PERSON_WITHOUT_MAILBOX,
    add_recipients,
    add_sender,
    letter,
    runtime_for,
)

pytestmark = pytest.mark.anyio


async def test_rows_of_a_send_read_back_as_written(tmp_path: Path) -> None:
    runtime = await runtime_for(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'postbud.db'}")
    assert runtime.database.has_blocking_writes  # the prepared path runs on SQLite files
    captured: list[WriteSet] = []
    submit = runtime.writer.submit

    async def capture(ws: WriteSet) -> None:
        captured.append(ws)
        await submit(ws)

    runtime.writer.submit = capture  # type: ignore[method-assign]
    try:
        sender = await add_sender(runtime)
        await add_recipients(runtime)
        # A print letter: shipment, document, events with data and a job, all in one WriteSet.
        cmd = letter(
            sender,
            external_id="m-1",
            recipient=parse_party_id(PERSON_WITHOUT_MAILBOX),
            print_instructions=PrintInstructions(recipient=ADDRESS, return_address=ADDRESS),
        )
        await send_letter(cmd, runtime)
        (ws,) = captured
        assert {schema.shipments.name, schema.documents.name, schema.events.name} <= set(ws.rows)
        async with runtime.reader() as uow:
            for table_name, rows in ws.rows.items():
                table = schema.metadata.tables[table_name]
                # By primary key: a counter table (route counts per hour) has no id column.
                key = [column.name for column in table.primary_key.columns]
                for row in rows:
                    by_key = select(table).where(*(table.c[name] == row[name] for name in key))
                    stored = (await uow.conn.execute(by_key)).mappings().one()
                    assert {key: stored[key] for key in row} == row, table_name

        # Column defaults, ON CONFLICT DO NOTHING for events, and constraint errors as SQLAlchemy's.
        event = dict(ws.rows[schema.events.name][0])
        without_data = {k: v for k, v in event.items() if k != "data"} | {
            "id": uuid.uuid4(),
            "dedup_key": "x",
        }
        extra = WriteSet()
        extra.add(schema.events, event)  # the same event again: skipped
        extra.add(schema.events, without_data)
        with runtime.database.blocking_transaction() as conn:
            apply_blocking(conn, [extra])
        async with runtime.reader() as uow:
            stored = (
                (
                    await uow.conn.execute(
                        select(schema.events).where(schema.events.c.id == without_data["id"])
                    )
                )
                .mappings()
                .one()
            )
        assert stored["data"] == {}
        again = WriteSet()
        again.add(schema.shipments, dict(ws.rows[schema.shipments.name][0]))
        with pytest.raises(IntegrityError), runtime.database.blocking_transaction() as conn:
            apply_blocking(conn, [again])
    finally:
        await runtime.close()
