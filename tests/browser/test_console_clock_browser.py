"""Issue 12 defects 1 and 2 in a real browser: the clock form names the rule a refused step broke, the
clock moves a day ahead, and the operator sets it back to real time. (The live server is shared: the
test always ends on real time.)"""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest
from playwright.sync_api import Page, expect

from tests.browser.live_server import LiveServer
from tests.browser.test_console_browser import ADMIN_TOKEN, _sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def back_to_real_time(live_server: LiveServer) -> Iterator[None]:
    yield
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    httpx2.post(f"{live_server.url}/api/v1/sandbox/clock/reset", headers=headers, timeout=10)


@pytest.mark.usefixtures("back_to_real_time")
def test_an_operator_moves_the_clock_and_sets_it_back_to_real_time(
    page: Page, live_server: LiveServer
) -> None:
    _sign_in(page, live_server)
    page.goto(f"{live_server.url}/console/clock")
    expect(page.get_by_text("Går som virkelig tid.")).to_be_visible()
    expect(page.get_by_role("button", name="Tilbake til virkelig tid")).to_have_count(0)

    page.get_by_label("Hvor langt").fill("4000")
    page.get_by_label("Enhet").select_option("days")
    page.get_by_role("button", name="Still fram", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("høyst 3660 dager om gangen")
    expect(page.get_by_text("Går som virkelig tid.")).to_be_visible()

    page.get_by_role("button", name="+1 d").click()
    expect(page.get_by_role("status")).to_contain_text("Klokken i sandkassen er nå")
    expect(page.get_by_text("1\u00a0døgn foran virkelig tid.")).to_be_visible()

    page.get_by_role("button", name="Tilbake til virkelig tid").click()
    expect(page.get_by_role("status")).to_contain_text("går som virkelig tid igjen")
    expect(page.get_by_text("Går som virkelig tid.")).to_be_visible()
    expect(page.get_by_role("button", name="Tilbake til virkelig tid")).to_have_count(0)
