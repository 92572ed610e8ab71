"""Workers: claim due jobs, run their handlers, retry with backoff, bury what keeps failing.

Several workers may run in one process and in many processes. A claimed job names its holder,
the process's entry in the worker registry (``presence.py``); when that process dies, its jobs
are made ready again within seconds and run once more, so handlers must be idempotent.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import traceback
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

import structlog

from postbud.jobs.backoff import retry_delay
from postbud.jobs.registry import HolderDied, JobHandler, PermanentFailure
from postbud.services.runtime import Runtime
from postbud.storage.repos.jobs import Job
from postbud.storage.unit_of_work import SqlUnitOfWork

log = structlog.get_logger(__name__)

BOOKKEEPING_TRIES = 6
"""How often a job's own row is written before the worker gives up on it (pauses doubling from
``bookkeeping_pause``: about 3 s beyond the database's own busy wait with the default)."""


class Worker:
    def __init__(
        self,
        runtime: Runtime,
        handlers: dict[str, JobHandler],
        *,
        name: str | None = None,
        batch: int = 16,
        poll_interval: float = 0.5,
        lease: timedelta = timedelta(minutes=5),
        bookkeeping_pause: float = 0.05,
    ) -> None:
        """``name``: the holder the claims are made for, the process's entry in the worker registry
        (several workers of one process share it). ``lease``: how long a claim holds by the wall
        clock when its holder is not registered."""
        self.runtime = runtime
        self.handlers = handlers
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.batch = batch
        self.poll_interval = poll_interval
        self.lease = lease
        self.bookkeeping_pause = bookkeeping_pause
        self.processed = 0

    async def claim(self) -> list[Job]:
        if not await self.runtime.hot_reads.may_have_due_jobs(self.runtime.clock.now()):
            return []
        async with self.runtime.unit_of_work() as uow:
            return await uow.jobs.claim(
                self.name,
                now=self.runtime.clock.now(),
                lease=self.lease,
                limit=self.batch,
                wall_now=self.runtime.wall_clock.now(),
            )

    async def run_once(self) -> int:
        """Claim and run one batch; returns how many jobs were claimed."""
        await self.runtime.refresh_shared_settings()  # the sandbox clock decides what is due
        jobs = await self.claim()
        for index, job in enumerate(jobs):
            try:
                await self._run(job)
            except Exception:
                # Claimed jobs left running under a live holder would never run again (they are
                # not due by time, and a beating holder is not taken over): hand them back.
                await self._let_go(jobs[index:])
                raise
        return len(jobs)

    async def _let_go(self, jobs: Sequence[Job]) -> None:
        ids = [job.id for job in jobs]
        reason = "its worker could not record its outcome; run again"
        now = self.runtime.clock.now()
        await self._bookkeep(lambda uow: uow.jobs.let_go(ids, self.name, reason=reason, now=now))
        log.warning("jobs handed back", kind=jobs[0].kind, count=len(ids))

    async def _bookkeep(self, write: Callable[[SqlUnitOfWork], Awaitable[object]]) -> None:
        """A job's own row written after its handler ran, tried again when the write fails: a
        SQLite lock held past the busy timeout by a process starved of CPU must not strand a job."""
        for attempt in range(BOOKKEEPING_TRIES):
            try:
                async with self.runtime.unit_of_work() as uow:
                    await write(uow)
                return
            except Exception:
                if attempt == BOOKKEEPING_TRIES - 1:
                    raise
                await asyncio.sleep(self.bookkeeping_pause * 2**attempt)

    async def _run(self, job: Job) -> None:
        handler = self.handlers.get(job.kind)
        try:
            await self.runtime.refresh_shared_settings()  # and which faults the sandbox injects
            if handler is None:
                raise PermanentFailure(f"no handler for job kind {job.kind!r}")
            if job.attempts > job.max_attempts:
                raise HolderDied(f"its worker died during its last attempt ({job.max_attempts} allowed)")
            await handler.run(job, self.runtime)
        except Exception as exc:
            await self._failed(job, handler, exc)
            return
        now = self.runtime.clock.now()
        await self._bookkeep(lambda uow: uow.jobs.complete(job.id, self.name, now=now))
        self.processed += 1

    async def _failed(self, job: Job, handler: JobHandler | None, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"
        now = self.runtime.clock.now()
        final = isinstance(exc, PermanentFailure) or job.attempts >= job.max_attempts
        if not isinstance(exc, PermanentFailure):
            log.warning("job failed", kind=job.kind, job_id=str(job.id), attempt=job.attempts, error=error)
            log.debug("job traceback", trace="".join(traceback.format_exception(exc)))
        run_at = now + retry_delay(job.attempts)

        async def record(uow: SqlUnitOfWork) -> None:
            if final:
                await uow.jobs.bury(job.id, self.name, error=error, now=now)
            else:
                await uow.jobs.retry(job.id, self.name, error=error, run_at=run_at, now=now)

        await self._bookkeep(record)
        if final and handler is not None and handler.give_up is not None:
            await handler.give_up(job, self.runtime, error)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                claimed = await self.run_once()
            except Exception:
                log.exception("worker loop error")
                claimed = 0
            if claimed:
                continue
            signal = self.runtime.job_signal
            signal.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(_first(stop, signal), self.poll_interval)


async def _first(*events: asyncio.Event) -> None:
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waiters:
            w.cancel()
