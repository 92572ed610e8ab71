"""What happened to a shipment. The event log is append-only; status is derived from it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from postbud.domain.channels import Channel


class EventType(StrEnum):
    DRAFTED = "drafted"
    """A letter built in steps was begun; it stays invisible to channels until closed (then CREATED)."""
    CREATED = "created"
    HELD = "held"
    """Accepted but waiting: for its publish time, for its batch to complete, or for registration."""
    ROUTED = "routed"
    DELIVERED = "delivered"
    """Reached the recipient's mailbox, business inbox, e-mail, SMS or e-invoice channel."""
    SENT_TO_PRINT = "sent_to_print"
    PRINTED = "printed"
    POSTED = "posted"
    PRINT_FAILED = "print_failed"
    DELIVERY_FAILED = "delivery_failed"
    NOT_DELIVERED = "not_delivered"
    OPENED = "opened"
    CONFIRMED = "confirmed"
    NOTIFICATION_SENT = "notification_sent"
    NOTIFICATION_FAILED = "notification_failed"
    NOTIFICATION_ORDERED = "notification_ordered"
    """A notice plan's order for one party to be told (the letter's recipient, or one of the plan's
    others) was made once the letter was delivered: its notices and its reminder's belong to it
    (their ``data["order"]`` is this event's ``data["order"]``). Leaves the status as it is."""
    NOTIFICATION_ORDER_FAILED = "notification_order_failed"
    """A notice plan's orders could not all be made (no contact details for the channel choice);
    once per letter, ``data["orders"]`` the ones that failed. Leaves the status as it is."""
    PAYMENT_REGISTERED = "payment_registered"
    DATA_ADDED = "data_added"
    DOCUMENTS_SHARED = "documents_shared"
    SHARING_WITHDRAWN = "sharing_withdrawn"
    SHARING_STOPPED = "sharing_stopped"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REJECTED = "rejected"
    REGISTRATION_REQUESTED = "registration_requested"
    """A person without a digital mailbox was asked, by SMS or e-mail, to get one for this letter."""
    REGISTRATION_FAILED = "registration_failed"
    """The request to register could not be sent by that channel (or by any, without an address)."""
    REGISTERED = "registered"
    """The person got a digital mailbox before the deadline: the letter goes to it."""
    REGISTRATION_EXPIRED = "registration_expired"
    """The deadline passed without a mailbox: the letter falls back to print, or is not delivered."""
    FETCHED = "fetched"
    """The recipient looked the letter up (its overview or details). Leaves the status as it is."""
    PURGED = "purged"
    """Deleted: by its sender before it was published, or by its recipient after; ``data["by"]`` says."""
    ATTACHMENT_DOWNLOADED = "attachment_downloaded"
    """The recipient downloaded one of the letter's documents (``data["document_id"]``); once each."""
    ATTACHMENT_EXPIRED = "attachment_expired"
    """One document of the letter may no longer be downloaded; the letter itself stays as it is."""
    NEVER_READ = "never_read"
    """The letter's due date passed and its recipient had not read it."""
    NEVER_CONFIRMED = "never_confirmed"
    """The letter's due date passed and its recipient had not confirmed it, as the sender asked."""
    TRACKING_UPDATED = "tracking_updated"
    """Registered post moved on after it was posted (in transit, awaiting pickup, delivered, returned);
    ``data["state"]`` says where. Leaves the status as it is."""
    FORWARDING_REQUESTED = "forwarding_requested"
    """The recipient asked for the letter to be sent on by e-mail (``data``: ``forwarding_id``, ``to``,
    ``text``); the ``shipment.forward`` job sends it. Leaves the status as it is."""
    FORWARDED = "forwarded"
    """The letter went on by e-mail as its recipient asked (``data["forwarding_id"]``, ``to``)."""
    FORWARDING_FAILED = "forwarding_failed"
    """The e-mail of a forwarding was refused for good (``data["reason"]``)."""
    SIGNED = "signed"
    """One signer signed the letter's document in their inbox (``data``: who, and the SHA-256 of the
    document they signed). Leaves the status as it is; the letter is delivered when all have signed."""


@dataclass(frozen=True, slots=True)
class ShipmentEvent:
    id: uuid.UUID
    shipment_id: uuid.UUID
    sender_id: uuid.UUID
    type: EventType
    at: datetime
    channel: Channel | None = None
    data: dict[str, Any] = field(default_factory=dict)
    dedup_key: str | None = None
    """Events with a key are recorded at most once per shipment (a retried job cannot repeat them)."""
