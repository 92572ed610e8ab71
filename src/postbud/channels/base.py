"""The one interface every channel implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from postbud.domain.channels import Channel
from postbud.domain.event_drafts import EventDraft
from postbud.domain.parties import Recipient
from postbud.domain.shipments import Shipment


@dataclass(frozen=True, slots=True)
class DeliveryFailed(Exception):
    """A delivery attempt failed in a way worth retrying (the job retries with backoff)."""

    reason: str


class ChannelAdapter(Protocol):
    channel: Channel
    inline: bool
    """True when delivering is only bookkeeping (Postbud's own inboxes) and may run in the request."""

    async def deliver(self, shipment: Shipment, recipient: Recipient | None) -> list[EventDraft]:
        """Carry the letter; return the events that happened. Must be idempotent."""
        ...
