"""A process's job workers together with its entry in the worker registry."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import structlog

from postbud.jobs.presence import Liveness, WorkerPresence
from postbud.jobs.registry import JobHandler
from postbud.jobs.worker import Worker
from postbud.services.runtime import Runtime

STOP_SECONDS = 30.0

log = structlog.get_logger(__name__)


@contextlib.asynccontextmanager
async def worker_pool(
    runtime: Runtime,
    handlers: dict[str, JobHandler],
    count: int,
    liveness: Liveness | None = None,
    *,
    stop_seconds: float = STOP_SECONDS,
) -> AsyncIterator[list[Worker]]:
    """Run ``count`` workers until the block ends, then let each finish its current job.

    With at least one worker the process registers first, beats while the block runs (taking
    over the jobs of dead workers at its first beat, so a restart finds a crashed predecessor's
    jobs at once) and leaves at the end, giving back any job whose run was cut short."""
    if count <= 0:
        yield []
        return
    presence = WorkerPresence(runtime, liveness)
    await presence.register()
    stop = asyncio.Event()
    workers = [Worker(runtime, handlers, name=presence.id) for _ in range(count)]
    tasks = [asyncio.create_task(w.run(stop), name=f"worker-{i}") for i, w in enumerate(workers)]
    heart = asyncio.create_task(presence.run(stop), name="worker-heartbeat")
    try:
        yield workers
    finally:
        stop.set()
        runtime.jobs_available()
        _, pending = await asyncio.wait(tasks, timeout=stop_seconds)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        await heart
        try:
            await presence.leave()
        except Exception:  # the database is away: the entry stays until another process sees it die
            log.exception("could not leave the worker registry", worker=presence.id)
