"""Use case: one letter as an operator investigates it — every event, the channel decision and why,
its queued work, and the webhook deliveries its events caused."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.shipments import Shipment
from postbud.services.runtime import Runtime
from postbud.services.shipments_query import get_shipment
from postbud.storage.repos.delivery_log import DeliveryFilter, DeliveryLogRepository, LoggedDelivery
from postbud.storage.repos.shipment_jobs import LetterJob, ShipmentJobRepository

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
    deliveries: list[LoggedDelivery]


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
    async with runtime.reader() as uow:
        sender = await uow.senders.get(details.shipment.sender_id)
        jobs = (await ShipmentJobRepository(uow.conn).for_letters([shipment_id]))[shipment_id]
        deliveries = await DeliveryLogRepository(uow.conn).deliveries(
            DeliveryFilter(shipment_id=shipment_id, limit=MAX_DELIVERIES)
        )
    decisions = [
        _decision(e) for e in details.events if e.type in (EventType.ROUTED, EventType.NOT_DELIVERED)
    ]
    return LetterTimeline(
        shipment=details.shipment,
        sender_name=sender.name if sender else None,
        events=details.events,
        decisions=decisions,
        jobs=jobs,
        deliveries=deliveries,
    )
