"""Building events for a shipment: the one place that turns "this happened" into stored rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from postbud.domain.channels import Channel
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.ids import new_id
from postbud.domain.shipments import Shipment


@dataclass(frozen=True, slots=True)
class EventDraft:
    """An event a channel or use case wants recorded; the recorder adds ids and time."""

    type: EventType
    channel: Channel | None = None
    data: dict[str, Any] = field(default_factory=dict)
    dedup_key: str | None = None


def realise(shipment: Shipment, draft: EventDraft, now: datetime) -> ShipmentEvent:
    return ShipmentEvent(
        id=new_id(),
        shipment_id=shipment.id,
        sender_id=shipment.sender_id,
        type=draft.type,
        at=now,
        channel=draft.channel,
        data=draft.data,
        dedup_key=draft.dedup_key,
    )
