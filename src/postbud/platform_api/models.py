"""Wire models of the platform API. The CLI prints the same shapes with ``--json``."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from postbud.domain.channels import Channel
from postbud.domain.documents import AuthenticationLevel, Document, Sensitivity
from postbud.domain.events import ShipmentEvent
from postbud.domain.file_types import FILE_TYPES
from postbud.domain.parties import PostalAddress, Recipient, Sender
from postbud.domain.routing import RouteDecision
from postbud.domain.shipments import Shipment
from postbud.services.parties.recipients import ImportResult
from postbud.services.parties.senders import SenderCredentials
from postbud.webhooks.manage import Attempt, Delivery, Webhook

NON_EMPTY: dict[str, JsonValue] = {"minLength": 1}
"""Told in the schema, checked by the use case: an empty value is refused there, named together with
the request's other broken fields (pydantic would stop at the first)."""


class StrictModel(BaseModel):
    """A request body: a field the model does not name is refused (a typo must not pass unnoticed)."""

    model_config = ConfigDict(extra="forbid")


# --- Senders ------------------------------------------------------------------------------------


class SenderOut(BaseModel):
    id: uuid.UUID
    name: str
    organisation_number: str
    digipost_id: int | None
    certificate_pem: str | None

    @classmethod
    def of(cls, sender: Sender) -> SenderOut:
        return cls(
            id=sender.id,
            name=sender.name,
            organisation_number=sender.organisation_number,
            digipost_id=sender.digipost_id,
            certificate_pem=sender.certificate_pem,
        )


class SenderIn(StrictModel):
    name: str = Field(json_schema_extra=NON_EMPTY)
    organisation_number: str = Field(json_schema_extra=NON_EMPTY)
    digipost_id: int | None = None
    certificate_pem: str | None = Field(
        None, description="An X.509 certificate (PEM) with the sender's RSA key"
    )
    generate_key: bool = Field(False, description="Mint an RSA-2048 key and self-signed certificate")


class SenderCreated(BaseModel):
    sender: SenderOut
    api_key: str = Field(description="Shown once; only its hash is stored")
    private_key_pem: str | None = Field(None, description="Only with generate_key; shown once, never stored")

    @classmethod
    def of(cls, credentials: SenderCredentials) -> SenderCreated:
        return cls(
            sender=SenderOut.of(credentials.sender),
            api_key=credentials.api_key,
            private_key_pem=credentials.private_key_pem,
        )


class ApiKeyOut(BaseModel):
    sender_id: uuid.UUID
    api_key: str


# --- Recipients -------------------------------------------------------------------------------------


class AddressModel(StrictModel):
    lines: list[str]
    postal_code: str
    city: str
    country: str = "NO"

    @classmethod
    def of(cls, address: PostalAddress | None) -> AddressModel | None:
        if address is None:
            return None
        return cls(
            lines=list(address.lines),
            postal_code=address.postal_code,
            city=address.city,
            country=address.country,
        )

    def as_line(self) -> str:
        return "|".join([*self.lines, self.postal_code, self.city])


class RecipientOut(BaseModel):
    id: uuid.UUID
    party_id: str = Field(description="Kind and value, e.g. no-person:15108695088")
    identifier: str
    kind: str
    name: str
    digital_mailbox: bool
    mailbox_address: str | None
    reserved: bool
    business_inbox: bool
    email: str | None
    mobile: str | None
    postal_address: AddressModel | None
    ebank: bool = Field(description="Takes bank e-invoices (Ekopost ebank, eFaktura), paid in the inbox")

    @classmethod
    def of(cls, recipient: Recipient) -> RecipientOut:
        caps = recipient.capabilities
        return cls(
            id=recipient.id,
            party_id=str(recipient.party_id),
            identifier=recipient.party_id.value,
            kind=recipient.kind.value,
            name=recipient.name,
            digital_mailbox=caps.digital_mailbox,
            mailbox_address=caps.mailbox_address,
            reserved=caps.reserved,
            business_inbox=caps.business_inbox,
            email=caps.email,
            mobile=caps.mobile,
            postal_address=AddressModel.of(caps.postal_address),
            ebank=caps.ebank,
        )


