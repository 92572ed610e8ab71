"""Use cases: an organisation (a sender with a mailbox of its own) lists the letters it received —
from any dialect, exactly those its web inbox shows — fetches a document through a one-time link
(valid 30 seconds, used once) and deletes a letter (the recipient's purge).

Fetching the content is what marks a letter accessed (``fetched``, then ``attachment_downloaded``);
listing does not.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from postbud.domain.documents import Document
from postbud.domain.errors import FieldError, NotFound, RuleCode, ValidationFailed
from postbud.domain.identifiers import PartyId, PartyIdKind
from postbud.domain.letter_actions import AsRecipient
from postbud.domain.parties import Recipient, Sender
from postbud.domain.shipments import Shipment
from postbud.services.recipient_actions.download import download_document
from postbud.services.recipient_actions.fetch import record_fetched
from postbud.services.recipient_actions.purge import purge_letter
from postbud.services.runtime import Runtime

MAX_LIMIT = 1000
LINK_LIFETIME = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class ReceivedLetter:
    shipment: Shipment
    sender_name: str
    delivered_at: datetime
    first_accessed: datetime | None


async def organisation_mailbox(runtime: Runtime, sender: Sender) -> Recipient:
    """The sender's own mailbox: the recipient with its organisation number and an inbox."""
    party = PartyId(PartyIdKind.NO_ORGANISATION, sender.organisation_number)
    async with runtime.reader() as uow:
        recipient = await uow.recipients.by_party_id(party)
    caps = recipient.capabilities if recipient is not None else None
    if recipient is None or caps is None or not (caps.digital_mailbox or caps.business_inbox):
        raise NotFound("inbox document", f"(no mailbox for {sender.organisation_number})")
    return recipient


def _check_page(offset: int, limit: int) -> None:
    errors = []
    if offset < 0:
        errors.append(FieldError("offset", "must be 0 or more", RuleCode.INVALID))
    if not 1 <= limit <= MAX_LIMIT:
        errors.append(FieldError("limit", f"must be from 1 to {MAX_LIMIT}", RuleCode.INVALID))
    if errors:
        raise ValidationFailed(errors)


async def received_letters(
    runtime: Runtime, sender: Sender, *, offset: int, limit: int
) -> list[ReceivedLetter]:
    """Newest first; ``offset`` and ``limit`` are positions in that list."""
    _check_page(offset, limit)
    try:
        mailbox = await organisation_mailbox(runtime, sender)
    except NotFound:  # every Digipost account has an inbox; with no mailbox of its own, it is empty
        return []
    async with runtime.reader() as uow:
        rows = await uow.received_letters.letters_page(mailbox.id, offset=offset, limit=limit)
    return [
        ReceivedLetter(
            r.shipment, r.sender_name, r.shipment.publish_at or r.shipment.created_at, r.first_accessed
        )
        for r in rows
    ]


async def _letter_in_mailbox(runtime: Runtime, mailbox: Recipient, document_id: uuid.UUID) -> Shipment:
    async with runtime.reader() as uow:
        shipment_id = await uow.received_letters.letter_of_document(document_id)
        held = shipment_id is not None and await uow.inbox.holds(mailbox.id, shipment_id)
        shipment = await uow.shipments.get(shipment_id) if held and shipment_id else None
    if shipment is None:
        raise NotFound("inbox document", document_id)
    return shipment


def _caller(shipment: Shipment) -> AsRecipient:
    return AsRecipient(shipment.recipient_party or "")


async def content_link(runtime: Runtime, sender: Sender, document_id: uuid.UUID) -> str:
    """A token that opens the document once, within ``LINK_LIFETIME``; the letter counts as accessed."""
    mailbox = await organisation_mailbox(runtime, sender)
    shipment = await _letter_in_mailbox(runtime, mailbox, document_id)
    await record_fetched(runtime, _caller(shipment), shipment.id)
    token = secrets.token_urlsafe(32)
    async with runtime.unit_of_work() as uow:
        await uow.received_letters.add_link(
            hashlib.sha256(token.encode()).hexdigest(),
            document_id,
            mailbox.id,
            runtime.wall_clock.now() + LINK_LIFETIME,
        )
    return token


async def open_link(runtime: Runtime, token: str) -> tuple[Document, bytes]:
    """The document behind a link not yet used nor expired (NotFound otherwise); uses it up."""
    async with runtime.unit_of_work() as uow:
        link = await uow.received_letters.use_link(
            hashlib.sha256(token.encode()).hexdigest(), runtime.wall_clock.now()
        )
        shipment_id = await uow.received_letters.letter_of_document(link.document_id) if link else None
        shipment = await uow.shipments.get(shipment_id) if shipment_id else None
    if link is None or shipment is None:
        raise NotFound("inbox document", "link")
    document = await download_document(runtime, _caller(shipment), shipment.id, link.document_id)
    return document, await runtime.blobs.get(document.sha256)


async def delete_letter(runtime: Runtime, sender: Sender, document_id: uuid.UUID) -> None:
    """Remove the letter (named by any of its documents) from the organisation's inbox, web inbox included."""
    mailbox = await organisation_mailbox(runtime, sender)
    shipment = await _letter_in_mailbox(runtime, mailbox, document_id)
    await purge_letter(runtime, _caller(shipment), shipment.id)
