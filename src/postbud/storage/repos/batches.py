"""Batches, their letters as the batch sees them, and the batch's own event log."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, tuple_, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.batches import Batch, BatchEvent, BatchState, BatchStatus
from postbud.domain.channels import Channel
from postbud.domain.status import ShipmentStatus
from postbud.storage import schema
from postbud.storage.repos.events import Subscription, delivery_rows
from postbud.storage.writeset import WriteSet, apply


def _batch(row: Mapping[Any, Any]) -> Batch:
    return Batch(
        id=row["id"],
        sender_id=row["sender_id"],
        dialect=row["dialect"],
        external_id=row["external_id"],
        status=BatchStatus(row["status"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        name=row["name"],
        data=row["data"] or {},
        output_at=row["output_at"],
        state=BatchState(row["state"]),
        state_changed_at=row["state_changed_at"] or row["updated_at"],
    )


batch_from_row = _batch
"""A batch from its row (a Core row mapping or a prepared read's dict: storage/hot_reads_letters.py)."""


def _batch_event(row: RowMapping) -> BatchEvent:
    return BatchEvent(
        id=row["id"],
        batch_id=row["batch_id"],
        sender_id=row["sender_id"],
        type=BatchState(row["type"]),
        at=row["at"],
        data=row["data"] or {},
    )


@dataclass(frozen=True, slots=True)
class LetterInBatch:
    """One letter as its batch reports it (an Ekopost envelope's id and state)."""

    id: uuid.UUID
    external_id: str | None
    status: ShipmentStatus
    channel: Channel | None
    updated_at: datetime
    """When its status last changed."""
    created_at: datetime

    @property
    def cursor(self) -> tuple[datetime, uuid.UUID]:
        """Where the next page starts (``after``)."""
        return self.created_at, self.id


class BatchRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, batch: Batch) -> None:
        await self._conn.execute(
            schema.batches.insert().values(
                id=batch.id,
                sender_id=batch.sender_id,
                dialect=batch.dialect,
                external_id=batch.external_id,
                status=batch.status.value,
                name=batch.name,
                data=batch.data,
                created_at=batch.created_at,
                updated_at=batch.updated_at,
                output_at=batch.output_at,
                state=batch.state.value,
                state_changed_at=batch.state_changed_at or batch.created_at,
            )
        )

    async def get(self, batch_id: uuid.UUID, *, for_update: bool = False) -> Batch | None:
        query = select(schema.batches).where(schema.batches.c.id == batch_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._conn.execute(query)).mappings().first()
        return _batch(row) if row else None

    async def by_external_id(
        self, sender_id: uuid.UUID, dialect: str, external_id: str, *, for_update: bool = False
    ) -> Batch | None:
        b = schema.batches.c
        query = select(schema.batches).where(
            b.sender_id == sender_id, b.dialect == dialect, b.external_id == external_id
        )
        if for_update:
            query = query.with_for_update()
        row = (await self._conn.execute(query)).mappings().first()
        return _batch(row) if row else None

    async def for_sender(
        self,
        sender_id: uuid.UUID,
        dialect: str,
        *,
        since: datetime,
        until: datetime,
        name: str | None = None,
        limit: int = 1000,
    ) -> list[Batch]:
        """The sender's batches created in [since, until), newest first; ``name``: only those so named."""
        b = schema.batches.c
        query = select(schema.batches).where(
            b.sender_id == sender_id, b.dialect == dialect, b.created_at >= since, b.created_at < until
        )
        if name is not None:
            query = query.where(b.name == name)
        query = query.order_by(b.created_at.desc(), b.id.desc()).limit(limit)
        return [_batch(row) for row in (await self._conn.execute(query)).mappings()]

    async def set_status(self, batch_id: uuid.UUID, status: BatchStatus, *, now: datetime) -> None:
        await self._conn.execute(
            update(schema.batches)
            .where(schema.batches.c.id == batch_id)
            .values(status=status.value, updated_at=now)
        )

    async def set_state(self, batch_id: uuid.UUID, state: BatchState, *, now: datetime) -> None:
        await self._conn.execute(
            update(schema.batches)
            .where(schema.batches.c.id == batch_id)
            .values(state=state.value, state_changed_at=now, updated_at=now)
        )

    async def set_output_at(self, batch_id: uuid.UUID, output_at: datetime | None, *, now: datetime) -> None:
        await self._conn.execute(
            update(schema.batches)
            .where(schema.batches.c.id == batch_id)
            .values(output_at=output_at, updated_at=now)
        )

    async def update_data(self, batch_id: uuid.UUID, data: dict[str, Any], *, now: datetime) -> None:
        await self._conn.execute(
            update(schema.batches).where(schema.batches.c.id == batch_id).values(data=data, updated_at=now)
        )

    async def counts_by_channel(self, batch_id: uuid.UUID) -> dict[str, int]:
        s = schema.shipments.c
        query = select(s.channel, func.count()).where(s.batch_id == batch_id).group_by(s.channel)
        return {str(channel): int(n) for channel, n in await self._conn.execute(query)}

    async def counts_by_channel_and_status(self, batch_id: uuid.UUID) -> dict[tuple[str | None, str], int]:
        """How many of the batch's shipments have each (channel, status); channel is None until routed."""
        s = schema.shipments.c
        query = (
            select(s.channel, s.status, func.count())
            .where(s.batch_id == batch_id)
            .group_by(s.channel, s.status)
        )
        return {(channel, str(status)): int(n) for channel, status, n in await self._conn.execute(query)}

    async def counts_by_status(self, batch_id: uuid.UUID) -> dict[ShipmentStatus, int]:
        s = schema.shipments.c
        query = select(s.status, func.count()).where(s.batch_id == batch_id).group_by(s.status)
        return {ShipmentStatus(status): int(n) for status, n in await self._conn.execute(query)}

    async def letters(
        self,
        batch_id: uuid.UUID,
        *,
        statuses: Collection[ShipmentStatus] | None = None,
        after: tuple[datetime, uuid.UUID] | None = None,
        limit: int | None = None,
    ) -> list[LetterInBatch]:
        """The batch's letters without their documents, oldest first, keyset-paged by
        (created_at, id) (``after``: the last one seen); ``statuses``: only letters in those."""
        s = schema.shipments.c
        query = select(s.id, s.external_id, s.status, s.channel, s.updated_at, s.created_at).where(
            s.batch_id == batch_id
        )
        if statuses:
            query = query.where(s.status.in_([status.value for status in statuses]))
        if after is not None:
            query = query.where(tuple_(s.created_at, s.id) > after)
        query = query.order_by(s.created_at, s.id)
        if limit is not None:
            query = query.limit(limit)
        return [
            LetterInBatch(
                row.id,
                row.external_id,
                ShipmentStatus(row.status),
                Channel(row.channel) if row.channel else None,
                row.updated_at,
                row.created_at,
            )
            for row in await self._conn.execute(query)
        ]

    async def record_event(self, event: BatchEvent, subscriptions: list[Subscription]) -> bool:
        """Append ``event`` (once per batch and state) and its webhook deliveries; False if already there."""
        e = schema.batch_events.c
        exists = select(e.id).where(e.batch_id == event.batch_id, e.type == event.type.value)
        if (await self._conn.execute(exists)).first() is not None:
            return False
        ws = WriteSet()
        ws.add(
            schema.batch_events,
            {
                "id": event.id,
                "batch_id": event.batch_id,
                "sender_id": event.sender_id,
                "type": event.type.value,
                "at": event.at,
                "data": event.data,
            },
        )
        for subscription in subscriptions:
            if subscription.wants_batch(event.type):
                delivery_rows(subscription, event.id, event.sender_id, event.at, ws)
        await apply(self._conn, [ws])
        return True

    async def events(self, batch_id: uuid.UUID) -> list[BatchEvent]:
        e = schema.batch_events.c
        query = select(schema.batch_events).where(e.batch_id == batch_id).order_by(e.at, e.id)
        return [_batch_event(r) for r in (await self._conn.execute(query)).mappings()]

    async def event(self, event_id: uuid.UUID) -> BatchEvent | None:
        query = select(schema.batch_events).where(schema.batch_events.c.id == event_id)
        row = (await self._conn.execute(query)).mappings().first()
        return _batch_event(row) if row else None
