"""What is sent: ``Message`` with its ``Document``s, notifications and options (XSD ``message``)."""

from __future__ import annotations

import re
import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from postbud.domain.datatypes import DataType

from .print_details import PrintDetails, PrintIfUnread, RequestForRegistration
from .recipients import RecipientIdentifier

__all__ = [
    "AuthenticationLevel",
    "Document",
    "EmailNotification",
    "Message",
    "SenderOrganization",
    "SensitivityLevel",
    "SmsNotification",
    "SmsOverrides",
]

_FILE_TYPE = re.compile(r"[a-z0-9\-_]{1,29}")


class AuthenticationLevel(StrEnum):
    PASSWORD = "PASSWORD"
    TWO_FACTOR = "TWO_FACTOR"
    IDPORTEN_3 = "IDPORTEN_3"
    IDPORTEN_4 = "IDPORTEN_4"


class SensitivityLevel(StrEnum):
    NORMAL = "NORMAL"
    SENSITIVE = "SENSITIVE"


@dataclass(frozen=True, slots=True)
class SmsOverrides:
    mobile_number: str
    text: str


@dataclass(frozen=True, slots=True)
class SmsNotification:
    """SMS at fixed times and/or a number of hours after delivery (sent 09–20 only)."""

    at: tuple[datetime, ...] = ()
    after_hours: tuple[int, ...] = ()
    overrides: SmsOverrides | None = None


@dataclass(frozen=True, slots=True)
class EmailNotification:
    email_address: str
    subject: str
    text: str
    at: tuple[datetime, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """One document of a message; its content is supplied separately, keyed by ``uuid``.

    ``file_type`` is normalised to lower case (``PDF`` → ``pdf``) as the Java client does.
    """

    subject: str | None
    file_type: str = "pdf"
    uuid: UUID = field(default_factory=uuid_module.uuid4)
    opening_receipt: str | None = None
    opened: bool | None = None
    sms_notification: SmsNotification | None = None
    email_notification: EmailNotification | None = None
    authentication_level: AuthenticationLevel = AuthenticationLevel.PASSWORD
    sensitivity_level: SensitivityLevel = SensitivityLevel.NORMAL
    data_type: DataType | None = None
    technical_types: tuple[str, ...] = ()
    encrypted: bool = False
    """Pre-encrypt the content before sending (the client fetches the key, §5.6)."""

    def __post_init__(self) -> None:
        normalised = self.file_type.strip().lower().removeprefix(".")
        if _FILE_TYPE.fullmatch(normalised) is None:
            raise ValueError(f"file type {self.file_type!r} is not of the form [a-z0-9-_] (under 30 chars)")
        object.__setattr__(self, "file_type", normalised)
        if self.opening_receipt is not None and self.opened is not None:
            raise ValueError("a document has an opening receipt or is already opened, not both")


@dataclass(frozen=True, slots=True)
class SenderOrganization:
    """Send as the sender with this organisation number (and optional part id)."""

    organization_id: str
    part_id: str | None = None


@dataclass(frozen=True, slots=True)
class Message:
    """A message to one recipient.

    * ``recipient`` only: digital delivery (404 ``UNKNOWN_RECIPIENT`` if not a Digipost user).
    * ``recipient`` and ``print_details``: print fallback, decided by the server.
    * ``print_details`` only: direct to print.
    """

    primary_document: Document
    recipient: RecipientIdentifier | None = None
    attachments: tuple[Document, ...] = ()
    message_id: str | None = field(default_factory=lambda: str(uuid_module.uuid4()))
    sender_id: int | None = None
    sender_organization: SenderOrganization | None = None
    print_details: PrintDetails | None = None
    delivery_time: datetime | None = None
    invoice_reference: str | None = None
    print_if_unread: PrintIfUnread | None = None
    request_for_registration: RequestForRegistration | None = None
    batch: UUID | None = None

    def __post_init__(self) -> None:
        if self.recipient is None and self.print_details is None:
            raise ValueError("a message needs a recipient, print details, or both")
        if self.sender_id is not None and self.sender_organization is not None:
            raise ValueError("give sender_id or sender_organization, not both")
        uuids = [document.uuid for document in self.documents]
        if len(set(uuids)) != len(uuids):
            raise ValueError("every document of a message needs its own uuid")

    @property
    def documents(self) -> tuple[Document, ...]:
        """Primary document first, then the attachments: the order of the multipart body."""
        return (self.primary_document, *self.attachments)

    @property
    def is_direct_print(self) -> bool:
        return self.recipient is None
