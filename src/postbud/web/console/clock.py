"""The sandbox clock: what time it is here, what waits for later, moving it forward and back to real time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.errors import Conflict, NotPermitted, ValidationFailed
from postbud.services.sandbox.clock import (
    MAX_STEP,
    advance_clock,
    advance_to_next_job,
    clock_view,
    reset_clock,
)
from postbud.web.console import paths
from postbud.web.console.render import flash, page
from postbud.web.context import web_context
from postbud.web.formatting import Formatter
from postbud.web.forms import text_field
from postbud.web.navigation import see_other
from postbud.web.templating import request_language

NEXT_JOB: Final = "next_job"
UNITS: Final = {"minutes": timedelta(minutes=1), "hours": timedelta(hours=1), "days": timedelta(days=1)}
PRESETS: Final = (("1", "hours"), ("1", "days"), ("7", "days"), ("30", "days"))


async def clock_page(request: Request) -> Response:
    view = await clock_view(web_context(request).runtime)
    context = {
        "section": "clock",
        "clock": view,
        "presets": PRESETS,
        "units": list(UNITS),
        "max_days": MAX_STEP.days,
    }
    return page(request, "console/clock.html", context)


def _step(form: FormData) -> timedelta | str:
    """The step the form asks for, or the key of the text that names the rule it broke."""
    amount = (text_field(form, "amount", max_length=20) or "").strip()
    unit = UNITS.get(text_field(form, "unit", max_length=10) or "")
    if unit is None:
        return "console.clock_invalid_unit"
    if not amount.isdigit() or int(amount) == 0:
        return "console.clock_invalid_amount"
    step = int(amount) * unit
    return step if step <= MAX_STEP else "console.clock_too_far"


async def advance(request: Request, form: FormData) -> Response:
    runtime = web_context(request).runtime
    try:
        if text_field(form, "to", max_length=20) == NEXT_JOB:
            view = await advance_to_next_job(runtime)
        else:
            step = _step(form)
            if isinstance(step, str):
                flash(request, step, error=True, days=str(MAX_STEP.days))
                return see_other(paths.CLOCK)
            view = await advance_clock(runtime, step)
    except NotPermitted:
        flash(request, "console.sandbox_only", error=True)
    except Conflict:
        flash(request, "console.clock_nothing_waiting", error=True)
    except ValidationFailed:
        flash(request, "console.clock_too_far", error=True, days=str(MAX_STEP.days))
    else:
        flash(request, "console.clock_advanced", now=_when(request, view.now))
    return see_other(paths.CLOCK)


async def reset(request: Request, form: FormData) -> Response:
    try:
        view = await reset_clock(web_context(request).runtime)
    except NotPermitted:
        flash(request, "console.sandbox_only", error=True)
    else:
        flash(request, "console.clock_was_reset", now=_when(request, view.now))
    return see_other(paths.CLOCK)


def _when(request: Request, moment: datetime) -> str:
    return Formatter(request_language(request), web_context(request).pages.zone).datetime(moment)
