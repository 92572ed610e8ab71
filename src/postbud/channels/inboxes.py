"""Postbud's own inboxes: the recipient's digital mailbox and an organisation's business inbox.

Postbud is the mailbox here, so delivering means the letter becomes visible: an event. In the
sandbox, an injected fault makes the mailbox unavailable instead (DELIVERY_FAILED).
"""

from __future__ import annotations

from postbud.channels.faults import FaultInjector
from postbud.domain.channels import Channel
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.parties import Recipient
from postbud.domain.shipments import Shipment


class InboxChannel:
    inline = True

    def __init__(self, channel: Channel, faults: FaultInjector | None = None) -> None:
        self.channel = channel
        self.faults = faults if faults is not None else FaultInjector()

    async def deliver(self, shipment: Shipment, recipient: Recipient | None) -> list[EventDraft]:
        if error := self.faults.should_fail(self.channel):
            data = {"reason": error, "injected": True}
            return [EventDraft(EventType.DELIVERY_FAILED, self.channel, data, "delivery_failed")]
        return [EventDraft(EventType.DELIVERED, self.channel, {"inbox": self.channel.value}, "delivered")]


class UnavailableChannel:
    """A channel Postbud routes to but cannot carry in this deployment: fails with a clear reason."""

    inline = False

    def __init__(self, channel: Channel, reason: str) -> None:
        self.channel = channel
        self.reason = reason

    async def deliver(self, shipment: Shipment, recipient: Recipient | None) -> list[EventDraft]:
        data = {"reason": self.reason}
        return [EventDraft(EventType.DELIVERY_FAILED, self.channel, data, "delivery_failed")]
