"""Use cases of stand-alone attachments: initialize, upload, get, purge, and naming them in a letter.

An attachment is uploaded once and named by any number of letters (Altinn's shared attachment):
each letter gets a document row pointing at the attachment and its blob, stored once.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from postbud.domain.attachments import ENDED, MD5_HEX, Attachment, AttachmentEvent, AttachmentStatus
from postbud.domain.documents import Document, DocumentIdScope
from postbud.domain.errors import Conflict, ConflictCode, FieldError, NotFound, RuleCode, ValidationFailed
from postbud.domain.file_types import FILE_TYPES, content_is_checked
from postbud.domain.ids import new_id
from postbud.services.letters.blob_release import release_blobs
from postbud.services.letters.document_content import content_problem
from postbud.services.letters.letter_request import MAX_SENDERS_REFERENCE
from postbud.services.runtime import Runtime
from postbud.storage.blobs import BlobRef, compute_ref
from postbud.storage.repos.jobs import Job

ATTACHMENT_EXPIRE = "attachment.expire"
"""The job kind that expires an attachment (its handler: `run_expire_job`)."""
MAX_FILE_NAME = 255
# Hashing a large upload on the event loop would stall it.
_HASH_INLINE_LIMIT = 256 * 1024


@dataclass(frozen=True, slots=True)
class InitializeAttachment:
    sender_id: uuid.UUID
    dialect: str
    file_name: str
    mime: str = "application/octet-stream"
    name: str | None = None
    senders_reference: str | None = None
    md5: str | None = None
    """The checksum the upload must match: MD5, lower-case hex."""
    expires_at: datetime | None = None
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AttachmentDetails:
    attachment: Attachment
    history: list[AttachmentEvent]


def _errors(cmd: InitializeAttachment, now: datetime) -> list[FieldError]:
    errors: list[FieldError] = []
    if not cmd.file_name.strip():
        errors.append(FieldError("file_name", "an attachment needs a file name", RuleCode.REQUIRED))
    elif len(cmd.file_name) > MAX_FILE_NAME:
        errors.append(FieldError("file_name", f"at most {MAX_FILE_NAME} characters", RuleCode.TOO_LONG))
    if cmd.name is not None and len(cmd.name) > MAX_FILE_NAME:
        errors.append(FieldError("name", f"at most {MAX_FILE_NAME} characters", RuleCode.TOO_LONG))
    if cmd.senders_reference is not None and len(cmd.senders_reference) > MAX_SENDERS_REFERENCE:
        errors.append(
            FieldError("senders_reference", f"at most {MAX_SENDERS_REFERENCE} characters", RuleCode.TOO_LONG)
        )
    if cmd.md5 is not None and not MD5_HEX.fullmatch(cmd.md5):
        errors.append(
            FieldError("checksum", "an MD5 checksum in 32 lower-case hex digits", RuleCode.WRONG_FORMAT)
        )
    if cmd.expires_at is not None and cmd.expires_at <= now:
        errors.append(FieldError("expires_at", "must be in the future", RuleCode.IN_PAST))
    return errors


async def initialize_attachment(cmd: InitializeAttachment, runtime: Runtime) -> Attachment:
    """Create an attachment, status initialized, waiting for its content."""
    now = runtime.clock.now()
    errors = _errors(cmd, now)
    if errors:
        raise ValidationFailed(errors)
    attachment = Attachment(
        id=new_id(),
        sender_id=cmd.sender_id,
        dialect=cmd.dialect,
        file_name=cmd.file_name,
        mime=cmd.mime,
        status=AttachmentStatus.INITIALIZED,
        created_at=now,
        updated_at=now,
        name=cmd.name,
        senders_reference=cmd.senders_reference,
        expected_md5=cmd.md5,
        expires_at=cmd.expires_at,
        properties=cmd.properties,
    )
    async with runtime.unit_of_work() as uow:
        await uow.attachments.add(attachment)
        if attachment.expires_at is not None:
            payload = {"attachment_id": str(attachment.id)}
            key = f"attachment-expire:{attachment.id}"
            await uow.jobs.enqueue(
                ATTACHMENT_EXPIRE, payload, now=now, run_at=attachment.expires_at, idempotency_key=key
            )
    return attachment


def _owned(attachment: Attachment | None, sender_id: uuid.UUID, attachment_id: uuid.UUID) -> Attachment:
    if attachment is None or attachment.sender_id != sender_id:
        raise NotFound("attachment", attachment_id)
    return attachment


async def upload_attachment(
    sender_id: uuid.UUID, attachment_id: uuid.UUID, content: bytes, runtime: Runtime
) -> Attachment:
    """Store the attachment's content and publish it. A checksum that does not match fails the
    attachment for good (recorded, then refused with CHECKSUM_MISMATCH); a second upload is refused."""
    async with runtime.quick_reader() as uow:
        initialized = _owned(await uow.attachments.get(attachment_id), sender_id, attachment_id)
    initialized.require_uploadable()
    if not content:
        raise ValidationFailed.of("content", "the attachment is empty", RuleCode.EMPTY)
    limit = runtime.settings.max_document_bytes
    if len(content) > limit:
        raise ValidationFailed.of("content", f"larger than {limit} bytes", RuleCode.TOO_LARGE)
    known = FILE_TYPES.get(initialized.file_type) if content_is_checked(initialized.dialect) else None
    problem = content_problem(known, content) if known is not None else None
    if problem is not None:
        raise ValidationFailed.of("content", problem, RuleCode.FILE_TYPE)
    ref, md5 = await _hashes(content)
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        repo = uow.attachments
        attachment = _owned(await repo.get(attachment_id, for_update=True), sender_id, attachment_id)
        attachment.require_uploadable()
        if attachment.expected_md5 is not None and attachment.expected_md5 != md5:
            failed = [
                (AttachmentStatus.UPLOAD_PROCESSING, None),
                (AttachmentStatus.FAILED, "checksum mismatch"),
            ]
            await repo.move(attachment_id, failed, now=now, content={"md5": md5, "size": len(content)})
    if attachment.expected_md5 is not None and attachment.expected_md5 != md5:
        raise ValidationFailed.of(
            "checksum", "the content does not match its checksum", RuleCode.CHECKSUM_MISMATCH
        )
    await runtime.blobs.put_many([content], refs=[ref])  # durable before any row refers to it
    async with runtime.unit_of_work() as uow:
        repo = uow.attachments
        attachment = _owned(await repo.get(attachment_id, for_update=True), sender_id, attachment_id)
        if attachment.status is not AttachmentStatus.INITIALIZED:  # a concurrent upload came first
            await release_blobs(uow, [ref.sha256], now=now)
        else:
            published = [
                (AttachmentStatus.UPLOAD_PROCESSING, None),
                (AttachmentStatus.PUBLISHED, "published without a malware scan"),
            ]
            content_columns = {"sha256": ref.sha256, "md5": md5, "size": ref.size}
            await repo.move(attachment_id, published, now=now, content=content_columns)
    attachment.require_uploadable()  # refuses this upload if a concurrent one came first
    return (await get_attachment(sender_id, attachment_id, runtime)).attachment


async def _hashes(content: bytes) -> tuple[BlobRef, str]:
    def both() -> tuple[BlobRef, str]:
        return compute_ref(content), hashlib.md5(content, usedforsecurity=False).hexdigest()

    return both() if len(content) <= _HASH_INLINE_LIMIT else await asyncio.to_thread(both)


async def get_attachment(
    sender_id: uuid.UUID, attachment_id: uuid.UUID, runtime: Runtime
) -> AttachmentDetails:
    async with runtime.reader() as uow:
        repo = uow.attachments
        attachment = _owned(await repo.get(attachment_id), sender_id, attachment_id)
        return AttachmentDetails(attachment, await repo.history(attachment_id))


async def purge_attachment(sender_id: uuid.UUID, attachment_id: uuid.UUID, runtime: Runtime) -> Attachment:
    """Delete an attachment no letter uses (Altinn refuses the purge of one linked to a letter);
    its content goes once nothing else refers to it."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        repo = uow.attachments
        attachment = _owned(await repo.get(attachment_id, for_update=True), sender_id, attachment_id)
        if attachment.status is AttachmentStatus.PURGED:
            raise Conflict("attachment", "the attachment was purged already", ConflictCode.ALREADY_DONE)
        if await repo.in_use(attachment_id):
            raise Conflict("attachment", "a letter uses the attachment", ConflictCode.WRONG_STATE)
        await repo.move(attachment_id, [(AttachmentStatus.PURGED, "purged by its sender")], now=now)
        if attachment.sha256 is not None:
            await release_blobs(uow, [attachment.sha256], now=now)
    return (await get_attachment(sender_id, attachment_id, runtime)).attachment


