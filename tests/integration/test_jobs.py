"""The durable job queue under concurrency, crashes and failures, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from postbud.jobs.backoff import minimum_total, retry_delay
from postbud.jobs.presence import WorkerPresence
from postbud.jobs.registry import JobHandler
from postbud.jobs.worker import Worker
from postbud.services.runtime import Runtime
from postbud.storage.repos.jobs import Job
from tests.integration.core_helpers import runtime_for
from tests.integration.job_probe import MOST_IN_ONE_ROUND, PROBE, probe_handlers

pytestmark = pytest.mark.anyio
REPO = Path(__file__).resolve().parents[2]


async def enqueue(runtime: Runtime, n: int, kind: str = PROBE) -> None:
    async with runtime.unit_of_work() as uow:
        for i in range(n):
            await uow.jobs.enqueue(kind, {"n": i}, now=runtime.clock.now(), idempotency_key=f"{kind}:{i}")


def runs(log_file: Path) -> Counter[int]:
    if not log_file.exists():
        return Counter()
    return Counter(int(line.split()[0]) for line in log_file.read_text().splitlines())


async def test_enqueue_is_idempotent_by_key(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    await enqueue(runtime, 3)
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        await enqueue(runtime, 1)
    async with runtime.reader() as uow:
        assert (await uow.jobs.counts()) == {"ready": 3}
    await runtime.close()


async def test_many_workers_in_one_process_run_each_job_once(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    await enqueue(runtime, 200)
    log_file = tmp_path / "runs.log"
    workers = [Worker(runtime, probe_handlers(log_file, delay=0.001), batch=7) for _ in range(4)]
    while sum(await asyncio.gather(*(w.run_once() for w in workers))):
        pass
    counted = runs(log_file)
    assert sorted(counted) == list(range(200)), "no job lost"
    assert set(counted.values()) == {1}, "none ran twice"
    assert sum(w.processed for w in workers) == 200
    async with runtime.reader() as uow:
        assert (await uow.jobs.counts()) == {"done": 200}
    await runtime.close()


async def test_workers_in_several_processes_run_each_job_once(tmp_path: Path, database_url: str) -> None:
    jobs = 300
    # No process may run half of the jobs, so at least two must take part: the sharing is made
    # certain, not hoped for from how fast each process happens to start.
    share = jobs // 2 - MOST_IN_ONE_ROUND
    runtime = await runtime_for(tmp_path, database_url)
    await enqueue(runtime, jobs)
    await runtime.close()
    log_file = tmp_path / "runs.log"
    command = [
        sys.executable,
        "-m",
        "tests.integration.job_probe",
        database_url,
        str(tmp_path / "data"),
        str(log_file),
        "3",
        str(share),
    ]
    processes = [await asyncio.create_subprocess_exec(*command, cwd=REPO) for _ in range(3)]
    for process in processes:
        assert await asyncio.wait_for(process.wait(), 120) == 0
    counted = runs(log_file)
    assert sorted(counted) == list(range(jobs)), "no job lost"
    assert set(counted.values()) == {1}, "none ran twice"
    by_process = Counter(line.split()[1] for line in log_file.read_text().splitlines())
    assert len(by_process) >= 2
    assert max(by_process.values()) < share + MOST_IN_ONE_ROUND, "each process kept to its share"


async def test_jobs_of_an_unregistered_holder_are_taken_over_after_their_lease(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    await enqueue(runtime, 5)
    log_file = tmp_path / "runs.log"
    crashed = Worker(runtime, probe_handlers(log_file), name="crashed", lease=timedelta(seconds=0))
    in_flight = await crashed.claim()  # claimed, then the process "dies" before running them
    assert len(in_flight) == 5

    presence = WorkerPresence(runtime)
    await presence.register()
    survivor = Worker(runtime, probe_handlers(log_file), name=presence.id)
    assert await survivor.run_once() == 0, "a running job is not claimed, however old its lease"
    assert await presence.beat() == 5, "the lease ran out by the wall clock and no registered worker holds it"
    assert await survivor.run_once() == 5
    assert sorted(runs(log_file)) == list(range(5))
    async with runtime.unit_of_work() as uow:
        assert not await uow.jobs.complete(in_flight[0].id, "crashed", now=runtime.clock.now())
    await presence.leave()
    await runtime.close()


async def test_jobs_survive_a_restart(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    await enqueue(runtime, 4)
    await runtime.close()
    runtime = await runtime_for(tmp_path, database_url)
    log_file = tmp_path / "runs.log"
    assert await Worker(runtime, probe_handlers(log_file)).run_once() == 4
    assert sorted(runs(log_file)) == [0, 1, 2, 3]
    await runtime.close()


async def test_failures_are_retried_with_backoff_then_buried(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    calls: list[int] = []
    gave_up: list[str] = []

    async def flaky(job: Job, rt: Runtime) -> None:
        calls.append(job.attempts)
        if job.payload["n"] == 0 and len(calls) < 2:
            raise RuntimeError("receiver down")
        if job.payload["n"] == 1:
            raise RuntimeError("always broken")

    async def give_up(job: Job, rt: Runtime, error: str) -> None:
        gave_up.append(error)

    async with runtime.unit_of_work() as uow:
        await uow.jobs.enqueue("flaky", {"n": 0}, now=runtime.clock.now())
        await uow.jobs.enqueue("flaky", {"n": 1}, now=runtime.clock.now(), max_attempts=3)
    worker = Worker(runtime, {"flaky": JobHandler(flaky, give_up)})
    for _ in range(6):
        await worker.run_once()
        runtime.clock.advance(timedelta(hours=7))
    async with runtime.reader() as uow:
        assert (await uow.jobs.counts()) == {"done": 1, "dead": 1}
    assert gave_up == ["RuntimeError: always broken"]
    await runtime.close()


def test_retry_schedule_doubles_with_jitter_and_spans_a_day() -> None:
    for attempt in range(1, 12):
        full = min(timedelta(hours=6), timedelta(seconds=30) * 2 ** (attempt - 1))
        assert full / 2 <= retry_delay(attempt) <= full
    assert minimum_total(29) > timedelta(hours=24)


async def _refuse_completing(runtime: Runtime, kind: str) -> None:
    """A trigger that refuses to mark jobs of ``kind`` done, as a database that stays locked does."""
    async with runtime.database.write_engine.begin() as conn:
        if runtime.database.is_sqlite:
            await conn.exec_driver_sql(
                f"CREATE TRIGGER refuse_done BEFORE UPDATE ON jobs WHEN NEW.kind = '{kind}' "
                "AND NEW.status = 'done' BEGIN SELECT RAISE(ABORT, 'database is locked'); END"
            )
        else:
            await conn.exec_driver_sql(
                "CREATE FUNCTION refuse_done() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'database is locked'; END $$"
            )
            await conn.exec_driver_sql(
                "CREATE TRIGGER refuse_done BEFORE UPDATE ON jobs FOR EACH ROW "
                f"WHEN (NEW.kind = '{kind}' AND NEW.status = 'done') EXECUTE FUNCTION refuse_done()"
            )


async def _allow_completing(runtime: Runtime) -> None:
    async with runtime.database.write_engine.begin() as conn:
        await conn.exec_driver_sql(
            "DROP TRIGGER refuse_done" + ("" if runtime.database.is_sqlite else " ON jobs")
        )


async def test_a_worker_that_cannot_record_a_job_hands_back_every_job_it_claimed(
    tmp_path: Path, database_url: str
) -> None:
    """Found by the print line at 100,000 envelopes: the completion write of one claimed job failed
    ('database is locked'), and the rest of the worker's claimed jobs stayed running under a live,
    beating holder, never to run again."""
    runtime = await runtime_for(tmp_path, database_url)
    ran: list[str] = []

    async def handler(job: Job, rt: Runtime) -> None:
        ran.append(job.kind)

    handlers = {"stuck": JobHandler(handler), PROBE: JobHandler(handler)}
    async with runtime.unit_of_work() as uow:
        await uow.jobs.enqueue("stuck", {}, now=runtime.clock.now())
        for i in range(3):
            await uow.jobs.enqueue(PROBE, {"n": i}, now=runtime.clock.now())
    await _refuse_completing(runtime, "stuck")
    worker = Worker(runtime, handlers, bookkeeping_pause=0.001)
    worker.batch = 4
    with pytest.raises(Exception, match="database is locked"):
        await worker.run_once()  # claims all four; the first cannot be recorded
    async with runtime.reader() as uow:
        counts = await uow.jobs.counts()
    assert "running" not in counts, counts
    await _allow_completing(runtime)
    while await worker.run_once():
        pass
    async with runtime.reader() as uow:
        assert (await uow.jobs.counts()) == {"done": 4}
    assert sorted(ran).count("stuck") == 2  # once refused its record, once done: handlers are idempotent
    await runtime.close()
