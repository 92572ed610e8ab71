"""What one webhook delivery tells about: an event of a letter, of a batch, or of an attachment.

A delivery names an event id; it is found in the letters' event log or in the batches' own log.
The notice carries the letter or batch as it is now, for every format to render.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from postbud.domain.attachments import Attachment
from postbud.domain.batches import Batch, BatchEvent
from postbud.domain.channels import Channel
from postbud.domain.errors import NotFound
from postbud.domain.events import ShipmentEvent
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.runtime import Runtime
from postbud.storage.repos.attachments import StoredAttachmentEvent
from postbud.storage.unit_of_work import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class LetterNotice:
    event: ShipmentEvent
    shipment: Shipment


@dataclass(frozen=True, slots=True)
class BatchLetter:
    """One letter of a batch as a batch event reports it (an Ekopost envelope's id and status)."""

    id: uuid.UUID
    external_id: str | None
    status: ShipmentStatus
    channel: Channel | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class BatchNotice:
    event: BatchEvent
    batch: Batch
    letters: tuple[BatchLetter, ...]


@dataclass(frozen=True, slots=True)
class AttachmentNotice:
    """A step of a stand-alone attachment's history (Altinn's shared attachment)."""

    event: StoredAttachmentEvent
    attachment: Attachment
    sender_organisation_number: str | None


Notice = LetterNotice | BatchNotice | AttachmentNotice


@dataclass(frozen=True, slots=True)
class ProbeNotice:
    """A test event an operator or sender asked for: no letter or batch, rendered by the core only."""

    id: uuid.UUID
    webhook_id: uuid.UUID
    sender_id: uuid.UUID
    at: datetime


async def load_notice(runtime: Runtime, event_id: uuid.UUID) -> Notice:
    """NotFound if the event, or its letter or batch, is not (or no longer) there."""
    async with runtime.reader() as uow:
        event = await uow.events.get(event_id)
        if event is not None:
            shipment = await uow.shipments.get(event.shipment_id)
            if shipment is None:
                raise NotFound("shipment", event.shipment_id)
            return LetterNotice(event, shipment)
        batch_event = await uow.batches.event(event_id)
        if batch_event is None:
            return await _attachment_notice(uow, event_id)
        batch = await uow.batches.get(batch_event.batch_id)
        if batch is None:
            raise NotFound("batch", batch_event.batch_id)
        letters = tuple(
            BatchLetter(letter.id, letter.external_id, letter.status, letter.channel, letter.updated_at)
            for letter in await uow.batches.letters(batch.id)
        )
    return BatchNotice(batch_event, batch, letters)


async def _attachment_notice(uow: SqlUnitOfWork, event_id: uuid.UUID) -> AttachmentNotice:
    event = await uow.attachments.event(event_id)
    if event is None:
        raise NotFound("event", event_id)
    attachment = await uow.attachments.get(event.attachment_id)
    if attachment is None:
        raise NotFound("attachment", event.attachment_id)
    sender = await uow.senders.get(attachment.sender_id)
    return AttachmentNotice(event, attachment, sender.organisation_number if sender else None)
