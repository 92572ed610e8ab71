"""Use case: the live feed of events across all senders, for the operator console.

A client reads the newest events once, then polls for what came after. Events are stamped
before their transaction commits, so one stamped earlier can become visible after a later one:
each poll looks back a little before the newest event seen (``LOOKBACK``) and skips what it
already sent, so a late commit is still shown, once. What a tracker remembers is bounded. When
the sandbox clock is set back to real time, a tracker whose place lies ahead of the clock moves
back to the time of its last poll, taking what was stamped while the clock was ahead as sent
(remembered like any sent event, up to ``MAX_REMEMBERED``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from postbud.services.page_cursor import decode_cursor, encode_cursor
from postbud.services.runtime import Runtime

# The feed rows are part of this use case's interface: outer layers import them from here.
from postbud.storage.repos.activity import FeedRow as FeedRow

LOOKBACK: Final = timedelta(seconds=3)
BATCH: Final = 100
MAX_REMEMBERED: Final = 2000
NEWEST: Final = 50


@dataclass(frozen=True, slots=True)
class FeedCursor:
    at: datetime
    event_id: uuid.UUID

    def encode(self) -> str:
        return encode_cursor(self.at, self.event_id)

    @classmethod
    def decode(cls, text: str) -> FeedCursor:
        return cls(*decode_cursor(text, what="a feed position", zoned=True))

    @classmethod
    def of(cls, row: FeedRow) -> FeedCursor:
        return cls(row.event.at, row.event.id)

    @classmethod
    def at_time(cls, moment: datetime) -> FeedCursor:
        """Before every event stamped ``moment`` or later."""
        return cls(moment, uuid.UUID(int=0))


async def newest_events(runtime: Runtime, limit: int = NEWEST) -> list[FeedRow]:
    """The newest events, newest first."""
    async with runtime.reader() as uow:
        return await uow.activity.newest_events(limit)


def starting_cursor(runtime: Runtime, newest: list[FeedRow]) -> FeedCursor:
    """Where a page that shows ``newest`` (newest first) continues: after its newest event, or now."""
    if newest:
        return FeedCursor.of(newest[0])
    return FeedCursor.at_time(runtime.clock.now())


@dataclass
class FeedTracker:
    """One client's place in the feed: the newest event sent, and the events sent lately."""

    cursor: FeedCursor
    _sent: dict[uuid.UUID, datetime] = field(default_factory=dict)
    _primed: bool = False
    _polled: datetime | None = None
    """The real time of the last poll: after the clock is set back to it, events stamped since are new."""

    async def poll(self, runtime: Runtime) -> list[FeedRow]:
        """Events the client has not had yet, oldest first (at most ``BATCH`` more than remembered)."""
        now = runtime.clock.now()
        set_back = now < self.cursor.at - LOOKBACK
        # Set back: what is new is stamped before the cursor, but after the last poll.
        if set_back:
            self.cursor = FeedCursor.at_time(min(self._polled or now, now))
            self._primed = False
        self._polled = runtime.wall_clock.now()
        async with runtime.reader() as uow:
            rows = await uow.activity.events_since(self.cursor.at - LOOKBACK, BATCH + len(self._sent))
        if not self._primed:  # the client has everything up to its cursor
            self._primed = True
            for row in rows:
                # After a set-back, what is stamped later than now was recorded while the clock was ahead.
                if self._key(row) <= (self.cursor.at, self.cursor.event_id) or (
                    set_back and row.event.at > now
                ):
                    self._sent[row.event.id] = row.event.at
        fresh = [row for row in rows if row.event.id not in self._sent]
        for row in fresh:
            self._sent[row.event.id] = row.event.at
            if self._key(row) > (self.cursor.at, self.cursor.event_id):
                self.cursor = FeedCursor.of(row)
        self._forget_old()
        return fresh

    @staticmethod
    def _key(row: FeedRow) -> tuple[datetime, uuid.UUID]:
        return row.event.at, row.event.id

    def _forget_old(self) -> None:
        """Keep what a later poll can still see again: sent within the lookback, at most MAX_REMEMBERED."""
        horizon = self.cursor.at - LOOKBACK
        if self._sent and (len(self._sent) > MAX_REMEMBERED or min(self._sent.values()) < horizon):
            kept = sorted(
                ((at, event_id) for event_id, at in self._sent.items() if at >= horizon), reverse=True
            )[:MAX_REMEMBERED]
            self._sent = {event_id: at for at, event_id in kept}
