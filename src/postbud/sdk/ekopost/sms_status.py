"""An SMS mailing as ``POST sms`` and the poll ``GET sms/{id}`` answer it: its state, how many of
its recipients are queued, sent or failed, and one page of the recipients with their states.

The seed names the poll but not its answer; these are the fields Postbud gives
(docs/dialects/ekopost.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from .wire import as_list, as_object, read_int, read_text, read_when, required_text

__all__ = ["SmsMailingState", "SmsMailingStatus", "SmsRecipientState", "SmsRecipientStatus"]


class SmsMailingState(StrEnum):
    SENDING = "sending"
    COMPLETED = "completed"


class SmsRecipientState(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, kw_only=True)
class SmsRecipientStatus:
    recipient: str
    """The number in E.164 (``+46701234567``)."""
    state: str
    """One of :class:`SmsRecipientState`."""
    state_changed_at: datetime | None
    failed_reason: str | None = None

    @classmethod
    def from_wire(cls, wire: object) -> SmsRecipientStatus:
        data = as_object(wire, "an SMS recipient")
        return cls(
            recipient=required_text(data, "recipient"),
            state=required_text(data, "state"),
            state_changed_at=read_when(data.get("state_changed_at")),
            failed_reason=read_text(data.get("failed_reason")),
        )


@dataclass(frozen=True, kw_only=True)
class SmsMailingStatus:
    id: str
    from_name: str | None
    state: str
    """One of :class:`SmsMailingState`: ``completed`` once no recipient is queued."""
    state_changed_at: datetime | None
    created_at: datetime | None
    recipient_count: int
    """Distinct numbers: the same number given twice gets one SMS."""
    queued_count: int
    sent_count: int
    failed_count: int
    recipients: list[SmsRecipientStatus]
    """The page asked for (``offset``, at most 1,000)."""
    next_offset: int | None
    """Where the next page of recipients starts; None after the last."""

    @property
    def completed(self) -> bool:
        return self.state == SmsMailingState.COMPLETED

    @classmethod
    def from_wire(cls, wire: Any) -> SmsMailingStatus:
        data = as_object(wire, "an SMS mailing")
        return cls(
            id=required_text(data, "id"),
            from_name=read_text(data.get("from_name")),
            state=required_text(data, "state"),
            state_changed_at=read_when(data.get("state_changed_at")),
            created_at=read_when(data.get("created_at")),
            recipient_count=read_int(data.get("recipient_count")) or 0,
            queued_count=read_int(data.get("queued_count")) or 0,
            sent_count=read_int(data.get("sent_count")) or 0,
            failed_count=read_int(data.get("failed_count")) or 0,
            recipients=[
                SmsRecipientStatus.from_wire(r) for r in as_list(data.get("recipients") or [], "recipients")
            ],
            next_offset=read_int(data.get("next_offset")),
        )
