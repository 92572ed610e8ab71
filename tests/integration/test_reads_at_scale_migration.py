"""Migration 0014 fills the event feed and the per-hour counts from the events already stored.

A database at 0013 holds letters of two dialects with their everyday events, outcomes and routes;
after the upgrade the feed holds exactly the outcomes (each with its letter's dialect), the chart
counts each letter's first route in its hour, and counts written afterwards add to the same hours;
an Altinn correspondence gets its resource in its own column.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import JSON, BigInteger, Boolean, Connection, DateTime, String, Uuid, column, select, table

from postbud.domain.channels import Channel
from postbud.domain.events import EventType, ShipmentEvent
from postbud.storage import schema
from postbud.storage.database import Database
from postbud.storage.migrate import _config, migrate
from postbud.storage.repos.activity import ActivityRepository
from postbud.storage.repos.events import EventRepository, event_rows
from postbud.storage.writeset import WriteSet, apply

pytestmark = pytest.mark.anyio

NOON = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
SENDER = uuid.uuid4()
DIGIPOST, PLATFORM, UNDELIVERED, ALTINN = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
RECORD = json.dumps({"resource_id": "skattemelding", "title": "Skattemelding"})


def _insert(connection: Connection, name: str, /, **values: object) -> None:
    types = {
        type(None): String,
        bool: Boolean,
        int: BigInteger,
        str: String,
        datetime: DateTime(timezone=True),
        uuid.UUID: Uuid,
        dict: JSON,
        list: JSON,
    }
    target = table(name, *(column(key, types[type(value)]) for key, value in values.items()))
    connection.execute(target.insert().values(**values))


def _event(
    connection: Connection, letter: uuid.UUID, kind: str, channel: str | None, minutes: int, key: str
) -> None:
    at = NOON + timedelta(minutes=minutes)
    _insert(connection, "events", id=uuid.uuid4(), shipment_id=letter, sender_id=SENDER, type=kind,
            channel=channel, at=at, data={}, dedup_key=key)  # fmt: skip


def _database_at_0013_with_letters(connection: Connection) -> None:
    command.upgrade(_config(connection), "0013")
    _insert(connection, "senders", id=SENDER, name="Skatteetaten", organisation_number="974761076",
            may_print=True, may_direct_print=True, created_at=NOON)  # fmt: skip
    for letter, dialect in ((DIGIPOST, "digipost"), (PLATFORM, "platform"), (UNDELIVERED, "digipost")):
        _insert(connection, "shipments", id=letter, sender_id=SENDER, dialect=dialect,
                external_id=str(letter), status="delivered", request={}, created_at=NOON,
                updated_at=NOON)  # fmt: skip
        _insert(connection, "documents", id=uuid.uuid4(), shipment_id=letter, sender_id=SENDER,
                position=0, external_id=f"doc-{letter}", file_type="pdf", mime="application/pdf",
                sha256="a" * 64, size=10, authentication="PASSWORD", sensitivity="NORMAL",
                opening_receipt=False)  # fmt: skip
    _insert(connection, "shipments", id=ALTINN, sender_id=SENDER, dialect="altinn", external_id="a",
            status="delivered", request={"properties": {"altinn": RECORD}}, created_at=NOON,
            updated_at=NOON)  # fmt: skip
    for letter in (DIGIPOST, PLATFORM):
        _event(connection, letter, "created", None, 0, "created")
        _event(connection, letter, "routed", "digital_mailbox", 1, "routed")
        _event(connection, letter, "delivered", "digital_mailbox", 2, "delivered")
        _event(connection, letter, "opened", "digital_mailbox", 70, "opened")  # the next hour
        _event(connection, letter, "routed", "print", 80, "routed:print")  # print-if-unread: not a letter
    _event(connection, DIGIPOST, "delivered", "email", 90, "delivered:email")  # an outcome by e-mail
    _event(connection, UNDELIVERED, "not_delivered", None, 3, "not_delivered")


async def test_the_upgrade_fills_the_feed_and_the_counts(database_url: str) -> None:
    database = Database(database_url)
    try:
        async with database.transaction() as connection:
            await connection.run_sync(_database_at_0013_with_letters)
        await migrate(database)
        async with database.transaction() as connection:
            f = schema.event_feed.c
            feed = (await connection.execute(select(f.dialect, f.type, f.channel).order_by(f.at))).all()
            s = schema.shipments.c
            stored = await connection.execute(select(s.id, s.resource_id))
            resources = {row.id: row.resource_id for row in stored}
            activity = ActivityRepository(connection)
            before = await activity.letters_routed_per_hour(NOON - timedelta(hours=1))
            later = ShipmentEvent(
                uuid.uuid4(), UNDELIVERED, SENDER, EventType.ROUTED, NOON + timedelta(minutes=30),
                Channel.DIGITAL_MAILBOX, {}, "routed",
            )  # fmt: skip
            ws = WriteSet()
            event_rows(later, [], ws, dialect="digipost")
            await apply(connection, [ws])
            after = await activity.letters_routed_per_hour(NOON - timedelta(hours=1))
            poll = await EventRepository(connection).for_sender_on_documents(
                SENDER,
                since=NOON,
                until=NOON + timedelta(days=1),
                kinds=[("opened", None), ("delivered", ["email", "einvoice"])],
                dialect="digipost",
            )
    finally:
        await database.dispose()
    assert resources == {DIGIPOST: None, PLATFORM: None, UNDELIVERED: None, ALTINN: "skattemelding"}
    assert sorted(feed) == sorted(
        [("digipost", "opened", "digital_mailbox"), ("platform", "opened", "digital_mailbox"),
         ("digipost", "delivered", "email")]
    )  # fmt: skip
    assert sorted(((c.hour, c.channel, c.letters) for c in before), key=repr) == [
        (NOON, "digital_mailbox", 2),
        (NOON, None, 1),
    ]
    totals: dict[tuple[datetime, str | None], int] = {}
    for c in after:
        totals[(c.hour, c.channel)] = totals.get((c.hour, c.channel), 0) + c.letters
    assert totals == {(NOON, None): 1, (NOON, "digital_mailbox"): 3}
    assert [(p.event.type.value, p.document_external_id) for p in poll] == [
        ("opened", f"doc-{DIGIPOST}"),
        ("delivered", f"doc-{DIGIPOST}"),
    ]
