"""Altinn's search reads one page whatever the store holds (issue 13 item 7): a resource's letters
of its sender, or to one recipient, walked newest publish time first down an index — the time range
and the keyset cursor in the walk's bounds, a status the letter must have had as a key probe into
its events — never a scan of the letters, never a sort of every match. Query plans on SQLite and
PostgreSQL, and the order and cursor of the walk on real rows.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema
from postbud.storage.database import Database
from postbud.storage.repos.resource_letters import ResourceLetterRepository, ResourceLetters
from tests.integration.test_reads_at_scale_plans import _capture, _event, _explain, _one_page

pytestmark = pytest.mark.anyio

LETTERS = 3_000
RESOURCE = "skattemelding"
START = datetime(2026, 1, 1, tzinfo=UTC)


async def _fill(
    conn: AsyncConnection, owner: uuid.UUID, other: uuid.UUID, recipients: list[uuid.UUID]
) -> None:
    """Letters of two senders; a third of them about the resource, to a handful of recipients; every
    seventh published a day after it was created; every eleventh opened."""
    await conn.execute(
        schema.senders.insert(),
        [
            {"id": sid, "name": name, "organisation_number": number, "altinn_scopes": [], "created_at": START}
            for sid, name, number in ((owner, "Skatteetaten", "974761076"), (other, "NAV", "889640782"))
        ],
    )
    await conn.execute(
        schema.recipients.insert(),
        [
            {"id": rid, "party_id": f"no-org:9{n:08d}", "kind": "organisation", "name": f"Bedrift {n}",
             "created_at": START, "updated_at": START}
            for n, rid in enumerate(recipients)
        ],
    )  # fmt: skip
    shipments: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for i in range(LETTERS):
        shipment_id, at = uuid.uuid4(), START + timedelta(seconds=i)
        sid = owner if i % 3 == 0 else other
        shipments.append(
            {
                "id": shipment_id,
                "sender_id": sid,
                "dialect": "altinn" if i % 3 == 0 else "digipost",
                "status": "delivered",
                "channel": "business_inbox",
                "resource_id": RESOURCE if i % 3 == 0 else None,
                "recipient_id": recipients[i % len(recipients)],
                "recipient_party": f"no-org:9{i % len(recipients):08d}",
                "publish_at": at + timedelta(days=1) if i % 7 == 0 else None,
                "request": {},
                "created_at": at,
                "updated_at": at,
            }
        )
        kinds = ["created", "routed", "delivered"] + (["opened"] if i % 11 == 0 else [])
        events += [
            _event(shipment_id, sid, kind, at + timedelta(milliseconds=n)) for n, kind in enumerate(kinds)
        ]
    await conn.execute(schema.shipments.insert(), shipments)
    await conn.execute(schema.events.insert(), events)
    await conn.exec_driver_sql("ANALYZE")


def _publish_time(i: int) -> datetime:
    at = START + timedelta(seconds=i)
    return at + timedelta(days=1) if i % 7 == 0 else at


@pytest.mark.parametrize("role", ["sender", "recipient"])
@pytest.mark.parametrize("opened", [False, True], ids=["any status", "had a status"])
async def test_a_search_page_walks_one_index_in_publish_time_order(
    database: Database, role: str, opened: bool
) -> None:
    owner, other = uuid.uuid4(), uuid.uuid4()
    recipients = [uuid.uuid4() for _ in range(5)]
    which = ResourceLetters(
        resource_id=RESOURCE,
        sender_id=owner if role == "sender" else None,
        recipient_id=recipients[0] if role == "recipient" else None,
        had_event_types=frozenset({"opened"}) if opened else None,
    )
    deep = (START + timedelta(seconds=LETTERS // 2), uuid.UUID(int=0))
    async with database.transaction() as conn:
        repo = ResourceLetterRepository(conn)
        first = await _capture(conn, "shipments", repo.page(which, before=None, limit=200))
        deeper = await _capture(conn, "shipments", repo.page(which, before=deep, limit=200))
        await _fill(conn, owner, other, recipients)
        plans = [await _explain(conn, first), await _explain(conn, deeper)]
    index = f"ix_shipments_resource_id_{role}_id_publish_time_id"
    for plan in plans:
        _one_page(plan, index, "shipments", exactly=database.url.startswith("sqlite"))
    if database.url.startswith("sqlite"):
        # The deep page starts its walk at the cursor, not at the newest letter.
        assert "sender_id=? AND <expr><?)" in plans[1] or "recipient_id=? AND <expr><?)" in plans[1], plans[1]
    for plan in plans:
        if opened and database.url.startswith("sqlite"):
            # The status a letter had is a probe into its own events, not a walk of the events.
            assert "SEARCH events USING INDEX ix_events_shipment_at (shipment_id=?)" in plan, plan


async def test_the_walk_goes_newest_publish_time_first_across_pages(database: Database) -> None:
    owner, other = uuid.uuid4(), uuid.uuid4()
    recipients = [uuid.uuid4() for _ in range(5)]
    async with database.transaction() as conn:
        await _fill(conn, owner, other, recipients)
        repo = ResourceLetterRepository(conn)

        async def walk(which: ResourceLetters) -> list[tuple[datetime, uuid.UUID]]:
            seen: list[tuple[datetime, uuid.UUID]] = []
            before = None
            while page := await repo.page(which, before=before, limit=97):
                seen += [(at, shipment.id) for at, shipment in page]
                before = seen[-1]
            return seen

        everything = await walk(ResourceLetters(resource_id=RESOURCE, sender_id=owner))
        window = await walk(
            ResourceLetters(
                resource_id=RESOURCE,
                sender_id=owner,
                published_after=START + timedelta(seconds=600),
                published_before=START + timedelta(days=1, seconds=300),
            )
        )
        read = await walk(ResourceLetters(resource_id=RESOURCE, sender_id=owner, had_event_types={"opened"}))
        to_one = await walk(ResourceLetters(resource_id=RESOURCE, recipient_id=recipients[1]))
    about = [i for i in range(LETTERS) if i % 3 == 0]
    assert [at for at, _ in everything] == sorted((_publish_time(i) for i in about), reverse=True)
    assert everything == sorted(everything, reverse=True)
    low, high = START + timedelta(seconds=600), START + timedelta(days=1, seconds=300)
    assert [at for at, _ in window] == sorted(
        (_publish_time(i) for i in about if low < _publish_time(i) < high), reverse=True
    )
    assert [at for at, _ in read] == sorted((_publish_time(i) for i in about if i % 11 == 0), reverse=True)
    assert [at for at, _ in to_one] == sorted((_publish_time(i) for i in about if i % 5 == 1), reverse=True)
