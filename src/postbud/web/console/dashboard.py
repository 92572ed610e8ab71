"""The console's start page: the live feed, letters per channel per hour, the job backlog."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from postbud.services.console.activity_chart import activity
from postbud.services.console.dead_jobs import DONE_COUNTED_UP_TO
from postbud.services.console.feed import newest_events, starting_cursor
from postbud.services.runtime import Runtime
from postbud.web.console.chart import letters_chart
from postbud.web.console.render import page
from postbud.web.context import web_context

FEED_ROWS: Final = 50
MAX_FEED_ROWS: Final = 200
"""The page keeps this many rows as new ones stream in."""
BACKLOG_STATUSES: Final = ("ready", "running", "dead", "done")


async def _activity_context(request: Request) -> dict[str, object]:
    runtime = web_context(request).runtime
    current = await activity(runtime)
    return {
        "activity": current,
        "chart": letters_chart(current, web_context(request).pages.zone),
        "backlog_statuses": BACKLOG_STATUSES,
        "done_counted_up_to": DONE_COUNTED_UP_TO,
    }


async def dashboard(request: Request) -> Response:
    runtime = web_context(request).runtime
    rows = await newest_events(runtime, FEED_ROWS)
    context = {
        "section": "home",
        "rows": rows,
        "cursor": starting_cursor(runtime, rows).encode(),
        "max_rows": MAX_FEED_ROWS,
        "now": await _now(runtime),
        **await _activity_context(request),
    }
    return page(request, "console/dashboard.html", context)


async def _now(runtime: Runtime) -> datetime:
    """The (sandbox) time for the header line; the activity context reads the scheduled jobs."""
    await runtime.clock.refresh()
    return runtime.clock.now()


async def activity_fragment(request: Request) -> Response:
    """The chart and backlog alone, which the start page reloads every few seconds."""
    return page(request, "console/_activity.html", await _activity_context(request))
