"""Jobs not yet run, found by their idempotency keys: called off when what they were for is gone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema
from postbud.storage.repos.jobs import DONE, READY, RUNNING


class WaitingJobRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def running(self, keys: Iterable[str]) -> list[str]:
        """Which of these jobs a worker is running right now (their work may already be under way)."""
        wanted = list(keys)
        if not wanted:
            return []
        j = schema.jobs.c
        query = select(j.idempotency_key).where(j.idempotency_key.in_(wanted), j.status == RUNNING)
        return [row[0] for row in await self._conn.execute(query)]

    async def call_off(self, keys: Iterable[str], *, reason: str, now: datetime) -> int:
        """Mark the waiting jobs with these keys done without running them; how many there were."""
        wanted = list(keys)
        if not wanted:
            return 0
        j = schema.jobs.c
        result = await self._conn.execute(
            update(schema.jobs)
            .where(j.idempotency_key.in_(wanted), j.status == READY)
            .values(status=DONE, last_error=reason[:4000], updated_at=now)
        )
        return int(result.rowcount)
