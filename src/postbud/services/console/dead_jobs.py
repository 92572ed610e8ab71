"""Use cases: the job queue as an operator sees it (counts, the dead jobs) and a second chance."""

from __future__ import annotations

from postbud.services.runtime import Runtime
from postbud.storage.repos.dead_jobs import DeadJob as DeadJob
from postbud.storage.repos.jobs import DONE_COUNTED_UP_TO as DONE_COUNTED_UP_TO


async def job_counts(runtime: Runtime) -> dict[str, int]:
    """Jobs by status (ready, running, done, dead); done up to ``DONE_COUNTED_UP_TO`` + 1."""
    async with runtime.reader() as uow:
        return await uow.jobs.counts()


async def dead_jobs(runtime: Runtime, limit: int = 100) -> list[DeadJob]:
    """The jobs that failed their last attempt, newest first."""
    async with runtime.reader() as uow:
        return await uow.dead_jobs.newest(limit)


async def requeue_dead_jobs(runtime: Runtime) -> int:
    """Run every dead job again from its first attempt, and wake the workers; returns how many."""
    async with runtime.unit_of_work() as uow:
        requeued = await uow.dead_jobs.requeue_all(now=runtime.clock.now())
    runtime.jobs_available()
    return requeued
