"""After a crash the jobs of dead workers run again within seconds, and a live worker's never twice.

Real processes, real ``kill -9``, real SQLite and PostgreSQL. Waits are bounded; nothing asserts on
how long recovery took (the figure is printed for docs/operations.md).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from postbud.jobs.pool import worker_pool
from postbud.jobs.presence import Liveness, WorkerPresence
from postbud.jobs.registry import JobHandler
from postbud.jobs.worker import Worker
from postbud.services.runtime import Runtime
from postbud.storage.repos.jobs import Job
from postbud.storage.repos.workers import WorkerEntry
from tests.integration.core_helpers import runtime_for
from tests.integration.worker_crash_probe import SLOW, marks, slow_handlers

pytestmark = pytest.mark.anyio
REPO = Path(__file__).resolve().parents[2]
WAIT = 60.0
"""The longest any step may take on a busy machine; a healthy run takes a few seconds."""


async def enqueue(runtime: Runtime, n: int, *, max_attempts: int = 20) -> None:
    async with runtime.unit_of_work() as uow:
        for i in range(n):
            await uow.jobs.enqueue(SLOW, {"n": i}, now=runtime.clock.now(), max_attempts=max_attempts)


async def counts(runtime: Runtime) -> dict[str, int]:
    async with runtime.reader() as uow:
        return await uow.jobs.counts()


async def until(condition_name: str, check: Callable[[], Awaitable[bool]]) -> None:
    deadline = time.monotonic() + WAIT
    while not await check():
        assert time.monotonic() < deadline, f"not within {WAIT:.0f} s: {condition_name}"
        await asyncio.sleep(0.05)


async def start_probe(
    tmp_path: Path, database_url: str, log_file: Path, seconds: float
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.integration.worker_crash_probe",
        database_url,
        str(tmp_path / "data"),
        str(log_file),
        str(seconds),
        cwd=REPO,
    )


async def registered(runtime: Runtime) -> list[WorkerEntry]:
    async with runtime.reader() as uow:
        return await uow.workers.all()


async def test_a_restarted_worker_finishes_the_jobs_of_one_killed_mid_job(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    await enqueue(runtime, 6)
    log_file = tmp_path / "runs.log"
    crashed = await start_probe(tmp_path, database_url, log_file, seconds=3600)

    async def holding_all() -> bool:
        return bool(marks(log_file, "start")) and (await counts(runtime)).get("running") == 6

    try:
        await until("the doomed worker holds every job and runs one", holding_all)
    finally:
        crashed.send_signal(signal.SIGKILL)
        await crashed.wait()
    killed_at = time.monotonic()
    (doomed,) = await registered(runtime)
    assert doomed.pid == crashed.pid

    async with worker_pool(runtime, slow_handlers(log_file, 0), 2):
        await until("every job done after the restart", lambda: _all_done(runtime, 6))
    print(f"\nrecovered 6 jobs of a killed worker in {time.monotonic() - killed_at:.2f} s")

    assert sorted(marks(log_file, "done")) == list(range(6))
    assert set(marks(log_file, "done").values()) == {1}, "each finished once"
    assert {line.split()[2] for line in log_file.read_text().splitlines() if line.startswith("done")} == {
        str(os.getpid())
    }
    assert doomed.id not in {entry.id for entry in await registered(runtime)}, "the dead worker is gone"
    assert await registered(runtime) == [], "and the survivor left when it stopped"
    await runtime.close()


async def _all_done(runtime: Runtime, n: int) -> bool:
    return await counts(runtime) == {"done": n}


async def test_a_live_slow_job_is_never_run_twice_even_when_the_sandbox_clock_jumps(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    await enqueue(runtime, 1)
    log_file = tmp_path / "runs.log"
    slow = await start_probe(tmp_path, database_url, log_file, seconds=3)
    try:
        await until("the slow job started", lambda: _started(log_file))
        # Days pass in the sandbox while the job runs; and this process judges silence harshly.
        runtime.clock.advance(timedelta(days=2))
        harsh = Liveness(heartbeat=timedelta(seconds=0.1), dead_after=timedelta(seconds=0.05))
        async with worker_pool(runtime, slow_handlers(log_file, 0), 2, harsh):
            await until("the slow job finished where it started", lambda: _all_done(runtime, 1))
            await asyncio.sleep(0.5)  # several more beats and polls of this process's workers
    finally:
        slow.send_signal(signal.SIGTERM)
        await asyncio.wait_for(slow.wait(), WAIT)
    assert marks(log_file, "start") == {0: 1}, "run once, by the live worker"
    assert marks(log_file, "done") == {0: 1}
    await runtime.close()


async def _started(log_file: Path) -> bool:
    return bool(marks(log_file, "start"))


async def test_a_worker_on_another_machine_is_dead_when_it_stops_beating(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    await enqueue(runtime, 4)
    async with runtime.unit_of_work() as uow:
        now = await uow.workers.now()
        for name, silent in (("far:1:silent", 20), ("far:2:beating", 5)):
            at = now - timedelta(seconds=silent)
            await uow.workers.register(WorkerEntry(name, "far", 1, "another-boot/pid:[1]", 99, at, at))
    for name in ("far:1:silent", "far:2:beating"):
        assert len(await Worker(runtime, {}, name=name, batch=2).claim()) == 2

    presence = WorkerPresence(runtime, Liveness(dead_after=timedelta(seconds=15)))
    await presence.register()
    assert await presence.beat() == 2
    assert {entry.id for entry in await registered(runtime)} == {presence.id, "far:2:beating"}
    assert await counts(runtime) == {"ready": 2, "running": 2}
    log_file = tmp_path / "runs.log"
    assert await Worker(runtime, slow_handlers(log_file, 0), name=presence.id).run_once() == 2
    assert await counts(runtime) == {"done": 2, "running": 2}, "the beating worker keeps its jobs"
    await presence.leave()
    await runtime.close()


async def test_a_lease_runs_out_by_the_wall_clock_never_by_the_sandbox_clock(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    await enqueue(runtime, 2)
    # Holders that never registered (a worker from before the registry): only their lease counts.
    assert len(await Worker(runtime, {}, name="old:1", batch=1, lease=timedelta(minutes=5)).claim()) == 1
    assert len(await Worker(runtime, {}, name="old:2", batch=1, lease=timedelta(0)).claim()) == 1
    runtime.clock.advance(timedelta(days=1))
    presence = WorkerPresence(runtime)
    await presence.register()
    assert await presence.beat() == 1
    assert await counts(runtime) == {"ready": 1, "running": 1}
    assert await presence.beat() == 0
    await presence.leave()
    await runtime.close()


async def test_a_job_whose_worker_dies_at_its_last_attempt_is_buried_and_reported(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    await enqueue(runtime, 1, max_attempts=1)
    gone = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await gone.wait()
    async with runtime.unit_of_work() as uow:
        now = await uow.workers.now()
        me = WorkerPresence(runtime).identity
        await uow.workers.register(WorkerEntry("here:gone", "here", gone.pid, me.machine, None, now, now))
    assert len(await Worker(runtime, {}, name="here:gone").claim()) == 1

    ran: list[int] = []
    reported: list[str] = []

    async def run(job: Job, rt: Runtime) -> None:
        ran.append(job.attempts)

    async def give_up(job: Job, rt: Runtime, error: str) -> None:
        reported.append(error)

    presence = WorkerPresence(runtime)
    await presence.register()
    assert await presence.beat() == 1, "its process is gone: taken over at once, whatever its heartbeat"
    assert await Worker(runtime, {SLOW: JobHandler(run, give_up)}, name=presence.id).run_once() == 1
    assert ran == []
    assert await counts(runtime) == {"dead": 1}
    assert reported == ["HolderDied: its worker died during its last attempt (1 allowed)"]
    await presence.leave()
    await runtime.close()


async def test_a_worker_that_stops_gives_back_the_job_it_had_to_cut_short(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    await enqueue(runtime, 1)
    log_file = tmp_path / "runs.log"
    async with worker_pool(runtime, slow_handlers(log_file, 3600), 1, stop_seconds=0.2):
        await until("the job started", lambda: _started(log_file))
    assert await counts(runtime) == {"ready": 1}, "ready for the next worker, not held by a gone one"
    assert await registered(runtime) == []
    async with runtime.unit_of_work() as uow:
        (job,) = await uow.jobs.claim("next", now=runtime.clock.now(), lease=timedelta(minutes=5), limit=1)
    assert job.attempts == 2, "the cut-short run counts as an attempt"
    await runtime.close()