async def expire_attachment(attachment_id: uuid.UUID, runtime: Runtime) -> None:
    """The ``attachment.expire`` job, at the attachment's expiry: it becomes expired (letters can
    no longer name it, recipients no longer download it) and its content goes once no letter needs
    it. Idempotent; an attachment purged, failed or expired already stays as it is."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        attachment = await uow.attachments.get(attachment_id, for_update=True)
        if attachment is None or attachment.status in ENDED or not attachment.expired_at(now):
            return
        await uow.attachments.move(attachment_id, [(AttachmentStatus.EXPIRED, "expired")], now=now)
        if attachment.sha256 is not None:
            await release_blobs(uow, [attachment.sha256], now=now)


async def run_expire_job(job: Job, runtime: Runtime) -> None:
    await expire_attachment(uuid.UUID(job.payload["attachment_id"]), runtime)


async def attached_documents(
    sender_id: uuid.UUID,
    attachment_ids: Sequence[uuid.UUID],
    runtime: Runtime,
    *,
    first_position: int,
    now: datetime,
) -> tuple[Document, ...]:
    """Documents for a letter that names these attachments (published, the sender's own, not
    expired), from ``first_position`` on; each letter gets rows of its own, the blob is shared."""
    if len(set(attachment_ids)) != len(attachment_ids):
        raise ValidationFailed.of("attachments", "an attachment is named twice", RuleCode.NOT_UNIQUE)
    async with runtime.quick_reader() as uow:
        found = await uow.attachments.many(attachment_ids)
    documents = []
    for i, attachment_id in enumerate(attachment_ids):
        attachment = _owned(found.get(attachment_id), sender_id, attachment_id)
        attachment.require_usable(now)
        assert attachment.sha256 is not None  # published
        assert attachment.size is not None
        documents.append(
            Document(
                id=new_id(),
                position=first_position + i,
                external_id=None,
                title=attachment.title,
                file_type=attachment.file_type,
                mime=attachment.mime,
                sha256=attachment.sha256,
                size=attachment.size,
                id_scope=DocumentIdScope.LETTER,
                attachment_id=attachment.id,
            )
        )
    return tuple(documents)
