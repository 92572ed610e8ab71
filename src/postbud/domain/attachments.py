"""Stand-alone attachments: a file uploaded before any letter names it, then reused by many letters.

Altinn's shared attachment is one. Its status moves initialized → upload processing → published,
or failed (a checksum that does not match); then purged by its sender, or expired. Postbud has no
malware scan, so an upload is published as soon as its content is durable.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from postbud.domain.errors import Conflict, ConflictCode

MD5_HEX = re.compile(r"[0-9a-f]{32}")
"""A checksum as Altinn gives and reports it: MD5, 32 lower-case hex digits."""


class AttachmentStatus(StrEnum):
    INITIALIZED = "initialized"
    """Known by its metadata; no content yet."""
    UPLOAD_PROCESSING = "upload_processing"
    """Its content is being received and checked; a second upload is refused."""
    PUBLISHED = "published"
    """Its content is stored and checked: letters may name it."""
    FAILED = "failed"
    """The upload failed (its checksum did not match): it can never be used."""
    PURGED = "purged"
    """Deleted by its sender; its content goes once no letter needs it."""
    EXPIRED = "expired"
    """Its expiry time passed."""


ALL_ATTACHMENT_EVENTS = "attachment.*"
"""A webhook's name for every step of its sender's attachments (they are named, never in ``*``)."""


def attachment_event_name(status: AttachmentStatus) -> str:
    """A step of an attachment's history as webhooks name it: ``attachment.published``."""
    return f"attachment.{status.value}"


ATTACHMENT_EVENT_NAMES = frozenset(attachment_event_name(s) for s in AttachmentStatus)

ENDED = frozenset({AttachmentStatus.PURGED, AttachmentStatus.EXPIRED, AttachmentStatus.FAILED})
"""Statuses in which the attachment's content is no longer needed by the attachment itself."""


@dataclass(frozen=True, slots=True)
class Attachment:
    id: uuid.UUID
    sender_id: uuid.UUID
    dialect: str
    file_name: str
    mime: str
    status: AttachmentStatus
    created_at: datetime
    updated_at: datetime
    name: str | None = None
    """The name shown to recipients; the file name when none."""
    senders_reference: str | None = None
    sha256: str | None = None
    md5: str | None = None
    """Of the uploaded content, lower-case hex."""
    expected_md5: str | None = None
    """The checksum the sender announced; an upload must match it."""
    size: int | None = None
    expires_at: datetime | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    """What a dialect keeps that the core does not read (Altinn's resource id, its encryption flag)."""

    @property
    def file_type(self) -> str:
        """The file name's extension, lower case ("pdf"); empty without one."""
        _, dot, extension = self.file_name.rpartition(".")
        return extension.lower() if dot else ""

    @property
    def title(self) -> str:
        return self.name or self.file_name

    def expired_at(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def require_uploadable(self) -> None:
        if self.status is not AttachmentStatus.INITIALIZED:
            raise Conflict(
                "attachment", f"an attachment {self.status.value} takes no upload", ConflictCode.WRONG_STATE
            )

    def require_usable(self, now: datetime) -> None:
        """A letter may name it: published and not expired."""
        if self.status is not AttachmentStatus.PUBLISHED:
            raise Conflict(
                "attachment",
                f"attachment {self.id} is {self.status.value}, not published",
                ConflictCode.WRONG_STATE,
            )
        if self.expired_at(now):
            raise Conflict("attachment", f"attachment {self.id} has expired", ConflictCode.WRONG_STATE)


@dataclass(frozen=True, slots=True)
class AttachmentEvent:
    """One step of an attachment's status history (append-only)."""

    status: AttachmentStatus
    at: datetime
    text: str | None = None
