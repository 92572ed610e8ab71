"""Campaigns, envelopes and contents: what is sent to create them and what the service answers.

Answers keep every state as the plain string the server sent (compare with the enums of
:mod:`values`); dates are timezone-aware UTC datetimes.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .addresses import Address, PostalAddress, address_from_wire
from .values import ContentType, Plex, Postage
from .wire import (
    as_object,
    read_bool,
    read_int,
    read_text,
    read_when,
    required_text,
    without_nones,
    write_when,
)

__all__ = [
    "Campaign",
    "Content",
    "Envelope",
    "NewCampaign",
    "NewContent",
    "NewEnvelope",
    "SentLetter",
    "Tracking",
    "Transaction",
]


@dataclass(frozen=True, kw_only=True)
class NewCampaign:
    name: str
    output_date: date | datetime | str | None = None
    """When the envelopes are printed and posted (a date, or a moment; naive means UTC)."""
    cost_center: str | None = None
    signing: bool | None = None
    replymail: bool | None = None
    """Each envelope then needs the reply-mail template as an attachment marked ``replymail``."""

    def to_wire(self) -> dict[str, Any]:
        output_date = None if self.output_date is None else write_when(self.output_date)
        return without_nones(
            {
                "name": self.name,
                "output_date": output_date,
                "cost_center": self.cost_center,
                "signing": self.signing,
                "replymail": self.replymail,
            }
        )


@dataclass(frozen=True, kw_only=True)
class Campaign:
    id: str
    name: str | None
    output_date: datetime | None
    cost_center: str | None
    envelope_count: int
    state: str
    state_changed_at: datetime | None
    created_at: datetime | None
    signing: bool | None = None
    replymail: bool | None = None

    @classmethod
    def from_wire(cls, wire: object) -> Campaign:
        data = as_object(wire, "a campaign")
        return cls(
            id=required_text(data, "id"),
            name=read_text(data.get("name")),
            output_date=read_when(data.get("output_date")),
            cost_center=read_text(data.get("cost_center")),
            envelope_count=read_int(data.get("envelope_count")) or 0,
            state=required_text(data, "state"),
            state_changed_at=read_when(data.get("state_changed_at")),
            created_at=read_when(data.get("created_at")),
            signing=read_bool(data.get("signing")),
            replymail=read_bool(data.get("replymail")),
        )


@dataclass(frozen=True, kw_only=True)
class NewEnvelope:
    name: str | None = None
    address: Address | None = None
    """``None``: postal, the address read from the document's window."""
    postage: Postage | str = Postage.PRIORITY
    plex: Plex | str = Plex.SIMPLEX
    color: bool = False
    pu: bool | None = None
    """Personal delivery (``rek``)."""
    kb: bool | None = None
    """Delivery receipt (``rek``)."""
    consignor_contact: str | None = None
    agent: str | None = None
    unique_id: str | None = None
    """An external id, unique per customer: a second envelope with it is refused (126)."""

    def to_wire(self) -> dict[str, Any]:
        optional = without_nones(
            {
                "name": self.name,
                "pu": self.pu,
                "kb": self.kb,
                "consignor_contact": self.consignor_contact,
                "agent": self.agent,
                "unique_id": self.unique_id,
            }
        )
        # ``address`` is sent even when null: the seed's way of saying "postal, from the document".
        return {
            "address": None if self.address is None else self.address.to_wire(),
            "postage": str(self.postage),
            "plex": str(self.plex),
            "color": self.color,
            **optional,
        }


@dataclass(frozen=True, kw_only=True)
class Transaction:
    state: str
    state_changed_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class Tracking:
    """A registered (``rek``) letter's tracking."""

    parcel_no: str | None
    tracking_state: str | None
    tracking_url: str | None


