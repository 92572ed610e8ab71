"""Use case: move the sandbox clock forward, so what waits for a time happens now; or set it back.

The sandbox clock is business time only (``domain/clock.py``): a letter's delivery time,
print-if-unread, its reminders, a retry's backoff are jobs due at a time; a share's expiry is
compared with the clock when read. Moving the clock makes them due. Date headers, signatures and
tokens keep the real time, so clients go on working however far it moved. The offset is stored
(so workers in other processes move with it within a second, and it survives a restart) and is
moved forward in steps; ``reset_clock`` sets it back to real time. Events recorded while the clock
was ahead keep their (future) times, so a letter's timeline may then show a later event first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from postbud.domain.errors import Conflict, ConflictCode, RuleCode, ValidationFailed
from postbud.services.runtime import Runtime
from postbud.services.sandbox.mode import require_sandbox
from postbud.storage.database import Database
from postbud.storage.unit_of_work import SqlUnitOfWork

MAX_STEP: Final = timedelta(days=3660)
"""Ten years: far enough for any expiry, near enough that dates stay printable."""
# Past the next job's time by a little, so it is due however the clock is read.
_PAST_DUE: Final = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class ClockView:
    now: datetime
    offset: timedelta
    scheduled_jobs: int
    next_job_at: datetime | None


async def stored_clock_offset(database: Database) -> tuple[timedelta, int]:
    """The ``Clock`` source: one row, read inline on SQLite."""
    async with SqlUnitOfWork(database, read_only=True, inline=True) as uow:
        stored = await uow.sandbox_settings.clock()
    return stored.offset, stored.revision


async def clock_view(runtime: Runtime) -> ClockView:
    await runtime.clock.refresh()
    now = runtime.clock.now()
    async with runtime.reader() as uow:
        scheduled = await uow.activity.scheduled_jobs(now)
    return ClockView(now, runtime.clock.offset, scheduled.jobs, scheduled.next_run_at)


async def advance_clock(runtime: Runtime, by: timedelta) -> ClockView:
    """Move the clock ``by`` forward for every process, and wake the workers."""
    require_sandbox(runtime)
    if not timedelta() < by <= MAX_STEP:
        raise ValidationFailed.of(
            "by", f"more than 0 seconds and at most {MAX_STEP.days} days", RuleCode.INVALID
        )
    async with runtime.unit_of_work() as uow:
        stored = await uow.sandbox_settings.advance_clock(by, now=runtime.clock.now())
    runtime.clock.adopt(stored.offset, stored.revision)
    runtime.jobs_available()
    return await clock_view(runtime)


async def reset_clock(runtime: Runtime) -> ClockView:
    """Set the clock back to real time for every process; what was scheduled keeps its time."""
    require_sandbox(runtime)
    async with runtime.unit_of_work() as uow:
        stored = await uow.sandbox_settings.reset_clock(now=runtime.wall_clock.now())
    runtime.clock.adopt(stored.offset, stored.revision)
    return await clock_view(runtime)


async def advance_to_next_job(runtime: Runtime) -> ClockView:
    """Move the clock just past the time of the next waiting job, so it runs now."""
    view = await clock_view(runtime)
    if view.next_job_at is None:
        raise Conflict("clock", "no job is waiting for a later time", ConflictCode.WRONG_STATE)
    return await advance_clock(runtime, view.next_job_at - view.now + _PAST_DUE)
