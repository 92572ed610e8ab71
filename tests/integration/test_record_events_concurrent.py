"""Two recorders of the same event on one letter, at the same moment: one event, one webhook delivery."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.record_event import record_events
from postbud.services.letters.send_letter import send_letter
from postbud.storage import schema
from postbud.webhooks.manage import add_webhook
from tests.integration.core_helpers import add_recipients, add_sender, letter, runtime_for

pytestmark = pytest.mark.anyio


async def test_a_racing_duplicate_event_is_recorded_once(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        sender = await add_sender(runtime)
        await add_recipients(runtime)
        await add_webhook(runtime, sender, "https://example.no/hooks", ["opened"])
        accepted = await send_letter(letter(sender, external_id="m-1"), runtime)
        shipment = accepted.shipment  # read once, without a lock, by both recorders

        async def open_it() -> int:
            async with runtime.unit_of_work() as uow:
                draft = EventDraft(EventType.OPENED, None, {}, "opened")
                return len(await record_events(uow, shipment, [draft], now=runtime.clock.now()))

        results: list[int] = []
        for _ in range(5):
            results += await asyncio.gather(*(open_it() for _ in range(4)), return_exceptions=False)
        assert sum(results) == 1

        async with runtime.reader() as uow:
            e, d = schema.events.c, schema.webhook_deliveries.c
            opened = (
                await uow.conn.execute(
                    select(func.count()).where(e.shipment_id == shipment.id, e.type == EventType.OPENED.value)
                )
            ).scalar_one()
            deliveries = (
                await uow.conn.execute(
                    select(func.count())
                    .select_from(schema.webhook_deliveries.join(schema.events, d.event_id == e.id))
                    .where(e.shipment_id == shipment.id)
                )
            ).scalar_one()
            orphans = (
                await uow.conn.execute(
                    select(func.count())
                    .select_from(schema.webhook_deliveries)
                    .where(~d.event_id.in_(select(e.id)))
                )
            ).scalar_one()
            stored = await uow.shipments.get(shipment.id)
        assert (opened, deliveries, orphans) == (1, 1, 0)
        assert stored is not None
        assert stored.status is ShipmentStatus.OPENED
    finally:
        await runtime.close()
