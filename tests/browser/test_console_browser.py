"""An operator in a real browser: signs in, watches a letter arrive live, injects a print failure,
and sees PRINT_FAILED reach the sender's webhook (a local HTTP receiver)."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from playwright.sync_api import Page, expect

from postbud.services.sandbox.sample_letters import letter_pdf
from postbud.services.sandbox.seed import SANDBOX_SENDER_NAME
from tests.browser.helpers import person, sandbox_sender, send
from tests.browser.live_server import LiveServer
from tests.integration.test_webhooks import Receiver, receiver

__all__ = ["receiver"]

pytestmark = pytest.mark.browser
ADMIN_TOKEN = "browser-admin"  # the live server's
PRINT_REASON = "Papirstopp i sandkassen"


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[httpx2.Client]:
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with httpx2.Client(base_url=f"{live_server.url}/api/v1", headers=headers, timeout=10) as client:
        yield client
        client.delete("/sandbox/faults")  # the server is shared with the other browser tests


def _sandbox_sender_id(api: httpx2.Client) -> str:
    senders: list[dict[str, Any]] = api.get("/senders").json()
    return next(s["id"] for s in senders if s["name"] == SANDBOX_SENDER_NAME)


def _subscribe(api: httpx2.Client, sender_id: str, receiver: Receiver) -> None:
    body = {"sender_id": sender_id, "url": receiver.url("sender"), "event_types": ["print_failed"]}
    created = api.post("/webhooks", json=body)
    assert created.status_code == 201, created.text
    receiver.secrets["sender"] = created.json()["secret"]


def _send_to_print(api: httpx2.Client, sender_id: str, subject: str) -> str:
    pdf = base64.b64encode(letter_pdf(SANDBOX_SENDER_NAME, subject, ("Hei!",))).decode()
    body = {
        "sender_id": sender_id,
        "recipient_name": "Kari Nordmann",
        "print_address": {"lines": ["Storgata 1"], "postal_code": "0150", "city": "Oslo"},
        "documents": [{"content_base64": pdf, "title": subject}],
    }
    sent = api.post("/shipments", json=body)
    assert sent.status_code == 201, sent.text
    shipment_id: str = sent.json()["shipment"]["id"]
    return shipment_id


def _sign_in(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/console/")
    expect(page).to_have_url(re.compile(r"/console/sign-in"))
    page.get_by_label("Admin-nøkkel").fill(ADMIN_TOKEN)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1, name="Hva skjer nå")).to_be_visible()


def _received(receiver: Receiver, timeout: float = 20) -> list[Any]:
    deadline = time.monotonic() + timeout
    while not receiver.by_hook("sender"):
        assert time.monotonic() < deadline, "PRINT_FAILED never reached the sender's webhook"
        time.sleep(0.1)
    return receiver.by_hook("sender")


def _wait_until_logged_delivered(api: httpx2.Client, sender_id: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not any(
        d["status"] == "delivered"
        for d in api.get("/webhooks/deliveries", params={"sender_id": sender_id}).json()
    ):
        assert time.monotonic() < deadline, "the delivery was never logged as delivered"
        time.sleep(0.1)


def test_an_operator_sees_letters_live_and_a_print_failure_reach_the_senders_webhook(
    live_server: LiveServer, page: Page, api: httpx2.Client, receiver: Receiver, screenshots: Path
) -> None:
    page.set_default_timeout(10_000)
    sender_id = _sandbox_sender_id(api)
    _subscribe(api, sender_id, receiver)

    _sign_in(page, live_server)
    expect(page.locator("[data-feed-status]")).to_have_text("Direkte")
    page.evaluate("window.postbudConsoleMarker = 'still the same page'")

    with sandbox_sender(live_server) as digipost:
        send(digipost, person(live_server, -1), "Varsel om eiendomsskatt")
    new_row = page.locator(".feed-table tbody tr", has_text="Varsel om eiendomsskatt")
    expect(new_row.filter(has_text="Levert")).to_be_visible()
    assert page.evaluate("window.postbudConsoleMarker") == "still the same page", (
        "it arrived without a reload"
    )

    page.get_by_role("link", name="Feilinjeksjon").click()
    print_row = page.locator("tr").filter(has=page.get_by_role("rowheader", name="Print", exact=True))
    print_row.get_by_label("Sannsynlighet (%)").fill("100")
    print_row.get_by_label("Feilen som gis").fill(PRINT_REASON)
    print_row.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status")).to_contain_text("Feilen for print er lagret")

    page.get_by_role("link", name="Oversikt").click()
    shipment_id = _send_to_print(api, sender_id, "Brev som skulle på papir")
    failed_row = page.locator(".feed-table tbody tr", has_text="Brev som skulle på papir")
    expect(failed_row.filter(has_text="Print feilet")).to_be_visible()

    hook = _received(receiver)[0]
    assert hook.valid
    assert hook.json["type"] == "shipment.print_failed"
    assert hook.json["data"]["shipment_id"] == shipment_id
    assert hook.json["data"]["event"]["reason"] == PRINT_REASON
    _wait_until_logged_delivered(api, sender_id)

    page.reload()  # the chart redraws every 10 s; a reload draws the print letter at once
    expect(page.locator("rect.series--print").first).to_be_attached()
    expect(page.locator("[data-feed-status]")).to_have_text("Direkte")
    page.screenshot(path=str(screenshots / "console.png"), full_page=True)

    failed_row.get_by_role("link").first.click()
    expect(page.get_by_text(PRINT_REASON).first).to_be_visible()
    expect(page.locator(".delivery", has_text=receiver.url("sender"))).to_contain_text("204")
