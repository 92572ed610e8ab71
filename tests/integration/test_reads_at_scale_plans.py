"""The reads that grew with the store (issue 13 item 7) are one page each, checked by query plan.

Many letters with their everyday events (created, routed, delivered) and a few outcomes a sender
polls for are bulk-inserted, then each read's own SQL (caught as the repository runs it) is
explained: the Digipost document-event poll walks the sender's event feed in its order, the
letter lists filtered by status or channel (of everyone, or of one sender) walk an index in the
list's order (and so do one resource's letters, for Altinn's search), and the console chart reads
the per-hour counts — never a scan of the letters or
their events, never a sort of everything that matches.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema
from postbud.storage.database import Database
from postbud.storage.repos.activity import ActivityRepository
from postbud.storage.repos.events import EventRepository
from postbud.storage.repos.shipments import ShipmentRepository

pytestmark = pytest.mark.anyio

LETTERS = 4_000
OPENED_EVERY = 40
START = datetime(2026, 1, 1, tzinfo=UTC)
KINDS = [("opened", None), ("posted", None), ("delivered", ["email", "einvoice"])]


async def _fill(conn: AsyncConnection, sender_id: uuid.UUID, other_id: uuid.UUID) -> None:
    await conn.execute(
        schema.senders.insert(),
        [
            {"id": sid, "name": name, "organisation_number": number, "altinn_scopes": [], "created_at": START}
            for sid, name, number in (
                (sender_id, "Skatteetaten", "974761076"),
                (other_id, "NAV", "889640782"),
            )
        ],
    )
    shipments, documents, events, feed = [], [], [], []
    for i in range(LETTERS):
        sid = sender_id if i % 2 else other_id
        shipment_id, at = uuid.uuid4(), START + timedelta(seconds=i)
        rare = i % 97 == 0
        shipments.append(
            {
                "id": shipment_id,
                "sender_id": sid,
                "dialect": "digipost",
                "status": "failed" if rare else "delivered",
                "channel": "print" if rare else "digital_mailbox",
                "resource_id": "skattemelding" if i % 10 == 0 else None,
                "request": {},
                "created_at": at,
                "updated_at": at,
            }
        )
        documents.append(
            {
                "id": uuid.uuid4(),
                "shipment_id": shipment_id,
                "sender_id": sid,
                "position": 0,
                "external_id": str(uuid.uuid4()),
                "file_type": "pdf",
                "mime": "application/pdf",
                "sha256": "0" * 64,
                "size": 1,
                "authentication": "password",
                "sensitivity": "normal",
            }
        )
        for n, kind in enumerate(("created", "routed", "delivered")):
            events.append(_event(shipment_id, sid, kind, at + timedelta(milliseconds=n)))
        if i % OPENED_EVERY == 0:
            opened = _event(shipment_id, sid, "opened", at + timedelta(milliseconds=5))
            events.append(opened)
            feed.append(
                {
                    "event_id": opened["id"],
                    "sender_id": sid,
                    "dialect": "digipost",
                    "at": opened["at"],
                    "type": "opened",
                    "channel": "digital_mailbox",
                    "shipment_id": shipment_id,
                }
            )
    await conn.execute(schema.shipments.insert(), shipments)
    await conn.execute(schema.documents.insert(), documents)
    await conn.execute(schema.events.insert(), events)
    await conn.execute(schema.event_feed.insert(), feed)
    hours = [
        {"hour": START + timedelta(hours=h), "channel": c, "shard": s, "letters": 10}
        for h in range(24 * 30)
        for c in ("digital_mailbox", "print", "")
        for s in range(2)
    ]
    await conn.execute(schema.routed_letters_per_hour.insert(), hours)
    await conn.exec_driver_sql("ANALYZE")


def _event(shipment_id: uuid.UUID, sender_id: uuid.UUID, kind: str, at: datetime) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "shipment_id": shipment_id,
        "sender_id": sender_id,
        "type": kind,
        "channel": "digital_mailbox",
        "at": at,
        "data": {},
        "dedup_key": kind,
    }


Captured = tuple[str, Any]


async def _capture(conn: AsyncConnection, table: str, query: Awaitable[Any]) -> Captured:
    """Run a repository query (on the still empty tables) and catch its SQL."""
    seen: list[Captured] = []

    def capture(_c: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if f"FROM {table}" in statement:
            seen.append((statement, parameters))

    event.listen(conn.sync_engine, "before_cursor_execute", capture)
    try:
        await query
    finally:
        event.remove(conn.sync_engine, "before_cursor_execute", capture)
    return seen[0]


async def _explain(conn: AsyncConnection, captured: Captured) -> str:
    statement, parameters = captured
    if conn.dialect.name == "sqlite":
        rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return "\n".join(str(tuple(row)[3]) for row in rows)  # id, parent, notused, detail
    # On a test-sized table PostgreSQL rightly prefers to gather a few dozen matches and sort them;
    # with those plans priced out, what is left shows whether an index serves the filter in the
    # list's order (with none, the plan still sorts), which is the plan it takes at size.
    for setting in ("enable_sort", "enable_bitmapscan", "enable_seqscan"):
        await conn.exec_driver_sql(f"SET LOCAL {setting} = off")
    rows = await conn.exec_driver_sql(f"EXPLAIN {statement}", parameters)
    return "\n".join(str(row[0]) for row in rows)


def _one_page(plan: str, index: str, table: str, *, exactly: bool = True) -> None:
    """A walk down ``index`` (with ``exactly=False``: down any index) that needs no sort."""
    assert index in plan if exactly else "Index Scan" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # SQLite sorting
    assert "Sort" not in plan, plan  # PostgreSQL sorting
    assert "Seq Scan" not in plan, plan
    assert "Bitmap" not in plan, plan  # PostgreSQL gathering every match before ordering
    for line in plan.splitlines():  # SQLite: every table is searched by a key, none scanned
        assert not line.startswith("SCAN"), plan
    assert f"SEARCH {table}" in plan or "Index" in plan, plan


async def test_the_document_event_poll_walks_the_senders_feed(database: Database) -> None:
    sender_id, other_id = uuid.uuid4(), uuid.uuid4()
    async with database.transaction() as conn:
        repo = EventRepository(conn)
        poll = repo.for_sender_on_documents(
            sender_id,
            since=START,
            until=START + timedelta(days=1),
            kinds=KINDS,
            dialect="digipost",
            offset=0,
            limit=100,
        )
        captured = await _capture(conn, "event_feed", poll)
        await _fill(conn, sender_id, other_id)
        plan = await _explain(conn, captured)
        found = await repo.for_sender_on_documents(
            sender_id,
            since=START,
            until=START + timedelta(days=1),
            kinds=KINDS,
            dialect="digipost",
            limit=100,
        )
    _one_page(plan, "ix_event_feed_sender_id_dialect_at_event_id", "event_feed")
    if database.url.startswith("sqlite"):
        # The events, letters and documents of the page are joined by key, not walked.
        assert "SEARCH events USING INDEX sqlite_autoindex_events_1 (id=?)" in plan, plan
    assert "ix_events_sender_at" not in plan, plan
    assert "ix_events_at" not in plan, plan
    # The sender's opened letters are those with an odd number among every 40th: none of them.
    assert [f.event.type.value for f in found] == []


async def test_the_feed_pages_hold_only_the_senders_outcomes(database: Database) -> None:
    sender_id, other_id = uuid.uuid4(), uuid.uuid4()
    async with database.transaction() as conn:
        await _fill(conn, sender_id, other_id)
        found = await EventRepository(conn).for_sender_on_documents(
            other_id,
            since=START,
            until=START + timedelta(days=1),
            kinds=KINDS,
            dialect="digipost",
            offset=10,
            limit=20,
        )
    assert len(found) == 20
    assert {f.event.type.value for f in found} == {"opened"}
    assert all(f.event.sender_id == other_id for f in found)
    assert [f.event.at for f in found] == sorted(f.event.at for f in found)
    assert found[0].event.at == START + timedelta(seconds=OPENED_EVERY * 10, milliseconds=5)


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"status": "failed"}, "ix_shipments_status_created_at_id"),
        ({"status": "delivered"}, "ix_shipments_status_created_at_id"),
        ({"channel": "print"}, "ix_shipments_channel_created_at_id"),
        ({"status": "failed", "sender": True}, "ix_shipments_sender_id_status_created_at_id"),
        ({"channel": "print", "sender": True}, "ix_shipments_sender_id_channel_created_at_id"),
        ({"resource_id": "skattemelding", "sender": True}, "ix_shipments_resource_id_created_at_id"),
    ],
    ids=[
        "rare status",
        "common status",
        "rare channel",
        "sender and status",
        "sender and channel",
        "resource",
    ],
)
async def test_filtered_letter_lists_walk_an_index_in_their_order(
    database: Database, filters: dict[str, Any], index: str
) -> None:
    sender_id, other_id = uuid.uuid4(), uuid.uuid4()
    deep = (START + timedelta(seconds=LETTERS // 2), uuid.UUID(int=0))
    arguments = {
        "status": filters.get("status"),
        "channel": filters.get("channel"),
        "resource_id": filters.get("resource_id"),
        "sender_id": sender_id if filters.get("sender") else None,
    }
    async with database.transaction() as conn:
        repo = ShipmentRepository(conn)
        first = await _capture(conn, "shipments", repo.list(**arguments, limit=51))
        deeper = await _capture(conn, "shipments", repo.list(**arguments, before=deep, limit=51))
        await _fill(conn, sender_id, other_id)
        plans = [await _explain(conn, first), await _explain(conn, deeper)]
    for plan in plans:
        # PostgreSQL may walk another index in the same order and filter (a common status: the
        # unfiltered order; two senders: the status index), which also stops after one page.
        _one_page(plan, index, "shipments", exactly=database.url.startswith("sqlite"))
    assert "(created_at,id)<(?,?)" in plans[1] or "ROW(created_at, id) <" in plans[1], plans[1]


async def test_the_chart_reads_a_days_counts_not_the_events(database: Database) -> None:
    sender_id, other_id = uuid.uuid4(), uuid.uuid4()
    since = START + timedelta(days=29)
    async with database.transaction() as conn:
        repo = ActivityRepository(conn)
        captured = await _capture(conn, "routed_letters_per_hour", repo.letters_routed_per_hour(since))
        await _fill(conn, sender_id, other_id)
        plan = await _explain(conn, captured)
        counts = await repo.letters_routed_per_hour(since)
    assert "events" not in plan, plan
    assert "Seq Scan" not in plan, plan
    if database.url.startswith("sqlite"):
        assert "SEARCH routed_letters_per_hour USING INDEX" in plan, plan
    assert len(counts) == 24 * 3
    assert {c.letters for c in counts} == {20}  # two shards added up
    assert {c.channel for c in counts} == {"digital_mailbox", "print", None}
