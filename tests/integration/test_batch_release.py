"""A batch's close answers at once and leaves the release of its letters to the ``batch.release``
job, which works a chunk per transaction: stopped midway it goes on where it stopped (every letter
queued exactly once), and a cancel racing it gets a truthful answer. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import signal
import sys
import textwrap
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from postbud.domain.batches import BatchState, BatchStatus
from postbud.domain.errors import Conflict, ConflictCode
from postbud.domain.events import EventType
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.batches import cancel_batch, complete_batch, open_batch, release_batch
from postbud.storage import schema
from tests.integration.test_core_actions_batches import World, world

__all__ = ["world"]
pytestmark = pytest.mark.anyio


async def _jobs(world: World, kind: str) -> list[dict[str, Any]]:
    j = schema.jobs.c
    async with world.runtime.reader() as uow:
        query = select(j.idempotency_key, j.payload, j.status, j.run_at).where(j.kind == kind)
        return [dict(row) for row in (await uow.conn.execute(query)).mappings()]


async def _in_print_runs(world: World) -> Counter[str]:
    """How many print runs each letter was queued in."""
    return Counter(
        letter for job in await _jobs(world, "print_line.run") for letter in job["payload"]["letters"]
    )


async def _closed_batch(
    world: World, name: str, *, on_paper: int, to_mailbox: int = 0
) -> tuple[uuid.UUID, list[uuid.UUID]]:
    batch = await open_batch(world.runtime, sender_id=world.sender, dialect="ekopost", external_id=name)
    letters = [await world.on_paper(batch.id) for _ in range(on_paper)]
    letters += [await world.to_mailbox(batch.id) for _ in range(to_mailbox)]
    await complete_batch(world.runtime, batch.id)
    return batch.id, letters


async def _refuse_print_run_of(world: World, letter: uuid.UUID) -> None:
    """A trigger that refuses to queue the print run starting at ``letter``: the release stops
    there, its transaction rolled back, as a process killed in the middle of it leaves it."""
    key = f"print-run:%:{letter}"
    async with world.runtime.database.write_engine.begin() as conn:
        if world.runtime.database.is_sqlite:
            await conn.exec_driver_sql(
                f"CREATE TRIGGER refuse_run BEFORE INSERT ON jobs WHEN NEW.idempotency_key LIKE '{key}' "
                "BEGIN SELECT RAISE(ABORT, 'the process was killed'); END"
            )
        else:
            await conn.exec_driver_sql(
                "CREATE FUNCTION refuse_run() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'the process was killed'; END $$"
            )
            await conn.exec_driver_sql(
                "CREATE TRIGGER refuse_run BEFORE INSERT ON jobs FOR EACH ROW "
                f"WHEN (NEW.idempotency_key LIKE '{key}') EXECUTE FUNCTION refuse_run()"
            )


async def _allow_print_runs(world: World) -> None:
    async with world.runtime.database.write_engine.begin() as conn:
        await conn.exec_driver_sql(
            "DROP TRIGGER refuse_run" + ("" if world.runtime.database.is_sqlite else " ON jobs")
        )


async def test_the_close_queues_the_release_job_and_releases_nothing_itself(world: World) -> None:
    batch_id, letters = await _closed_batch(world, "c-close", on_paper=3, to_mailbox=2)
    [release] = await _jobs(world, "batch.release")
    assert release["idempotency_key"] == f"batch-release:{batch_id}"
    assert release["status"] == "ready"
    assert release["run_at"] <= world.runtime.clock.now()
    assert await _jobs(world, "print_line.run") == []
    assert await _jobs(world, "shipment.publish") == []
    assert await world.statuses(batch_id) == [ShipmentStatus.SCHEDULED] * 5
    assert await world.state(batch_id) is BatchState.CLOSED

    await world.work()
    assert await world.statuses(batch_id) == [ShipmentStatus.POSTED] * 3 + [ShipmentStatus.DELIVERED] * 2
    assert await world.state(batch_id) is BatchState.COMPLETED
    assert set(await _in_print_runs(world)) == {str(i) for i in letters[:3]}


async def test_the_close_runs_as_many_statements_for_twelve_letters_as_for_two(world: World) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    async def close_counted(name: str, letters: int) -> int:
        batch = await open_batch(world.runtime, sender_id=world.sender, dialect="ekopost", external_id=name)
        for _ in range(letters):
            await world.to_mailbox(batch.id)
        statements.clear()
        engine = world.runtime.database.write_engine.sync_engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            await complete_batch(world.runtime, batch.id)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    assert await close_counted("c-two", 2) == await close_counted("c-twelve", 12)


async def test_a_release_stopped_midway_goes_on_and_queues_every_letter_exactly_once(world: World) -> None:
    batch_id, letters = await _closed_batch(world, "c-crash", on_paper=7)
    await _refuse_print_run_of(world, letters[4])  # chunks of 2: the third chunk fails
    with pytest.raises(Exception, match="the process was killed"):
        await release_batch(batch_id, world.runtime, chunk=2)
    assert set(await _in_print_runs(world)) == {str(i) for i in letters[:4]}, "two chunks committed"
    [release] = await _jobs(world, "batch.release")
    assert release["payload"]["released"]["letters"] == 4
    assert not release["payload"]["released"]["finished"]

    await _allow_print_runs(world)
    await release_batch(batch_id, world.runtime, chunk=2)
    await release_batch(batch_id, world.runtime, chunk=2)  # done: nothing more
    assert await _in_print_runs(world) == Counter({str(i): 1 for i in letters})
    await world.work()
    assert await world.statuses(batch_id) == [ShipmentStatus.POSTED] * 7
    async with world.runtime.reader() as uow:
        for letter in letters:
            events = [e.type for e in await uow.events.for_shipment(letter)]
            assert events.count(EventType.SENT_TO_PRINT) == 1, letter
    assert await world.state(batch_id) is BatchState.COMPLETED


async def test_a_cancel_while_the_release_job_runs_but_has_released_nothing_cancels(world: World) -> None:
    batch_id, _ = await _closed_batch(world, "c-claimed", on_paper=2)
    now = world.runtime.clock.now()
    async with world.runtime.unit_of_work() as uow:
        [claimed] = await uow.jobs.claim("a-worker", now=now, lease=timedelta(minutes=5), limit=1)
    assert claimed.kind == "batch.release"
    cancelled = await cancel_batch(world.runtime, batch_id, even_if_closed=True)
    assert (cancelled.status, cancelled.state) == (BatchStatus.CANCELLED, BatchState.CANCELLED)
    await release_batch(batch_id, world.runtime)  # the running job goes on: it finds the batch cancelled
    assert await _jobs(world, "print_line.run") == []
    await world.work()
    assert await world.statuses(batch_id) == [ShipmentStatus.CANCELLED] * 2


async def test_a_cancel_after_a_chunk_was_released_is_refused_and_the_release_completes(world: World) -> None:
    batch_id, letters = await _closed_batch(world, "c-started", on_paper=5)
    await _refuse_print_run_of(world, letters[2])
    with pytest.raises(Exception, match="the process was killed"):
        await release_batch(batch_id, world.runtime, chunk=2)
    with pytest.raises(Conflict) as refused:
        await cancel_batch(world.runtime, batch_id, even_if_closed=True)
    assert refused.value.code is ConflictCode.WRONG_STATE
    await _allow_print_runs(world)
    await release_batch(batch_id, world.runtime, chunk=2)
    await world.work()
    assert await world.statuses(batch_id) == [ShipmentStatus.POSTED] * 5


async def _cancel_refusal(world: World, batch_id: uuid.UUID) -> ConflictCode | None:
    """Cancel a closed batch; the refusal's code, None when it was cancelled."""
    try:
        await cancel_batch(world.runtime, batch_id, even_if_closed=True)
    except Conflict as exc:
        return exc.code
    return None


