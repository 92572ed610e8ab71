"""Browser tests: Playwright drives Debian's Chromium against a live Postbud server.

Never ``playwright install``: the browser is the distribution's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from postbud.services.sandbox.seed import SeedOptions, seed
from tests.browser.live_server import LiveServer

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PEOPLE = 10
ORGANISATIONS = 2


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": chromium, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "nb-NO",
        "accept_downloads": True,
        "viewport": {"width": 1100, "height": 900},
    }


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("browser-data"))
    server.start()
    try:
        server.run(seed(server.runtime, SeedOptions(people=PEOPLE, organisations=ORGANISATIONS)))
        yield server
    finally:
        server.stop()


@pytest.fixture
def inbox_page(page: Page) -> Page:
    page.set_default_timeout(10_000)
    return page


DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
UPDATE_SCREENSHOTS = "POSTBUD_UPDATE_SCREENSHOTS"


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where screenshots go: docs/screenshots with POSTBUD_UPDATE_SCREENSHOTS=1 (for the README),
    else a temporary folder, so an ordinary test run leaves the tree unchanged."""
    folder = DOCS_SCREENSHOTS if os.environ.get(UPDATE_SCREENSHOTS) == "1" else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser is a browser test: scripts/test.sh runs them in a process
    of their own, because Playwright's sync API keeps an event loop running in its process."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