@dataclass(frozen=True, kw_only=True)
class Envelope:
    id: str
    name: str | None
    address: Address | None
    postage: str | None
    plex: str | None
    color: bool | None
    state: str
    state_changed_at: datetime | None
    created_at: datetime | None
    transaction: Transaction | None = None
    warning: str | None = None
    pu: bool | None = None
    kb: bool | None = None
    consignor_contact: str | None = None
    agent: str | None = None
    unique_id: str | None = None
    failed_reason: str | None = None
    tracking: Tracking | None = None

    @classmethod
    def from_wire(cls, wire: object) -> Envelope:
        data = as_object(wire, "an envelope")
        transaction = data.get("transaction")
        tracking = data.get("tracking")
        return cls(
            id=required_text(data, "id"),
            name=read_text(data.get("name")),
            address=address_from_wire(data.get("address")),
            postage=read_text(data.get("postage")),
            plex=read_text(data.get("plex")),
            color=read_bool(data.get("color")),
            state=required_text(data, "state"),
            state_changed_at=read_when(data.get("state_changed_at")),
            created_at=read_when(data.get("created_at")),
            transaction=_transaction(transaction) if transaction is not None else None,
            warning=read_text(data.get("warning")),
            pu=read_bool(data.get("pu")),
            kb=read_bool(data.get("kb")),
            consignor_contact=read_text(data.get("consignor_contact")),
            agent=read_text(data.get("agent")),
            unique_id=read_text(data.get("unique_id")),
            failed_reason=read_text(data.get("failed_reason")),
            tracking=_tracking(tracking) if tracking is not None else None,
        )


def _transaction(wire: object) -> Transaction:
    data = as_object(wire, "a transaction")
    return Transaction(
        state=required_text(data, "state"), state_changed_at=read_when(data.get("state_changed_at"))
    )


def _tracking(wire: object) -> Tracking:
    data = as_object(wire, "a tracking")
    return Tracking(
        parcel_no=read_text(data.get("parcelNo")),
        tracking_state=read_text(data.get("trackingState")),
        tracking_url=read_text(data.get("trackingUrl")),
    )


@dataclass(frozen=True, kw_only=True)
class NewContent:
    """A file for an envelope: its bytes are sent base64 encoded with their ``length``.

    Use :meth:`document`, :meth:`attachment` or :meth:`markup`.
    """

    data: bytes = field(repr=False)
    type: ContentType | str = ContentType.DOCUMENT
    mime: str = "application/pdf"
    return_address: bool | None = None
    """Print the return address in the letter's upper left corner."""
    address: PostalAddress | None = None
    """The return address to print (with ``return_address=True``); else the account's."""
    replymail: bool | None = None
    """Marks an attachment as the reply-mail template of a ``replymail`` campaign."""

    @classmethod
    def document(
        cls, pdf: bytes, *, return_address: bool | None = None, address: PostalAddress | None = None
    ) -> NewContent:
        return cls(data=pdf, return_address=return_address, address=address)

    @classmethod
    def attachment(cls, pdf: bytes, *, replymail: bool | None = None) -> NewContent:
        return cls(data=pdf, type=ContentType.ATTACHMENT, replymail=replymail)

    @classmethod
    def markup(cls, xml: bytes) -> NewContent:
        """An e-invoice's XML (Svefaktura, Peppol BIS Billing 3.0) for an ``einvoice`` envelope."""
        return cls(data=xml, type=ContentType.MARKUP, mime="application/xml")

    def to_wire(self) -> dict[str, Any]:
        return {
            "data": base64.b64encode(self.data).decode("ascii"),
            "mime": self.mime,
            "length": len(self.data),
            "type": str(self.type),
            **without_nones(
                {
                    "return_address": self.return_address,
                    "address": None if self.address is None else self.address.to_wire(),
                    "replymail": self.replymail,
                }
            ),
        }


@dataclass(frozen=True, kw_only=True)
class Content:
    id: str
    mime: str | None
    length: int | None
    type: str | None
    created_at: datetime | None
    return_address: bool | None = None

    @classmethod
    def from_wire(cls, wire: object) -> Content:
        data = as_object(wire, "a content")
        return cls(
            id=required_text(data, "id"),
            mime=read_text(data.get("mime")),
            length=read_int(data.get("length")),
            type=read_text(data.get("type")),
            created_at=read_when(data.get("created_at")),
            return_address=read_bool(data.get("return_address")),
        )


@dataclass(frozen=True, kw_only=True)
class SentLetter:
    """What :meth:`EkopostClient.send_letter` made: the ids, and the closed campaign and envelope."""

    campaign: Campaign
    envelope: Envelope
    document: Content
    attachments: Sequence[Content] = ()

    @property
    def campaign_id(self) -> str:
        return self.campaign.id

    @property
    def envelope_id(self) -> str:
        return self.envelope.id

    @property
    def content_ids(self) -> list[str]:
        return [self.document.id, *(attachment.id for attachment in self.attachments)]
