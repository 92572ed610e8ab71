"""The JSON body a webhook receives for one event on a shipment."""

from __future__ import annotations

import json
import uuid
from typing import Any

from postbud.domain.errors import NotFound
from postbud.domain.events import ShipmentEvent
from postbud.domain.shipments import Shipment
from postbud.services.runtime import Runtime

TYPE_PREFIX = "shipment."


def payload(event: ShipmentEvent, shipment: Shipment) -> dict[str, Any]:
    return {
        "id": str(event.id),
        "type": TYPE_PREFIX + event.type.value,
        "created_at": event.at.isoformat(),
        "data": {
            "shipment_id": str(shipment.id),
            "sender_id": str(shipment.sender_id),
            "external_id": shipment.external_id,
            "dialect": shipment.dialect,
            "channel": shipment.channel.value if shipment.channel else None,
            "status": shipment.status.value,
            "recipient": shipment.recipient_party,
            "event": event.data,
        },
    }


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


async def event_body(runtime: Runtime, event_id: uuid.UUID) -> bytes:
    """The body for ``event_id``, with the shipment's status as it is now."""
    async with runtime.reader() as uow:
        event = await uow.events.get(event_id)
        if event is None:
            raise NotFound("event", event_id)
        shipment = await uow.shipments.get(event.shipment_id)
        if shipment is None:
            raise NotFound("shipment", event.shipment_id)
    return encode(payload(event, shipment))
