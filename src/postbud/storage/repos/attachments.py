"""Stand-alone attachments and their status history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.attachments import (
    ALL_ATTACHMENT_EVENTS,
    Attachment,
    AttachmentEvent,
    AttachmentStatus,
    attachment_event_name,
)
from postbud.domain.ids import new_id
from postbud.storage import schema
from postbud.storage.repos.events import SUBSCRIPTIONS, delivery_rows, subscription_from_row
from postbud.storage.writeset import WriteSet, apply


@dataclass(frozen=True, slots=True)
class StoredAttachmentEvent:
    id: uuid.UUID
    attachment_id: uuid.UUID
    status: AttachmentStatus
    at: datetime
    text: str | None


def _attachment(row: RowMapping) -> Attachment:
    return Attachment(
        id=row["id"],
        sender_id=row["sender_id"],
        dialect=row["dialect"],
        file_name=row["file_name"],
        mime=row["mime"],
        status=AttachmentStatus(row["status"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        name=row["name"],
        senders_reference=row["senders_reference"],
        sha256=row["sha256"],
        md5=row["md5"],
        expected_md5=row["expected_md5"],
        size=row["size"],
        expires_at=row["expires_at"],
        properties=row["properties"] or {},
    )


class AttachmentRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, attachment: Attachment) -> None:
        """Store a new attachment and the first step of its history."""
        await self._conn.execute(
            insert(schema.attachments).values(
                id=attachment.id,
                sender_id=attachment.sender_id,
                dialect=attachment.dialect,
                name=attachment.name,
                file_name=attachment.file_name,
                senders_reference=attachment.senders_reference,
                mime=attachment.mime,
                status=attachment.status.value,
                sha256=attachment.sha256,
                md5=attachment.md5,
                expected_md5=attachment.expected_md5,
                size=attachment.size,
                expires_at=attachment.expires_at,
                properties=attachment.properties,
                created_at=attachment.created_at,
                updated_at=attachment.updated_at,
            )
        )
        await self._record(attachment.id, attachment.status, attachment.created_at, None)

    async def get(self, attachment_id: uuid.UUID, *, for_update: bool = False) -> Attachment | None:
        query = select(schema.attachments).where(schema.attachments.c.id == attachment_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._conn.execute(query)).mappings().first()
        return _attachment(row) if row is not None else None

    async def many(self, attachment_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Attachment]:
        query = select(schema.attachments).where(schema.attachments.c.id.in_(list(attachment_ids)))
        return {row["id"]: _attachment(row) for row in (await self._conn.execute(query)).mappings()}

    async def move(
        self,
        attachment_id: uuid.UUID,
        steps: Sequence[tuple[AttachmentStatus, str | None]],
        *,
        now: datetime,
        content: dict[str, Any] | None = None,
    ) -> None:
        """Append ``steps`` (status, text) to the history and take the last one's status;
        ``content``: sha256, md5 and size of an upload."""
        for status, text in steps:
            await self._record(attachment_id, status, now, text)
        await self._conn.execute(
            update(schema.attachments)
            .where(schema.attachments.c.id == attachment_id)
            .values(status=steps[-1][0].value, updated_at=now, **(content or {}))
        )

    async def history(self, attachment_id: uuid.UUID) -> list[AttachmentEvent]:
        e = schema.attachment_events.c
        query = select(e.status, e.at, e.text).where(e.attachment_id == attachment_id).order_by(e.at, e.id)
        return [
            AttachmentEvent(AttachmentStatus(r.status), r.at, r.text) for r in await self._conn.execute(query)
        ]

    async def letters_naming(self, attachment_id: uuid.UUID) -> list[uuid.UUID]:
        """The letters whose documents are this attachment, purged ones included, oldest first."""
        d = schema.documents.c
        s = schema.shipments.c
        query = (
            select(d.shipment_id)
            .join(schema.shipments, s.id == d.shipment_id)
            .where(d.attachment_id == attachment_id)
            .order_by(s.created_at, s.id)
        )
        return [row[0] for row in await self._conn.execute(query)]

    async def in_use(self, attachment_id: uuid.UUID) -> bool:
        """Whether a letter that still needs it (not purged) names the attachment."""
        d = schema.documents.c
        query = select(exists().where(d.attachment_id == attachment_id, d.released_at.is_(None)))
        return bool((await self._conn.execute(query)).scalar())

    async def event(self, event_id: uuid.UUID) -> StoredAttachmentEvent | None:
        """One step of an attachment's history by its id (what a webhook delivery names)."""
        e = schema.attachment_events.c
        row = (await self._conn.execute(select(schema.attachment_events).where(e.id == event_id))).first()
        if row is None:
            return None
        return StoredAttachmentEvent(
            row.id, row.attachment_id, AttachmentStatus(row.status), row.at, row.text
        )

    async def _record(
        self, attachment_id: uuid.UUID, status: AttachmentStatus, at: datetime, text: str | None
    ) -> None:
        event_id = new_id()
        await self._conn.execute(
            insert(schema.attachment_events).values(
                id=event_id, attachment_id=attachment_id, status=status.value, at=at, text=text
            )
        )
        await self._fan_out(event_id, attachment_id, status, at)

    async def _fan_out(
        self, event_id: uuid.UUID, attachment_id: uuid.UUID, status: AttachmentStatus, at: datetime
    ) -> None:
        """A delivery (and its job) for each of the sender's webhooks that names this step."""
        a = schema.attachments.c
        sender_id = (await self._conn.execute(select(a.sender_id).where(a.id == attachment_id))).scalar()
        if sender_id is None:
            return
        name = attachment_event_name(status)
        ws = WriteSet()
        for row in await self._conn.execute(SUBSCRIPTIONS, {"sender_id": sender_id}):
            subscription = subscription_from_row(row)
            if ALL_ATTACHMENT_EVENTS in subscription.event_types or name in subscription.event_types:
                delivery_rows(subscription, event_id, sender_id, at, ws)
        if ws:
            await apply(self._conn, [ws])
