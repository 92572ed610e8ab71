"""The one status vocabulary: the core's letter events as Altinn correspondence statuses (§5.1).

A correspondence's status history is its events read in Altinn's words, never stored apart; its
current status is the *highest* status in that history, Fetched left out (the real service's
``GetHighestStatus``), while search hides by the *latest* one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Final

from postbud.domain.attachments import AttachmentStatus
from postbud.domain.events import EventType, ShipmentEvent


class CorrespondenceStatus(IntEnum):
    Initialized = 0
    ReadyForPublish = 1
    Published = 2
    Fetched = 3
    Read = 4
    Replied = 5
    Confirmed = 6
    PurgedByRecipient = 7
    PurgedByAltinn = 8
    Archived = 9
    Reserved = 10
    Failed = 11
    AttachmentsDownloaded = 12
    Forwarded = 13


class AttachmentStatusExt(IntEnum):
    Initialized = 0
    UploadProcessing = 1
    Published = 2
    Purged = 3
    Failed = 4
    Expired = 5


S = CorrespondenceStatus
AVAILABLE_FOR_RECIPIENT: Final = frozenset(
    {S.Published, S.Fetched, S.Read, S.Replied, S.Confirmed, S.Archived, S.Reserved, S.AttachmentsDownloaded,
     S.Forwarded}
)  # fmt: skip
PURGED: Final = frozenset({S.PurgedByRecipient, S.PurgedByAltinn})
HIDDEN_FROM_SENDER: Final = frozenset({S.PurgedByRecipient, S.PurgedByAltinn, S.Archived})
PURGEABLE_BY_SENDER: Final = frozenset({S.Initialized, S.ReadyForPublish, S.Failed})
NOT_YET_FOR_RECIPIENT: Final = frozenset({S.Initialized, S.ReadyForPublish, S.Failed})
SEARCH_HIDES_FROM_SENDER: Final = frozenset({S.Archived, S.PurgedByAltinn, S.PurgedByRecipient})
"""Search (C3) leaves out, for its sender, what is in these by its latest status (and asked-for statuses)."""
SEARCH_HIDES_FROM_RECIPIENT: Final = NOT_YET_FOR_RECIPIENT | PURGED

_SIMPLE: Final[Mapping[EventType, CorrespondenceStatus]] = {
    EventType.DELIVERED: S.Published,
    EventType.FETCHED: S.Fetched,
    EventType.OPENED: S.Read,
    EventType.CONFIRMED: S.Confirmed,
    EventType.FORWARDED: S.Forwarded,
    EventType.DELIVERY_FAILED: S.Failed,
    EventType.NOT_DELIVERED: S.Failed,
    EventType.REJECTED: S.Failed,
}

ATTACHMENT_STATUSES: Final[Mapping[AttachmentStatus, AttachmentStatusExt]] = {
    AttachmentStatus.INITIALIZED: AttachmentStatusExt.Initialized,
    AttachmentStatus.UPLOAD_PROCESSING: AttachmentStatusExt.UploadProcessing,
    AttachmentStatus.PUBLISHED: AttachmentStatusExt.Published,
    AttachmentStatus.PURGED: AttachmentStatusExt.Purged,
    AttachmentStatus.FAILED: AttachmentStatusExt.Failed,
    AttachmentStatus.EXPIRED: AttachmentStatusExt.Expired,
}


@dataclass(frozen=True, slots=True)
class StatusEntry:
    status: CorrespondenceStatus
    text: str
    at: datetime


def _entry_of(event: ShipmentEvent, attachment_of: Mapping[str, uuid.UUID]) -> list[StatusEntry]:
    at = event.at
    if event.type is EventType.CREATED:
        # Attachments are published before a correspondence names them: it is ready at once.
        return [
            StatusEntry(S.Initialized, S.Initialized.name, at),
            StatusEntry(S.ReadyForPublish, S.ReadyForPublish.name, at),
        ]
    if event.type is EventType.PURGED:
        status = S.PurgedByRecipient if event.data.get("by") == "recipient" else S.PurgedByAltinn
        return [StatusEntry(status, status.name, at)]
    if event.type is EventType.ATTACHMENT_DOWNLOADED:
        document = str(event.data.get("document_id"))
        shown = attachment_of.get(document, document)
        return [StatusEntry(S.AttachmentsDownloaded, f"Attachment {shown} has been downloaded", at)]
    simple = _SIMPLE.get(event.type)
    if simple is None:
        return []
    text = simple.name
    if simple is S.Failed:
        text = str(event.data.get("reason") or event.data.get("error") or simple.name)
    return [StatusEntry(simple, text, at)]


def status_history(
    events: Iterable[ShipmentEvent], attachment_of: Mapping[str, uuid.UUID] | None = None
) -> list[StatusEntry]:
    """Altinn's status rows, oldest first; ``attachment_of``: the letter's document ids (as text) →
    the attachment ids a client knows them by."""
    history: list[StatusEntry] = []
    for event in sorted(events, key=lambda e: e.at):
        history.extend(_entry_of(event, attachment_of or {}))
    return history


def current(history: list[StatusEntry]) -> StatusEntry:
    """The highest status, Fetched left out (ties: the earliest row with it)."""
    candidates = [entry for entry in history if entry.status is not S.Fetched]
    return max(candidates, key=lambda entry: entry.status.value)


def latest(history: list[StatusEntry]) -> StatusEntry:
    return history[-1]
