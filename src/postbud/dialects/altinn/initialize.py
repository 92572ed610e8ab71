"""Initialize (C1 JSON, C2 multipart): the checks of §4 in their order, then one core send to many —
one letter per recipient, all or nothing — answered as §3.8's ``InitializeCorrespondencesResponseExt``.

The body is each letter's primary document (Markdown); every attachment is a stand-alone attachment
(the request's uploads become ones first, as the real service stores them before its transaction),
named by every letter.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.responses import JSONResponse, Response

from postbud.dialects.altinn import initialize_rules as rules
from postbud.dialects.altinn.access import owned_resource
from postbud.dialects.altinn.attachment_command import attachment_command
from postbud.dialects.altinn.auth import AltinnCaller
from postbud.dialects.altinn.custom_recipients import custom_contacts
from postbud.dialects.altinn.errors import AltinnError, ValidationProblem, error, upload_refused
from postbud.dialects.altinn.initialize_in import InitializeRequest, NewAttachment
from postbud.dialects.altinn.notification import notice_plan
from postbud.dialects.altinn.recipients import ORGANISATION_URN, AltinnRecipient
from postbud.dialects.altinn.stored import BODY_FILE_TYPE, BODY_MIME, CorrespondenceRecord
from postbud.dialects.altinn.wire import time_out
from postbud.domain.attachments import Attachment, AttachmentStatus
from postbud.domain.channel_options import ChannelOptions
from postbud.domain.channels import Channel
from postbud.domain.documents import DocumentIdScope
from postbud.domain.errors import Conflict, ConflictCode, ValidationFailed
from postbud.domain.letter_terms import Deadlines
from postbud.domain.notice_channels import ContactDetails
from postbud.domain.parties import Recipient
from postbud.domain.resources import Resource
from postbud.services.letters.attachments import (
    initialize_attachment,
    purge_attachment,
    upload_attachment,
)
from postbud.services.letters.letter_request import DocumentInput, SendLetter
from postbud.services.letters.quick_reads import registered_recipients
from postbud.services.letters.send_to_many import AcceptedMany, LetterRecipient, SendToMany, send_to_many
from postbud.services.letters.upload_check import upload_refusal
from postbud.services.runtime import Runtime

MAX_ATTACHMENTS = 100
MAX_FORWARDED_BYTES = 10_000_000
"""A correspondence that allows forwarding (by e-mail) carries at most this much in attachments."""
EXPIRY_MARGIN = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class Upload:
    """One file part of a C2 request."""

    file_name: str
    content: bytes


def _duplicates(recipients: Sequence[AltinnRecipient]) -> bool:
    urns = [r.urn for r in recipients]
    return len(set(urns)) != len(urns)


async def _registered(runtime: Runtime, recipients: Sequence[AltinnRecipient]) -> list[Recipient | None]:
    return await registered_recipients(runtime, [recipient.party for recipient in recipients])


async def _existing(
    runtime: Runtime, ids: Sequence[uuid.UUID], sender_id: uuid.UUID, now: datetime
) -> list[Attachment]:
    """The existing attachments named: 1007 unknown, 1017 another sender's, 1018 not published,
    1055 expiring within six hours."""
    if not ids:
        return []
    async with runtime.reader() as uow:
        found = await uow.attachments.many(list(ids))
    attachments: list[Attachment] = []
    for attachment_id in ids:
        attachment = found.get(attachment_id)
        if attachment is None or attachment.dialect != "altinn":
            raise error(1007)
        if attachment.sender_id != sender_id:
            raise error(1017)
        if attachment.status is not AttachmentStatus.PUBLISHED:
            raise error(1018)
        if attachment.expires_at is not None and attachment.expires_at < now + EXPIRY_MARGIN:
            raise error(1055)
        attachments.append(attachment)
    return attachments


def _matched_uploads(metadata: Sequence[NewAttachment], uploads: Sequence[Upload]) -> list[Upload]:
    """File i goes with metadata i if their names agree, else the one upload of that name (1005)."""
    if len(metadata) != len(uploads):
        raise error(1005)
    matched: list[Upload] = []
    for i, item in enumerate(metadata):
        if uploads[i].file_name == item.file_name:
            matched.append(uploads[i])
            continue
        named = [u for u in uploads if u.file_name == item.file_name]
        if len(named) != 1:
            raise error(1005)
        matched.append(named[0])
    return matched


def _first(*checks: AltinnError | ValidationProblem | None) -> None:
    for check in checks:
        if check is not None:
            raise check


async def _store_uploads(
    runtime: Runtime,
    resource: Resource,
    metadata: Sequence[NewAttachment],
    uploads: Sequence[Upload],
    publish_at: datetime,
) -> list[uuid.UUID]:
    ids: list[uuid.UUID] = []
    for item, upload in zip(metadata, uploads, strict=True):
        attachment = await initialize_attachment(
            attachment_command(item, resource, expiry_from=publish_at),
            runtime,
        )
        try:
            await upload_attachment(resource.owner_sender_id, attachment.id, upload.content, runtime)
        except ValidationFailed as exc:
            raise upload_refused(exc) from None
        ids.append(attachment.id)
    return ids


def _record(
    request: InitializeRequest, resource: Resource, attachment_ids: list[uuid.UUID], publish_at: datetime
) -> CorrespondenceRecord:
    content = request.content
    assert content is not None
    assert content.title is not None
    return CorrespondenceRecord(
        resource_id=resource.id,
        sender_urn=ORGANISATION_URN + resource.owner_organisation_number,
        message_sender=request.message_sender,
        language=content.language.lower(),
        title=content.title,
        summary=content.summary or "",
        requested_publish_time=time_out(publish_at),
        due_date_time=time_out(request.due_date_time),
        external_references=[
            {"referenceValue": r.value, "referenceType": r.type.name} for r in request.external_references
        ],
        property_list=request.property_list,
        reply_options=[{"linkURL": o.url, "linkText": o.text} for o in request.reply_options],
        notification=request.notification.raw if request.notification else None,
        ignore_reservation=request.ignore_reservation,
        is_confirmation_needed=request.is_confirmation_needed,
        is_confidential=request.is_confidential,
        allow_forwarding=request.allow_forwarding,
        idempotent_key=str(request.idempotent_key) if request.idempotent_key else None,
        attachment_ids=[str(i) for i in attachment_ids],
    )


@dataclass(frozen=True, slots=True)
class Checked:
    """What the checks of §4 found, for the send."""

    resource: Resource
    registered: list[Recipient]
    reserved: frozenset[str]
    """The URNs of reserved people among several recipients (sent, and answered ``Reserved``)."""
    existing: list[Attachment]
    uploads: list[Upload]
    """The request's files in the order of their metadata."""


