"""Use cases for batches: open one, complete it (releasing its letters), cancel it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from postbud.domain.batches import Batch, BatchStatus
from postbud.domain.errors import Conflict, NotFound
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.ids import new_id
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime
from postbud.storage import job_kinds
from postbud.storage.unit_of_work import SqlUnitOfWork


async def open_batch(
    runtime: Runtime,
    *,
    sender_id: uuid.UUID,
    dialect: str,
    external_id: str,
    name: str | None = None,
    data: dict[str, Any] | None = None,
) -> Batch:
    now = runtime.clock.now()
    batch = Batch(
        id=new_id(),
        sender_id=sender_id,
        dialect=dialect,
        external_id=external_id,
        status=BatchStatus.OPEN,
        created_at=now,
        updated_at=now,
        name=name,
        data=data or {},
    )
    duplicate = Conflict("batch.id", f"batch {external_id} already exists")
    try:
        async with runtime.unit_of_work() as uow:
            if await uow.batches.by_external_id(sender_id, dialect, external_id):
                raise duplicate
            await uow.batches.add(batch)
    except IntegrityError:
        # A concurrent create of the same id passed the check too; the unique key refused this one.
        async with runtime.reader() as uow:
            if await uow.batches.by_external_id(sender_id, dialect, external_id):
                raise duplicate from None
        raise
    return batch


async def find_batch(runtime: Runtime, sender_id: uuid.UUID, dialect: str, external_id: str) -> Batch:
    async with runtime.reader() as uow:
        batch = await uow.batches.by_external_id(sender_id, dialect, external_id)
    if batch is None:
        raise NotFound("batch", external_id)
    return batch


async def complete_batch(runtime: Runtime, batch_id: uuid.UUID) -> Batch:
    """Close the batch and release every held letter in it (publish jobs at their own time)."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        batch = await _close(uow, batch_id, BatchStatus.COMPLETED, now=now)
        for shipment in await uow.shipments.in_batch(batch.id):
            if shipment.status is not ShipmentStatus.SCHEDULED:
                continue
            run_at = shipment.publish_at if shipment.publish_at and shipment.publish_at > now else now
            await uow.jobs.enqueue(
                job_kinds.PUBLISH,
                {"shipment_id": str(shipment.id)},
                now=now,
                run_at=run_at,
                idempotency_key=f"publish:{shipment.id}",
            )
    runtime.jobs_available()
    return await _reload(runtime, batch_id)


async def cancel_batch(runtime: Runtime, batch_id: uuid.UUID) -> Batch:
    """Cancel the batch and every letter in it that has not been released."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        batch = await _close(uow, batch_id, BatchStatus.CANCELLED, now=now)
        for shipment in await uow.shipments.in_batch(batch.id):
            draft = EventDraft(EventType.CANCELLED, None, {"reason": "batch cancelled"}, "cancelled")
            await record_events(uow, shipment, [draft], now=now)
    return await _reload(runtime, batch_id)


async def _close(uow: SqlUnitOfWork, batch_id: uuid.UUID, status: BatchStatus, *, now: datetime) -> Batch:
    """Move an open batch to ``status``, holding its row lock for the rest of the transaction."""
    batch = await uow.batches.get(batch_id, for_update=True)
    if batch is None:
        raise NotFound("batch", batch_id)
    batch.require_open()
    await uow.batches.set_status(batch.id, status, now=now)
    return batch


async def _reload(runtime: Runtime, batch_id: uuid.UUID) -> Batch:
    async with runtime.reader() as uow:
        batch = await uow.batches.get(batch_id)
    assert batch is not None
    return batch
