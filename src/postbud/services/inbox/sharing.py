"""Document sharing ("Digipost Control"): a recipient shares documents with the sender who asked.

A sharing request is a letter whose primary document carries a ``share-documents-request``
datatype. Its recipient shares letters from their inbox (origin: the organisation that sent
them) or uploads files (origin: themself). The first share starts the countdown: the documents can
be fetched until ``shared_at + max_share_duration_seconds`` — later shares never extend it — or
until the recipient withdraws or the sender stops the sharing. Whichever comes first ends it for
good; expiry is read off the (sandbox) clock, so nothing has to run when it passes.

Uploads are limited to PDF, PNG and JPEG: what people keep as documents and what a browser can show
as it is. The declared type must match the file's signature. A request that names allowed origin
organisations accepts only inbox letters from those organisations, so no uploads.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import PurePath

from postbud.domain.channels import Channel
from postbud.domain.datatypes import ShareDocumentsRequest, datatype_from_dict
from postbud.domain.errors import (
    Conflict,
    ConflictCode,
    NotFound,
    NotPermitted,
    PermissionCode,
    RuleCode,
    ValidationFailed,
)
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.ids import new_id
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime
from postbud.storage.blobs import BlobRef

# The shared documents this use case returns are part of its interface: outer layers import them from here.
from postbud.storage.repos.sharing import OriginKind as OriginKind
from postbud.storage.repos.sharing import Share
from postbud.storage.repos.sharing import SharedDocument as SharedDocument
from postbud.storage.unit_of_work import SqlUnitOfWork

REQUEST_KIND = ShareDocumentsRequest.kind

# mime → (file type, leading bytes every such file starts with)
UPLOAD_TYPES: dict[str, tuple[str, bytes]] = {
    "application/pdf": ("pdf", b"%PDF-"),
    "image/png": ("png", b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": ("jpg", b"\xff\xd8\xff"),
}
_INBOX_CHANNELS = frozenset({Channel.DIGITAL_MAILBOX, Channel.BUSINESS_INBOX})
_RECEIVED = frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.OPENED})
_SUBJECT_MAX = 255


@dataclass(frozen=True, slots=True)
class InboxDocument:
    """One document of a letter in the recipient's inbox, by its id."""

    document_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class Upload:
    content: bytes
    filename: str
    mime: str


SharedItem = InboxDocument | Upload


class SharingEnd(StrEnum):
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    """By the recipient."""
    STOPPED = "stopped"
    """By the sender."""


@dataclass(frozen=True, slots=True)
class SharingState:
    request_shipment_id: uuid.UUID
    sender_id: uuid.UUID
    recipient_id: uuid.UUID | None
    purpose: str
    max_share_duration: timedelta
    allowed_origin_organisation_numbers: tuple[str, ...]
    documents: tuple[SharedDocument, ...]
    """Everything shared, also after the sharing ended; fetchable only while ``active``."""
    shared_at: datetime | None
    expires_at: datetime | None
    withdrawn_at: datetime | None
    stopped_at: datetime | None
    ended: SharingEnd | None
    ended_at: datetime | None
    active: bool
    """Shared, and neither expired, withdrawn nor stopped."""


@dataclass(frozen=True, slots=True)
class SharedContent:
    document: SharedDocument
    content: bytes


# ------------------------------------------------------------------------------------------ queries


async def find_request(runtime: Runtime, sender_id: uuid.UUID, document_external_id: str) -> uuid.UUID:
    """The sharing request a sender knows by its primary document's id (Digipost: the uuid)."""
    async with runtime.reader() as uow:
        shipment = await uow.shipments.by_document_external_id(sender_id, document_external_id)
    if shipment is None or shipment.primary.external_id != document_external_id:
        raise NotFound("share-documents-request", document_external_id)
    _request_of(shipment)
    return shipment.id


async def sharing_state(
    runtime: Runtime, request_shipment_id: uuid.UUID, *, now: datetime | None = None
) -> SharingState:
    async with runtime.reader() as uow:
        shipment, request = await _load_request(uow, request_shipment_id)
        share = await uow.sharing.get(request_shipment_id)
    return _state(shipment, request, share, now or runtime.clock.now())


async def shared_document_content(
    runtime: Runtime,
    request_shipment_id: uuid.UUID,
    shared_document_id: uuid.UUID,
    *,
    now: datetime | None = None,
) -> SharedContent:
    """The bytes of a shared document; refused once the sharing has ended."""
    state = await sharing_state(runtime, request_shipment_id, now=now)
    document = next((d for d in state.documents if d.id == shared_document_id), None)
    if document is None:
        raise NotFound("shared-document", shared_document_id)
    _require_active(state)
    return SharedContent(document, await runtime.blobs.get(document.sha256))