class RecipientIn(StrictModel):
    id: str = Field(
        json_schema_extra=NON_EMPTY,
        description="Fødselsnummer, organisasjonsnummer, Swedish numbers, GLN or Peppol id",
    )
    name: str = Field(json_schema_extra=NON_EMPTY)
    mailbox: bool = Field(False, description="A person's digital mailbox; an organisation's business inbox")
    reserved: bool = Field(False, description="Reserved against digital post in the contact register")
    email: str | None = None
    mobile: str | None = None
    address: str | None = Field(None, description="'line|postal code|city' or 'line1|line2|postal code|city'")
    postal_address: AddressModel | None = Field(None, description="The address as an object instead")
    ebank: bool = Field(
        False, description="Takes bank e-invoices (Ekopost ebank, eFaktura), paid in the inbox"
    )


class RecipientRegistered(BaseModel):
    recipient: RecipientOut
    created: bool


class RecipientPage(BaseModel):
    items: list[RecipientOut]
    total: int
    offset: int
    limit: int


class RowErrorOut(BaseModel):
    line: int
    errors: list[dict[str, str]]


class ImportOut(BaseModel):
    created: int
    updated: int
    rejected: list[RowErrorOut]

    @classmethod
    def of(cls, result: ImportResult) -> ImportOut:
        rejected = [
            RowErrorOut(line=r.line, errors=[{"field": e.field, "rule": e.rule} for e in r.errors])
            for r in result.rejected
        ]
        return cls(created=result.created, updated=result.updated, rejected=rejected)


# --- Shipments -------------------------------------------------------------------------------------


class DocumentOut(BaseModel):
    id: uuid.UUID
    position: int
    external_id: str | None
    title: str | None
    file_type: str
    mime: str
    sha256: str
    size: int
    authentication: AuthenticationLevel
    sensitivity: Sensitivity

    @classmethod
    def of(cls, doc: Document) -> DocumentOut:
        return cls(
            id=doc.id,
            position=doc.position,
            external_id=doc.external_id,
            title=doc.title,
            file_type=doc.file_type,
            mime=doc.mime,
            sha256=doc.sha256,
            size=doc.size,
            authentication=doc.authentication,
            sensitivity=doc.sensitivity,
        )


class EventOut(BaseModel):
    id: uuid.UUID
    type: str
    at: datetime
    channel: Channel | None
    data: dict[str, Any]

    @classmethod
    def of(cls, event: ShipmentEvent) -> EventOut:
        return cls(id=event.id, type=event.type.value, at=event.at, channel=event.channel, data=event.data)


class ShipmentOut(BaseModel):
    id: uuid.UUID
    sender_id: uuid.UUID
    dialect: str
    external_id: str | None
    recipient_id: uuid.UUID | None
    recipient: str | None
    recipient_name: str | None
    subject: str | None
    status: str
    channel: Channel | None
    created_at: datetime
    publish_at: datetime | None
    documents: list[DocumentOut]

    @classmethod
    def of(cls, shipment: Shipment) -> ShipmentOut:
        return cls(
            id=shipment.id,
            sender_id=shipment.sender_id,
            dialect=shipment.dialect,
            external_id=shipment.external_id,
            recipient_id=shipment.recipient_id,
            recipient=shipment.recipient_party,
            recipient_name=shipment.recipient_name,
            subject=shipment.subject,
            status=shipment.status.value,
            channel=shipment.channel,
            created_at=shipment.created_at,
            publish_at=shipment.publish_at,
            documents=[DocumentOut.of(d) for d in shipment.documents],
        )


class ShipmentDetail(ShipmentOut):
    events: list[EventOut]

    @classmethod
    def with_events(cls, shipment: Shipment, events: list[ShipmentEvent]) -> ShipmentDetail:
        return cls(**ShipmentOut.of(shipment).model_dump(), events=[EventOut.of(e) for e in events])


