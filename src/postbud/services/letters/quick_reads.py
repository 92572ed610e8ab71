"""A dialect's per-request look-ups of one batch and one of its letters, run inline on SQLite.

The Ekopost dialect reads its campaign and envelope on every request (three or four an envelope).
Through ``runtime.reader()`` each read is a unit of work on a pooled connection in a worker thread;
these take ``runtime.quick_reader()`` instead, which on a SQLite file runs the same indexed
repository reads on the event loop. The answers are the same as find_batch's and get_shipment's.
"""

from __future__ import annotations

import uuid

from postbud.domain.batches import Batch
from postbud.domain.errors import NotFound
from postbud.services.letters.query import ShipmentDetails
from postbud.services.runtime import Runtime


async def find_batch_quickly(runtime: Runtime, sender_id: uuid.UUID, dialect: str, external_id: str) -> Batch:
    """The sender's batch of this dialect with this external id; NotFound for anyone else's."""
    async with runtime.quick_reader() as uow:
        batch = await uow.batches.by_external_id(sender_id, dialect, external_id)
    if batch is None:
        raise NotFound("batch", external_id)
    return batch


async def get_shipment_quickly(
    runtime: Runtime, shipment_id: uuid.UUID, *, sender_id: uuid.UUID
) -> ShipmentDetails:
    """The sender's shipment and its events, oldest first; NotFound for another sender's."""
    async with runtime.quick_reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        if shipment is None or shipment.sender_id != sender_id:
            raise NotFound("shipment", shipment_id)
        events = await uow.events.for_shipment(shipment_id)
    return ShipmentDetails(shipment, events)
