"""The durable job queue: rows written in the same transaction as the change that caused them.

Claiming is safe with many workers in many processes: PostgreSQL uses FOR UPDATE SKIP LOCKED;
SQLite serialises writers with BEGIN IMMEDIATE, so a claim is one atomic step there too.
A claim is a lease: a worker that dies leaves a job whose lease runs out and is claimed again.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from postbud.domain.ids import new_id
from postbud.storage import schema
from postbud.storage.types import UtcDateTime
from postbud.storage.writeset import WriteSet

READY, RUNNING, DONE, DEAD = "ready", "running", "done", "dead"
DEFAULT_MAX_ATTEMPTS = 20


@dataclass(frozen=True, slots=True)
class Job:
    id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int
    run_at: datetime


def job_row(
    kind: str,
    payload: dict[str, Any],
    *,
    now: datetime,
    run_at: datetime | None = None,
    idempotency_key: str | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "kind": kind,
        "payload": payload,
        "status": READY,
        "run_at": run_at or now,
        "attempts": 0,
        "max_attempts": max_attempts,
        "locked_by": None,
        "locked_until": None,
        "last_error": None,
        "idempotency_key": idempotency_key,
        "created_at": now,
        "updated_at": now,
    }


def enqueue_into(ws: WriteSet, kind: str, payload: dict[str, Any], **options: Any) -> None:
    ws.add(schema.jobs, job_row(kind, payload, **options))


def due(now: Any) -> ColumnElement[bool]:
    """Jobs to run at ``now`` (a time, or a bind parameter): ready and due, or with a lapsed lease."""
    j = schema.jobs.c
    return or_(and_(j.status == READY, j.run_at <= now), and_(j.status == RUNNING, j.locked_until < now))


def _job(row: Mapping[str, Any]) -> Job:
    return Job(
        id=row["id"],
        kind=row["kind"],
        payload=row["payload"],
        attempts=row["attempts"],
        max_attempts=row["max_attempts"],
        run_at=row["run_at"],
    )


class JobQueue:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def enqueue(self, kind: str, payload: dict[str, Any], **options: Any) -> uuid.UUID:
        row = job_row(kind, payload, **options)
        await self._conn.execute(schema.jobs.insert().values(**row))
        return uuid.UUID(str(row["id"]))

    async def claim(self, worker: str, *, now: datetime, lease: timedelta, limit: int) -> list[Job]:
        j = schema.jobs.c
        query = select(schema.jobs).where(due(now)).order_by(j.run_at).limit(limit)
        if self._conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = list((await self._conn.execute(query)).mappings())
        if not rows:
            return []
        await self._conn.execute(
            update(schema.jobs)
            .where(j.id.in_([r["id"] for r in rows]))
            .values(
                status=RUNNING,
                locked_by=worker,
                locked_until=now + lease,
                attempts=j.attempts + 1,
                updated_at=now,
            )
        )
        return [_job({**r, "attempts": r["attempts"] + 1}) for r in rows]

    async def _finish(self, job_id: uuid.UUID, worker: str, **values: Any) -> bool:
        """Update only if this worker still holds the lease; False means someone else took over."""
        j = schema.jobs.c
        result = await self._conn.execute(
            update(schema.jobs)
            .where(j.id == job_id, j.locked_by == worker, j.status == RUNNING)
            .values(**values)
        )
        return bool(result.rowcount)

    async def complete(self, job_id: uuid.UUID, worker: str, *, now: datetime) -> bool:
        return await self._finish(job_id, worker, status=DONE, locked_until=None, updated_at=now)

    async def retry(
        self, job_id: uuid.UUID, worker: str, *, error: str, run_at: datetime, now: datetime
    ) -> bool:
        return await self._finish(
            job_id,
            worker,
            status=READY,
            run_at=run_at,
            last_error=error[:4000],
            locked_by=None,
            locked_until=None,
            updated_at=now,
        )

    async def bury(self, job_id: uuid.UUID, worker: str, *, error: str, now: datetime) -> bool:
        return await self._finish(
            job_id, worker, status=DEAD, last_error=error[:4000], locked_until=None, updated_at=now
        )

    async def requeue(self, job_id: uuid.UUID, *, now: datetime) -> None:
        await self._conn.execute(
            update(schema.jobs)
            .where(schema.jobs.c.id == job_id)
            .values(status=READY, run_at=now, attempts=0, locked_by=None, locked_until=None, updated_at=now)
        )

    async def counts(self) -> dict[str, int]:
        j = schema.jobs.c
        rows = await self._conn.execute(select(j.status, func.count()).group_by(j.status))
        return {status: int(count) for status, count in rows}

    async def next_run_at(self) -> datetime | None:
        j = schema.jobs.c
        value = (
            await self._conn.execute(select(func.min(j.run_at, type_=UtcDateTime)).where(j.status == READY))
        ).scalar()
        return value if isinstance(value, datetime) else None