async def test_a_cancel_racing_the_release_gets_a_truthful_answer(world: World) -> None:
    """Whichever takes the batch's lock first wins, and the answer says which: cancelled with nothing
    of the batch queued for print, or refused with every letter queued once."""
    for attempt in range(6):
        batch_id, letters = await _closed_batch(world, f"c-race-{attempt}", on_paper=4)
        release = asyncio.create_task(release_batch(batch_id, world.runtime, chunk=1))
        if attempt % 2:
            await asyncio.sleep(0)
        refused = await _cancel_refusal(world, batch_id)
        assert refused in (None, ConflictCode.WRONG_STATE)
        cancelled = refused is None
        await release
        queued = Counter(
            letter
            for job in await _jobs(world, "print_line.run")
            if job["payload"]["batch_id"] == str(batch_id)
            for letter in job["payload"]["letters"]
        )
        if cancelled:
            assert queued == Counter(), attempt
        else:
            assert queued == Counter({str(i): 1 for i in letters}), attempt
    await world.work()


_RELEASE_KILLED_AT = textwrap.dedent(
    """
    import asyncio, os, signal, sys, uuid
    from pathlib import Path
    from sqlalchemy import event
    from postbud.bootstrap import build_runtime
    from postbud.config import Settings
    from postbud.services.letters.batches import release_batch

    def kill_at(conn, cursor, statement, parameters, context, executemany):
        if sys.argv[4] in repr(parameters):  # queueing this print run: SIGKILL mid-transaction
            os.kill(os.getpid(), signal.SIGKILL)

    async def main():
        settings = Settings(data_dir=Path(sys.argv[1]), database_url=sys.argv[2], workers=0)
        runtime = await build_runtime(settings)
        event.listen(runtime.database.write_engine.sync_engine, "before_cursor_execute", kill_at)
        await release_batch(uuid.UUID(sys.argv[3]), runtime, chunk=1)

    asyncio.run(main())
    """
)


async def _released_so_far(world: World, batch_id: uuid.UUID) -> dict[str, Any]:
    j = schema.jobs.c
    async with world.runtime.reader() as uow:
        query = select(j.payload).where(j.idempotency_key == f"batch-release:{batch_id}")
        payload = (await uow.conn.execute(query)).scalar_one()
    return dict(payload.get("released") or {})


async def test_a_release_killed_with_sigkill_midway_is_finished_by_a_worker_each_letter_once(
    world: World, tmp_path: Path, database_url: str
) -> None:
    """The release runs in a process of its own, one letter per transaction, and that process is
    killed with SIGKILL inside the sixth chunk's transaction (as it queues that chunk's print run).
    A worker then runs the release job: it goes on after the fifth chunk."""
    batch_id, letters = await _closed_batch(world, "c-kill", on_paper=12)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _RELEASE_KILLED_AT,
        str(tmp_path / "data"),
        database_url,
        str(batch_id),
        f"print-run:{batch_id}:{letters[5]}",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=300)
    assert process.returncode == -signal.SIGKILL, stderr.decode()
    so_far = await _released_so_far(world, batch_id)
    assert (so_far["letters"], so_far["finished"]) == (5, False), so_far
    assert set(await _in_print_runs(world)) == {str(i) for i in letters[:5]}

    await world.work()
    assert await _in_print_runs(world) == Counter({str(i): 1 for i in letters})
    assert await world.statuses(batch_id) == [ShipmentStatus.POSTED] * len(letters)
    assert (await _released_so_far(world, batch_id))["finished"]
