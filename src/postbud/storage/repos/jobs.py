"""The durable job queue: rows written in the same transaction as the change that caused them.

Claiming is safe with many workers in many processes: PostgreSQL uses FOR UPDATE SKIP LOCKED;
SQLite serialises writers with BEGIN IMMEDIATE, so a claim is one atomic step there too.
A claimed job is ``running`` and names its holder, an entry of the worker registry
(``repos/workers.py``). It becomes ready again only when its holder is known to be dead
(``release_held_by``), or, for a holder that never registered, when its lease runs out by the
wall clock (``release_lapsed``). A due time (``run_at``) is business time and may follow the
sandbox clock; a lease never does, so moving the sandbox clock never hands a running job to a
second worker.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from postbud.domain.ids import new_id
from postbud.storage import schema
from postbud.storage.types import UtcDateTime
from postbud.storage.writeset import WriteSet

READY, RUNNING, DONE, DEAD = "ready", "running", "done", "dead"
DEFAULT_MAX_ATTEMPTS = 20
DONE_COUNTED_UP_TO = 10_000
"""Done jobs are kept (their idempotency keys keep a job from being queued twice), so there are ever
more of them: the backlog counts them up to this many; what waits or failed is counted exactly."""


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
    """Jobs to run at ``now`` (a time, or a bind parameter): ready and due."""
    j = schema.jobs.c
    return and_(j.status == READY, j.run_at <= now)


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

    async def claim(
        self, worker: str, *, now: datetime, lease: timedelta, limit: int, wall_now: datetime | None = None
    ) -> list[Job]:
        """Take up to ``limit`` due jobs for ``worker``. ``now`` decides what is due (business
        time); the lease runs from ``wall_now`` (the wall clock), a backstop for holders that are
        not in the worker registry."""
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
                locked_until=(wall_now or datetime.now(UTC)) + lease,
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

    async def let_go(self, job_ids: Iterable[uuid.UUID], worker: str, *, reason: str, now: datetime) -> int:
        """Make ready again the jobs of ``job_ids`` that ``worker`` still holds (claimed, not yet
        finished); how many. Their attempt stays counted, as for a dead holder's."""
        wanted = list(job_ids)
        if not wanted:
            return 0
        j = schema.jobs.c
        result = await self._conn.execute(
            update(schema.jobs)
            .where(j.id.in_(wanted), j.locked_by == worker, j.status == RUNNING)
            .values(status=READY, locked_by=None, locked_until=None, last_error=reason[:4000], updated_at=now)
        )
        return int(result.rowcount)

    async def requeue(self, job_id: uuid.UUID, *, now: datetime) -> None:
        await self._conn.execute(
            update(schema.jobs)
            .where(schema.jobs.c.id == job_id)
            .values(status=READY, run_at=now, attempts=0, locked_by=None, locked_until=None, updated_at=now)
        )

    async def release_held_by(self, holders: Iterable[str], *, reason: str, now: datetime) -> int:
        """Make the running jobs of these (dead) holders ready again; how many there were.

        The attempt they used stays counted, so a job that kills its process every time is
        buried after ``max_attempts`` instead of taking the workers down forever."""
        wanted = list(holders)
        if not wanted:
            return 0
        j = schema.jobs.c
        result = await self._conn.execute(
            update(schema.jobs)
            .where(j.status == RUNNING, j.locked_by.in_(wanted))
            .values(status=READY, locked_by=None, locked_until=None, last_error=reason[:4000], updated_at=now)
        )
        return int(result.rowcount)

    async def release_lapsed(self, *, wall_now: datetime, now: datetime) -> int:
        """Make ready the running jobs whose holder is not in the worker registry and whose lease
        ran out by the wall clock (a holder from before the registry, or one taken for dead)."""
        j = schema.jobs.c
        registered = select(schema.workers.c.id).where(schema.workers.c.id == j.locked_by).exists()
        result = await self._conn.execute(
            update(schema.jobs)
            .where(j.status == RUNNING, j.locked_until < wall_now, ~registered)
            .values(
                status=READY,
                locked_by=None,
                locked_until=None,
                last_error="its lease ran out while its holder was not registered",
                updated_at=now,
            )
        )
        return int(result.rowcount)

    async def held_by(self, holder: str) -> list[uuid.UUID]:
        """The jobs ``holder`` is running."""
        j = schema.jobs.c
        rows = await self._conn.execute(select(j.id).where(j.status == RUNNING, j.locked_by == holder))
        return [row[0] for row in rows]

    async def counts(self, *, done_up_to: int = DONE_COUNTED_UP_TO) -> dict[str, int]:
        """Jobs by status (those with any): ready, running and dead exactly, done up to
        ``done_up_to`` + 1 (which reads "more than ``done_up_to``"). Each is a walk of
        ``ix_jobs_status_run_at`` over its status alone, never of the jobs ever run."""
        j = schema.jobs.c
        counts: dict[str, int] = {}
        for status in (READY, RUNNING, DEAD, DONE):
            matching = select(j.run_at).where(j.status == status)
            if status == DONE:
                matching = matching.limit(done_up_to + 1)
            found = await self._conn.scalar(select(func.count()).select_from(matching.subquery()))
            if found:
                counts[status] = int(found)
        return counts

    async def next_run_at(self) -> datetime | None:
        j = schema.jobs.c
        value = (
            await self._conn.execute(select(func.min(j.run_at, type_=UtcDateTime)).where(j.status == READY))
        ).scalar()
        return value if isinstance(value, datetime) else None
