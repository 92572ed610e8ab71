"""Which events go into a sender's event feed: the outcomes a sender polls for.

A sender that polls for what happened to its letters (Digipost's document events) wants the
outcomes it acts on — opened, posted, a print or an e-mail that failed, an e-invoice delivered, a
notice that could not be sent, a sharing, a registration — not the steps every letter takes
(created, routed, delivered to an inbox). Those outcomes are copied, in the event's transaction,
into the feed (``storage/repos/events.py``), so a poll reads one page of them and never the
events around them, however many letters the sender has. A dialect's poll shows a subset of
these kinds; tests/unit/test_event_feed_kinds.py holds each poll to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from postbud.domain.channels import Channel
from postbud.domain.events import EventType

FEED_KINDS: Mapping[EventType, frozenset[Channel] | None] = MappingProxyType(
    {
        EventType.OPENED: None,
        EventType.POSTED: None,
        EventType.PRINT_FAILED: None,
        EventType.NOTIFICATION_FAILED: frozenset({Channel.EMAIL, Channel.SMS}),
        EventType.DELIVERED: frozenset({Channel.EMAIL, Channel.EINVOICE}),
        EventType.DELIVERY_FAILED: frozenset({Channel.EMAIL, Channel.EINVOICE}),
        EventType.DOCUMENTS_SHARED: None,
        EventType.SHARING_WITHDRAWN: None,
        EventType.REGISTRATION_EXPIRED: None,
        EventType.REGISTERED: None,
        EventType.REGISTRATION_FAILED: None,
    }
)
"""Each event type in the feed, and the channels it counts on (None: any channel)."""


def in_feed(event_type: EventType, channel: Channel | None) -> bool:
    """Whether an event of this type on this channel is one a sender polls for."""
    if event_type not in FEED_KINDS:
        return False
    channels = FEED_KINDS[event_type]
    return channels is None or channel in channels
