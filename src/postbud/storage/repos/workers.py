"""The registry of processes that run job workers, and the database's own clock for their heartbeats.

Heartbeats and the judgement "this worker went quiet" use the database's time (PostgreSQL), so
workers on hosts whose clocks disagree still agree on who is alive. A SQLite file is only ever
shared by processes on one host, whose wall clock is the database's clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema
from postbud.storage.types import UtcDateTime


@dataclass(frozen=True, slots=True)
class WorkerEntry:
    id: str
    host: str
    pid: int
    machine: str | None
    """Boot id and pid namespace: processes with the same value can probe each other's pids."""
    pid_started: int | None
    started_at: datetime
    heartbeat_at: datetime


async def database_now(conn: AsyncConnection) -> datetime:
    """The time by the database's clock (on SQLite: this host's wall clock), never a sandbox clock."""
    if conn.dialect.name == "postgresql":
        value = (await conn.execute(select(func.statement_timestamp(type_=UtcDateTime)))).scalar_one()
        assert isinstance(value, datetime)
        return value
    return datetime.now(UTC)


class WorkerRegistry:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def now(self) -> datetime:
        return await database_now(self._conn)

    async def register(self, entry: WorkerEntry) -> None:
        await self._conn.execute(
            schema.workers.insert().values(
                id=entry.id,
                host=entry.host[:255],
                pid=entry.pid,
                machine=entry.machine,
                pid_started=entry.pid_started,
                started_at=entry.started_at,
                heartbeat_at=entry.heartbeat_at,
            )
        )

    async def beat(self, worker_id: str, *, now: datetime) -> bool:
        """Record that the worker lives; False when its entry is gone (it was taken for dead)."""
        w = schema.workers.c
        result = await self._conn.execute(
            update(schema.workers).where(w.id == worker_id).values(heartbeat_at=now)
        )
        return bool(result.rowcount)

    async def all(self) -> list[WorkerEntry]:
        rows = await self._conn.execute(select(schema.workers).order_by(schema.workers.c.started_at))
        return [WorkerEntry(**row) for row in rows.mappings()]

    async def remove(self, worker_ids: Iterable[str]) -> int:
        wanted = list(worker_ids)
        if not wanted:
            return 0
        result = await self._conn.execute(delete(schema.workers).where(schema.workers.c.id.in_(wanted)))
        return int(result.rowcount)
