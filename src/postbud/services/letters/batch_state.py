"""A batch's state follows its letters: each change is a batch event, fanned out to webhooks.

Whenever ``record_events`` changes the status of a letter in a batch, it asks for a
``batch.refresh`` job in that same transaction; the job derives the batch's state from all its
letters under the batch's lock. Asking by job keeps the lock order one way (a batch is never
locked by a transaction that holds one of its letters; cancelling a batch locks it, then its
letters) and lets many letters of one batch move without waiting for each other.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from postbud.domain.batches import Batch, BatchEvent, BatchState, derive_state, steps_to
from postbud.domain.ids import new_id
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.runtime import Runtime
from postbud.storage import job_kinds
from postbud.storage.repos.batches import LetterInBatch
from postbud.storage.unit_of_work import SqlUnitOfWork


async def letter_moved(uow: SqlUnitOfWork, shipment: Shipment, *, now: datetime) -> None:
    """In the transaction that changed ``shipment``'s status: have its batch's state derived again.

    One job per batch and transaction (its ``now`` is in the key): a transaction that moves many
    letters of one batch (cancelling it) asks once; each later transaction asks anew. (Two
    transactions with the very same microsecond would share one job; the next move asks again.)
    """
    if shipment.batch_id is not None:
        await uow.waiting_jobs.enqueue_once(
            job_kinds.BATCH_REFRESH,
            {"batch_id": str(shipment.batch_id)},
            key=f"batch-refresh:{shipment.batch_id}:{now.isoformat()}",
            now=now,
        )


async def move_batch(
    uow: SqlUnitOfWork, batch: Batch, target: BatchState, *, now: datetime, data: dict[str, Any] | None = None
) -> list[BatchEvent]:
    """Record the batch's way from its state to ``target`` (each step once) and keep the state."""
    steps = steps_to(batch.state, target)
    if not steps:
        return []
    subscriptions = await uow.events.subscriptions(batch.sender_id)
    recorded: list[BatchEvent] = []
    for state in steps:
        event = BatchEvent(new_id(), batch.id, batch.sender_id, state, now, dict(data or {}))
        if await uow.batches.record_event(event, subscriptions):
            recorded.append(event)
    await uow.batches.set_state(batch.id, target, now=now)
    return recorded


async def refresh_batch_state(batch_id: uuid.UUID, runtime: Runtime) -> BatchState | None:
    """The ``batch.refresh`` job: derive the state from the letters; idempotent."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        batch = await uow.batches.get(batch_id, for_update=True)
        if batch is None:
            return None
        counts = await uow.batches.counts_by_status(batch_id)
        target = derive_state(batch.state, counts)
        data = {"letters": sum(counts.values()), "statuses": {str(k): v for k, v in sorted(counts.items())}}
        recorded = await move_batch(uow, batch, target, now=now, data=data)
    if recorded:
        runtime.jobs_available()
    return target


@dataclass(frozen=True, slots=True)
class BatchOverview:
    """A batch with its letters as it reports them (an Ekopost campaign and its envelopes)."""

    batch: Batch
    letters: list[LetterInBatch]

    @property
    def letter_count(self) -> int:
        return len(self.letters)


@dataclass(frozen=True, slots=True)
class BatchEventView:
    """What a webhook tells of a batch event: the event, its batch now, and every letter's status."""

    event: BatchEvent
    overview: BatchOverview


async def batch_overview(runtime: Runtime, batch_id: uuid.UUID) -> BatchOverview | None:
    async with runtime.reader() as uow:
        batch = await uow.batches.get(batch_id)
        if batch is None:
            return None
        return BatchOverview(batch, await uow.batches.letters(batch_id))


async def letters_in_batch(
    runtime: Runtime,
    batch_id: uuid.UUID,
    *,
    statuses: Collection[ShipmentStatus] | None = None,
    after: tuple[datetime, uuid.UUID] | None = None,
    limit: int | None = None,
) -> list[LetterInBatch]:
    """One page of the batch's letters (id, external id, status, channel, times), oldest first;
    ``after``: the ``cursor`` of the last letter of the page before; ``statuses``: only those
    (Ekopost's failed envelopes of a campaign)."""
    async with runtime.reader() as uow:
        return await uow.batches.letters(batch_id, statuses=statuses, after=after, limit=limit)


async def batch_event_view(runtime: Runtime, event_id: uuid.UUID) -> BatchEventView | None:
    """The batch event a webhook delivery points at (its ``event_id``); None if it is not one."""
    async with runtime.reader() as uow:
        event = await uow.batches.event(event_id)
        if event is None:
            return None
        batch = await uow.batches.get(event.batch_id)
        if batch is None:
            return None
        return BatchEventView(event, BatchOverview(batch, await uow.batches.letters(batch.id)))
