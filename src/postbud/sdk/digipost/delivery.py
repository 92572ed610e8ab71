"""The receipt of a send: ``message-delivery`` (§5.2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from postbud.domain.datatypes import DataType

from .links import Link, Relation, find_link
from .message import AuthenticationLevel, SensitivityLevel

__all__ = ["Channel", "ContentHash", "DeliveredDocument", "MessageDelivery", "MessageStatus"]


class Channel(StrEnum):
    PRINT = "PRINT"
    DIGIPOST = "DIGIPOST"
    PEPPOL = "PEPPOL"
    EPOST = "EPOST"
    PENDING = "PENDING"


class MessageStatus(StrEnum):
    NOT_COMPLETE = "NOT_COMPLETE"
    COMPLETE = "COMPLETE"
    DELIVERED = "DELIVERED"
    DELIVERED_TO_PRINT = "DELIVERED_TO_PRINT"


@dataclass(frozen=True, slots=True)
class ContentHash:
    value: str
    algorithm: str | None


@dataclass(frozen=True, slots=True)
class DeliveredDocument:
    """A document as the server echoes it, with defaults filled in and the hash of the content."""

    uuid: UUID | None
    subject: str | None
    file_type: str
    authentication_level: AuthenticationLevel | None
    sensitivity_level: SensitivityLevel | None
    content_hash: ContentHash | None
    opening_receipt: str | None = None
    data_type: DataType | None = None
    links: tuple[Link, ...] = ()

    @property
    def add_data_link(self) -> Link | None:
        return find_link(self.links, Relation.ADD_DATA)


@dataclass(frozen=True, slots=True)
class MessageDelivery:
    message_id: str | None
    delivery_method: Channel
    sender_id: int
    status: MessageStatus
    delivery_time: datetime | None
    primary_document: DeliveredDocument
    attachments: tuple[DeliveredDocument, ...] = ()
    links: tuple[Link, ...] = ()

    @property
    def documents(self) -> tuple[DeliveredDocument, ...]:
        return (self.primary_document, *self.attachments)
