"""An operator in a real browser reads what the sandbox captured instead of sending: a letter that went
by e-mail, rendered and raw with its attachment, and an SMS; then resets the sandbox from the
console, confirming first, and the captures are gone."""

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
from tests.browser.live_server import LiveServer

pytestmark = pytest.mark.browser
ADMIN_TOKEN = "browser-admin"  # the live server's
OLA = "15108695088"


def api_client(server: LiveServer) -> httpx2.Client:
    """The platform API of the live server, as the admin."""
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    return httpx2.Client(base_url=f"{server.url}/api/v1", headers=headers, timeout=10)


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[httpx2.Client]:
    with api_client(live_server) as client:
        yield client


def _sender_id(api: httpx2.Client) -> str:
    senders: list[dict[str, Any]] = api.get("/senders").json()
    return next(s["id"] for s in senders if s["name"] == SANDBOX_SENDER_NAME)


def _delivered(api: httpx2.Client, shipment_id: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        events: list[dict[str, Any]] = api.get(f"/shipments/{shipment_id}").json()["events"]
        found = next((e for e in events if e["type"] == "delivered"), None)
        if found is not None:
            return found
        assert time.monotonic() < deadline, f"{shipment_id} was never delivered: {events}"
        time.sleep(0.1)


def _send(api: httpx2.Client, body: dict[str, Any]) -> dict[str, Any]:
    sent = api.post("/shipments", json={"sender_id": _sender_id(api), **body})
    assert sent.status_code == 201, sent.text
    shipment_id: str = sent.json()["shipment"]["id"]
    return {**_delivered(api, shipment_id), "shipment_id": shipment_id}


def _email(api: httpx2.Client, subject: str) -> dict[str, Any]:
    pdf = base64.b64encode(letter_pdf(SANDBOX_SENDER_NAME, subject, ("Hei!",))).decode()
    return _send(
        api,
        {
            "recipient": OLA,
            "channels": ["email"],
            "email_address": "ola@example.no",
            "documents": [{"content_base64": pdf, "title": subject}],
        },
    )


def _sms(api: httpx2.Client, text: str) -> dict[str, Any]:
    added = api.put("/recipients", json={"id": OLA, "name": "Ola Nordmann", "mobile": "+4791234567"})
    assert added.status_code in (200, 201), added.text
    document = {
        "content_base64": base64.b64encode(text.encode()).decode(),
        "file_type": "txt",
        "mime": "text/plain",
    }
    return _send(api, {"recipient": OLA, "channels": ["sms"], "documents": [document]})


def sign_in(page: Page, server: LiveServer, to: str = "/console/") -> None:
    page.goto(f"{server.url}{to}")
    expect(page).to_have_url(re.compile(r"/console/sign-in"))
    page.get_by_label("Admin-nøkkel").fill(ADMIN_TOKEN)
    page.get_by_role("button", name="Logg inn").click()


def test_an_operator_reads_a_captured_email_and_sms(
    live_server: LiveServer, inbox_page: Page, api: httpx2.Client, tmp_path: Path
) -> None:
    email = _email(api, "Vedtak om startlån")
    sms = _sms(api, "Hei Ola! Timen din er flyttet til tirsdag kl. 10.")
    page = inbox_page
    sign_in(page, live_server)
    page.get_by_role("link", name="E-post og SMS").click()
    expect(page.get_by_role("heading", level=1, name="Fanget e-post og SMS")).to_be_visible()
    rows = page.locator("table.captures tbody tr")
    expect(rows.first).to_contain_text("Hei Ola! Timen din er flyttet")  # newest first
    expect(page.locator("table.captures")).to_contain_text("Vedtak om startlån")

    # Only SMS.
    page.get_by_label("Kanal").select_option("sms")
    page.get_by_role("button", name="Vis").click()
    expect(page.locator("table.captures")).not_to_contain_text("Vedtak om startlån")
    page.get_by_role("link", name="Hei Ola! Timen din er flyttet til tirsdag kl. 10.").click()
    expect(page).to_have_url(re.compile(f"/console/captures/{sms['id']}$"))
    expect(page.locator(".sms-bubble")).to_have_text("Hei Ola! Timen din er flyttet til tirsdag kl. 10.")
    expect(page.locator(".capture-raw")).to_contain_text('"to": "+4791234567"')

    # The e-mail, rendered and raw, with its attachment, and the way to its letter.
    page.goto(f"{live_server.url}/console/captures/{email['id']}")
    expect(page.get_by_role("heading", level=1, name="Vedtak om startlån")).to_be_visible()
    rendered = page.get_by_role("region", name="Meldingen")
    expect(rendered).to_contain_text("ola@example.no")
    expect(rendered.locator(".capture-body")).to_contain_text("You have received a letter through Postbud")
    with page.expect_download() as attachment:
        rendered.get_by_role("link", name="Vedtak om startlån.pdf").click()
    assert Path(attachment.value.path()).read_bytes().startswith(b"%PDF")
    raw = page.get_by_role("region", name="Rå")
    expect(raw.locator("pre")).to_contain_text("Subject: Vedtak om =?utf-8?q?startl=C3=A5n?=")
    with page.expect_download() as eml:
        raw.get_by_role("link", name="Last ned .eml").click()
    assert eml.value.suggested_filename == f"capture-{email['id']}.eml"
    assert b"Message-ID: <letter." in Path(eml.value.path()).read_bytes()
    page.get_by_role("link", name="Brevet").first.click()
    expect(page).to_have_url(re.compile(f"/console/letters/{email['shipment_id']}$"))
    # And from the letter's timeline back to what it captured.
    page.get_by_role("link", name="Vis fanget e-post").click()
    expect(page).to_have_url(re.compile(f"/console/captures/{email['id']}$"))


def test_an_operator_resets_the_sandbox_after_confirming(
    live_server: LiveServer, inbox_page: Page, api: httpx2.Client
) -> None:
    email = _email(api, "Før nullstilling")
    page = inbox_page
    sign_in(page, live_server)
    page.get_by_role("link", name="Nullstill", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Nullstill sandkassen")).to_be_visible()

    # Without the tick the browser does not send the form (and the server would refuse it).
    page.get_by_role("button", name="Nullstill sandkassen").click()
    expect(page.locator(".alert")).to_have_count(0)
    assert api.get(f"/shipments/{email['shipment_id']}").status_code == 200

    page.get_by_label("Ja, slett alle brev i sandkassen").check()
    page.get_by_role("button", name="Nullstill sandkassen").click()
    notice = page.get_by_role("status")
    expect(notice).to_contain_text(
        re.compile(r"Sandkassen er nullstilt: \d+ brev og \d+ fil(er)? er slettet\.")
    )
    expect(notice).to_contain_text("Personene og virksomhetene er beholdt. Nøklene er de samme.")
    assert api.get(f"/shipments/{email['shipment_id']}").status_code == 404
    page.get_by_role("link", name="E-post og SMS").click()
    expect(page.get_by_text("Ingen e-post eller SMS er fanget ennå.")).to_be_visible()
    # The sandbox sender's key still signs: the Digipost client of the other tests keeps working.
    assert api.get("/senders").json()
