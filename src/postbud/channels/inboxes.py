"""Postbud's own inboxes: the recipient's digital mailbox and the business inbox.

Postbud is the mailbox here, so delivering means the letter becomes visible: an event. A digital
mailbox letter goes to the provider the sender prefers among those the recipient has (Postbud's own
inbox, or a Kivra-style one, which the sandbox holds too); the event names it. In the sandbox, an
injected fault makes the mailbox unavailable instead (DELIVERY_FAILED).
"""

from __future__ import annotations

from typing import Any

from postbud.channels.faults import FaultInjector
from postbud.channels.letter_options import options_of
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
        delivered: dict[str, Any] = {"inbox": self.channel.value}
        if self.channel is Channel.DIGITAL_MAILBOX and recipient is not None:
            provider = recipient.capabilities.first_mailbox(options_of(shipment).mailbox_providers)
            # Routing chose the provider; a mailbox closed since then still gets the letter, as before.
            if provider is not None:
                delivered["provider"] = provider.value
        return [EventDraft(EventType.DELIVERED, self.channel, delivered, "delivered")]


class UnavailableChannel:
    """A channel Postbud routes to but cannot carry in this deployment: fails with a clear reason."""

    inline = False

    def __init__(self, channel: Channel, reason: str) -> None:
        self.channel = channel
        self.reason = reason

    async def deliver(self, shipment: Shipment, recipient: Recipient | None) -> list[EventDraft]:
        data = {"reason": self.reason}
        return [EventDraft(EventType.DELIVERY_FAILED, self.channel, data, "delivery_failed")]
