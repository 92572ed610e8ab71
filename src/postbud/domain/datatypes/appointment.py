"""`appointment`: a meeting at a given place and time (calendar and map in the mailbox)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from pydantic import Field

from .common import Address, DataTypeBase, Info, Language, String150, ZonedDateTime
from .external_link import ExternalLink

DEFAULT_APPOINTMENT_LENGTH = timedelta(minutes=30)


def _default_end_time(validated: dict[str, Any]) -> datetime:
    start: datetime = validated["start_time"]
    return start + DEFAULT_APPOINTMENT_LENGTH


class Appointment(DataTypeBase):
    kind: ClassVar[str] = "appointment"

    start_time: ZonedDateTime
    end_time: ZonedDateTime = Field(default_factory=_default_end_time)
    arrival_time: String150 | None = None
    """Free text, e.g. "Arrive 15 minutes early"."""
    place: String150 | None = None
    address: Address | None = None
    sub_title: String150 | None = None
    info: tuple[Info, ...] = Field(default=(), max_length=2)
    language: Language = Language.NB
    link: ExternalLink | None = None
