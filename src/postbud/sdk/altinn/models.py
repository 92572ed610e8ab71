"""The Correspondence API's request and response models (reference §3), as typed dataclasses.

Requests: build them and pass them to the client; members left ``None`` are not sent. Responses:
what the server answered, read leniently (names in any case, enums by name or number, unknown
members ignored). Enum members are declared in Altinn's numeric order, so a number reads as the
same member the name does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

__all__ = [
    "AttachmentDataLocationType",
    "AttachmentDetails",
    "AttachmentOverview",
    "AttachmentStatus",
    "AttachmentStatusEvent",
    "Correspondence",
    "CorrespondenceAttachment",
    "CorrespondenceContent",
    "CorrespondenceDetails",
    "CorrespondenceOverview",
    "CorrespondenceStatus",
    "CorrespondenceStatusEvent",
    "CustomRecipient",
    "ExternalReference",
    "InitializeAttachment",
    "InitializeCorrespondenceAttachment",
    "InitializeCorrespondenceContent",
    "InitializeCorrespondences",
    "InitializeCorrespondencesResponse",
    "InitializedCorrespondence",
    "InitializedNotificationStatus",
    "NewAttachment",
    "Notification",
    "NotificationChannel",
    "NotificationRecipient",
    "NotificationSending",
    "NotificationStatus",
    "NotificationStatusDetails",
    "NotificationSummary",
    "NotificationTemplate",
    "ReferenceType",
    "ReplyOption",
    "SearchRole",
]


class CorrespondenceStatus(StrEnum):
    INITIALIZED = "Initialized"
    READY_FOR_PUBLISH = "ReadyForPublish"
    PUBLISHED = "Published"
    FETCHED = "Fetched"
    READ = "Read"
    REPLIED = "Replied"
    CONFIRMED = "Confirmed"
    PURGED_BY_RECIPIENT = "PurgedByRecipient"
    PURGED_BY_ALTINN = "PurgedByAltinn"
    ARCHIVED = "Archived"
    RESERVED = "Reserved"
    FAILED = "Failed"
    ATTACHMENTS_DOWNLOADED = "AttachmentsDownloaded"
    FORWARDED = "Forwarded"


class AttachmentStatus(StrEnum):
    INITIALIZED = "Initialized"
    UPLOAD_PROCESSING = "UploadProcessing"
    PUBLISHED = "Published"
    PURGED = "Purged"
    FAILED = "Failed"
    EXPIRED = "Expired"


class AttachmentDataLocationType(StrEnum):
    NEW_CORRESPONDENCE_ATTACHMENT = "NewCorrespondenceAttachment"
    EXISTING_CORRESPONDENCE_ATTACHMENT = "ExistingCorrespondenceAttachment"
    EXISTING_EXTERNAL_STORAGE = "ExistingExternalStorage"


class NotificationTemplate(StrEnum):
    CUSTOM_MESSAGE = "CustomMessage"
    GENERIC_ALTINN_MESSAGE = "GenericAltinnMessage"


class NotificationChannel(StrEnum):
    EMAIL = "Email"
    SMS = "Sms"
    EMAIL_PREFERRED = "EmailPreferred"
    SMS_PREFERRED = "SmsPreferred"
    EMAIL_AND_SMS = "EmailAndSms"


class ReferenceType(StrEnum):
    GENERIC = "Generic"
    ALTINN_APP_INSTANCE = "AltinnAppInstance"
    ALTINN_BROKER_FILE_TRANSFER = "AltinnBrokerFileTransfer"
    DIALOGPORTEN_DIALOG_ID = "DialogportenDialogId"
    DIALOGPORTEN_PROCESS_ID = "DialogportenProcessId"
    DIALOGPORTEN_TRANSMISSION_ID = "DialogportenTransmissionId"
    DIALOGPORTEN_TRANSMISSION_TYPE = "DialogportenTransmissionType"


class SearchRole(StrEnum):
    RECIPIENT = "Recipient"
    SENDER = "Sender"
    RECIPIENT_AND_SENDER = "RecipientAndSender"


class InitializedNotificationStatus(StrEnum):
    SUCCESS = "Success"
    MISSING_CONTACT = "MissingContact"
    FAILURE = "Failure"


# ------------------------------------------------------------------------------------------ requests


@dataclass(slots=True)
class ReplyOption:
    link_url: str = field(metadata={"json": "linkURL"})
    link_text: str | None = None


@dataclass(slots=True)
class ExternalReference:
    reference_value: str
    reference_type: ReferenceType = ReferenceType.GENERIC


@dataclass(slots=True)
class CustomRecipient:
    """Exactly one of the identifiers."""

    email_address: str | None = None
    mobile_number: str | None = None
    organization_number: str | None = None
    national_identity_number: str | None = None


@dataclass(slots=True)
class Notification:
    notification_channel: NotificationChannel
    notification_template: NotificationTemplate = NotificationTemplate.CUSTOM_MESSAGE
    email_subject: str | None = None
    email_body: str | None = None
    email_content_type: str | None = None
    sms_body: str | None = None
    send_reminder: bool | None = None
    reminder_email_subject: str | None = None
    reminder_email_body: str | None = None
    reminder_email_content_type: str | None = None
    reminder_sms_body: str | None = None
    reminder_notification_channel: NotificationChannel | None = None
    senders_reference: str | None = None
    custom_recipients: list[CustomRecipient] | None = None
    override_registered_contact_information: bool | None = None


@dataclass(slots=True)
class InitializeCorrespondenceAttachment:
    """A new attachment's metadata; its bytes go with ``initialize_with_attachments``."""

    file_name: str
    senders_reference: str
    display_name: str | None = None
    is_encrypted: bool | None = None
    checksum: str | None = None
    """MD5, 32 lower-case hex digits."""
    expiration_in_days: int | None = None
    data_location_type: AttachmentDataLocationType | None = None


