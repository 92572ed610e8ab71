"""Inbox paging stays an index range however many letters there are (checked by query plan, not by time).

20 000 letters are bulk-inserted for one recipient among others; SQLite's EXPLAIN QUERY PLAN must
show the keyset cursor as a range on the recipient index, with no table scan and no sort, for the
first page, a deep page, the archive folder and a search.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.status import ShipmentStatus
from postbud.storage import schema
from postbud.storage.database import Database
from postbud.storage.migrate import migrate
from postbud.storage.repos.inbox import InboxRepository

pytestmark = pytest.mark.anyio

LETTERS = 20_000
OTHERS = 2_000
START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
async def big_inbox(tmp_path: Path) -> AsyncIterator[tuple[Database, uuid.UUID]]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'inbox.db'}")
    await migrate(database)
    reader_id, other_id, sender_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with database.transaction() as conn:
        await conn.execute(
            schema.senders.insert(),
            [
                {
                    "id": sender_id,
                    "name": "Skatteetaten",
                    "organisation_number": "974761076",
                    "altinn_scopes": [],
                    "may_print": True,
                    "may_direct_print": True,
                    "created_at": START,
                }
            ],
        )
        await conn.execute(
            schema.recipients.insert(),
            [_recipient(reader_id, "no-person:15108695088"), _recipient(other_id, "no-person:31129956715")],
        )
        for owner, count in ((reader_id, LETTERS), (other_id, OTHERS)):
            shipments, documents = _letters(sender_id, owner, count)
            await conn.execute(schema.shipments.insert(), shipments)
            await conn.execute(schema.documents.insert(), documents)
        oldest = (
            schema.shipments.select()
            .where(schema.shipments.c.recipient_id == reader_id)
            .order_by(schema.shipments.c.created_at)
            .limit(50)
        )
        archived = (await conn.execute(oldest)).mappings().all()
        await conn.execute(
            schema.archived_letters.insert(),
            [
                {
                    "shipment_id": r["id"],
                    "recipient_id": reader_id,
                    "letter_created_at": r["created_at"],
                    "archived_at": START,
                }
                for r in archived
            ],
        )
    try:
        yield database, reader_id
    finally:
        await database.dispose()


def _recipient(recipient_id: uuid.UUID, party: str) -> dict[str, Any]:
    return {
        "id": recipient_id,
        "party_id": party,
        "kind": "person",
        "name": party,
        "digital_mailbox": True,
        "mailbox_address": None,
        "reserved": False,
        "business_inbox": False,
        "email": None,
        "mobile": None,
        "postal_address": None,
        "einvoice": False,
        "ebank": False,
        "kivra": False,
        "created_at": START,
        "updated_at": START,
    }


def _letters(
    sender_id: uuid.UUID, owner: uuid.UUID, count: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    shipments, documents = [], []
    for i in range(count):
        shipment_id = uuid.uuid4()
        # Some letters share a timestamp, so the id must break ties for the cursor to be exact.
        at = START + timedelta(seconds=i // 3)
        shipments.append(
            {
                "id": shipment_id,
                "sender_id": sender_id,
                "dialect": "platform",
                "external_id": None,
                "recipient_id": owner,
                "recipient_party": None,
                "recipient_name": None,
                "subject": f"Brev {i}",
                "channel": "digital_mailbox",
                "status": ShipmentStatus.DELIVERED.value,
                "batch_id": None,
                "publish_at": None,
                "request": {},
                "created_at": at,
                "updated_at": at,
            }
        )
        documents.append(
            {
                "id": uuid.uuid4(),
                "shipment_id": shipment_id,
                "sender_id": sender_id,
                "position": 0,
                "external_id": None,
                "title": f"Brev {i}",
                "file_type": "pdf",
                "mime": "application/pdf",
                "sha256": "0" * 64,
                "size": 100,
                "pages": 1,
                "authentication": "password",
                "sensitivity": "normal",
                "datatype": None,
                "opening_receipt": False,
            }
        )
    return shipments, documents


async def _plan(conn: AsyncConnection, call: Any) -> list[str]:
    """Run ``call`` (a repository query), catch its SQL, and ask SQLite how it executes it."""
    seen: list[tuple[str, Any]] = []

    def capture(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    sync_engine = conn.sync_engine
    event.listen(sync_engine, "before_cursor_execute", capture)
    try:
        await call
    finally:
        event.remove(sync_engine, "before_cursor_execute", capture)
    statement, parameters = seen[-1]
    rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    return [str(row[3]) for row in rows]


def _assert_index_range(plan: list[str], index: str) -> None:
    text = "\n".join(plan)
    assert any(f"USING INDEX {index}" in line or f"USING COVERING INDEX {index}" in line for line in plan), (
        text
    )
    assert not any(line.startswith("SCAN") and "shipments" in line for line in plan), text
    assert not any(line.startswith(("SCAN s", "SCAN shipments", "SCAN archived_letters")) for line in plan), (
        text
    )
    assert "TEMP B-TREE" not in text, text


async def test_every_page_is_an_index_range_without_a_sort(big_inbox: tuple[Database, uuid.UUID]) -> None:
    database, reader = big_inbox
    async with database.reading() as conn:
        inbox = InboxRepository(conn)
        first = await inbox.page(reader, archived=False, limit=21)
        plan = await _plan(conn, inbox.page(reader, archived=False, limit=21))
        _assert_index_range(plan, "ix_shipments_recipient_created_id")

        deep = (START + timedelta(seconds=LETTERS // 6), uuid.UUID(int=0))
        plan = await _plan(conn, inbox.page(reader, archived=False, before=deep, limit=21))
        _assert_index_range(plan, "ix_shipments_recipient_created_id")
        assert any("(created_at,id)<(?,?)" in line for line in plan), plan

        plan = await _plan(conn, inbox.page(reader, archived=False, search="brev 7", before=deep, limit=21))
        _assert_index_range(plan, "ix_shipments_recipient_created_id")

        plan = await _plan(conn, inbox.page(reader, archived=True, before=deep, limit=21))
        _assert_index_range(plan, "ix_archived_letters_recipient_created")
    assert len(first) == 21


async def test_walking_the_pages_visits_every_letter_once_in_order(
    big_inbox: tuple[Database, uuid.UUID],
) -> None:
    database, reader = big_inbox
    seen: list[tuple[datetime, uuid.UUID]] = []
    async with database.reading() as conn:
        inbox = InboxRepository(conn)
        before = None
        for _ in range(6):
            page = await inbox.page(reader, archived=False, before=before, limit=7)
            seen += [(letter.created_at, letter.shipment_id) for letter in page]
            before = seen[-1]
        archived = await inbox.page(reader, archived=True, limit=100)
    assert seen == sorted(seen, reverse=True)
    assert len(set(seen)) == len(seen) == 42
    assert len(archived) == 50
    assert not {a.shipment_id for a in archived} & {shipment_id for _, shipment_id in seen}
