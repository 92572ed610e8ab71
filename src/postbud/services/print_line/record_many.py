"""Recording events on many letters in one transaction: what ``record_events`` does for one letter
(once each by dedup key, the status projection, webhooks, the batch's state), with a handful of
statements for all of them instead of several per letter."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from postbud.domain.event_drafts import EventDraft, realise
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus, next_status
from postbud.services.letters.batch_state import letter_moved
from postbud.storage.repos.events import Subscription, event_rows
from postbud.storage.unit_of_work import SqlUnitOfWork
from postbud.storage.writeset import WriteSet


async def record_for_many(
    uow: SqlUnitOfWork,
    letters: Sequence[tuple[Shipment, list[EventDraft]]],
    *,
    now: datetime,
    only_if: ShipmentStatus,
) -> set[uuid.UUID]:
    """Append each letter's drafts, only to the letters whose status (locked) is ``only_if``;
    the ids of the letters that got them."""
    ids = [shipment.id for shipment, _ in letters]
    states = await uow.print_line.lock_states(ids)
    keys = {d.dedup_key for _, drafts in letters for d in drafts if d.dedup_key}
    done = await uow.print_line.recorded_keys(ids, keys)
    subscriptions: dict[uuid.UUID, list[Subscription]] = {}
    ws = WriteSet()
    changes: list[tuple[uuid.UUID, ShipmentStatus]] = []
    recorded: set[uuid.UUID] = set()
    moved: dict[uuid.UUID, Shipment] = {}
    for shipment, drafts in letters:
        state = states.get(shipment.id)
        if state is None or state[0] is not only_if:
            continue
        if shipment.sender_id not in subscriptions:
            subscriptions[shipment.sender_id] = await uow.events.subscriptions(shipment.sender_id)
        status = before = state[0]
        for draft in drafts:
            if draft.dedup_key and (shipment.id, draft.dedup_key) in done:
                continue
            event = realise(shipment, draft, now)
            event_rows(event, subscriptions[shipment.sender_id], ws, dialect=shipment.dialect)
            status = next_status(status, draft.type) or status
            recorded.add(shipment.id)
        if status is not before:
            changes.append((shipment.id, status))
            if shipment.batch_id is not None:
                moved.setdefault(shipment.batch_id, shipment)
    if ws:
        await uow.apply(ws)
    await uow.print_line.set_statuses(changes, now=now)
    for shipment in moved.values():
        await letter_moved(uow, shipment, now=now)  # once per batch: its state is derived again
    return recorded
