"""Use cases run by jobs: deliver a routed letter, publish a held one, print an unread one."""

from __future__ import annotations

import uuid

from postbud.channels.base import DeliveryFailed
from postbud.channels.notify import wants_notice
from postbud.domain.channels import Channel
from postbud.domain.errors import NotFound
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.shipments import Shipment
from postbud.domain.status import TERMINAL, ShipmentStatus
from postbud.services.letters.record_event import record_events
from postbud.services.letters.reminders import schedule_reminders
from postbud.services.runtime import Runtime
from postbud.services.signing.start import carried_by_signing
from postbud.storage import job_kinds
from postbud.storage.unit_of_work import SqlUnitOfWork


async def _locked(uow: SqlUnitOfWork, shipment_id: uuid.UUID) -> Shipment:
    shipment = await uow.shipments.get(shipment_id, for_update=True)
    if shipment is None:
        raise NotFound("shipment", shipment_id)
    return shipment


async def deliver(shipment_id: uuid.UUID, runtime: Runtime) -> None:
    """Carry a routed letter by its channel. Idempotent: channels dedup their events."""
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        if shipment is None:
            raise NotFound("shipment", shipment_id)
        recipient = await uow.recipients.get(shipment.recipient_id) if shipment.recipient_id else None
    if shipment.channel is None or shipment.status in TERMINAL:
        return
    if shipment.channel is Channel.EMAIL and await carried_by_signing(shipment_id, runtime):
        return  # delivered with the signed document once every signer has signed
    adapter = runtime.channel(shipment.channel)
    drafts = await adapter.deliver(shipment, recipient)  # DeliveryFailed propagates: the job retries
    async with runtime.unit_of_work() as uow:
        await record_events(uow, await _locked(uow, shipment_id), drafts, now=runtime.clock.now())


async def give_up_delivery(shipment_id: uuid.UUID, runtime: Runtime, error: str) -> None:
    async with runtime.unit_of_work() as uow:
        shipment = await _locked(uow, shipment_id)
        draft = EventDraft(EventType.DELIVERY_FAILED, shipment.channel, {"reason": error}, "delivery_failed")
        await record_events(uow, shipment, [draft], now=runtime.clock.now())


async def publish(shipment_id: uuid.UUID, runtime: Runtime) -> None:
    """A held letter's time has come: deliver inline to an inbox, or queue the channel's work."""
    async with runtime.unit_of_work() as uow:
        shipment = await _locked(uow, shipment_id)
        if shipment.status is not ShipmentStatus.SCHEDULED or shipment.channel is None:
            return
        adapter = runtime.channel(shipment.channel)
        if adapter.inline:
            recipient = await uow.recipients.get(shipment.recipient_id) if shipment.recipient_id else None
            drafts = await adapter.deliver(shipment, recipient)
            recorded = await record_events(uow, shipment, drafts, now=runtime.clock.now())
            delivered = next((e for e in recorded if e.type is EventType.DELIVERED), None)
            if delivered is not None:
                await schedule_reminders(
                    uow, shipment, delivered.at, now=delivered.at, deployment=runtime.settings.regional()
                )
            if wants_notice(shipment):
                await uow.jobs.enqueue(
                    job_kinds.NOTIFY,
                    {"shipment_id": str(shipment.id)},
                    now=runtime.clock.now(),
                    idempotency_key=f"notify:{shipment.id}",
                )
        else:
            await uow.jobs.enqueue(
                job_kinds.DELIVER,
                {"shipment_id": str(shipment.id)},
                now=runtime.clock.now(),
                idempotency_key=f"deliver:{shipment.id}",
            )
    runtime.jobs_available()


async def print_if_unread(shipment_id: uuid.UUID, runtime: Runtime) -> None:
    """Digitally delivered but still unopened at the deadline: send it to print as well."""
    async with runtime.unit_of_work() as uow:
        shipment = await _locked(uow, shipment_id)
        if shipment.print_instructions is None or shipment.status is not ShipmentStatus.DELIVERED:
            return
        reason = "not opened before the print-if-unread deadline"
        drafts = [
            EventDraft(
                EventType.ROUTED, Channel.PRINT, {"channel": "print", "reason": reason}, "routed:print"
            )
        ]
        await record_events(uow, shipment, drafts, now=runtime.clock.now())
        await uow.jobs.enqueue(
            job_kinds.DELIVER,
            {"shipment_id": str(shipment.id)},
            now=runtime.clock.now(),
            idempotency_key=f"deliver-print:{shipment.id}",
        )
    runtime.jobs_available()


__all__ = ["DeliveryFailed", "deliver", "give_up_delivery", "print_if_unread", "publish"]
