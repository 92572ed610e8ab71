"""The unit of work builds every repository on its one transaction and names a broken unique key.

On SQLite and PostgreSQL: a repository reached through the unit of work writes inside its
transaction (so a rollback takes its rows too), and a duplicate leaves as a ``DuplicateKey`` that
names the key, whichever words the database used.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from postbud.services.console.dead_jobs import dead_jobs, job_counts, requeue_dead_jobs
from postbud.storage.errors import DuplicateKey
from postbud.storage.unit_of_work import SqlUnitOfWork
from tests.integration.core_helpers import add_sender, runtime_for

pytestmark = pytest.mark.anyio


class Boom(Exception):
    pass


async def test_a_repeated_unique_key_leaves_as_a_duplicate_key_naming_it(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        now = runtime.clock.now()

        async def enqueue(*keys: str) -> None:
            async with runtime.unit_of_work() as uow:
                for key in keys:
                    await uow.jobs.enqueue("test.kind", {}, now=now, idempotency_key=key)

        await enqueue("once")
        with pytest.raises(DuplicateKey) as raised:
            await enqueue("other", "once")
        assert raised.value.table == "jobs"
        assert raised.value.constraint == "uq_jobs_idempotency_key"
        async with runtime.reader() as uow:
            assert await uow.jobs.counts() == {"ready": 1}, "the whole transaction was rolled back"
    finally:
        await runtime.close()


async def test_lazily_built_repositories_write_in_the_transaction_and_roll_back_with_it(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        sender_id = await add_sender(runtime)

        async def advance_then_fail() -> None:
            async with SqlUnitOfWork(runtime.database) as uow:
                assert uow.sandbox_settings is uow.sandbox_settings, "built once per unit of work"
                advanced = await uow.sandbox_settings.advance_clock(
                    timedelta(days=1), now=runtime.clock.now()
                )
                assert advanced.offset == timedelta(days=1), "seen inside the transaction"
                raise Boom

        with pytest.raises(Boom):
            await advance_then_fail()
        async with SqlUnitOfWork(runtime.database, read_only=True) as uow:
            assert (await uow.sandbox_settings.clock()).offset == timedelta()
            assert (await uow.senders.get(sender_id)) is not None
    finally:
        await runtime.close()


async def test_dead_jobs_are_listed_and_put_back_in_line_through_the_console_use_cases(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        now = runtime.clock.now()
        async with runtime.unit_of_work() as uow:
            ids = [await uow.jobs.enqueue("test.kind", {"n": n}, now=now, max_attempts=1) for n in range(3)]
            claimed = await uow.jobs.claim("w", now=now, lease=timedelta(days=1), limit=3)
            assert len(claimed) == 3
            await uow.jobs.bury(ids[0], "w", error="gave up", now=now)
            await uow.jobs.bury(ids[1], "w", error="gave up too", now=now)
            await uow.jobs.complete(ids[2], "w", now=now)
        dead = await dead_jobs(runtime)
        assert {job.id for job in dead} == set(ids[:2])
        assert {job.last_error for job in dead} == {"gave up", "gave up too"}
        assert await job_counts(runtime) == {"dead": 2, "done": 1}

        assert await requeue_dead_jobs(runtime) == 2
        assert await dead_jobs(runtime) == []
        assert await job_counts(runtime) == {"ready": 2, "done": 1}
        async with runtime.unit_of_work() as uow:
            again = await uow.jobs.claim("w2", now=runtime.clock.now(), lease=timedelta(days=1), limit=5)
        assert sorted(job.id for job in again) == sorted(ids[:2])
        assert {job.attempts for job in again} == {1}, "from the first attempt"
    finally:
        await runtime.close()