# ------------------------------------------------------------------------------------------ commands


async def share_documents(
    runtime: Runtime,
    request_shipment_id: uuid.UUID,
    recipient_id: uuid.UUID,
    documents: Sequence[SharedItem],
) -> SharingState:
    """Share inbox documents and uploads; the first share starts the countdown."""
    if not documents:
        raise ValidationFailed.of("documents", "share at least one document", RuleCode.TOO_FEW)
    uploads = [(i, item) for i, item in enumerate(documents) if isinstance(item, Upload)]
    for index, upload in uploads:
        _check_upload(index, upload, runtime.settings.max_document_bytes)
    # Refuse what the stored state already refuses before writing any upload to the blob store.
    async with runtime.reader() as uow:
        shipment, request = await _load_request(uow, request_shipment_id)
        share = await uow.sharing.get(request_shipment_id)
    _check_can_share(shipment, request, recipient_id, uploads)
    _check_not_ended(_state(shipment, request, share, runtime.clock.now()))
    refs = await runtime.blobs.put_many([upload.content for _, upload in uploads]) if uploads else []
    blob_of = {index: ref for (index, _), ref in zip(uploads, refs, strict=True)}

    async with runtime.unit_of_work() as uow:
        now = runtime.clock.now()
        shipment, request = await _load_request(uow, request_shipment_id, for_update=True)
        share = await uow.sharing.get(request_shipment_id)
        _check_can_share(shipment, request, recipient_id, uploads)
        _check_not_ended(_state(shipment, request, share, now))
        recipient = await uow.recipients.get(recipient_id)
        already = {d.source_document_id for d in share.documents} if share else set()
        position = len(share.documents) if share else 0
        snapshots: list[SharedDocument] = []
        for index, item in enumerate(documents):
            if isinstance(item, InboxDocument):
                if item.document_id in already:
                    raise Conflict(
                        f"documents[{index}]",
                        f"document {item.document_id} is already shared",
                        ConflictCode.ALREADY_DONE,
                    )
                already.add(item.document_id)
                snapshot = await _inbox_snapshot(uow, index, item, recipient_id, request, position, now)
            else:
                owner = recipient.name if recipient else None
                snapshot = _upload_snapshot(item, blob_of[index], owner, position, now)
            snapshots.append(snapshot)
            position += 1
        if share is None:
            share = _new_share(shipment, recipient_id, request)
            await uow.sharing.add(share, now=now)
        if share.shared_at is None:
            expires_at = _expiry(now, request.max_share_duration_seconds)
            await uow.sharing.start(request_shipment_id, shared_at=now, expires_at=expires_at)
        await uow.sharing.add_documents(request_shipment_id, snapshots)
        shared_ids = [str(s.id) for s in snapshots]
        await record_events(
            uow,
            shipment,
            [EventDraft(EventType.DOCUMENTS_SHARED, data={"document_ids": shared_ids})],
            now=now,
        )
        stored = await uow.sharing.get(request_shipment_id)
    return _state(shipment, request, stored, now)


async def withdraw_sharing(
    runtime: Runtime, request_shipment_id: uuid.UUID, recipient_id: uuid.UUID
) -> SharingState:
    """The recipient takes their consent back: the sender can no longer fetch anything."""
    async with runtime.unit_of_work() as uow:
        now = runtime.clock.now()
        shipment, request = await _load_request(uow, request_shipment_id, for_update=True)
        if shipment.recipient_id != recipient_id:
            raise NotPermitted(
                "only the recipient of a sharing request may withdraw the sharing", PermissionCode.NOT_OWNER
            )
        share = await uow.sharing.get(request_shipment_id)
        state = _state(shipment, request, share, now)
        if share is None or state.shared_at is None:
            raise Conflict(
                "sharing",
                "nothing has been shared yet, so there is nothing to withdraw",
                ConflictCode.NOT_YET,
            )
        _check_not_ended(state)
        await uow.sharing.withdraw(request_shipment_id, at=now)
        draft = EventDraft(EventType.SHARING_WITHDRAWN, dedup_key="sharing_withdrawn")
        await record_events(uow, shipment, [draft], now=now)
        stored = await uow.sharing.get(request_shipment_id)
    return _state(shipment, request, stored, now)


