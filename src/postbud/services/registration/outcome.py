"""How a letter waiting for registration ends: in the new mailbox, on paper, or not delivered.

When a person gets a digital mailbox (``release_waiting_letters``, in the same transaction as
the recipient change) every letter waiting for them whose deadline has not passed gets a
``shipment.registered`` job, which routes it to the mailbox (REGISTERED, then the delivery).
The ``shipment.registration_deadline`` job, due at the deadline, does the same for a letter whose
registration job has not run yet; otherwise the letter expires (REGISTRATION_EXPIRED) and goes
to print by its print instructions, or is not delivered. Both jobs lock the letter and act only
while it still waits, so whichever runs second does nothing. A letter whose batch is still open
or whose publish time is still ahead is held for it once its channel is chosen.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from postbud.channels.notify import wants_notice
from postbud.domain.batches import BatchStatus
from postbud.domain.channels import Channel
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.parties import Recipient
from postbud.domain.routing import RoutingRequest, decide_route
from postbud.domain.shipments import Shipment
from postbud.services.letters.record_event import record_events
from postbud.services.registration.at_send import awaits_registration, recipient_of
from postbud.services.runtime import Runtime
from postbud.storage import job_kinds
from postbud.storage.unit_of_work import SqlUnitOfWork


def registered_key(shipment_id: uuid.UUID) -> str:
    return f"registered:{shipment_id}"


async def release_waiting_letters(uow: SqlUnitOfWork, recipient: Recipient, *, now: datetime) -> int:
    """``recipient`` just got a digital mailbox: queue delivery of the letters waiting for it."""
    registrations = uow.registrations
    waiting = await registrations.waiting_for(str(recipient.party_id))
    queued = await registrations.existing_job_keys(registered_key(i) for i in waiting)
    released = 0
    for shipment_id in waiting:
        shipment = await uow.shipments.get(shipment_id)
        if shipment is None or shipment.registration is None or registered_key(shipment_id) in queued:
            continue
        if now > shipment.registration.deadline:
            continue  # too late: the deadline job decides
        payload = {"shipment_id": str(shipment_id)}
        await uow.jobs.enqueue(
            job_kinds.REGISTERED, payload, now=now, idempotency_key=registered_key(shipment_id)
        )
        released += 1
    return released


async def deliver_registered(shipment_id: uuid.UUID, runtime: Runtime) -> None:
    async with runtime.unit_of_work() as uow:
        shipment = await uow.shipments.get(shipment_id, for_update=True)
        if shipment is None or not awaits_registration(shipment):
            return
        await _to_mailbox(uow, runtime, shipment)
    runtime.jobs_available()


async def registration_deadline(shipment_id: uuid.UUID, runtime: Runtime) -> None:
    async with runtime.unit_of_work() as uow:
        shipment = await uow.shipments.get(shipment_id, for_update=True)
        if shipment is None or not awaits_registration(shipment):
            return
        registrations = uow.registrations
        registered_in_time = bool(await registrations.existing_job_keys([registered_key(shipment.id)]))
        if not (registered_in_time and await _to_mailbox(uow, runtime, shipment)):
            await _expire(uow, runtime, shipment)
    runtime.jobs_available()


async def _to_mailbox(uow: SqlUnitOfWork, runtime: Runtime, shipment: Shipment) -> bool:
    """Route the letter to the person's new mailbox; False if they cannot take it after all."""
    recipient = await recipient_of(uow.recipients, shipment)
    routing = RoutingRequest((Channel.DIGITAL_MAILBOX,), ignore_reservation=shipment.ignore_reservation)
    channel = decide_route(routing, recipient).channel
    if channel is None or recipient is None:
        return False
    now = runtime.clock.now()
    if shipment.recipient_id != recipient.id:
        await uow.registrations.attach_recipient(shipment.id, recipient.id, now=now)
        shipment = replace(shipment, recipient_id=recipient.id)
    reason = "the recipient got a digital mailbox before the registration deadline"
    drafts = [
        EventDraft(EventType.ROUTED, channel, {"channel": channel, "reason": reason}, "routed"),
        EventDraft(EventType.REGISTERED, channel, {"recipient_id": str(recipient.id)}, "registered"),
    ]
    drafts += await _carry(uow, runtime, shipment, channel, recipient, now)
    await record_events(uow, shipment, drafts, now=now)
    return True


async def _expire(uow: SqlUnitOfWork, runtime: Runtime, shipment: Shipment) -> None:
    assert shipment.registration is not None
    now = runtime.clock.now()
    fallback = Channel.PRINT if shipment.print_instructions is not None else None
    expired = {"deadline": shipment.registration.deadline.isoformat(), "fallback_channel": fallback}
    drafts = [EventDraft(EventType.REGISTRATION_EXPIRED, None, expired, "registration_expired")]
    if fallback is None:
        reason = (
            "the recipient did not get a digital mailbox before the deadline, and there is no print fallback"
        )
        drafts.append(EventDraft(EventType.NOT_DELIVERED, None, {"reason": reason}, "not_delivered"))
    else:
        reason = "the recipient did not get a digital mailbox before the deadline: printed instead"
        drafts.append(
            EventDraft(EventType.ROUTED, fallback, {"channel": fallback, "reason": reason}, "routed")
        )
        drafts += await _carry(uow, runtime, shipment, fallback, None, now)
    await record_events(uow, shipment, drafts, now=now)


async def _carry(
    uow: SqlUnitOfWork,
    runtime: Runtime,
    shipment: Shipment,
    channel: Channel,
    recipient: Recipient | None,
    now: datetime,
) -> list[EventDraft]:
    """Once the channel is chosen: hold for the batch or publish time, deliver inline, or queue."""
    payload = {"shipment_id": str(shipment.id)}
    waiting = await _waiting_for(uow, shipment, now)
    if waiting is not None:
        publish = f"publish:{shipment.id}"  # complete_batch may have queued it already
        registrations = uow.registrations
        if waiting != _BATCH and not await registrations.existing_job_keys([publish]):
            await uow.jobs.enqueue(
                job_kinds.PUBLISH, payload, now=now, run_at=shipment.publish_at, idempotency_key=publish
            )
        return [EventDraft(EventType.HELD, channel, {"reason": waiting}, "held:registered")]
    adapter = runtime.channel(channel)
    if not adapter.inline:
        await uow.jobs.enqueue(job_kinds.DELIVER, payload, now=now, idempotency_key=f"deliver:{shipment.id}")
        return []
    drafts = await adapter.deliver(replace(shipment, channel=channel), recipient)
    if wants_notice(shipment):
        await uow.jobs.enqueue(job_kinds.NOTIFY, payload, now=now, idempotency_key=f"notify:{shipment.id}")
    return drafts


_BATCH = "waiting for its batch"


async def _waiting_for(uow: SqlUnitOfWork, shipment: Shipment, now: datetime) -> str | None:
    if shipment.batch_id is not None:
        batch = await uow.batches.get(shipment.batch_id)
        if batch is not None and batch.status is BatchStatus.OPEN:
            return _BATCH
    if shipment.publish_at is not None and shipment.publish_at > now:
        return "waiting for its publish time"
    return None
