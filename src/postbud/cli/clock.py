"""``postbud clock show|advance|set|reset``: the sandbox clock, which moves business time only.

Publish times, print-if-unread, reminders, deadlines and print days follow it; Date headers,
signatures and tokens keep the real time. The offset is stored in the data folder's database, so a
running ``postbud serve`` and its workers adopt a change within a second.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Final

import typer

from postbud.cli.options import DatabaseUrl, DataDir, Json, console, make_settings, print_json, with_runtime

if TYPE_CHECKING:
    from postbud.services.runtime import Runtime
    from postbud.services.sandbox.clock import ClockView

app = typer.Typer(
    help="The sandbox clock: move business time forward, or back to real time.", no_args_is_help=True
)

_PART: Final = re.compile(r"(\d+)([dhms])")
_UNIT: Final = {
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
    "s": timedelta(seconds=1),
}


def parse_step(text: str) -> timedelta:
    """``7d``, ``36h``, ``1d12h``, ``90m``, ``30s``; ``ValueError`` naming the rule otherwise."""
    compact = text.replace(" ", "").lower()
    if not compact or _PART.sub("", compact):
        raise ValueError(
            f"{text!r} is not a duration: write a whole number and a unit (d, h, m or s), as 7d or 1d12h"
        )
    return sum((int(n) * _UNIT[unit] for n, unit in _PART.findall(compact)), timedelta())


def _as_json(view: ClockView) -> dict[str, object]:
    return {
        "now": view.now.isoformat(),
        "offset_seconds": view.offset.total_seconds(),
        "scheduled_jobs": view.scheduled_jobs,
        "next_job_at": view.next_job_at.isoformat() if view.next_job_at else None,
    }


def _print(view: ClockView, json_out: bool) -> None:
    if json_out:
        print_json(_as_json(view))
        return
    from postbud.domain.wording import counted

    out = console()
    out.print(f"Sandbox time: {view.now.isoformat(timespec='seconds')}")
    if view.offset > timedelta():
        out.print(
            f"Ahead of real time by {_span(view.offset)} (business time only; `postbud clock reset` ends it)"
        )
    else:
        out.print("Runs on real time.")
    waiting = counted(view.scheduled_jobs, "job waits", "jobs wait")
    line = f"{waiting} for a later time"
    if view.next_job_at is not None:
        line += f"; the next at {view.next_job_at.isoformat(timespec='seconds')}"
    out.print(line + ".")


def _span(span: timedelta) -> str:
    from postbud.domain.wording import counted

    days, rest = divmod(int(span.total_seconds()), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [
        counted(days, "day", "days") if days else "",
        counted(hours, "hour", "hours") if hours else "",
        counted(minutes, "minute", "minutes") if minutes else "",
    ]
    return ", ".join(p for p in parts if p) or "less than a minute"


@app.command("show")
def show(data_dir: DataDir = None, database_url: DatabaseUrl = None, json_out: Json = False) -> None:
    """The sandbox time, how far it is ahead of real time, and what waits for later."""
    from postbud.services.sandbox.clock import clock_view

    _print(with_runtime(make_settings(data_dir, database_url), clock_view, json_mode=json_out), json_out)


@app.command("advance")
def advance(
    by: Annotated[
        str | None, typer.Argument(help="How far: a whole number and d, h, m or s (7d, 36h, 1d12h).")
    ] = None,
    to_next_job: Annotated[
        bool, typer.Option("--to-next-job", help="Just past the time of the next waiting job instead.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """Move business time forward (at most 3660 days at a time); what falls due runs at once."""
    from postbud.services.sandbox.clock import advance_clock, advance_to_next_job

    if (by is None) == (not to_next_job):
        raise typer.BadParameter("give a duration (as 7d) or --to-next-job, not both", param_hint="BY")
    if to_next_job:
        use = advance_to_next_job
    else:
        assert by is not None
        try:
            step = parse_step(by)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="BY") from None

        async def use(runtime: Runtime) -> ClockView:
            return await advance_clock(runtime, step)

    _print(with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out), json_out)


@app.command("set")
def set_(
    to: Annotated[
        datetime,
        typer.Argument(help="A later time, ISO 8601 (2027-01-01T09:00+01:00; without an offset: UTC)."),
    ],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """Move business time forward to a given time (to go back, `postbud clock reset` first)."""
    from postbud.domain.errors import RuleCode, ValidationFailed
    from postbud.services.sandbox.clock import advance_clock, clock_view

    target = to if to.tzinfo else to.replace(tzinfo=UTC)

    async def use(runtime: Runtime) -> ClockView:
        now = (await clock_view(runtime)).now
        if target <= now:
            raise ValidationFailed.of(
                "to",
                f"must be later than the sandbox time {now.isoformat(timespec='seconds')}; "
                "the clock moves forward only (`postbud clock reset` sets it back to real time)",
                RuleCode.INVALID,
            )
        return await advance_clock(runtime, target - now)

    _print(with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out), json_out)


@app.command("reset")
def reset(data_dir: DataDir = None, database_url: DatabaseUrl = None, json_out: Json = False) -> None:
    """Set the sandbox clock back to real time (what was scheduled keeps its time)."""
    from postbud.services.sandbox.clock import reset_clock

    _print(with_runtime(make_settings(data_dir, database_url), reset_clock, json_mode=json_out), json_out)
