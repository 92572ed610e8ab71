"""Use cases for batches: open one, complete (close) it, releasing its letters at its output date
by a job, cancel it. Its state then follows its letters (``batch_state.py``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from postbud.domain.batches import Batch, BatchEvent, BatchState, BatchStatus
from postbud.domain.errors import Conflict, ConflictCode, NotFound, RuleCode, ValidationFailed
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.ids import new_id
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.batch_state import move_batch
from postbud.services.letters.record_event import record_events
from postbud.services.print_line.house import batch_print_house
from postbud.services.print_line.limits import check_sender_limits
from postbud.services.print_line.release import CHUNK, Released, release_chunk
from postbud.services.runtime import Runtime
from postbud.storage import job_kinds
from postbud.storage.errors import DuplicateKey
from postbud.storage.unit_of_work import SqlUnitOfWork


def release_key(batch_id: uuid.UUID) -> str:
    return f"batch-release:{batch_id}"


async def open_batch(
    runtime: Runtime,
    *,
    sender_id: uuid.UUID,
    dialect: str,
    external_id: str,
    name: str | None = None,
    data: dict[str, Any] | None = None,
    output_at: datetime | None = None,
) -> Batch:
    """A new open batch; ``output_at``: its letters are not released before then, even when closed."""
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
        output_at=output_at,
        state=BatchState.OPENED,
        state_changed_at=now,
    )
    duplicate = Conflict("batch.id", f"batch {external_id} already exists", ConflictCode.DUPLICATE)
    try:
        async with runtime.unit_of_work() as uow:
            if await uow.batches.by_external_id(sender_id, dialect, external_id):
                raise duplicate
            await uow.batches.add(batch)
            opened = BatchEvent(new_id(), batch.id, sender_id, BatchState.OPENED, now)
            await uow.batches.record_event(opened, await uow.events.subscriptions(sender_id))
    except DuplicateKey:
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


async def batches_of(
    runtime: Runtime,
    sender_id: uuid.UUID,
    dialect: str,
    *,
    since: datetime,
    until: datetime,
    name: str | None = None,
) -> list[Batch]:
    """A sender's batches created in [since, until), newest first (Ekopost's "get campaigns")."""
    if until <= since:
        raise ValidationFailed.of("until", "must be after since", RuleCode.BEFORE_OTHER)
    async with runtime.reader() as uow:
        return await uow.batches.for_sender(sender_id, dialect, since=since, until=until, name=name)


async def complete_batch(runtime: Runtime, batch_id: uuid.UUID) -> Batch:
    """Close the batch and queue its release, the ``batch.release`` job, at its output date or now.

    The close answers at once whatever the batch's size: the job releases the letters, a chunk per
    transaction (``release_batch``). Until its first chunk commits, the close can still be cancelled.
    """
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        batch = await _close(uow, batch_id, BatchStatus.COMPLETED, now=now)
        counts = await uow.batches.counts_by_status(batch.id)
        if counts.get(ShipmentStatus.DRAFT):
            # Released, a draft would stay behind for good: its sender must close or cancel it first.
            raise Conflict("batch", "letters of the batch are still drafts", ConflictCode.NOT_YET)
        await check_sender_limits(uow, batch.sender_id, now=now, zone=runtime.settings.regional().time_zone)
        output = {"output_at": batch.output_at.isoformat()} if batch.output_at else {}
        await move_batch(uow, batch, BatchState.CLOSED, now=now, data=output)
        await uow.jobs.enqueue(
            job_kinds.BATCH_RELEASE,
            {"batch_id": str(batch.id)},
            now=now,
            run_at=max(batch.output_at, now) if batch.output_at is not None else now,
            idempotency_key=release_key(batch.id),
        )
    runtime.jobs_available()
    return await _reload(runtime, batch_id)


async def release_batch(batch_id: uuid.UUID, runtime: Runtime, *, chunk: int = CHUNK) -> None:
    """The ``batch.release`` job at a closed batch's output date: its held letters released a chunk
    per transaction, each recording on the job's own row how far the release has come, so a release
    stopped midway (a crash, a kill) goes on after the last chunk that committed. Idempotent; a
    cancelled batch stays held (a cancel and a chunk both lock the batch's row first)."""
    batch_print = batch_print_house(runtime) is not None
    key = release_key(batch_id)
    while True:
        now = runtime.clock.now()
        async with runtime.unit_of_work() as uow:
            batch = await uow.batches.get(batch_id, for_update=True)
            if batch is None or batch.status is not BatchStatus.COMPLETED:
                return
            stored = await uow.waiting_jobs.payload(key)
            if stored is None:
                return  # no release job: closed by an older Postbud, which released at the close
            so_far = Released.from_json(stored.get("released") or {})
            if so_far.finished:
                return
            released = await release_chunk(uow, batch, so_far, now=now, batch_print=batch_print, chunk=chunk)
            await uow.waiting_jobs.set_payload(key, {**stored, "released": released.to_json()}, now=now)
        runtime.jobs_available()
        if released.finished:
            return


def _release_started(stored: dict[str, Any] | None) -> bool:
    """Whether a chunk of the batch's release has committed (no release job: it was released by
    a close before closes queued their release)."""
    return stored is None or "released" in stored


async def letters_by_status(runtime: Runtime, batch_id: uuid.UUID) -> dict[ShipmentStatus, int]:
    """How many of the batch's letters are in each status (one count, whatever the batch's size)."""
    async with runtime.reader() as uow:
        return await uow.batches.counts_by_status(batch_id)


async def cancel_batch(runtime: Runtime, batch_id: uuid.UUID, *, even_if_closed: bool = False) -> Batch:
    """Cancel the batch and every letter in it that has not been released.

    An open batch, always. ``even_if_closed``: also a closed one whose release has not begun (its
    output date has not come, or its release job has not committed a chunk yet: Ekopost cancels a
    closed campaign until it is transferred); once a chunk is released, WRONG_STATE.
    """
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        batch = await uow.batches.get(batch_id, for_update=True)
        if batch is None:
            raise NotFound("batch", batch_id)
        if even_if_closed and batch.status is BatchStatus.COMPLETED and batch.state is BatchState.CLOSED:
            reason = "its batch was cancelled"
            key = release_key(batch.id)
            if _release_started(await uow.waiting_jobs.payload(key)):
                raise Conflict("batch", "its letters are released already", ConflictCode.WRONG_STATE)
            # Not yet begun: called off; or running with no chunk committed, and it will find the
            # batch cancelled (a chunk takes the batch's lock first, as this does).
            await uow.waiting_jobs.call_off([key], reason=reason, now=now)
        else:
            batch.require_open()
        await uow.batches.set_status(batch.id, BatchStatus.CANCELLED, now=now)
        for shipment in await uow.shipments.in_batch(batch.id):
            draft = EventDraft(EventType.CANCELLED, None, {"reason": "batch cancelled"}, "cancelled")
            await record_events(uow, shipment, [draft], now=now)
        await move_batch(uow, batch, BatchState.CANCELLED, now=now)
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