@dataclass(slots=True)
class InitializeCorrespondenceContent:
    message_title: str
    message_body: str
    language: str = "nb"
    message_summary: str | None = None
    attachments: list[InitializeCorrespondenceAttachment] = field(default_factory=list)


@dataclass(slots=True)
class Correspondence:
    """``BaseCorrespondenceExt``: what one correspondence says, for every recipient."""

    resource_id: str
    senders_reference: str
    content: InitializeCorrespondenceContent
    message_sender: str | None = None
    requested_publish_time: datetime | None = None
    due_date_time: datetime | None = None
    external_references: list[ExternalReference] | None = None
    property_list: dict[str, str] | None = None
    reply_options: list[ReplyOption] | None = None
    notification: Notification | None = None
    ignore_reservation: bool | None = None
    is_confirmation_needed: bool | None = None
    is_confidential: bool | None = None
    allow_forwarding: bool | None = None


@dataclass(slots=True)
class InitializeCorrespondences:
    """C1/C2's body: one correspondence to 1–500 recipients (``0192:ORGNR``, a national id or a URN)."""

    correspondence: Correspondence
    recipients: list[str]
    existing_attachments: list[UUID] = field(default_factory=list)
    idempotent_key: UUID | None = None


@dataclass(slots=True)
class InitializeAttachment:
    """A1: a shared attachment, uploaded once (A2) and used by several correspondences."""

    resource_id: str
    file_name: str
    senders_reference: str
    display_name: str | None = None
    is_encrypted: bool | None = None
    checksum: str | None = None
    expiration_in_days: int | None = None


@dataclass(frozen=True, slots=True)
class NewAttachment:
    """A file for ``initialize_with_attachments``: matched to its metadata by ``file_name``."""

    file_name: str
    content: bytes
    content_type: str = "application/octet-stream"


# ------------------------------------------------------------------------------------------ responses


@dataclass(slots=True)
class InitializedCorrespondence:
    correspondence_id: UUID
    status: CorrespondenceStatus
    recipient: str
    notifications: list[dict[str, Any]] | None = None


@dataclass(slots=True)
class InitializeCorrespondencesResponse:
    correspondences: list[InitializedCorrespondence]
    attachment_ids: list[UUID] = field(default_factory=list)


@dataclass(slots=True)
class CorrespondenceStatusEvent:
    status: CorrespondenceStatus
    status_text: str | None = None
    status_changed: datetime | None = None


