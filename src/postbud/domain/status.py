"""Deriving a shipment's current status from its events."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from postbud.domain.events import EventType, ShipmentEvent


class ShipmentStatus(StrEnum):
    DRAFT = "draft"
    """Being built in steps (an open Ekopost envelope): no channel, job, inbox or webhook sees it."""
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    ROUTED = "routed"
    DELIVERED = "delivered"
    IN_PRINT = "in_print"
    PRINTED = "printed"
    POSTED = "posted"
    OPENED = "opened"
    FAILED = "failed"
    NOT_DELIVERED = "not_delivered"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    PURGED = "purged"
    """Deleted by its sender or recipient: nothing moves it any more."""


TERMINAL = frozenset(
    {
        ShipmentStatus.FAILED,
        ShipmentStatus.NOT_DELIVERED,
        ShipmentStatus.CANCELLED,
        ShipmentStatus.EXPIRED,
        ShipmentStatus.PURGED,
    }
)

_STATUS_OF: dict[EventType, ShipmentStatus] = {
    EventType.DRAFTED: ShipmentStatus.DRAFT,
    EventType.CREATED: ShipmentStatus.ACCEPTED,
    EventType.HELD: ShipmentStatus.SCHEDULED,
    EventType.ROUTED: ShipmentStatus.ROUTED,
    EventType.DELIVERED: ShipmentStatus.DELIVERED,
    EventType.SENT_TO_PRINT: ShipmentStatus.IN_PRINT,
    EventType.PRINTED: ShipmentStatus.PRINTED,
    EventType.POSTED: ShipmentStatus.POSTED,
    EventType.OPENED: ShipmentStatus.OPENED,
    EventType.PRINT_FAILED: ShipmentStatus.FAILED,
    EventType.DELIVERY_FAILED: ShipmentStatus.FAILED,
    EventType.NOT_DELIVERED: ShipmentStatus.NOT_DELIVERED,
    EventType.CANCELLED: ShipmentStatus.CANCELLED,
    EventType.EXPIRED: ShipmentStatus.EXPIRED,
    EventType.PURGED: ShipmentStatus.PURGED,
}


def next_status(current: ShipmentStatus | None, event: EventType) -> ShipmentStatus | None:
    """The status after ``event``; events that say nothing about progress keep the current one.

    A terminal status stays, except that a failed print can still be retried into print, and an
    opened letter is never "un-opened" by a late delivery or print receipt. Purging ends any
    letter, terminal or not, and a purged letter stays purged whatever comes after.
    """
    new = _STATUS_OF.get(event)
    if new is None or current is ShipmentStatus.PURGED:
        return current
    if new is ShipmentStatus.PURGED:  # ends any letter, a failed or cancelled one too
        return new
    if current in TERMINAL and new is not ShipmentStatus.IN_PRINT:
        return current
    if current is ShipmentStatus.OPENED and new in {
        ShipmentStatus.DELIVERED,
        ShipmentStatus.ROUTED,
        ShipmentStatus.PRINTED,
        ShipmentStatus.POSTED,
    }:
        return current
    return new


def derive_status(events: Iterable[ShipmentEvent | EventType]) -> ShipmentStatus | None:
    status: ShipmentStatus | None = None
    for event in events:
        status = next_status(status, event if isinstance(event, EventType) else event.type)
    return status
