"""Postbud's own JSON body for one event: of a letter (``shipment.<type>``) or a batch (``batch.<state>``)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from postbud.domain.attachments import attachment_event_name
from postbud.domain.batches import batch_event_name
from postbud.domain.events import ShipmentEvent
from postbud.domain.shipments import Shipment
from postbud.services.runtime import Runtime
from postbud.webhooks.notices import (
    AttachmentNotice,
    BatchNotice,
    LetterNotice,
    Notice,
    ProbeNotice,
    load_notice,
)

TYPE_PREFIX = "shipment."
TEST_TYPE = "webhook.test"


def payload(event: ShipmentEvent, shipment: Shipment) -> dict[str, Any]:
    return {
        "id": str(event.id),
        "type": TYPE_PREFIX + event.type.value,
        "created_at": event.at.isoformat(),
        "data": {
            "shipment_id": str(shipment.id),
            "sender_id": str(shipment.sender_id),
            "external_id": shipment.external_id,
            "dialect": shipment.dialect,
            "channel": shipment.channel.value if shipment.channel else None,
            "status": shipment.status.value,
            "recipient": shipment.recipient_party,
            "event": event.data,
        },
    }


def batch_payload(notice: BatchNotice) -> dict[str, Any]:
    batch, event = notice.batch, notice.event
    return {
        "id": str(event.id),
        "type": batch_event_name(event.type),
        "created_at": event.at.isoformat(),
        "data": {
            "batch_id": str(batch.id),
            "sender_id": str(batch.sender_id),
            "external_id": batch.external_id,
            "dialect": batch.dialect,
            "name": batch.name,
            "status": batch.status.value,
            "state": batch.state.value,
            "output_at": batch.output_at.isoformat() if batch.output_at else None,
            "letters": [
                {
                    "shipment_id": str(letter.id),
                    "external_id": letter.external_id,
                    "status": letter.status.value,
                    "channel": letter.channel.value if letter.channel else None,
                }
                for letter in notice.letters
            ],
            "event": event.data,
        },
    }


def probe_payload(notice: ProbeNotice) -> dict[str, Any]:
    return {
        "id": str(notice.id),
        "type": TEST_TYPE,
        "created_at": notice.at.isoformat(),
        "data": {
            "webhook_id": str(notice.webhook_id),
            "sender_id": str(notice.sender_id),
            "message": "A test event from Postbud: this subscription's URL and secret work.",
        },
    }


def attachment_payload(notice: AttachmentNotice) -> dict[str, Any]:
    attachment, event = notice.attachment, notice.event
    return {
        "id": str(event.id),
        "type": attachment_event_name(event.status),
        "created_at": event.at.isoformat(),
        "data": {
            "attachment_id": str(attachment.id),
            "sender_id": str(attachment.sender_id),
            "dialect": attachment.dialect,
            "file_name": attachment.file_name,
            "status": attachment.status.value,
            "text": event.text,
        },
    }


def notice_payload(notice: Notice) -> dict[str, Any]:
    if isinstance(notice, LetterNotice):
        return payload(notice.event, notice.shipment)
    if isinstance(notice, AttachmentNotice):
        return attachment_payload(notice)
    return batch_payload(notice)


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


async def event_body(runtime: Runtime, event_id: uuid.UUID) -> bytes:
    """The standard body for ``event_id``, with the letter's or batch's status as it is now."""
    return encode(notice_payload(await load_notice(runtime, event_id)))