@dataclass(slots=True)
class AttachmentStatusEvent:
    status: AttachmentStatus
    status_text: str | None = None
    status_changed: datetime | None = None


@dataclass(slots=True)
class CorrespondenceAttachment:
    id: UUID
    file_name: str | None = None
    display_name: str | None = None
    is_encrypted: bool | None = None
    checksum: str | None = None
    senders_reference: str | None = None
    data_location_type: str | None = None
    created: datetime | None = None
    status: AttachmentStatus | None = None
    status_text: str | None = None
    status_changed: datetime | None = None
    data_type: str | None = None
    expiration_time: datetime | None = None


@dataclass(slots=True)
class CorrespondenceContent:
    language: str | None = None
    message_title: str | None = None
    message_summary: str | None = None
    message_body: str | None = None
    attachments: list[CorrespondenceAttachment] = field(default_factory=list)


@dataclass(slots=True)
class NotificationRecipient:
    email_address: str | None = None
    mobile_number: str | None = None
    organization_number: str | None = None
    national_identity_number: str | None = None
    is_reserved: bool | None = None


@dataclass(slots=True)
class NotificationStatus:
    status: str | None = None
    description: str | None = None
    last_update: datetime | None = None


@dataclass(slots=True)
class NotificationSending:
    """One e-mail or SMS of a notification order."""

    id: UUID | None = None
    succeeded: bool | None = None
    recipient: NotificationRecipient | None = None
    send_status: NotificationStatus | None = None


@dataclass(slots=True)
class NotificationStatusDetails:
    email: NotificationSending | None = None
    sms: NotificationSending | None = None
    emails: list[NotificationSending] = field(default_factory=list)
    smses: list[NotificationSending] = field(default_factory=list)


@dataclass(slots=True)
class NotificationSummary:
    """A notification order: the overview gives ``notification_order_id`` and ``is_reminder``; details
    give the rest (``NotificationExt``: who, which channel, its processing and each sending)."""

    notification_order_id: UUID | None = None
    is_reminder: bool | None = None
    id: UUID | None = None
    senders_reference: str | None = None
    creator: str | None = None
    created: datetime | None = None
    notification_channel: str | None = None
    ignore_reservation: bool | None = None
    resource_id: str | None = None
    processing_status: NotificationStatus | None = None
    notification_status_details: NotificationStatusDetails | None = None


@dataclass(slots=True)
class CorrespondenceOverview:
    correspondence_id: UUID
    status: CorrespondenceStatus
    resource_id: str | None = None
    recipient: str | None = None
    sender: str | None = None
    senders_reference: str | None = None
    message_sender: str | None = None
    content: CorrespondenceContent | None = None
    created: datetime | None = None
    status_text: str | None = None
    status_changed: datetime | None = None
    requested_publish_time: datetime | None = None
    published: datetime | None = None
    read: datetime | None = None
    due_date_time: datetime | None = None
    is_confirmation_needed: bool | None = None
    is_confidential: bool | None = None
    allow_forwarding: bool | None = None
    ignore_reservation: bool | None = None
    property_list: dict[str, str] | None = None
    reply_options: list[ReplyOption] | None = None
    external_references: list[ExternalReference] | None = None
    notifications: list[NotificationSummary] | None = None
    altinn2_correspondence_id: int | None = None


@dataclass(slots=True)
class CorrespondenceDetails(CorrespondenceOverview):
    status_history: list[CorrespondenceStatusEvent] = field(default_factory=list)
    system_label: str | None = None


@dataclass(slots=True)
class AttachmentOverview:
    attachment_id: UUID
    status: AttachmentStatus
    resource_id: str | None = None
    sender: str | None = None
    file_name: str | None = None
    display_name: str | None = None
    is_encrypted: bool | None = None
    checksum: str | None = None
    senders_reference: str | None = None
    expiration_in_days: int | None = None
    status_text: str | None = None
    status_changed: datetime | None = None
    correspondence_ids: list[UUID] = field(default_factory=list)
    data_type: str | None = None


@dataclass(slots=True)
class AttachmentDetails(AttachmentOverview):
    status_history: list[AttachmentStatusEvent] = field(default_factory=list)
