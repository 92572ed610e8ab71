"""The event feed's retention: a sender's feed (``event_feed``, the read model of Digipost's document
event poll) keeps what a poll can still return — the poll cuts its interval to the last 30 days —
and a daily job deletes what is older, a batch per transaction. The events themselves stay: they
are each letter's history. Idempotent: a second run finds nothing older to delete.

Each process with job workers queues the next run (03:00) as it starts — one job per day, whoever
asks: its idempotency key names the day — and each run queues the next day's, so the chain goes on
while any worker runs (and starts again with the next process after a sandbox reset).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import structlog

from postbud.services.runtime import Runtime
from postbud.storage.job_kinds import EVENT_FEED_PRUNE

PRUNE_EVENT_FEED = EVENT_FEED_PRUNE
RETENTION = timedelta(days=31)
"""The poll's 30 days, and one more so a poll at the edge of the window is never short."""
BATCH = 5_000

log = structlog.get_logger(__name__)


def cutoff(runtime: Runtime) -> datetime:
    """Feed rows older than this can no longer be polled. Whichever clock is behind: the sandbox
    clock may be moved back to real time, and rows a poll would show again then must be there."""
    return min(runtime.clock.now(), runtime.wall_clock.now()) - RETENTION


async def prune_event_feed(runtime: Runtime, *, batch: int = BATCH) -> int:
    """Delete the feed rows older than the retention; how many went."""
    before = cutoff(runtime)
    pruned = 0
    while True:
        async with runtime.unit_of_work() as uow:
            deleted = await uow.retention.delete_feed_rows_before(before, limit=batch)
        pruned += deleted
        if deleted < batch:
            break
    if pruned:
        log.info("event feed pruned", rows=pruned, older_than=before.isoformat())
    return pruned


RUN_AT = time(3)
"""Each day's run: 03:00 (business time, UTC), when letters are few."""


async def schedule_event_feed_pruning(runtime: Runtime) -> None:
    """Queue the next run (the next 03:00), once whoever asks: its idempotency key names the day."""
    now = runtime.clock.now()
    run_at = datetime.combine(now.date(), RUN_AT, tzinfo=UTC)
    if run_at <= now:
        run_at += timedelta(days=1)
    async with runtime.unit_of_work() as uow:
        await uow.retention.schedule_once(
            PRUNE_EVENT_FEED, key=f"{PRUNE_EVENT_FEED}:{run_at.date().isoformat()}", run_at=run_at, now=now
        )


async def run_event_feed_pruning(runtime: Runtime) -> None:
    """The job: prune, then queue the next day's run."""
    await prune_event_feed(runtime)
    await schedule_event_feed_pruning(runtime)
