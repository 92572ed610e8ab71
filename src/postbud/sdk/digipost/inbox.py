"""The organisation's own inbox (§12.3), tags (§12.4) and user accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["InboxDocument", "TagType", "UserAccount"]


@dataclass(frozen=True, slots=True)
class InboxDocument:
    """A document the organisation received; ``attachments`` are the letter's other documents."""

    id: int
    sender: str
    delivery_time: datetime
    authentication_level: str
    subject: str | None = None
    reference_from_sender: str | None = None
    first_accessed: datetime | None = None
    content_type: str | None = None
    content_uri: str | None = None
    delete_uri: str | None = None
    attachments: tuple[InboxDocument, ...] = ()


class TagType(StrEnum):
    PUBLIC_MAILBOX_TAG = "PUBLIC_MAILBOX_TAG"


@dataclass(frozen=True, slots=True)
class UserAccount:
    digipost_address: str
    encryption_key_pem: str
    encryption_key_id: str | None = None
