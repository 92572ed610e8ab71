"""Batches."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.batches import Batch, BatchStatus
from postbud.storage import schema


def _batch(row: RowMapping) -> Batch:
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
    )


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

    async def set_status(self, batch_id: uuid.UUID, status: BatchStatus, *, now: datetime) -> None:
        await self._conn.execute(
            update(schema.batches)
            .where(schema.batches.c.id == batch_id)
            .values(status=status.value, updated_at=now)
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
