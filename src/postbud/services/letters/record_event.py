"""Recording events on a stored shipment: once each, with its status projection and webhooks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from postbud.domain.event_drafts import EventDraft, realise
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.shipments import Shipment
from postbud.domain.status import next_status
from postbud.services.letters.batch_state import letter_moved
from postbud.storage.repos.events import event_rows
from postbud.storage.unit_of_work import SqlUnitOfWork
from postbud.storage.writeset import WriteSet

if TYPE_CHECKING:
    from postbud.services.runtime import Runtime


async def record_events(
    uow: SqlUnitOfWork, shipment: Shipment, drafts: list[EventDraft], *, now: datetime
) -> list[ShipmentEvent]:
    """Append ``drafts`` in ``uow``'s transaction, skipping any whose dedup key is already there."""
    # Recorders of one letter take turns: the dedup check below and the status projection then see
    # every event recorded before, even when the caller read ``shipment`` without a lock.
    state = await uow.shipments.lock_state(shipment.id)
    status, channel = state if state is not None else (shipment.status, shipment.channel)
    before = status
    subscriptions = await uow.events.subscriptions(shipment.sender_id)
    recorded: list[ShipmentEvent] = []
    ws = WriteSet()
    for draft in drafts:
        if draft.dedup_key and await uow.events.exists(shipment.id, draft.dedup_key):
            continue
        event = realise(shipment, draft, now)
        event_rows(event, subscriptions, ws, dialect=shipment.dialect)
        recorded.append(event)
        status = next_status(status, draft.type) or status
        if draft.type is EventType.ROUTED and draft.channel is not None:
            channel = draft.channel
    if recorded:
        await uow.apply(ws)
        await uow.shipments.set_state(shipment.id, status=status, channel=channel, now=now)
        if shipment.batch_id is not None and status is not before:
            await letter_moved(uow, shipment, now=now)  # its batch's state may follow
    return recorded


async def record_events_for(runtime: Runtime, shipment_id: uuid.UUID, drafts: list[EventDraft]) -> None:
    """``record_events`` in a transaction of its own, on the letter with this id (gone: nothing)."""
    if not drafts:
        return
    async with runtime.unit_of_work() as uow:
        shipment = await uow.shipments.get(shipment_id, for_update=True)
        if shipment is not None:
            await record_events(uow, shipment, drafts, now=runtime.clock.now())
