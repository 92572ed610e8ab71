"""Postbud's own inboxes: the recipient's digital mailbox and an organisation's business inbox.

Postbud is the mailbox here, so delivering means the letter becomes visible: an event.
"""

from __future__ import annotations

from postbud.domain.channels import Channel
from postbud.domain.events import EventType
from postbud.domain.parties import Recipient
from postbud.domain.shipments import Shipment
from postbud.services.drafts import EventDraft


class InboxChannel:
    inline = True

    def __init__(self, channel: Channel) -> None:
        self.channel = channel

    async def deliver(self, shipment: Shipment, recipient: Recipient | None) -> list[EventDraft]:
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
