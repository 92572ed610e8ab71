"""Issue 12 defects 1 and 2 on the console's Clock page and the platform API: a step over the maximum
names the real rule (not "a whole number greater than 0"), and the clock goes back to real time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.test_console_web import Console, console

__all__ = ["console"]


@pytest.mark.parametrize(
    ("amount", "unit", "nb", "en"),
    [
        ("4000", "days", "høyst 3660 dager om gangen", "at most 3660 days at a time"),
        ("0", "hours", "et helt tall, 1 eller mer", "a whole number, 1 or more"),
        ("1.5", "hours", "et helt tall, 1 eller mer", "a whole number, 1 or more"),
        ("2", "weeks", "Velg minutter, timer eller dager", "Choose minutes, hours or days"),
    ],
)
def test_a_refused_step_names_the_rule_it_broke_in_both_languages(
    console: Console, amount: str, unit: str, nb: str, en: str
) -> None:
    console.sign_in()
    refused = console.notice(console.post("/console/clock/advance", {"amount": amount, "unit": unit}))
    assert nb in refused
    assert "større enn 0" not in refused
    console.client.get("/console/clock?lang=en")
    assert en in console.notice(console.post("/console/clock/advance", {"amount": amount, "unit": unit}))
    assert console.api("GET", "/sandbox/clock").json()["offset_seconds"] == 0


def test_the_page_names_the_maximum_and_offers_real_time_only_when_ahead(console: Console) -> None:
    console.sign_in()
    page = console.client.get("/console/clock").text
    assert "høyst 3660 dager om gangen" in page
    assert "Tilbake til virkelig tid" not in page
    console.post("/console/clock/advance", {"amount": "3", "unit": "days"})
    page = console.client.get("/console/clock").text
    assert "3\u00a0døgn foran virkelig tid" in page
    assert "Virkelig tid:" in page
    notice = console.notice(console.post("/console/clock/reset"))
    assert "går som virkelig tid igjen" in notice
    assert "Tilbake til virkelig tid" not in console.client.get("/console/clock").text


def test_the_platform_api_sets_the_clock_back_to_real_time(console: Console) -> None:
    ahead = console.api("POST", "/sandbox/clock/advance", json={"seconds": 7 * 86400})
    assert ahead.status_code == 200, ahead.text
    assert ahead.json()["offset_seconds"] == 7 * 86400
    back = console.api("POST", "/sandbox/clock/reset")
    assert back.status_code == 200, back.text
    assert back.json()["offset_seconds"] == 0
    now = datetime.fromisoformat(back.json()["now"])
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1)
    assert console.api("GET", "/sandbox/clock").json()["offset_seconds"] == 0
