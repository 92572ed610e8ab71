"""The event feed keeps what a poll can return and no more (issue 13): a daily job deletes its rows
older than the retention (the poll's 30 days and one more), a batch per transaction, and leaves the
events themselves; a second run deletes nothing; the job is queued once per day however many
processes start, and each run queues the next day's. SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from postbud.app import create_app
from postbud.config import Settings
from postbud.services.retention.event_feed import (
    PRUNE_EVENT_FEED,
    RETENTION,
    prune_event_feed,
    run_event_feed_pruning,
    schedule_event_feed_pruning,
)
from postbud.services.runtime import Runtime
from postbud.storage import schema
from tests.integration.core_helpers import runtime_for

pytestmark = pytest.mark.anyio


async def _feed(runtime: Runtime, ages: list[timedelta]) -> None:
    now = runtime.wall_clock.now()
    sender, shipment = uuid.uuid4(), uuid.uuid4()
    async with runtime.database.transaction() as conn:
        await conn.execute(
            schema.senders.insert(),
            {
                "id": sender,
                "name": "S",
                "organisation_number": "974761076",
                "altinn_scopes": [],
                "created_at": now,
            },
        )
        await conn.execute(
            schema.shipments.insert(),
            {"id": shipment, "sender_id": sender, "dialect": "digipost", "status": "delivered",
             "request": {}, "created_at": now, "updated_at": now},
        )  # fmt: skip
        events = [
            {"id": uuid.uuid4(), "shipment_id": shipment, "sender_id": sender, "type": "opened",
             "at": now - age, "data": {}, "dedup_key": f"opened-{n}"}
            for n, age in enumerate(ages)
        ]  # fmt: skip
        await conn.execute(schema.events.insert(), events)
        await conn.execute(
            schema.event_feed.insert(),
            [
                {"event_id": e["id"], "sender_id": sender, "dialect": "digipost", "at": e["at"],
                 "type": "opened", "channel": None, "shipment_id": shipment}
                for e in events
            ],
        )  # fmt: skip


async def _count(runtime: Runtime, table: str) -> int:
    async with runtime.database.read_engine.connect() as conn:
        return int(
            (await conn.execute(select(func.count()).select_from(schema.metadata.tables[table]))).scalar_one()
        )


async def test_old_feed_rows_go_in_batches_the_events_stay_and_a_second_run_finds_none(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        old = [RETENTION + timedelta(hours=n + 1) for n in range(7)]
        young = [RETENTION - timedelta(hours=1), timedelta(days=1), timedelta(0)]
        await _feed(runtime, old + young)
        assert await prune_event_feed(runtime, batch=3) == 7
        assert await _count(runtime, "event_feed") == 3
        assert await _count(runtime, "events") == 10, "the letters' history is not pruned"
        assert await prune_event_feed(runtime, batch=3) == 0
        assert await _count(runtime, "event_feed") == 3
    finally:
        await runtime.close()


async def test_a_moved_sandbox_clock_prunes_nothing_that_real_time_still_shows(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        await _feed(runtime, [timedelta(days=5), RETENTION + timedelta(hours=1)])
        runtime.clock.advance(timedelta(days=60))
        assert await prune_event_feed(runtime) == 1
        assert await _count(runtime, "event_feed") == 1
    finally:
        await runtime.close()


async def test_the_job_is_queued_once_a_day_and_each_run_queues_the_next(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        await schedule_event_feed_pruning(runtime)
        await schedule_event_feed_pruning(runtime)
        first = await _pruning_jobs(runtime)
        assert len(first) == 1, "one run a day, however many processes start"
        (key, run_at), now = first[0], runtime.clock.now()
        assert now < run_at <= now + timedelta(days=1)
        assert (run_at.hour, run_at.minute) == (3, 0)
        assert key == f"{PRUNE_EVENT_FEED}:{run_at.date().isoformat()}"
        runtime.clock.advance(run_at - now + timedelta(minutes=1))  # the run's time has come
        await run_event_feed_pruning(runtime)
        await run_event_feed_pruning(runtime)  # at least once: a repeated run queues nothing more
        later = await _pruning_jobs(runtime)
        assert [k for k, _ in later] == [key, f"{PRUNE_EVENT_FEED}:{(run_at + timedelta(days=1)).date()}"]
    finally:
        await runtime.close()


async def _pruning_jobs(runtime: Runtime) -> list[tuple[str, datetime]]:
    async with runtime.database.read_engine.connect() as conn:
        j = schema.jobs.c
        query = select(j.idempotency_key, j.run_at).where(j.kind == PRUNE_EVENT_FEED).order_by(j.run_at)
        return [(str(key), at) for key, at in (await conn.execute(query)).all()]


def test_a_server_with_workers_queues_the_days_run(tmp_path: Path, database_url: str) -> None:
    from starlette.testclient import TestClient

    app = create_app(Settings(data_dir=tmp_path / "data", database_url=database_url, workers=1))
    with TestClient(app) as http:
        runtime: Runtime = http.app.state.runtime  # type: ignore[attr-defined]
        kinds = http.portal.call(_kinds, runtime)  # type: ignore[union-attr]
    assert PRUNE_EVENT_FEED in kinds


async def _kinds(runtime: Runtime) -> list[str]:
    async with runtime.database.read_engine.connect() as conn:
        return list((await conn.execute(select(schema.jobs.c.kind))).scalars())
