"""An operator in a real browser finds a customer's EDI senders and invitations in the console: the
EDI page from the navigation, each invitation's status and history as the sandbox's operator moved
them (the page meeting WCAG AA contrast, every field labelled), and the page narrowed to one
customer."""

from __future__ import annotations

from datetime import timedelta

import httpx2
from playwright.sync_api import Page, expect

from postbud.services.parties.senders import RegisterSender, register_sender
from postbud.services.sandbox.clock import advance_clock, reset_clock
from tests.browser.live_server import LiveServer
from tests.browser.test_accessibility_browser import _check_page as meets_contrast_and_labels
from tests.browser.test_captures_browser import pytestmark, sign_in

__all__ = ["pytestmark"]
CUSTOMER_ORGNR = "5569990004"
RECEIVER_GLN = "7359999999974"  # the sandbox's receivers with a 7 before the check digit deny


def test_an_operator_follows_an_edi_invitation_in_the_console(
    live_server: LiveServer, inbox_page: Page
) -> None:
    customer = live_server.run(
        register_sender(RegisterSender("EDI-kunden AB", CUSTOMER_ORGNR), live_server.runtime)
    )
    headers = {"Authorization": f"api-key {customer.api_key}"}
    with httpx2.Client(base_url=f"{live_server.url}/ekopost", headers=headers, timeout=10) as ekopost:
        created = ekopost.post(
            "/edi/sender",
            json={
                "Name": "Leverantören AB",
                "CIN": "556838-4118",
                "GLN": RECEIVER_GLN,
                "Bank_Giro": "5050-1055",
            },
        )
        assert created.status_code == 200, created.text
        try:
            live_server.run(advance_clock(live_server.runtime, timedelta(days=2)))
            updated = ekopost.post("/edi/invitations", json={})
            assert [i["Status"] for i in updated.json()] == ["1006"]
        finally:
            live_server.run(reset_clock(live_server.runtime))

    page = inbox_page
    sign_in(page, live_server)
    page.get_by_role("link", name="EDI", exact=True).click()
    expect(page.get_by_role("heading", name="EDI-avsendere og invitasjoner")).to_be_visible()
    section = page.locator("section.edi-sender", has=page.get_by_role("heading", name="Leverantören AB"))
    expect(section).to_contain_text("EDI-kunden AB")
    row = section.get_by_role("row", name=RECEIVER_GLN)
    expect(row).to_contain_text("Kobling avslått")
    expect(row.locator("ol.edi-history li")).to_have_count(5)
    meets_contrast_and_labels(page)

    page.get_by_label("Kunde").select_option(label="EDI-kunden AB")
    page.get_by_role("button", name="Vis").click()
    expect(page).to_have_url(f"{live_server.url}/console/edi?customer={customer.sender.id}")
    expect(page.locator("section.edi-sender")).to_have_count(1)
