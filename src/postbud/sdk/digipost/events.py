"""What happened to sent documents: ``document-events`` and their typed metadata (§9.2)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeAlias
from uuid import UUID

from .links import Link
from .message import AuthenticationLevel, SensitivityLevel

__all__ = [
    "DocumentEvent",
    "DocumentEventType",
    "DocumentEvents",
    "DocumentMetadata",
    "EmailDeliveredMetadata",
    "EmailNotificationFailedMetadata",
    "EventMetadata",
    "FailedPeppolMetadata",
    "FailedPrintMetadata",
    "MoveFilesFromPublicSectorMetadata",
    "PostmarkedMetadata",
    "RequestForRegistrationExpiredMetadata",
    "SmsNotificationFailedMetadata",
]


class DocumentEventType(StrEnum):
    EMAIL_NOTIFICATION_FAILED = "EMAIL_NOTIFICATION_FAILED"
    EMAIL_MESSAGE_SENT = "EMAIL_MESSAGE_SENT"
    EMAIL_MESSAGE_FAILED = "EMAIL_MESSAGE_FAILED"
    SMS_NOTIFICATION_FAILED = "SMS_NOTIFICATION_FAILED"
    OPENED = "OPENED"
    MOVE_FILES_FROM_PUBLIC_SECTOR = "MOVE_FILES_FROM_PUBLIC_SECTOR"
    POSTMARKED = "POSTMARKED"
    PRINT_FAILED = "PRINT_FAILED"
    SHREDDED = "SHREDDED"
    PEPPOL_DELIVERED = "PEPPOL_DELIVERED"
    PEPPOL_FAILED = "PEPPOL_FAILED"
    SHARE_DOCUMENTS_REQUEST_DOCUMENTS_SHARED = "SHARE_DOCUMENTS_REQUEST_DOCUMENTS_SHARED"
    SHARE_DOCUMENTS_REQUEST_SHARING_WITHDRAWN = "SHARE_DOCUMENTS_REQUEST_SHARING_WITHDRAWN"
    REQUEST_FOR_REGISTRATION_EXPIRED = "REQUEST_FOR_REGISTRATION_EXPIRED"
    REQUEST_FOR_REGISTRATION_DELIVERED_DIGIPOST = "REQUEST_FOR_REGISTRATION_DELIVERED_DIGIPOST"
    REQUEST_FOR_REGISTRATION_FAILED = "REQUEST_FOR_REGISTRATION_FAILED"


@dataclass(frozen=True, slots=True)
class EmailDeliveredMetadata:
    email_address: str


@dataclass(frozen=True, slots=True)
class EmailNotificationFailedMetadata:
    email_address: str
    error_code: str


@dataclass(frozen=True, slots=True)
class SmsNotificationFailedMetadata:
    mobile_number: str
    error_code: str


@dataclass(frozen=True, slots=True)
class FailedPrintMetadata:
    error_code: str


@dataclass(frozen=True, slots=True)
class FailedPeppolMetadata:
    error_code: str


@dataclass(frozen=True, slots=True)
class PostmarkedMetadata:
    postmarked_date: datetime


@dataclass(frozen=True, slots=True)
class RequestForRegistrationExpiredMetadata:
    fallback_channel: str | None


@dataclass(frozen=True, slots=True)
class DocumentMetadata:
    uuid: UUID
    technical_type: str | None = None
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class MoveFilesFromPublicSectorMetadata:
    opened: bool
    delivery_time: datetime
    subject: str
    authentication_level: AuthenticationLevel
    sensitivity_level: SensitivityLevel
    destination_mailbox: str
    destination_mailbox_address: str
    documents: tuple[DocumentMetadata, ...]
    x509_certificate: str


EventMetadata: TypeAlias = (
    EmailDeliveredMetadata
    | EmailNotificationFailedMetadata
    | SmsNotificationFailedMetadata
    | FailedPrintMetadata
    | FailedPeppolMetadata
    | PostmarkedMetadata
    | RequestForRegistrationExpiredMetadata
    | MoveFilesFromPublicSectorMetadata
)


@dataclass(frozen=True, slots=True)
class DocumentEvent:
    uuid: UUID
    """The document (for sharing events: the share request document) the event is about."""
    type: DocumentEventType
    created: datetime
    document_created: datetime
    metadata: EventMetadata | None = None


@dataclass(frozen=True, slots=True)
class DocumentEvents:
    """One page of events; fewer than ``max_results`` means the interval is exhausted."""

    events: tuple[DocumentEvent, ...]

    def __iter__(self) -> Iterator[DocumentEvent]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)
