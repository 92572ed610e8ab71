"""Two clocks: business time, which a sandbox operator may move, and the real (wall) time.

``Clock`` is **business time**: when a letter is published, printed, reminded of, due, when its
deadlines and a share's expiry pass, what a batch's output date defaults to, which jobs are due,
what events and rows are stamped with. A sandbox operator moves it forward (or back to real time)
to make scheduled things happen now.

``WallClock`` is **the protocols' time**, which the sandbox never moves, because the peer at the
other end compares it with its own clock: HTTP ``Date`` headers, Digipost's request-date window
and response signature, token lifetimes (``exp``/``iat``/``nbf``), webhook signature timestamps,
session cookies and job leases.

The offset an operator sets is kept in the database (``services/sandbox/clock.py``), so the
server and every ``postbud worker`` agree on the time: each process ``refresh``-es its clock
from there at most once a second. A change is adopted as a step (the difference to the last
reading), so an offset added in this process alone (``advance``, as tests do) stays.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import structlog

REFRESH_SECONDS = 1.0

OffsetSource = Callable[[], Awaitable[tuple[timedelta, int]]]
"""Reads the shared offset and its revision (which grows with every change)."""

log = structlog.get_logger(__name__)


class WallClock:
    """The real time, never moved: for what a peer checks against its own clock (see the module)."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class Clock:
    """Business time: the real time plus the sandbox offset (see the module)."""

    def __init__(self, source: OffsetSource | None = None) -> None:
        self.offset = timedelta()
        self._source = source
        self._shared = timedelta()
        self._revision = -1
        self._read_at: float | None = None

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> datetime:
        self.offset += delta
        return self.now()

    def adopt(self, shared: timedelta, revision: int) -> None:
        """Take a reading of the shared offset, unless a newer one was taken already."""
        if revision <= self._revision:
            return
        self.offset += shared - self._shared
        self._shared = shared
        self._revision = revision

    async def refresh(self) -> None:
        """Adopt the shared offset if it was last read more than a second ago."""
        started = time.monotonic()
        if self._source is None or (self._read_at is not None and started - self._read_at < REFRESH_SECONDS):
            return
        self._read_at = started
        try:
            shared, revision = await self._source()
        except Exception:  # the database is briefly away: keep the time we have
            log.warning("could not read the sandbox clock", exc_info=True)
            return
        self.adopt(shared, revision)
