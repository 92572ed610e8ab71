"""SMS mailings: the mailing, each recipient's status and the appended events of both."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.ids import new_id
from postbud.domain.sms_mailings import (
    MailingEventType,
    MailingRecipient,
    MailingStatus,
    RecipientOutcome,
    RecipientStatus,
    SmsMailing,
)
from postbud.storage import schema

INSERT_CHUNK: Final = 5_000
"""Rows per INSERT statement: far below every driver's parameter limit."""


def _mailing(row: Any) -> SmsMailing:
    return SmsMailing(
        id=row.id,
        sender_id=row.sender_id,
        dialect=row.dialect,
        sender_name=row.sender_name,
        text=row.text,
        recipient_count=row.recipient_count,
        status=MailingStatus(row.status),
        created_at=row.created_at,
        status_changed_at=row.status_changed_at,
    )


def _recipient(row: Any) -> MailingRecipient:
    return MailingRecipient(
        position=row.position,
        phone=row.phone,
        status=RecipientStatus(row.status),
        status_at=row.status_at,
        sms_sha256=row.sms_sha256,
        detail=row.detail or {},
    )


def event_row(
    mailing: SmsMailing, type: MailingEventType, at: datetime, *, position: int | None = None, **data: Any
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "mailing_id": mailing.id,
        "sender_id": mailing.sender_id,
        "position": position,
        "type": type.value,
        "at": at,
        "data": data,
    }


class SmsMailingRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def _insert(self, table: Any, rows: Sequence[dict[str, Any]]) -> None:
        for start in range(0, len(rows), INSERT_CHUNK):
            await self._conn.execute(insert(table), list(rows[start : start + INSERT_CHUNK]))

    async def add(self, mailing: SmsMailing, numbers: Sequence[str], jobs: Sequence[dict[str, Any]]) -> None:
        """The mailing, its recipients (queued), its ``created`` event and its delivery jobs."""
        row = {
            "id": mailing.id,
            "sender_id": mailing.sender_id,
            "dialect": mailing.dialect,
            "sender_name": mailing.sender_name,
            "text": mailing.text,
            "recipient_count": mailing.recipient_count,
            "status": mailing.status.value,
            "created_at": mailing.created_at,
            "status_changed_at": mailing.status_changed_at,
        }
        await self._conn.execute(insert(schema.sms_mailings).values(**row))
        at, queued = mailing.created_at, RecipientStatus.QUEUED.value
        await self._insert(
            schema.sms_mailing_recipients,
            [
                {"mailing_id": mailing.id, "position": i, "phone": n, "status": queued, "status_at": at}
                for i, n in enumerate(numbers)
            ],
        )
        created = event_row(mailing, MailingEventType.CREATED, at, recipients=mailing.recipient_count)
        await self._conn.execute(insert(schema.sms_mailing_events).values(**created))
        await self._insert(schema.jobs, jobs)

    async def get(self, mailing_id: uuid.UUID) -> SmsMailing | None:
        m = schema.sms_mailings
        row = (await self._conn.execute(select(m).where(m.c.id == mailing_id))).first()
        return _mailing(row) if row is not None else None

    async def lock(self, mailing_id: uuid.UUID) -> None:
        """Hold the mailing's row to the end of the transaction, so that its batches record their
        outcomes one after the other: the last one to finish then sees that none is queued (on
        PostgreSQL two batches committing at once would each still see the other's as queued)."""
        m = schema.sms_mailings.c
        await self._conn.execute(select(m.id).where(m.id == mailing_id).with_for_update())

    async def counts(self, mailing_id: uuid.UUID) -> dict[RecipientStatus, int]:
        r = schema.sms_mailing_recipients.c
        query = select(r.status, func.count()).where(r.mailing_id == mailing_id).group_by(r.status)
        found = {RecipientStatus(status): count for status, count in await self._conn.execute(query)}
        return {status: found.get(status, 0) for status in RecipientStatus}

    async def recipients(
        self,
        mailing_id: uuid.UUID,
        *,
        start: int = 0,
        end: int | None = None,
        status: RecipientStatus | None = None,
    ) -> list[MailingRecipient]:
        """Positions ``[start, end)`` in order, of one status if asked."""
        r = schema.sms_mailing_recipients.c
        query = select(schema.sms_mailing_recipients).where(r.mailing_id == mailing_id, r.position >= start)
        if end is not None:
            query = query.where(r.position < end)
        if status is not None:
            query = query.where(r.status == status.value)
        return [_recipient(row) for row in await self._conn.execute(query.order_by(r.position))]

    async def record(self, mailing: SmsMailing, outcomes: Iterable[RecipientOutcome], at: datetime) -> int:
        """Each outcome of a still queued recipient: its status and its event. Returns how many."""
        wanted = {o.position: o for o in outcomes}
        if not wanted:
            return 0
        r = schema.sms_mailing_recipients.c
        still_queued = await self._conn.execute(
            select(r.position).where(
                r.mailing_id == mailing.id,
                r.position.in_(list(wanted)),
                r.status == RecipientStatus.QUEUED.value,
            )
        )
        changed = [wanted[position] for (position,) in still_queued]
        if changed:
            await self._conn.execute(
                update(schema.sms_mailing_recipients)
                .where(and_(r.mailing_id == mailing.id, r.position == bindparam("b_position")))
                .values(
                    status=bindparam("b_status"),
                    status_at=at,
                    sms_sha256=bindparam("b_sha256"),
                    detail=bindparam("b_detail"),
                ),
                [
                    {
                        "b_position": o.position,
                        "b_status": o.status.value,
                        "b_sha256": o.sms_sha256,
                        "b_detail": dict(o.detail),
                    }
                    for o in changed
                ],
            )
        events = [
            event_row(
                mailing,
                MailingEventType(o.status.value),
                at,
                position=o.position,
                **({"sms_sha256": o.sms_sha256} if o.sms_sha256 else {}),
                **o.detail,
            )
            for o in changed
        ]
        await self._insert(schema.sms_mailing_events, events)
        return len(changed)

    async def complete_if_done(self, mailing: SmsMailing, at: datetime) -> bool:
        """Mark the mailing completed (with its event) once no recipient is queued; True if it was now."""
        r = schema.sms_mailing_recipients.c
        queued = await self._conn.scalar(
            select(r.position)
            .where(r.mailing_id == mailing.id, r.status == RecipientStatus.QUEUED.value)
            .limit(1)
        )
        if queued is not None:
            return False
        m = schema.sms_mailings.c
        moved = await self._conn.execute(
            update(schema.sms_mailings)
            .where(m.id == mailing.id, m.status == MailingStatus.SENDING.value)
            .values(status=MailingStatus.COMPLETED.value, status_changed_at=at)
        )
        if moved.rowcount != 1:
            return False
        await self._conn.execute(
            insert(schema.sms_mailing_events).values(**event_row(mailing, MailingEventType.COMPLETED, at))
        )
        return True

    async def events(
        self, mailing_id: uuid.UUID, *, limit: int = 100
    ) -> list[tuple[str, int | None, datetime]]:
        """The mailing's first events: type, recipient position, time."""
        e = schema.sms_mailing_events.c
        query = (
            select(e.type, e.position, e.at)
            .where(e.mailing_id == mailing_id)
            .order_by(e.at, e.id)
            .limit(limit)
        )
        return [(row.type, row.position, row.at) for row in await self._conn.execute(query)]
