"""Issue 12 defect 1, the console's side: after the sandbox clock is set back to real time, the live feed
goes on showing new events (its place was in the future, where the clock had been), without repeating
what it showed while the clock was ahead."""

from __future__ import annotations

from datetime import timedelta

from postbud.services.console.feed import FeedTracker, newest_events, starting_cursor
from postbud.services.sandbox.clock import advance_clock, reset_clock
from tests.integration.test_console_web import OLA, Console, console

__all__ = ["console"]


def _subjects(rows: list) -> list[str]:  # type: ignore[type-arg]
    return sorted({row.subject for row in rows})


def test_the_live_feed_goes_on_after_the_clock_is_set_back(console: Console) -> None:
    console.add_ola()
    console.run(advance_clock, console.runtime, timedelta(days=7))
    console.send("Om en uke", recipient=OLA)
    newest = console.run(newest_events, console.runtime)
    tracker = FeedTracker(starting_cursor(console.runtime, newest))
    assert console.run(tracker.poll, console.runtime) == []

    console.run(reset_clock, console.runtime)
    console.send("Tilbake i dag", recipient=OLA)
    fresh = console.run(tracker.poll, console.runtime)
    assert _subjects(fresh) == ["Tilbake i dag"], "new events show, the week-ahead ones are not sent again"
    console.send("Enda et", recipient=OLA)
    assert _subjects(console.run(tracker.poll, console.runtime)) == ["Enda et"]
