"""The response models of §3.8 as JSON: correspondence overview and details, and attachments.

Pure: the handler gathers the letter, its events, its attachments and its body; these write them in
Altinn's words (camelCase, enums by name, nulls written, times with their offset).
"""

from __future__ import annotations

import mimetypes
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from postbud.dialects.altinn import notifications_view
from postbud.dialects.altinn.recipients import urn_of
from postbud.dialects.altinn.statuses import (
    ATTACHMENT_STATUSES,
    HIDDEN_FROM_SENDER,
    CorrespondenceStatus,
    StatusEntry,
    current,
)
from postbud.dialects.altinn.stored import CorrespondenceRecord
from postbud.dialects.altinn.wire import time_out
from postbud.domain.attachments import Attachment, AttachmentEvent
from postbud.domain.events import ShipmentEvent
from postbud.domain.shipments import Shipment


def data_type(file_name: str) -> str:
    """The MIME type a file name's extension gives; the real service's word for an unknown one."""
    guessed, _ = mimetypes.guess_type(file_name)
    return guessed or "binary_octet_stream"


@dataclass(frozen=True, slots=True)
class Correspondence:
    """What one correspondence view is made of."""

    shipment: Shipment
    record: CorrespondenceRecord
    history: list[StatusEntry]
    body: str
    attachments: Sequence[Attachment]
    as_sender: bool
    events: Sequence[ShipmentEvent] = ()

    @property
    def published(self) -> bool:
        return any(e.status is CorrespondenceStatus.Published for e in self.history)


def attachment_in_content(attachment: Attachment, expires_at: Any = None) -> dict[str, Any]:
    status = ATTACHMENT_STATUSES[attachment.status]
    return {
        "id": str(attachment.id),
        "fileName": attachment.file_name,
        "displayName": attachment.name,
        "isEncrypted": bool(attachment.properties.get("isEncrypted", False)),
        "checksum": attachment.md5,
        "sendersReference": attachment.senders_reference or "",
        "expirationInDays": None,
        "dataLocationType": "AltinnCorrespondenceAttachment",
        "created": time_out(attachment.created_at),
        "status": status.name,
        "statusText": status.name,
        "statusChanged": time_out(attachment.updated_at),
        "dataType": data_type(attachment.file_name),
        "expirationTime": time_out(attachment.expires_at),
    }


def _content(view: Correspondence) -> dict[str, Any]:
    if view.as_sender and view.published:
        # The real service shows its sender no content once the correspondence is published.
        return {
            "language": "no",
            "messageTitle": "",
            "messageSummary": "",
            "messageBody": "",
            "attachments": [],
        }
    record = view.record
    return {
        "language": record.language,
        "messageTitle": record.title,
        "messageSummary": record.summary,
        "messageBody": view.body,
        "attachments": [attachment_in_content(a) for a in view.attachments],
    }


def _first(view: Correspondence, status: CorrespondenceStatus) -> str | None:
    return next((time_out(e.at) for e in view.history if e.status is status), None)


def overview(view: Correspondence) -> dict[str, Any]:
    record = view.record
    now = current(view.history)
    return {
        "recipient": urn_of(view.shipment.recipient_party),
        "correspondenceId": str(view.shipment.id),
        "content": _content(view),
        "created": time_out(view.shipment.created_at),
        "status": now.status.name,
        "statusText": now.text,
        "statusChanged": time_out(now.at),
        "resourceId": record.resource_id,
        "sender": record.sender_urn,
        "sendersReference": view.shipment.senders_reference or "",
        "messageSender": record.message_sender,
        "requestedPublishTime": record.requested_publish_time,
        "dueDateTime": record.due_date_time,
        "externalReferences": record.external_references,
        "propertyList": record.property_list,
        "replyOptions": record.reply_options,
        "notification": None,
        "ignoreReservation": record.ignore_reservation,
        "published": _first(view, CorrespondenceStatus.Published),
        "isConfirmationNeeded": record.is_confirmation_needed,
        "isConfidential": record.is_confidential,
        "allowForwarding": record.allow_forwarding,
        "notifications": notifications_view.summaries(view.events),
        "altinn2CorrespondenceId": None,
        "read": _first(view, CorrespondenceStatus.Read),
    }


def details(view: Correspondence) -> dict[str, Any]:
    body = overview(view)
    history = [e for e in view.history if not (view.as_sender and e.status in HIDDEN_FROM_SENDER)]
    body["statusHistory"] = [
        {"status": e.status.name, "statusText": e.text, "statusChanged": time_out(e.at)} for e in history
    ]
    body["notifications"] = notifications_view.details(view.shipment, view.record, view.events)
    body["systemLabel"] = "Default"
    return body


def attachment_overview(
    attachment: Attachment, sender_urn: str, correspondence_ids: Sequence[uuid.UUID]
) -> dict[str, Any]:
    status = ATTACHMENT_STATUSES[attachment.status]
    return {
        "attachmentId": str(attachment.id),
        "resourceId": attachment.properties.get("resourceId", ""),
        "sender": sender_urn,
        "fileName": attachment.file_name,
        "displayName": attachment.name,
        "isEncrypted": False,
        "checksum": attachment.md5,
        "sendersReference": attachment.senders_reference or "",
        "expirationInDays": attachment.properties.get("expirationInDays"),
        "status": status.name,
        "statusText": status.name,
        "statusChanged": time_out(attachment.updated_at),
        "correspondenceIds": [str(i) for i in correspondence_ids],
        "dataType": data_type(attachment.file_name),
    }


def attachment_details(
    attachment: Attachment,
    sender_urn: str,
    correspondence_ids: Sequence[uuid.UUID],
    history: Sequence[AttachmentEvent],
) -> dict[str, Any]:
    body = attachment_overview(attachment, sender_urn, correspondence_ids)
    body["statusHistory"] = [
        {
            "status": ATTACHMENT_STATUSES[e.status].name,
            "statusText": e.text or ATTACHMENT_STATUSES[e.status].name,
            "statusChanged": time_out(e.at),
        }
        for e in history
    ]
    return body