async def stop_sharing(
    runtime: Runtime, request_shipment_id: uuid.UUID, sender_id: uuid.UUID
) -> SharingState:
    """The sender needs the documents no longer; before anything is shared it closes the request."""
    async with runtime.unit_of_work() as uow:
        now = runtime.clock.now()
        shipment, request = await _load_request(uow, request_shipment_id, for_update=True)
        if shipment.sender_id != sender_id:
            raise NotPermitted(
                "only the sender of a sharing request may stop the sharing", PermissionCode.NOT_OWNER
            )
        share = await uow.sharing.get(request_shipment_id)
        _check_not_ended(_state(shipment, request, share, now))
        if share is None:
            if shipment.recipient_id is None:
                raise Conflict("request", "the request never reached a recipient", ConflictCode.WRONG_STATE)
            await uow.sharing.add(_new_share(shipment, shipment.recipient_id, request), now=now)
        await uow.sharing.stop(request_shipment_id, at=now)
        draft = EventDraft(EventType.SHARING_STOPPED, dedup_key="sharing_stopped")
        await record_events(uow, shipment, [draft], now=now)
        stored = await uow.sharing.get(request_shipment_id)
    return _state(shipment, request, stored, now)


# ------------------------------------------------------------------------------------------ rules


def _request_of(shipment: Shipment) -> ShareDocumentsRequest:
    datatype = shipment.primary.datatype if shipment.documents else None
    if not datatype or datatype.get("kind") != REQUEST_KIND:
        raise NotFound("share-documents-request", shipment.id)
    request = datatype_from_dict(REQUEST_KIND, datatype)
    assert isinstance(request, ShareDocumentsRequest)
    return request


async def _load_request(
    uow: SqlUnitOfWork, shipment_id: uuid.UUID, *, for_update: bool = False
) -> tuple[Shipment, ShareDocumentsRequest]:
    shipment = await uow.shipments.get(shipment_id, for_update=for_update)
    if shipment is None:
        raise NotFound("share-documents-request", shipment_id)
    return shipment, _request_of(shipment)


def _in_inbox(shipment: Shipment) -> bool:
    return shipment.status in _RECEIVED and shipment.channel in _INBOX_CHANNELS


def _check_can_share(
    shipment: Shipment,
    request: ShareDocumentsRequest,
    recipient_id: uuid.UUID,
    uploads: Sequence[tuple[int, Upload]],
) -> None:
    if shipment.recipient_id != recipient_id:
        raise NotPermitted(
            "only the recipient of a sharing request may share documents in it", PermissionCode.NOT_OWNER
        )
    if not _in_inbox(shipment):
        raise Conflict(
            "request",
            "the sharing request has not been delivered to the recipient's inbox",
            ConflictCode.NOT_YET,
        )
    if request.max_share_duration_seconds <= 0:
        raise Conflict(
            "max_share_duration_seconds",
            "is not positive, so nothing can be shared",
            ConflictCode.WRONG_STATE,
        )
    if uploads and request.allowed_origin_organisation_numbers:
        index = uploads[0][0]
        allowed = ", ".join(request.allowed_origin_organisation_numbers)
        raise ValidationFailed.of(
            f"documents[{index}]",
            f"uploads are not accepted: only documents from organisations {allowed}",
            RuleCode.INVALID,
        )


def _check_upload(index: int, upload: Upload, max_bytes: int) -> None:
    field = f"documents[{index}]"
    if not upload.filename.strip():
        raise ValidationFailed.of(f"{field}.filename", "must not be blank", RuleCode.EMPTY)
    known = UPLOAD_TYPES.get(upload.mime.lower())
    if known is None:
        raise ValidationFailed.of(
            f"{field}.mime", f"must be one of {', '.join(UPLOAD_TYPES)}", RuleCode.FILE_TYPE
        )
    if not upload.content:
        raise ValidationFailed.of(f"{field}.content", "must not be empty", RuleCode.EMPTY)
    if len(upload.content) > max_bytes:
        raise ValidationFailed.of(f"{field}.content", f"larger than {max_bytes} bytes", RuleCode.TOO_LARGE)
    if not upload.content.startswith(known[1]):
        raise ValidationFailed.of(f"{field}.content", f"is not a {known[0].upper()} file", RuleCode.FILE_TYPE)


def _ending(share: Share | None, now: datetime) -> tuple[SharingEnd, datetime] | None:
    if share is None:
        return None
    if share.stopped_at is not None:
        return SharingEnd.STOPPED, share.stopped_at
    if share.withdrawn_at is not None:
        return SharingEnd.WITHDRAWN, share.withdrawn_at
    if share.expires_at is not None and now >= share.expires_at:
        return SharingEnd.EXPIRED, share.expires_at
    return None


_ENDED_RULE = {
    SharingEnd.EXPIRED: "the sharing expired at {at}",
    SharingEnd.WITHDRAWN: "the sharing was withdrawn by the recipient at {at}",
    SharingEnd.STOPPED: "the sharing was stopped by the sender at {at}",
}


