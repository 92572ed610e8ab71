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
from datetime import timedelta

import structlog

from postbud.jobs.backoff import retry_delay
from postbud.jobs.registry import HolderDied, JobHandler, PermanentFailure
from postbud.services.runtime import Runtime
from postbud.storage.repos.jobs import Job

log = structlog.get_logger(__name__)


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
        for job in jobs:
            await self._run(job)
        return len(jobs)

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
        async with self.runtime.unit_of_work() as uow:
            await uow.jobs.complete(job.id, self.name, now=self.runtime.clock.now())
        self.processed += 1

    async def _failed(self, job: Job, handler: JobHandler | None, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"
        now = self.runtime.clock.now()
        final = isinstance(exc, PermanentFailure) or job.attempts >= job.max_attempts
        if not isinstance(exc, PermanentFailure):
            log.warning("job failed", kind=job.kind, job_id=str(job.id), attempt=job.attempts, error=error)
            log.debug("job traceback", trace="".join(traceback.format_exception(exc)))
        async with self.runtime.unit_of_work() as uow:
            if final:
                await uow.jobs.bury(job.id, self.name, error=error, now=now)
            else:
                run_at = now + retry_delay(job.attempts)
                await uow.jobs.retry(job.id, self.name, error=error, run_at=run_at, now=now)
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
