"""The sandbox's shared settings: the clock offset and the injected faults, with one revision number.

Every change bumps ``sandbox_state.revision`` in the same transaction, so a reader can tell a
newer reading from an older one, whichever process made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema

CHANNEL, WEBHOOK = "channel", "webhook"
_STATE_ID = 1
PPM = 1_000_000


@dataclass(frozen=True, slots=True)
class StoredClock:
    offset: timedelta
    revision: int


@dataclass(frozen=True, slots=True)
class StoredFault:
    kind: str
    target: str
    probability: float
    error: str
    status_code: int | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredFaults:
    revision: int
    faults: list[StoredFault]


class SandboxSettingsRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def clock(self) -> StoredClock:
        s = schema.sandbox_state.c
        row = (
            await self._conn.execute(select(s.clock_offset_us, s.revision).where(s.id == _STATE_ID))
        ).first()
        if row is None:
            return StoredClock(timedelta(), 0)
        return StoredClock(timedelta(microseconds=row.clock_offset_us), int(row.revision))

    async def faults(self) -> StoredFaults:
        f = schema.sandbox_faults.c
        revision = (await self.clock()).revision
        rows = await self._conn.execute(select(schema.sandbox_faults).order_by(f.kind, f.target))
        faults = [
            StoredFault(
                kind=r.kind,
                target=r.target,
                probability=r.probability_ppm / PPM,
                error=r.error,
                status_code=r.status_code,
                updated_at=r.updated_at,
            )
            for r in rows
        ]
        return StoredFaults(revision, faults)

    async def _bump(self, *, now: datetime, offset_by: timedelta = timedelta()) -> None:
        s = schema.sandbox_state.c
        microseconds = offset_by // timedelta(microseconds=1)
        result = await self._conn.execute(
            update(schema.sandbox_state)
            .where(s.id == _STATE_ID)
            .values(clock_offset_us=s.clock_offset_us + microseconds, revision=s.revision + 1, updated_at=now)
        )
        if not result.rowcount:  # the row the migration made was deleted by hand
            await self._conn.execute(
                schema.sandbox_state.insert().values(
                    id=_STATE_ID, clock_offset_us=microseconds, revision=1, updated_at=now
                )
            )

    async def advance_clock(self, by: timedelta, *, now: datetime) -> StoredClock:
        await self._bump(now=now, offset_by=by)
        return await self.clock()

    async def reset_clock(self, *, now: datetime) -> StoredClock:
        """Back to real time: the offset becomes 0 (as a step, so every process adopts it)."""
        await self._bump(now=now, offset_by=-(await self.clock()).offset)
        return await self.clock()

    async def put_fault(
        self,
        kind: str,
        target: str,
        probability: float,
        error: str,
        status_code: int | None,
        *,
        now: datetime,
    ) -> None:
        table = schema.sandbox_faults
        insert = postgresql.insert(table) if self._conn.dialect.name == "postgresql" else sqlite.insert(table)
        values = {
            "probability_ppm": round(probability * PPM),
            "error": error,
            "status_code": status_code,
            "updated_at": now,
        }
        await self._conn.execute(
            insert.values(kind=kind, target=target, **values).on_conflict_do_update(
                index_elements=["kind", "target"], set_=values
            )
        )
        await self._bump(now=now)

    async def delete_faults(
        self, *, now: datetime, kind: str | None = None, target: str | None = None
    ) -> int:
        """Remove one fault (kind and target), every fault of a kind, or all; returns how many."""
        f = schema.sandbox_faults.c
        query = delete(schema.sandbox_faults)
        if kind is not None:
            query = query.where(f.kind == kind)
        if target is not None:
            query = query.where(f.target == target)
        removed = (await self._conn.execute(query)).rowcount or 0
        if removed:
            await self._bump(now=now)
        return removed