async def _checked(
    runtime: Runtime,
    caller: AltinnCaller,
    request: InitializeRequest,
    uploads: Sequence[Upload],
    now: datetime,
) -> Checked:
    """§4 steps 1–21 in their order; the first broken rule is raised as its catalogue error."""
    if request.idempotent_key is not None and len(request.recipients) > 1:
        raise error(1047)
    resource = await owned_resource(runtime, caller, request.resource_id)
    if request.idempotent_key is not None and await _key_used(runtime, resource, request.idempotent_key):
        raise error(1034)
    if resource.confidential and not request.is_confidential:
        raise error(1060)
    if request.is_confidential and not resource.confidential:
        raise error(1061)
    if request.allow_forwarding and resource.min_auth_level > 0:
        raise error(1068)
    if _duplicates(request.recipients):
        raise error(1006)
    found = await _registered(runtime, request.recipients)
    missing = [r.urn for r, one in zip(request.recipients, found, strict=True) if one is None]
    if missing:
        raise error(1029, ", ".join(missing))
    registered = [one for one in found if one is not None]
    if request.is_confirmation_needed and request.due_date_time is None:
        raise error(1016)
    reserved = frozenset(
        r.urn for r, one in zip(request.recipients, registered, strict=True) if one.capabilities.reserved
    )
    if reserved and not request.ignore_reservation and len(request.recipients) == 1:
        raise error(1030, next(iter(reserved)))
    _first(rules.check_dates(request, now), rules.check_content(request), rules.check_references(request))
    content = request.content
    assert content is not None
    existing = await _existing(runtime, request.existing_attachments, resource.owner_sender_id, now)
    if len(existing) + len(content.attachments) > MAX_ATTACHMENTS:
        raise error(1038)
    if request.allow_forwarding:
        total = sum(a.size or 0 for a in existing) + sum(len(u.content) for u in uploads)
        if total > MAX_FORWARDED_BYTES:
            raise error(1069)
    for item in content.attachments:
        _first(rules.check_new_attachment(item))
    matched = _matched_uploads(content.attachments, uploads)
    for upload in matched:
        if not upload.content or len(upload.content) > runtime.settings.max_document_bytes:
            raise error(2004)
    for item in content.attachments:
        _first(rules.check_expiration(item.expiration_in_days))
    _first(
        rules.check_reply_options(request),
        rules.check_notification(request.notification, len(request.recipients)),
    )
    for item, upload in zip(content.attachments, matched, strict=True):
        # Every file is checked before any is stored: a refused one leaves no attachment behind.
        limit = runtime.settings.max_document_bytes
        refusal = await upload_refusal(
            item.file_name or "", item.checksum, upload.content, limit, dialect="altinn"
        )
        if refusal is not None:
            raise upload_refused(refusal)
    return Checked(
        resource, registered, reserved if not request.ignore_reservation else frozenset(), existing, matched
    )


