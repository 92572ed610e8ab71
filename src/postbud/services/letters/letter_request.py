"""What a sender asks for when it sends a letter, and what it gets back: the send path's values.

Every dialect builds a `SendLetter` (one letter), a `SendToMany` (send_to_many.py) or a draft
(drafts.py) out of its wire format; all three are planned by plan_letter.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from postbud.domain.channel_options import DEFAULT_CHANNEL_OPTIONS, ChannelOptions
from postbud.domain.channels import Channel
from postbud.domain.documents import AuthenticationLevel, DocumentIdScope, Sensitivity
from postbud.domain.errors import NotFound
from postbud.domain.identifiers import PartyId
from postbud.domain.letter_terms import Deadlines
from postbud.domain.routing import RouteDecision
from postbud.domain.shipments import (
    NotificationRequest,
    PrintInstructions,
    RegistrationRequest,
    Shipment,
)

MAX_SENDERS_REFERENCE = 4096
"""Characters of a sender's own reference (Altinn's sendersReference)."""


@dataclass(frozen=True, slots=True)
class DocumentInput:
    content: bytes
    file_type: str
    mime: str
    title: str | None = None
    external_id: str | None = None
    authentication: AuthenticationLevel = AuthenticationLevel.PASSWORD
    sensitivity: Sensitivity = Sensitivity.NORMAL
    datatype: dict[str, Any] | None = None
    opening_receipt: bool = False
    pages: int | None = None
    id_scope: DocumentIdScope = DocumentIdScope.SENDER
    """Where ``external_id`` must be unique: across the sender's letters, or only in this letter."""


@dataclass(frozen=True, slots=True)
class SendLetter:
    sender_id: uuid.UUID
    dialect: str
    documents: tuple[DocumentInput, ...]
    channels: tuple[Channel, ...] = (Channel.DIGITAL_MAILBOX, Channel.BUSINESS_INBOX)
    external_id: str | None = None
    recipient: PartyId | None = None
    mailbox_address: str | None = None
    recipient_name: str | None = None
    print_instructions: PrintInstructions | None = None
    print_if_unread_after: datetime | None = None
    publish_at: datetime | None = None
    notifications: tuple[NotificationRequest, ...] = ()
    email_address: str | None = None
    batch_id: uuid.UUID | None = None
    invoice_reference: str | None = None
    ignore_reservation: bool = False
    reject_if_undeliverable: bool = False
    properties: dict[str, str] = field(default_factory=dict)
    registration: RegistrationRequest | None = None
    senders_reference: str | None = None
    """The sender's own reference, stored and searchable (up to 4,096 characters)."""
    attachment_ids: tuple[uuid.UUID, ...] = ()
    """Stand-alone attachments (published, the sender's own) the letter carries after its documents."""
    channel_options: ChannelOptions = DEFAULT_CHANNEL_OPTIONS
    deadlines: Deadlines | None = None
    """A due date to read (and confirm) by, and documents' expiry times (Altinn); stored with the letter."""


@dataclass(frozen=True, slots=True)
class Accepted:
    shipment: Shipment
    decision: RouteDecision
    held: bool


class Undeliverable(NotFound):
    """No channel can take the letter and the sender asked to be told at once."""

    def __init__(self, decision: RouteDecision) -> None:
        super().__init__("recipient", decision.reason)
        self.decision = decision
