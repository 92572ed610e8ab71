"""Jobs not yet run, found by their idempotency keys: called off when what they were for is gone;
and a long job's progress, kept on its own row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema
from postbud.storage.repos.jobs import DONE, READY, RUNNING, job_row


class WaitingJobRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def enqueue_once(
        self, kind: str, payload: dict[str, Any], *, key: str, now: datetime, run_at: datetime | None = None
    ) -> bool:
        """Queue a job unless one with ``key`` exists already (then False), without failing the
        transaction the way a plain insert of a taken key would."""
        insert = postgresql.insert if self._conn.dialect.name == "postgresql" else sqlite.insert
        row = job_row(kind, payload, now=now, run_at=run_at, idempotency_key=key)
        statement = (
            insert(schema.jobs).values(**row).on_conflict_do_nothing(index_elements=["idempotency_key"])
        )
        return bool((await self._conn.execute(statement)).rowcount)

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

    async def payload(self, key: str) -> dict[str, Any] | None:
        """The payload of the job with ``key`` as stored now (a job that works in steps keeps how far
        it got there); None when there is no such job."""
        j = schema.jobs.c
        row = (await self._conn.execute(select(j.payload).where(j.idempotency_key == key))).first()
        return None if row is None else dict(row[0])

    async def set_payload(self, key: str, payload: dict[str, Any], *, now: datetime) -> bool:
        """Replace the payload of the job with ``key``, in the transaction of the step it records;
        False when there is no such job."""
        j = schema.jobs.c
        result = await self._conn.execute(
            update(schema.jobs).where(j.idempotency_key == key).values(payload=payload, updated_at=now)
        )
        return bool(result.rowcount)
