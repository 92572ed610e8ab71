"""An organisation's received letters as it reads them through an API: a page by position (newest
first), when each was first accessed, and one-time links to their documents' content.

Which letters are in the inbox is the web inbox's rule (``repos.inbox``), so both show the same.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.documents import Document
from postbud.domain.events import EventType
from postbud.domain.shipments import Shipment
from postbud.storage import schema
from postbud.storage.repos.inbox import _in_inbox
from postbud.storage.repos.shipments import _document as document_from_row
from postbud.storage.repos.shipments import _shipment as shipment_from_row


@dataclass(frozen=True, slots=True)
class ContentLink:
    document_id: uuid.UUID
    recipient_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class ReceivedRow:
    shipment: Shipment
    sender_name: str
    first_accessed: datetime | None


class ReceivedLetterRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def letters_page(self, recipient_id: uuid.UUID, *, offset: int, limit: int) -> list[ReceivedRow]:
        """A page of the letters themselves, newest first, in three statements whatever its size:
        the letters with their senders' names, their documents, and when each was first accessed."""
        s, senders = schema.shipments, schema.senders
        query = (
            select(s, senders.c.name.label("received_from_name"))
            .outerjoin(senders, senders.c.id == s.c.sender_id)
            .where(s.c.recipient_id == recipient_id, _in_inbox(s.c))
            .order_by(s.c.created_at.desc(), s.c.id.desc())
            .offset(offset)
            .limit(limit)
        )
        rows = list((await self._conn.execute(query)).mappings())
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        documents: dict[uuid.UUID, list[Document]] = {}
        d = schema.documents
        for row in (await self._conn.execute(select(d).where(d.c.shipment_id.in_(ids)))).mappings():
            documents.setdefault(row["shipment_id"], []).append(document_from_row(row))
        accessed = await self.first_accessed(ids)
        return [
            ReceivedRow(
                shipment_from_row(row, documents.get(row["id"], [])),
                row["received_from_name"] or "",
                accessed.get(row["id"]),
            )
            for row in rows
        ]

    async def first_accessed(self, shipment_ids: list[uuid.UUID]) -> dict[uuid.UUID, datetime]:
        """When the recipient first fetched each letter or downloaded one of its documents."""
        if not shipment_ids:
            return {}
        e = schema.events.c
        query = (
            select(e.shipment_id, func.min(e.at).label("first"))
            .where(
                e.shipment_id.in_(shipment_ids),
                e.type.in_([EventType.FETCHED.value, EventType.ATTACHMENT_DOWNLOADED.value]),
            )
            .group_by(e.shipment_id)
        )
        return {row.shipment_id: row.first for row in await self._conn.execute(query)}

    async def letter_of_document(self, document_id: uuid.UUID) -> uuid.UUID | None:
        d = schema.documents.c
        row = (await self._conn.execute(select(d.shipment_id).where(d.id == document_id))).first()
        return row.shipment_id if row else None

    async def add_link(
        self, token_sha256: str, document_id: uuid.UUID, recipient_id: uuid.UUID, expires_at: datetime
    ) -> None:
        await self._conn.execute(
            schema.inbox_content_links.insert().values(
                token_sha256=token_sha256,
                document_id=document_id,
                recipient_id=recipient_id,
                expires_at=expires_at,
            )
        )

    async def use_link(self, token_sha256: str, now: datetime) -> ContentLink | None:
        """Mark the link used, if it is unused and not expired; what it leads to."""
        c = schema.inbox_content_links.c
        used = await self._conn.execute(
            update(schema.inbox_content_links)
            .where(and_(c.token_sha256 == token_sha256, c.used_at.is_(None), c.expires_at > now))
            .values(used_at=now)
        )
        if used.rowcount != 1:
            return None
        row = (
            await self._conn.execute(
                select(c.document_id, c.recipient_id).where(c.token_sha256 == token_sha256)
            )
        ).first()
        return ContentLink(row.document_id, row.recipient_id) if row else None
