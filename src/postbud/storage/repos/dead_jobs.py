"""The jobs that failed their last attempt: what an operator looks at, and puts back in line."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema
from postbud.storage.repos.jobs import DEAD, READY


@dataclass(frozen=True, slots=True)
class DeadJob:
    id: uuid.UUID
    kind: str
    attempts: int
    last_error: str | None
    updated_at: datetime


class DeadJobRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def newest(self, limit: int) -> list[DeadJob]:
        j = schema.jobs.c
        query = (
            select(j.id, j.kind, j.attempts, j.last_error, j.updated_at)
            .where(j.status == DEAD)
            .order_by(j.updated_at.desc())
            .limit(limit)
        )
        return [DeadJob(**row) for row in (await self._conn.execute(query)).mappings()]

    async def requeue_all(self, *, now: datetime) -> int:
        """Every dead job runs again from its first attempt; returns how many."""
        j = schema.jobs.c
        result = await self._conn.execute(
            update(schema.jobs)
            .where(j.status == DEAD)
            .values(status=READY, run_at=now, attempts=0, locked_by=None, locked_until=None, updated_at=now)
        )
        return int(result.rowcount)
