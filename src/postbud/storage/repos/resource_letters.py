"""The letters about one resource (Altinn's search), newest publish time first, one page at a time.

The publish time is ``publish_at``, else ``created_at`` (``schema.SHIPMENT_PUBLISH_TIME``); each page
is a walk down ``ix_shipments_resource_id_sender_id_publish_time_id`` (or ``…recipient_id…``) from a
keyset cursor, with the time range in the walk's bounds and the rest as filters on the rows walked,
so a page costs what it holds, however many letters the store has.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.documents import Document
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.storage import schema
from postbud.storage.repos.shipments import _document, _shipment


@dataclass(frozen=True, slots=True)
class ResourceLetters:
    """Which of a resource's letters: those of one sender or those to one recipient."""

    resource_id: str
    sender_id: uuid.UUID | None = None
    recipient_id: uuid.UUID | None = None
    published_after: datetime | None = None
    """Exclusive, as the time range of Altinn's search."""
    published_before: datetime | None = None
    senders_reference: str | None = None
    had_event_types: Collection[str] | None = None
    """Only letters with at least one event of these types (None: any letter)."""


class ResourceLetterRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def page(
        self, which: ResourceLetters, *, before: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[tuple[datetime, Shipment]]:
        """Up to ``limit`` letters with their publish time, newest first, after the cursor ``before``
        (the publish time and id of the last letter of the page before)."""
        s = schema.shipments.c
        published = schema.SHIPMENT_PUBLISH_TIME
        query = select(schema.shipments, published.label("publish_time")).where(
            s.resource_id == which.resource_id, s.status != ShipmentStatus.DRAFT.value
        )
        if which.sender_id is not None:
            query = query.where(s.sender_id == which.sender_id)
        if which.recipient_id is not None:
            query = query.where(s.recipient_id == which.recipient_id)
        if which.published_after is not None:
            query = query.where(published > which.published_after)
        if which.published_before is not None:
            query = query.where(published < which.published_before)
        if before is not None:
            # The plain bound lets SQLite start the walk at the cursor (it does not range-scan an
            # index by a row value over an expression); the row value keeps ties in id order.
            query = query.where(published <= before[0], tuple_(published, s.id) < before)
        if which.senders_reference is not None:
            query = query.where(s.senders_reference == which.senders_reference)
        if which.had_event_types is not None:
            e = schema.events.c
            query = query.where(
                exists().where(e.shipment_id == s.id, e.type.in_(sorted(which.had_event_types)))
            )
        query = query.order_by(published.desc(), s.id.desc()).limit(limit)
        # Any: the row helpers of repos/shipments.py take the rows of either a Core read or a prepared one.
        rows: list[Any] = list((await self._conn.execute(query)).mappings())
        if not rows:
            return []
        documents: Any = (
            await self._conn.execute(
                select(schema.documents).where(schema.documents.c.shipment_id.in_([r["id"] for r in rows]))
            )
        ).mappings()
        by_letter: dict[uuid.UUID, list[Document]] = {}
        for document in documents:
            by_letter.setdefault(document["shipment_id"], []).append(_document(document))
        return [(row["publish_time"], _shipment(row, by_letter.get(row["id"], []))) for row in rows]
