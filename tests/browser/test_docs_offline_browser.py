"""The platform API's reference pages work without the internet: every request that leaves the
machine is refused, and Swagger UI and ReDoc still render the operations, having asked for nothing
outside Postbud."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.live_server import LiveServer

pytestmark = pytest.mark.browser

LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})


class Offline:
    """Aborts every request to a host other than the loopback, and remembers what was refused."""

    def __init__(self, page: Page) -> None:
        self.refused: list[str] = []
        page.route("**/*", self._handle)

    def _handle(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname in LOOPBACK:
            route.continue_()
            return
        self.refused.append(url)
        route.abort("internetdisconnected")


@pytest.fixture
def offline(inbox_page: Page) -> Offline:
    return Offline(inbox_page)


def test_swagger_ui_renders_the_operations_offline(
    live_server: LiveServer, inbox_page: Page, offline: Offline
) -> None:
    page = inbox_page
    page.goto(f"{live_server.url}/api/v1/docs")
    senders = page.locator(".opblock-summary-path", has_text="/api/v1/senders").first
    expect(senders).to_be_visible(timeout=20_000)  # a large description, parsed in the page
    expect(page.locator(".opblock-summary-description", has_text="Register a sender")).to_be_visible()
    assert page.locator(".opblock").count() > 20
    assert offline.refused == []


def test_redoc_renders_the_operations_offline(
    live_server: LiveServer, inbox_page: Page, offline: Offline
) -> None:
    page = inbox_page
    page.goto(f"{live_server.url}/api/v1/redoc")
    expect(page.get_by_role("heading", name="Register a sender and issue its API key")).to_be_visible(
        timeout=20_000
    )
    expect(page.get_by_text("/api/v1/senders", exact=True).first).to_be_attached()
    assert offline.refused == []


def test_the_offline_check_refuses_what_leaves_the_machine(inbox_page: Page, offline: Offline) -> None:
    """The guard itself: a page that asks another host for a script gets nothing, and it is noted."""
    inbox_page.set_content("<script src='https://cdn.example.net/swagger-ui-bundle.js'></script>")
    assert offline.refused == ["https://cdn.example.net/swagger-ui-bundle.js"]
