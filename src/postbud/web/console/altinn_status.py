"""Altinn's status name for each event of a correspondence's timeline, so an operator reads it as an
Altinn client sees it in the status history (reference §5). The web may not import the dialect: these
are the API's own words, the same as ``dialects/altinn/statuses.py`` gives its clients."""

from __future__ import annotations

import uuid
from typing import Final

from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.shipments import Shipment

ALTINN_DIALECT: Final = "altinn"
_NAMES: Final = {
    EventType.CREATED: "Initialized → ReadyForPublish",
    EventType.DELIVERED: "Published",
    EventType.FETCHED: "Fetched",
    EventType.OPENED: "Read",
    EventType.CONFIRMED: "Confirmed",
    EventType.DELIVERY_FAILED: "Failed",
    EventType.NOT_DELIVERED: "Failed",
    EventType.REJECTED: "Failed",
    EventType.ATTACHMENT_DOWNLOADED: "AttachmentsDownloaded",
    EventType.NEVER_READ: "correspondencereceiverneverread",
    EventType.NEVER_CONFIRMED: "correspondencereceiverneverconfirmed",
    EventType.NOTIFICATION_SENT: "correspondencenotificationdelivered",
    EventType.NOTIFICATION_FAILED: "correspondencenotificationfailed",
    EventType.NOTIFICATION_ORDERED: "notificationcreated",
    EventType.NOTIFICATION_ORDER_FAILED: "correspondencenotificationcreationfailed",
}


def altinn_statuses(shipment: Shipment, events: list[ShipmentEvent]) -> dict[uuid.UUID, str]:
    """Event id → Altinn's word for it; empty for a letter another dialect sent."""
    if shipment.dialect != ALTINN_DIALECT:
        return {}
    names: dict[uuid.UUID, str] = {}
    for event in events:
        if event.type is EventType.PURGED:
            names[event.id] = "PurgedByRecipient" if event.data.get("by") == "recipient" else "PurgedByAltinn"
        elif event.type is EventType.NOTIFICATION_SENT and "reminder" in event.data:
            names[event.id] = "correspondencenotificationreminderdelivered"
        elif event.type is EventType.NOTIFICATION_FAILED and event.data.get("outcome") == "missing_contact":
            names[event.id] = "Failed_RecipientNotIdentified"  # never ordered: no event of its own
        elif (name := _NAMES.get(event.type)) is not None:
            names[event.id] = name
    return names
