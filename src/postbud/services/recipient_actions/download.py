"""Use case: the recipient downloads one of a letter's documents, noted once per document."""

from __future__ import annotations

import uuid
from datetime import datetime

from postbud.domain.attachments import AttachmentStatus
from postbud.domain.documents import Document
from postbud.domain.errors import NotFound
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.letter_actions import Caller, check_download, require_recipient
from postbud.services.letters.locked_letter import LockedLetter, lock_letter
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime
from postbud.storage.unit_of_work import SqlUnitOfWork

_GONE = frozenset({AttachmentStatus.PURGED, AttachmentStatus.EXPIRED})


def downloaded_key(document_id: uuid.UUID) -> str:
    return f"attachment_downloaded:{document_id}"


async def download_document(
    runtime: Runtime, caller: Caller, shipment_id: uuid.UUID, document_id: uuid.UUID
) -> Document:
    """The document to stream (its blob is ``Document.sha256``). Refused once it has expired."""
    now = runtime.clock.now()
    async with runtime.reader() as uow:  # a download noted before needs no write lock
        letter = await lock_letter(uow, shipment_id, lock=False)
        document = await _downloadable(uow, caller, letter, document_id, now)
        if str(document_id) in letter.facts.downloaded:
            return document
    async with runtime.unit_of_work() as uow:
        letter = await lock_letter(uow, shipment_id)
        document = await _downloadable(uow, caller, letter, document_id, now)
        data = {"document_id": str(document_id), "title": document.title}
        if document.attachment_id is not None:  # the stand-alone attachment it is (Altinn's id)
            data["attachment_id"] = str(document.attachment_id)
        draft = EventDraft(
            EventType.ATTACHMENT_DOWNLOADED, letter.shipment.channel, data, downloaded_key(document_id)
        )
        await record_events(uow, letter.shipment, [draft], now=now)
    return document


async def _downloadable(
    uow: SqlUnitOfWork, caller: Caller, letter: LockedLetter, document_id: uuid.UUID, now: datetime
) -> Document:
    """The letter's document, if its recipient may download it now."""
    require_recipient(caller, letter.shipment)
    document = next((d for d in letter.shipment.documents if d.id == document_id), None)
    if document is None:
        raise NotFound("document", document_id)
    terms = await uow.letter_terms.get(letter.shipment.id)
    expiries = [e.expires_at for e in terms.document_expiry if e.document_id == document_id] if terms else []
    ended = False
    if document.attachment_id is not None:
        attachment = await uow.attachments.get(document.attachment_id)
        ended = attachment is None or attachment.status in _GONE
        if attachment is not None and attachment.expires_at is not None:
            expiries.append(attachment.expires_at)
    check_download(letter.facts, document_id, min(expiries, default=None), now, attachment_ended=ended)
    return document