def _check_not_ended(state: SharingState) -> None:
    if state.ended is not None and state.ended_at is not None:
        raise Conflict(
            "sharing",
            _ENDED_RULE[state.ended].format(at=state.ended_at.isoformat()),
            ConflictCode.WRONG_STATE,
        )


def _require_active(state: SharingState) -> None:
    _check_not_ended(state)
    if not state.active:
        raise Conflict("sharing", "nothing has been shared yet", ConflictCode.NOT_YET)


def _expiry(shared_at: datetime, seconds: int) -> datetime:
    try:
        return shared_at + timedelta(seconds=seconds)
    except OverflowError:  # a duration past year 9999 means "never" in practice
        return datetime.max.replace(tzinfo=UTC)


def _new_share(shipment: Shipment, recipient_id: uuid.UUID, request: ShareDocumentsRequest) -> Share:
    return Share(
        shipment_id=shipment.id,
        sender_id=shipment.sender_id,
        recipient_id=recipient_id,
        max_share_seconds=request.max_share_duration_seconds,
    )


def _state(
    shipment: Shipment, request: ShareDocumentsRequest, share: Share | None, now: datetime
) -> SharingState:
    ending = _ending(share, now)
    shared_at = share.shared_at if share else None
    try:
        duration = timedelta(seconds=request.max_share_duration_seconds)
    except OverflowError:
        duration = timedelta.max
    return SharingState(
        request_shipment_id=shipment.id,
        sender_id=shipment.sender_id,
        recipient_id=shipment.recipient_id,
        purpose=request.purpose,
        max_share_duration=duration,
        allowed_origin_organisation_numbers=tuple(request.allowed_origin_organisation_numbers),
        documents=share.documents if share else (),
        shared_at=shared_at,
        expires_at=share.expires_at if share else None,
        withdrawn_at=share.withdrawn_at if share else None,
        stopped_at=share.stopped_at if share else None,
        ended=ending[0] if ending else None,
        ended_at=ending[1] if ending else None,
        active=shared_at is not None and ending is None,
    )


# ------------------------------------------------------------------------------------------ snapshots


def _subject(*candidates: str | None) -> str:
    for candidate in candidates:
        if candidate and candidate.strip():
            return candidate.strip()[:_SUBJECT_MAX]
    return "Dokument"


async def _delivered_at(uow: SqlUnitOfWork, letter: Shipment) -> datetime:
    for event in await uow.events.for_shipment(letter.id):
        if event.type is EventType.DELIVERED:
            return event.at
    return letter.publish_at or letter.created_at


async def _inbox_snapshot(
    uow: SqlUnitOfWork,
    index: int,
    item: InboxDocument,
    recipient_id: uuid.UUID,
    request: ShareDocumentsRequest,
    position: int,
    now: datetime,
) -> SharedDocument:
    # A document that is not in this recipient's inbox is "not found", whoever else holds it.
    letter_id = await uow.sharing.shipment_of_document(item.document_id)
    letter = await uow.shipments.get(letter_id) if letter_id else None
    if letter is None or letter.recipient_id != recipient_id or not _in_inbox(letter):
        raise NotFound("document", item.document_id)
    document = next(d for d in letter.documents if d.id == item.document_id)
    origin = await uow.senders.get(letter.sender_id)
    orgnr = origin.organisation_number if origin else None
    allowed = request.allowed_origin_organisation_numbers
    if allowed and orgnr not in allowed:
        raise ValidationFailed.of(
            f"documents[{index}]",
            f"comes from organisation {orgnr}, not one of the allowed origins {', '.join(allowed)}",
            RuleCode.INVALID,
        )
    return SharedDocument(
        id=new_id(),
        position=position,
        source_document_id=document.id,
        subject=_subject(document.title, letter.subject),
        file_type=document.file_type,
        mime=document.mime,
        sha256=document.sha256,
        size=document.size,
        delivered_at=await _delivered_at(uow, letter),
        origin_kind=OriginKind.ORGANISATION,
        origin_name=origin.name if origin else None,
        origin_organisation_number=orgnr,
        shared_at=now,
    )


def _upload_snapshot(
    upload: Upload, blob: BlobRef, owner_name: str | None, position: int, now: datetime
) -> SharedDocument:
    file_type = UPLOAD_TYPES[upload.mime.lower()][0]
    name = PurePath(upload.filename.strip().replace("\\", "/")).name
    return SharedDocument(
        id=new_id(),
        position=position,
        source_document_id=None,
        subject=_subject(PurePath(name).stem, name),
        file_type=file_type,
        mime=upload.mime.lower(),
        sha256=blob.sha256,
        size=blob.size,
        delivered_at=now,
        origin_kind=OriginKind.PRIVATE_PERSON,
        origin_name=owner_name,
        origin_organisation_number=None,
        shared_at=now,
    )
