"""An operator in a real browser prints a letter again after its print failed."""

from __future__ import annotations

import time

import httpx2
import pytest
from playwright.sync_api import Page, expect

from tests.browser.live_server import LiveServer
from tests.browser.test_console_browser import _sandbox_sender_id, _send_to_print, _sign_in, api

__all__ = ["api"]

pytestmark = pytest.mark.browser


def _status(api: httpx2.Client, shipment_id: str) -> str:
    status: str = api.get(f"/shipments/{shipment_id}").json()["status"]
    return status


def _wait_for(api: httpx2.Client, shipment_id: str, status: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while _status(api, shipment_id) != status:
        assert time.monotonic() < deadline, f"the letter never became {status}"
        time.sleep(0.1)


def test_an_operator_prints_a_failed_letter_again(
    live_server: LiveServer, page: Page, api: httpx2.Client
) -> None:
    page.set_default_timeout(10_000)
    sender_id = _sandbox_sender_id(api)
    fault = api.put("/sandbox/faults/channels/print", json={"probability": 1, "error": "Tom for konvolutter"})
    assert fault.status_code == 200, fault.text
    shipment_id = _send_to_print(api, sender_id, "Brev som må printes på nytt")
    _wait_for(api, shipment_id, "failed")
    assert api.delete("/sandbox/faults/channels/print").status_code == 204

    _sign_in(page, live_server)
    page.get_by_role("link", name="Printkø").click()
    row = page.locator("tbody tr", has_text="Brev som må printes på nytt")
    expect(row).to_contain_text("Tom for konvolutter")
    row.get_by_role("button", name="Print på nytt").click()
    expect(page.get_by_role("status")).to_contain_text("Brevet er sendt til print på nytt (forsøk 1)")

    _wait_for(api, shipment_id, "posted")
    page.reload()
    row = page.locator("tbody tr", has_text="Brev som må printes på nytt")
    expect(row).to_contain_text("Postlagt")
    expect(row.get_by_role("button", name="Print på nytt")).to_have_count(0)
    row.get_by_role("link").first.click()
    expect(page.locator("img.page").first).to_be_visible()
