"""A shipment: one letter from one sender to one recipient, and what the sender asked for."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from postbud.domain.channel_options import DEFAULT_CHANNEL_OPTIONS, ChannelOptions
from postbud.domain.channels import Channel
from postbud.domain.documents import Document
from postbud.domain.parties import PostalAddress
from postbud.domain.status import ShipmentStatus


class NondeliverableHandling(StrEnum):
    RETURN_TO_SENDER = "return_to_sender"
    SHRED = "shred"


class Postage(StrEnum):
    PRIORITY = "priority"
    ECONOMY = "economy"
    REGISTERED = "registered"
    PROTECTED = "protected"


@dataclass(frozen=True, slots=True)
class PrintInstructions:
    """How to print and post a letter when it goes on paper."""

    recipient: PostalAddress
    return_address: PostalAddress | None = None
    color: bool = False
    duplex: bool = True
    nondeliverable: NondeliverableHandling = NondeliverableHandling.RETURN_TO_SENDER
    postage: Postage = Postage.ECONOMY
    cover_page: bool = True
    instructions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class NotificationRequest:
    """A notice by e-mail or SMS that a letter has arrived (not the letter itself)."""

    channel: Channel
    address: str | None = None
    """Overrides the recipient's registered address when given."""
    subject: str | None = None
    text: str | None = None
    at: tuple[datetime, ...] = ()
    after_hours: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class RegistrationRequest:
    """Ask a person without a digital mailbox to get one; the letter waits for them.

    The person is asked by SMS and/or e-mail (these addresses, else the ones on record). Registered
    by ``deadline``: the letter goes to the new mailbox. Otherwise it is printed by the shipment's
    print instructions, or not delivered when it has none.
    """

    deadline: datetime
    mobile: str | None = None
    """E.164."""
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Shipment:
    id: uuid.UUID
    sender_id: uuid.UUID
    dialect: str
    external_id: str | None
    recipient_id: uuid.UUID | None
    recipient_party: str | None
    recipient_name: str | None
    channels: tuple[Channel, ...]
    """Channels the sender allows, in order of preference; print only by ``print_instructions``."""
    documents: tuple[Document, ...]
    created_at: datetime
    publish_at: datetime | None = None
    print_instructions: PrintInstructions | None = None
    print_if_unread_after: datetime | None = None
    notifications: tuple[NotificationRequest, ...] = ()
    email_address: str | None = None
    batch_id: uuid.UUID | None = None
    invoice_reference: str | None = None
    channel: Channel | None = None
    status: ShipmentStatus = ShipmentStatus.ACCEPTED
    ignore_reservation: bool = False
    properties: dict[str, str] = field(default_factory=dict)
    registration: RegistrationRequest | None = None
    """Set when the letter may wait for the recipient to register a digital mailbox."""
    senders_reference: str | None = None
    """The sender's own reference for the letter (Altinn's sendersReference), up to 4,096 characters."""
    channel_options: ChannelOptions = DEFAULT_CHANNEL_OPTIONS
    """What the letter asks of its channels beyond Digipost's shape (provider, print layout, …)."""

    @property
    def primary(self) -> Document:
        return self.documents[0]

    @property
    def subject(self) -> str | None:
        """The primary document's title; none for a draft that has no documents yet."""
        return self.documents[0].title if self.documents else None
