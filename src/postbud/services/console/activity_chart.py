"""Use case: letters per channel per hour over the last day, and the job backlog, for the console."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from postbud.services.runtime import Runtime
from postbud.storage.repos.activity import Scheduled

HOURS: Final = 24
NOT_DELIVERED: Final = "not_delivered"
"""The series of letters no channel could carry."""


@dataclass(frozen=True, slots=True)
class Activity:
    hours: list[datetime]
    """The start of each hour, oldest first; the last is the current hour."""
    letters: dict[str, list[int]]
    """Per channel (or ``NOT_DELIVERED``): letters routed in each hour."""
    backlog: dict[str, int]
    """Jobs by status: ready, running, dead, done."""
    scheduled: Scheduled
    """Of the ready jobs, those waiting for a later time."""

    @property
    def total(self) -> int:
        return sum(sum(counts) for counts in self.letters.values())


async def activity(runtime: Runtime, hours: int = HOURS) -> Activity:
    now = runtime.clock.now()
    current = now.replace(minute=0, second=0, microsecond=0)
    starts = [current - timedelta(hours=h) for h in range(hours - 1, -1, -1)]
    async with runtime.reader() as uow:
        repo = uow.activity
        counts = await repo.letters_routed_per_hour(starts[0])
        scheduled = await repo.scheduled_jobs(now)
        backlog = await uow.jobs.counts()
    index = {start: i for i, start in enumerate(starts)}
    letters: dict[str, list[int]] = {}
    for count in counts:
        slot = index.get(count.hour)
        if slot is not None:
            letters.setdefault(count.channel or NOT_DELIVERED, [0] * hours)[slot] += count.letters
    return Activity(starts, dict(sorted(letters.items())), backlog, scheduled)
