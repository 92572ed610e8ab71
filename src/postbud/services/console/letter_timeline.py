"""Use case: one letter as an operator investigates it — every event, the channel decision and why,
its queued work and reminders, the webhook deliveries its events caused, and whether it can be
printed again."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.shipments import Shipment
from postbud.services.letters.query import get_shipment
from postbud.services.letters.reminders import reminder_keys
from postbud.services.letters.reprint import print_failed, reprint_keys
from postbud.services.runtime import Runtime
from postbud.storage import job_kinds
from postbud.storage.repos.delivery_log import DeliveryFilter, LoggedDelivery
from postbud.storage.repos.jobs import READY, RUNNING
from postbud.storage.repos.shipment_jobs import LetterJob

MAX_DELIVERIES = 200


@dataclass(frozen=True, slots=True)
class RouteDecision:
    channel: str | None
    reason: str | None
    considered: list[str]
    """Why each channel before the chosen one was passed over."""


@dataclass(frozen=True, slots=True)
class LetterTimeline:
    shipment: Shipment
    sender_name: str | None
    events: list[ShipmentEvent]
    decisions: list[RouteDecision]
    """The first routing, then any later one (print-if-unread)."""
    jobs: list[LetterJob]
    reminders: list[LetterJob]
    """The notice sent again while the letter is unread (``services/letters/reminders.py``)."""
    deliveries: list[LoggedDelivery]
    can_print_again: bool


def _decision(event: ShipmentEvent) -> RouteDecision:
    data: dict[str, Any] = event.data
    considered = data.get("considered")
    return RouteDecision(
        channel=event.channel.value if event.channel else None,
        reason=str(data["reason"]) if data.get("reason") else None,
        considered=[str(c) for c in considered] if isinstance(considered, list) else [],
    )


async def letter_timeline(runtime: Runtime, shipment_id: uuid.UUID) -> LetterTimeline:
    details = await get_shipment(shipment_id, runtime)
    shipment, events = details.shipment, details.events
    async with runtime.reader() as uow:
        sender = await uow.senders.get(shipment.sender_id)
        repo = uow.shipment_jobs
        jobs = (await repo.for_letters([shipment_id], reprint_keys(shipment_id, events)))[shipment_id]
        reminders = list((await repo.by_keys(reminder_keys(shipment, events))).values())
        deliveries = await uow.delivery_log.deliveries(
            DeliveryFilter(shipment_id=shipment_id, limit=MAX_DELIVERIES)
        )
    decisions = [
        _decision(e) for e in details.events if e.type in (EventType.ROUTED, EventType.NOT_DELIVERED)
    ]
    printing = any(j.kind == job_kinds.REPRINT and j.status in (READY, RUNNING) for j in jobs)
    return LetterTimeline(
        shipment=shipment,
        sender_name=sender.name if sender else None,
        events=events,
        decisions=decisions,
        jobs=jobs,
        reminders=reminders,
        deliveries=deliveries,
        can_print_again=print_failed(shipment, events) and not printing,
    )
