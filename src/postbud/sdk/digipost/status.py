"""Where a sent document is: ``document-status`` (§9.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from .delivery import Channel
from .links import Link

__all__ = ["DeliveryStatus", "DocumentStatus", "HashAlgorithm"]


class DeliveryStatus(StrEnum):
    DELIVERED = "DELIVERED"
    NOT_DELIVERED = "NOT_DELIVERED"


class HashAlgorithm(StrEnum):
    NONE = "NONE"
    MD5 = "MD5"
    SHA256 = "SHA256"


@dataclass(frozen=True, slots=True)
class DocumentStatus:
    uuid: UUID | None
    sender_id: int | None
    status: DeliveryStatus | None
    created: datetime | None
    delivered: datetime | None
    read: bool | None
    """None unless an opening receipt was requested."""
    channel: Channel | None
    is_primary_document: bool | None
    content_hash: str | None
    content_hash_algorithm: HashAlgorithm | None
    attachments: tuple[DocumentStatus, ...] = ()
    links: tuple[Link, ...] = ()
