"""The live feed: server-sent events, one per new event across all senders.

Each open feed polls the database every half second (``FeedTracker``), sends what is new as
rendered table rows, and ends when the browser goes away (Starlette cancels the stream on
disconnect) or after ``LIFETIME``; the browser then reconnects with ``Last-Event-ID`` and
continues where it was. A process holds at most ``MAX_FEEDS`` open feeds.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator
from typing import Final

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from postbud.domain.errors import ValidationFailed
from postbud.services.console.feed import FeedCursor, FeedRow, FeedTracker
from postbud.web.console.render import fragment
from postbud.web.console.state import MAX_FEEDS, ConsoleState, console_state
from postbud.web.context import web_context

POLL_SECONDS: Final = 0.5
LIFETIME_SECONDS: Final = 300.0
HEARTBEAT_SECONDS: Final = 15.0
RECONNECT_MS: Final = 2000
ROW_TEMPLATE: Final = "console/_feed_row.html"


def _cursor(request: Request) -> FeedCursor:
    text = request.headers.get("last-event-id") or request.query_params.get("after")
    if text:
        try:
            return FeedCursor.decode(text)
        except ValidationFailed:
            pass
    return FeedCursor.at_time(web_context(request).runtime.clock.now())


def _lifetime(request: Request) -> float:
    """``?lifetime=`` shortens a stream (scripts and tests); never beyond ``LIFETIME_SECONDS``."""
    try:
        asked = float(request.query_params.get("lifetime") or LIFETIME_SECONDS)
    except ValueError:
        return LIFETIME_SECONDS
    return min(max(asked, 0.0), LIFETIME_SECONDS) if math.isfinite(asked) else LIFETIME_SECONDS


def server_sent_event(name: str, event_id: str, data: str) -> str:
    lines = "".join(f"data: {line}\n" for line in data.splitlines() or [""])
    return f"event: {name}\nid: {event_id}\n{lines}\n"


def _row(request: Request, row: FeedRow) -> str:
    now = web_context(request).runtime.clock.now()  # a row of another day shows its date
    return fragment(request, ROW_TEMPLATE, {"row": row, "fresh": True, "now": now})


async def _stream(
    request: Request, tracker: FeedTracker, state: ConsoleState, lifetime: float
) -> AsyncIterator[str]:
    runtime = web_context(request).runtime
    state.open_feeds += 1
    try:
        yield f"retry: {RECONNECT_MS}\n\n"
        started = last_sent = time.monotonic()
        while time.monotonic() - started < lifetime:
            rows = await tracker.poll(runtime)
            for row in rows:
                yield server_sent_event("feed", tracker.cursor.encode(), _row(request, row))
            if rows:
                last_sent = time.monotonic()
            elif time.monotonic() - last_sent >= HEARTBEAT_SECONDS:
                yield ": still here\n\n"  # a comment; a gone client shows up as a failed send
                last_sent = time.monotonic()
            await asyncio.sleep(POLL_SECONDS)
    finally:
        state.open_feeds -= 1


async def feed_stream(request: Request) -> Response:
    state = console_state(request)
    if state.open_feeds >= MAX_FEEDS:
        return Response("too many open feeds", status_code=503, headers={"retry-after": "10"})
    return StreamingResponse(
        _stream(request, FeedTracker(_cursor(request)), state, _lifetime(request)),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )
