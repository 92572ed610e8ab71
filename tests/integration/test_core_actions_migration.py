"""Migration 0008 on a database that has batches already: each gets the state its status implies,
and the batches keep their rows (the columns are added in place, the table is not rebuilt)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import JSON, Boolean, Connection, DateTime, String, Uuid, column, select, table

from postbud.storage.database import Database
from postbud.storage.migrate import _config

pytestmark = pytest.mark.anyio

WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
# The two tables as revision 0007 has them (only the columns a row needs).
SENDERS = table(
    "senders",
    column("id", Uuid),
    column("name", String),
    column("organisation_number", String),
    column("altinn_scopes", JSON),
    column("may_print", Boolean),
    column("may_direct_print", Boolean),
    column("created_at", DateTime(timezone=True)),
)
BATCHES = table(
    "batches",
    column("id", Uuid),
    column("sender_id", Uuid),
    column("dialect", String),
    column("external_id", String),
    column("status", String),
    column("data", JSON),
    column("created_at", DateTime(timezone=True)),
    column("updated_at", DateTime(timezone=True)),
)
SHIPMENTS = table(
    "shipments",
    column("id", Uuid),
    column("sender_id", Uuid),
    column("dialect", String),
    column("status", String),
    column("batch_id", Uuid),
    column("request", JSON),
    column("created_at", DateTime(timezone=True)),
    column("updated_at", DateTime(timezone=True)),
)
BATCH_STATES = table(
    "batches",
    column("external_id", String),
    column("state", String),
    column("state_changed_at", DateTime(timezone=True)),
    column("output_at", DateTime(timezone=True)),
)


def _migrate_with_batches(connection: Connection) -> list[tuple[str, str, datetime | None, datetime | None]]:
    config = _config(connection)
    command.upgrade(config, "0007")
    sender = uuid.uuid4()
    connection.execute(
        SENDERS.insert().values(
            id=sender,
            name="Skatteetaten",
            organisation_number="974761076",
            altinn_scopes=[],
            may_print=True,
            may_direct_print=True,
            created_at=WHEN,
        )
    )
    for status in ("open", "completed", "cancelled"):
        batch_id = uuid.uuid4()
        connection.execute(
            BATCHES.insert().values(
                id=batch_id,
                sender_id=sender,
                dialect="digipost",
                external_id=status,
                status=status,
                data={},
                created_at=WHEN,
                updated_at=WHEN,
            )
        )
        # A letter in the batch: rebuilding the batches table would trip over its foreign key.
        connection.execute(
            SHIPMENTS.insert().values(
                id=uuid.uuid4(),
                sender_id=sender,
                dialect="digipost",
                status="scheduled",
                batch_id=batch_id,
                request={},
                created_at=WHEN,
                updated_at=WHEN,
            )
        )
    command.upgrade(config, "0008")  # this migration on its own: later ones are tested by their owners
    query = select(BATCH_STATES).order_by(BATCH_STATES.c.external_id)
    return [(r.external_id, r.state, r.state_changed_at, r.output_at) for r in connection.execute(query)]


async def test_existing_batches_get_the_state_their_status_implies(database_url: str) -> None:
    database = Database(database_url)
    try:
        async with database.transaction() as connection:
            rows = await connection.run_sync(_migrate_with_batches)
    finally:
        await database.dispose()
    assert [(name, state) for name, state, _, _ in rows] == [
        ("cancelled", "cancelled"),
        ("completed", "closed"),
        ("open", "opened"),
    ]
    assert all(changed is not None and changed.replace(tzinfo=UTC) == WHEN for _, _, changed, _ in rows)
    assert all(output_at is None for _, _, _, output_at in rows)