async def _key_used(runtime: Runtime, resource: Resource, key: uuid.UUID) -> bool:
    async with runtime.reader() as uow:
        return bool(await uow.shipments.by_idempotency_key(resource.owner_sender_id, "altinn", str(key)))


def _letter(
    request: InitializeRequest,
    record: CorrespondenceRecord,
    checked: Checked,
    now: datetime,
    also_to: tuple[ContactDetails, ...] = (),
) -> SendLetter:
    content = request.content
    assert content is not None
    publish_at = request.requested_publish_time
    return SendLetter(
        sender_id=checked.resource.owner_sender_id,
        dialect="altinn",
        documents=(
            DocumentInput(
                content=(content.body or "").encode(),
                file_type=BODY_FILE_TYPE,
                mime=BODY_MIME,
                title=record.title,
                id_scope=DocumentIdScope.LETTER,
            ),
        ),
        channels=(Channel.DIGITAL_MAILBOX, Channel.BUSINESS_INBOX),
        # A publish time in the past is now, as the real service takes it.
        publish_at=publish_at if publish_at is not None and publish_at > now else None,
        ignore_reservation=bool(request.ignore_reservation),
        properties=record.as_properties(),
        senders_reference=request.senders_reference,
        attachment_ids=tuple(uuid.UUID(i) for i in record.attachment_ids),
        channel_options=ChannelOptions(
            business_inbox_for_persons=True,
            notice=(
                notice_plan(
                    request.notification, record.language, checked.resource.title(record.language), also_to
                )
                if request.notification
                else None
            ),
        ),
        deadlines=Deadlines(due_at=request.due_date_time, needs_confirmation=request.is_confirmation_needed),
    )


async def _send(
    runtime: Runtime, cmd: SendToMany, new_attachments: Sequence[uuid.UUID], sender_id: uuid.UUID
) -> AcceptedMany:
    """One transaction for every letter; if it fails, the request's own uploads go too."""
    try:
        return await send_to_many(cmd, runtime)
    except Exception as exc:
        for attachment_id in new_attachments:
            await purge_attachment(sender_id, attachment_id, runtime)
        if (
            isinstance(exc, Conflict)
            and exc.code is ConflictCode.DUPLICATE
            and exc.field == "idempotency_key"
        ):
            raise error(1034) from None
        raise


async def initialize(
    runtime: Runtime, caller: AltinnCaller, request: InitializeRequest, uploads: Sequence[Upload] = ()
) -> Response:
    now = runtime.clock.now()
    checked = await _checked(runtime, caller, request, uploads, now)
    content = request.content
    assert content is not None
    publish_at = max(now, request.requested_publish_time or now)
    new_ids = await _store_uploads(
        runtime, checked.resource, content.attachments, checked.uploads, publish_at
    )
    attachment_ids = [a.id for a in checked.existing] + new_ids
    record = _record(request, checked.resource, attachment_ids, publish_at)
    recipients = tuple(
        LetterRecipient(recipient=r.party, recipient_name=found.name)
        for r, found in zip(request.recipients, checked.registered, strict=True)
    )
    key = str(request.idempotent_key) if request.idempotent_key else None
    also_to = await custom_contacts(runtime, request.notification)
    cmd = SendToMany(_letter(request, record, checked, now, also_to), recipients, idempotency_key=key)
    accepted = await _send(runtime, cmd, new_ids, checked.resource.owner_sender_id)
    correspondences = [
        {
            "correspondenceId": str(done.shipment.id),
            "status": "Reserved" if r.urn in checked.reserved else "ReadyForPublish",
            "recipient": r.urn,
            "notifications": None,
        }
        for r, done in zip(request.recipients, accepted.letters, strict=True)
    ]
    return JSONResponse(
        {"correspondences": correspondences, "attachmentIds": [str(i) for i in attachment_ids]}
    )
