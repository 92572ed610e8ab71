"""Document sharing: one share per sharing request, and the documents the recipient shared in it.

A shared document is a snapshot taken when it was shared (subject, size, origin, blob), so the
sender sees the same thing whether it came from the recipient's inbox or was uploaded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema


class OriginKind(StrEnum):
    ORGANISATION = "organisation"
    """Received through Postbud from an organisation (a sender)."""
    PRIVATE_PERSON = "private_person"
    """Uploaded by the recipient themself."""


@dataclass(frozen=True, slots=True)
class SharedDocument:
    id: uuid.UUID
    position: int
    source_document_id: uuid.UUID | None
    """The inbox document it was taken from; None for an upload."""
    subject: str
    file_type: str
    mime: str
    sha256: str
    size: int
    delivered_at: datetime
    """When the letter reached the recipient, or when the upload was made."""
    origin_kind: OriginKind
    origin_name: str | None
    origin_organisation_number: str | None
    shared_at: datetime


@dataclass(frozen=True, slots=True)
class Share:
    shipment_id: uuid.UUID
    """The sharing request: the letter whose primary document asked for documents."""
    sender_id: uuid.UUID
    recipient_id: uuid.UUID
    max_share_seconds: int
    shared_at: datetime | None = None
    expires_at: datetime | None = None
    withdrawn_at: datetime | None = None
    stopped_at: datetime | None = None
    documents: tuple[SharedDocument, ...] = ()


def _document(row: RowMapping) -> SharedDocument:
    return SharedDocument(
        id=row["id"],
        position=row["position"],
        source_document_id=row["source_document_id"],
        subject=row["subject"],
        file_type=row["file_type"],
        mime=row["mime"],
        sha256=row["sha256"],
        size=row["size"],
        delivered_at=row["delivered_at"],
        origin_kind=OriginKind(row["origin_kind"]),
        origin_name=row["origin_name"],
        origin_organisation_number=row["origin_organisation_number"],
        shared_at=row["shared_at"],
    )


class ShareRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def get(self, shipment_id: uuid.UUID) -> Share | None:
        s = schema.shares.c
        row = (await self._conn.execute(select(schema.shares).where(s.shipment_id == shipment_id))).mappings()
        found = row.first()
        if found is None:
            return None
        d = schema.shared_documents.c
        docs = await self._conn.execute(
            select(schema.shared_documents).where(d.share_id == shipment_id).order_by(d.position)
        )
        return Share(
            shipment_id=found["shipment_id"],
            sender_id=found["sender_id"],
            recipient_id=found["recipient_id"],
            max_share_seconds=found["max_share_seconds"],
            shared_at=found["shared_at"],
            expires_at=found["expires_at"],
            withdrawn_at=found["withdrawn_at"],
            stopped_at=found["stopped_at"],
            documents=tuple(_document(r) for r in docs.mappings()),
        )

    async def add(self, share: Share, *, now: datetime) -> None:
        await self._conn.execute(
            schema.shares.insert().values(
                shipment_id=share.shipment_id,
                sender_id=share.sender_id,
                recipient_id=share.recipient_id,
                max_share_seconds=share.max_share_seconds,
                shared_at=share.shared_at,
                expires_at=share.expires_at,
                withdrawn_at=share.withdrawn_at,
                stopped_at=share.stopped_at,
                created_at=now,
                updated_at=now,
            )
        )

    async def add_documents(self, shipment_id: uuid.UUID, documents: list[SharedDocument]) -> None:
        if not documents:
            return
        rows = [
            {
                "id": doc.id,
                "share_id": shipment_id,
                "position": doc.position,
                "source_document_id": doc.source_document_id,
                "subject": doc.subject,
                "file_type": doc.file_type,
                "mime": doc.mime,
                "sha256": doc.sha256,
                "size": doc.size,
                "delivered_at": doc.delivered_at,
                "origin_kind": doc.origin_kind.value,
                "origin_name": doc.origin_name,
                "origin_organisation_number": doc.origin_organisation_number,
                "shared_at": doc.shared_at,
            }
            for doc in documents
        ]
        await self._conn.execute(schema.shared_documents.insert(), rows)

    async def start(self, shipment_id: uuid.UUID, *, shared_at: datetime, expires_at: datetime) -> None:
        await self._set(shipment_id, shared_at, shared_at=shared_at, expires_at=expires_at)

    async def withdraw(self, shipment_id: uuid.UUID, *, at: datetime) -> None:
        await self._set(shipment_id, at, withdrawn_at=at)

    async def stop(self, shipment_id: uuid.UUID, *, at: datetime) -> None:
        await self._set(shipment_id, at, stopped_at=at)

    async def _set(self, shipment_id: uuid.UUID, now: datetime, **values: datetime) -> None:
        await self._conn.execute(
            update(schema.shares)
            .where(schema.shares.c.shipment_id == shipment_id)
            .values(updated_at=now, **values)
        )

    async def shipment_of_document(self, document_id: uuid.UUID) -> uuid.UUID | None:
        """The shipment a stored letter document belongs to."""
        d = schema.documents.c
        row = (await self._conn.execute(select(d.shipment_id).where(d.id == document_id))).first()
        return row[0] if row else None
