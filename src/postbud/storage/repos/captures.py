"""The e-mails and SMS the sandbox captured instead of sending, found by the events that record them.

The e-mail and SMS channels store a captured message as a blob and name it in the event of its
outcome (``eml_sha256`` or ``sms_sha256`` in the data, ``captured: true``): a letter delivered by
e-mail or SMS, a notice or reminder sent, a registration request. Every capture therefore belongs to
a letter, and reading them needs no table of its own. An SMS mailing's messages (one text to many
numbers, no letter) are named the same way in the ``sent`` events of ``sms_mailing_events``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import and_, or_, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.channels import Channel
from postbud.domain.events import EventType
from postbud.storage import schema

CAPTURING_CHANNELS: Final = (Channel.EMAIL, Channel.SMS)
CAPTURING_EVENTS: Final = (
    EventType.DELIVERED,
    EventType.NOTIFICATION_SENT,
    EventType.REGISTRATION_REQUESTED,
)
BLOB_FIELDS: Final = {Channel.EMAIL: "eml_sha256", Channel.SMS: "sms_sha256"}


@dataclass(frozen=True, slots=True)
class CapturedMessage:
    event_id: uuid.UUID
    shipment_id: uuid.UUID | None
    """The letter it belongs to; None for an SMS mailing's message."""
    sender_id: uuid.UUID
    event_type: EventType
    channel: Channel
    at: datetime
    to: str
    sha256: str
    """The captured message in the blob store: the .eml, or the SMS as JSON."""
    data: dict[str, Any]
    mailing_id: uuid.UUID | None = None
    """The SMS mailing it belongs to, if it is one's."""


def _mailing_captured(row: Any) -> CapturedMessage | None:
    data: dict[str, Any] = row.data or {}
    sha256 = data.get("sms_sha256")
    if not isinstance(sha256, str) or data.get("captured") is not True:
        return None
    return CapturedMessage(
        event_id=row.id,
        shipment_id=None,
        sender_id=row.sender_id,
        event_type=EventType.DELIVERED,
        channel=Channel.SMS,
        at=row.at,
        to=str(data.get("to") or ""),
        sha256=sha256,
        data=data,
        mailing_id=row.mailing_id,
    )


def _newest_first(found: list[CapturedMessage], limit: int) -> list[CapturedMessage]:
    return sorted(found, key=lambda c: (c.at, c.event_id), reverse=True)[:limit]


def _captured(row: Any) -> CapturedMessage | None:
    channel = Channel(row.channel)
    data: dict[str, Any] = row.data or {}
    sha256 = data.get(BLOB_FIELDS.get(channel, ""))
    if not isinstance(sha256, str) or data.get("captured") is not True:
        return None
    return CapturedMessage(
        event_id=row.id,
        shipment_id=row.shipment_id,
        sender_id=row.sender_id,
        event_type=EventType(row.type),
        channel=channel,
        at=row.at,
        to=str(data.get("to") or data.get("address") or ""),
        sha256=sha256,
        data=data,
    )


class CaptureRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    def _query(self, channels: Sequence[Channel]) -> Any:
        e = schema.events.c
        return select(e.id, e.shipment_id, e.sender_id, e.type, e.channel, e.at, e.data).where(
            e.channel.in_([c.value for c in channels]),
            e.type.in_([t.value for t in CAPTURING_EVENTS]),
            e.data["captured"].as_boolean() == true(),
        )

    def _mailing_query(self) -> Any:
        m = schema.sms_mailing_events.c
        return select(m.id, m.mailing_id, m.sender_id, m.at, m.data).where(
            m.type == "sent", m.data["captured"].as_boolean() == true()
        )

    async def newest(
        self,
        limit: int,
        *,
        channel: Channel | None = None,
        before: tuple[datetime, uuid.UUID] | None = None,
    ) -> list[CapturedMessage]:
        """The newest captures first; ``before`` (time, event id of the last one shown): the next page."""
        e = schema.events.c
        query = self._query([channel] if channel else CAPTURING_CHANNELS)
        if before is not None:
            at, event_id = before
            query = query.where(or_(e.at < at, and_(e.at == at, e.id < event_id)))
        rows = await self._conn.execute(query.order_by(e.at.desc(), e.id.desc()).limit(limit))
        found = [c for row in rows if (c := _captured(row)) is not None]
        if channel in (None, Channel.SMS):
            m = schema.sms_mailing_events.c
            mailing = self._mailing_query()
            if before is not None:
                mailing = mailing.where(or_(m.at < at, and_(m.at == at, m.id < event_id)))
            rows = await self._conn.execute(mailing.order_by(m.at.desc(), m.id.desc()).limit(limit))
            found += [c for row in rows if (c := _mailing_captured(row)) is not None]
        return _newest_first(found, limit)

    async def get(self, event_id: uuid.UUID) -> CapturedMessage | None:
        query = self._query(CAPTURING_CHANNELS).where(schema.events.c.id == event_id)
        row = (await self._conn.execute(query)).first()
        if row is not None:
            return _captured(row)
        mailing = self._mailing_query().where(schema.sms_mailing_events.c.id == event_id)
        row = (await self._conn.execute(mailing)).first()
        return _mailing_captured(row) if row is not None else None

    async def for_shipment(self, shipment_id: uuid.UUID) -> list[CapturedMessage]:
        e = schema.events.c
        query = self._query(CAPTURING_CHANNELS).where(e.shipment_id == shipment_id).order_by(e.at, e.id)
        return [found for row in await self._conn.execute(query) if (found := _captured(row)) is not None]