class ShipmentPageOut(BaseModel):
    items: list[ShipmentOut]
    next_cursor: str | None


class DocumentIn(StrictModel):
    content_base64: str = Field(json_schema_extra=NON_EMPTY, description="The file, base64-encoded")
    title: str | None = None
    file_type: str = Field(
        "pdf",
        description=f"One of {', '.join(sorted(FILE_TYPES))}. The content must be of this type: a PDF "
        "must open as one and have a page; PNG, JPEG, GIF, BMP, ZIP and Office files must begin as one",
    )
    mime: str | None = Field(None, description="Derived from file_type when left out")
    id: str | None = Field(None, description="Your id for the document, unique per sender")
    authentication: AuthenticationLevel = AuthenticationLevel.PASSWORD
    sensitivity: Sensitivity = Sensitivity.NORMAL
    opening_receipt: bool = False


class LetterIn(StrictModel):
    sender_id: uuid.UUID | None = Field(
        None, description="Required with the admin token; implied by an API key"
    )
    recipient: str | None = Field(None, description="Party identifier or mailbox address (name#CODE)")
    recipient_name: str | None = None
    external_id: str | None = Field(None, description="Your id for the letter; a repeat is a 409")
    documents: list[DocumentIn] = Field(min_length=1, description="The primary document, then attachments")
    channels: list[Channel] = [Channel.DIGITAL_MAILBOX, Channel.BUSINESS_INBOX]
    print_address: AddressModel | None = Field(None, description="Print and post when no digital channel can")
    publish_at: datetime | None = None
    email_address: str | None = None
    ignore_reservation: bool = False
    reject_if_undeliverable: bool = False
    properties: dict[str, str] = {}


class RouteOut(BaseModel):
    channel: Channel | None
    reason: str
    considered: list[str]

    @classmethod
    def of(cls, decision: RouteDecision) -> RouteOut:
        return cls(channel=decision.channel, reason=decision.reason, considered=list(decision.considered))


class LetterAccepted(BaseModel):
    shipment: ShipmentDetail
    route: RouteOut
    held: bool


# --- Jobs --------------------------------------------------------------------------------------------


class JobCounts(BaseModel):
    counts: dict[str, int]


class DeadJob(BaseModel):
    id: uuid.UUID
    kind: str
    attempts: int
    last_error: str | None
    updated_at: datetime


class Requeued(BaseModel):
    requeued: int


# --- Webhooks ----------------------------------------------------------------------------------------


class WebhookIn(StrictModel):
    sender_id: uuid.UUID | None = Field(
        None, description="Required with the admin token; implied by an API key"
    )
    url: str = Field(json_schema_extra=NON_EMPTY)
    event_types: list[str] = Field(["*"], description="Event types such as 'delivered', or '*' for all")


class WebhookPatch(StrictModel):
    active: bool


class WebhookOut(BaseModel):
    id: uuid.UUID
    sender_id: uuid.UUID
    url: str
    event_types: list[str]
    active: bool
    created_at: datetime

    @classmethod
    def of(cls, webhook: Webhook) -> WebhookOut:
        return cls(
            id=webhook.id,
            sender_id=webhook.sender_id,
            url=webhook.url,
            event_types=list(webhook.event_types),
            active=webhook.active,
            created_at=webhook.created_at,
        )


class WebhookCreated(BaseModel):
    webhook: WebhookOut
    secret: str = Field(description="Signs every delivery; shown once")


class DeliveryOut(BaseModel):
    id: uuid.UUID
    webhook_id: uuid.UUID
    event_id: uuid.UUID
    sender_id: uuid.UUID
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryOut:
        return cls.model_validate(delivery, from_attributes=True)


class AttemptOut(BaseModel):
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int

    @classmethod
    def of(cls, attempt: Attempt) -> AttemptOut:
        return cls.model_validate(attempt, from_attributes=True)
