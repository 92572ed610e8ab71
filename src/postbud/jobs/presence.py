"""This process's entry in the worker registry: it registers, beats, takes over the dead's jobs, leaves.

Every process that runs job workers beats every few seconds (by the database's clock). At each
beat it also looks at the others: a worker is dead when its process is certainly gone (on this
machine: its pid is free or reused) or, on another machine, when it has not beaten for
``dead_after``. A dead worker's running jobs become ready at once and its entry is removed. A
worker on this machine whose process still runs is never taken for dead before ``hung_after``
(the job lease), however late its beats, so a live worker's job is not run a second time.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog

from postbud.config import Settings
from postbud.jobs.machine import ProcessIdentity, is_gone, this_process
from postbud.services.runtime import Runtime
from postbud.storage.repos.workers import WorkerEntry, WorkerRegistry

log = structlog.get_logger(__name__)

HEARTBEAT = timedelta(seconds=2)
DEAD_AFTER = timedelta(seconds=15)
HUNG_AFTER = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Liveness:
    heartbeat: timedelta = HEARTBEAT
    dead_after: timedelta = DEAD_AFTER
    """A worker on another machine that has not beaten for this long is dead."""
    hung_after: timedelta = HUNG_AFTER
    """A worker on this machine whose process runs but has not beaten for this long is hung."""

    @classmethod
    def of(cls, settings: Settings) -> Liveness:
        return cls(
            heartbeat=timedelta(seconds=settings.worker_heartbeat_seconds),
            dead_after=timedelta(seconds=settings.worker_dead_after_seconds),
        )


def dead_workers(
    entries: Sequence[WorkerEntry], *, me: ProcessIdentity, my_id: str, now: datetime, liveness: Liveness
) -> list[WorkerEntry]:
    dead = []
    for entry in entries:
        if entry.id == my_id:
            continue
        other = ProcessIdentity(pid=entry.pid, machine=entry.machine, started=entry.pid_started)
        silent = now - entry.heartbeat_at
        if is_gone(other, me):
            dead.append(entry)
        elif entry.machine is not None and entry.machine == me.machine:
            if silent > liveness.hung_after:
                dead.append(entry)
        elif silent > liveness.dead_after:
            dead.append(entry)
    return dead


class WorkerPresence:
    def __init__(self, runtime: Runtime, liveness: Liveness | None = None) -> None:
        self.runtime = runtime
        self.liveness = liveness or Liveness.of(runtime.settings)
        self.identity = this_process()
        self.host = socket.gethostname()
        self.id = f"{self.host}:{self.identity.pid}:{uuid.uuid4().hex[:8]}"
        self.taken_over = 0
        """Jobs of dead workers this process made ready again."""

    async def register(self) -> None:
        async with self.runtime.unit_of_work() as uow:
            await self._register(uow.workers, await uow.workers.now())
        log.info("worker registered", worker=self.id)

    async def _register(self, registry: WorkerRegistry, now: datetime) -> None:
        await registry.register(
            WorkerEntry(
                id=self.id,
                host=self.host,
                pid=self.identity.pid,
                machine=self.identity.machine,
                pid_started=self.identity.started,
                started_at=now,
                heartbeat_at=now,
            )
        )

    async def beat(self) -> int:
        """Beat, and make the jobs of dead workers ready; how many jobs were taken over."""
        async with self.runtime.unit_of_work() as uow:
            now = await uow.workers.now()
            if not await uow.workers.beat(self.id, now=now):
                log.warning("this worker was taken for dead; registering again", worker=self.id)
                await self._register(uow.workers, now)
            entries = await uow.workers.all()
            dead = dead_workers(entries, me=self.identity, my_id=self.id, now=now, liveness=self.liveness)
            released = 0
            for entry in dead:
                released += await uow.jobs.release_held_by(
                    [entry.id], reason=f"its worker {entry.id} died while running it", now=now
                )
            await uow.workers.remove(entry.id for entry in dead)
            released += await uow.jobs.release_lapsed(wall_now=now, now=now)
        if dead:
            log.warning("took over the jobs of dead workers", dead=[e.id for e in dead], jobs=released)
        if released:
            self.taken_over += released
            self.runtime.jobs_available()
        return released

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.beat()
            except Exception:
                log.exception("worker heartbeat failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.liveness.heartbeat.total_seconds())

    async def leave(self) -> None:
        """Give back the jobs still held (their runs were cut short) and remove this entry."""
        async with self.runtime.unit_of_work() as uow:
            now = await uow.workers.now()
            released = await uow.jobs.release_held_by(
                [self.id], reason=f"its worker {self.id} stopped before finishing it", now=now
            )
            await uow.workers.remove([self.id])
        if released:
            self.runtime.jobs_available()
        log.info("worker left", worker=self.id, released=released)
