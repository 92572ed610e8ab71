"""Signing a document in the inbox with Chromium: an Ekopost ``einbox_signer`` envelope, each signer
finds it under "Til signering", confirms with the sandbox e-ID and signs; the envelope is then
``posted`` and the signed PDF is there to download."""

from __future__ import annotations

import asyncio
import base64
import re
import time
import uuid
from typing import Any

import httpx2 as httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from postbud.services.parties.senders import RegisterSender, register_sender
from postbud.services.sandbox.sample_letters import letter_pdf
from postbud.storage.repos.inbox import InboxOwner
from tests.browser.helpers import national_id, person, sign_in
from tests.browser.live_server import LiveServer
from tests.browser.test_accessibility_browser import _check_page

pytestmark = pytest.mark.browser

CUSTOMER = "5569000002"
OTHER_CUSTOMER = "5569000010"
SUBJECT = "Samboeravtale"


def _envelope_to_sign(
    server: LiveServer, signers: list[str], customer_number: str = CUSTOMER
) -> tuple[httpx.Client, str, str]:
    """An envelope the people with these national identity numbers are to sign, released."""
    customer = server.run(
        register_sender(
            RegisterSender(name="Avtalsbolaget AB", organisation_number=customer_number), server.runtime
        )
    )
    http = httpx.Client(
        base_url=f"{server.url}/ekopost",
        headers={"Authorization": f"api-key {customer.api_key}"},
        timeout=30,
    )

    def post(path: str, body: dict[str, Any]) -> Any:
        response = http.post(path, json=body)
        assert response.status_code == 200, response.text
        return response.json()

    campaign = post("/campaigns", {"name": "Avtal", "output_date": "2026-01-01", "signing": True})
    address = {
        "$type": "einbox_signer",
        "info_mail": "avtal@avtalsbolaget.se",
        "signers": [
            {"email": f"signer{n}@example.no", "recipient": number, "issuer": n == 0}
            for n, number in enumerate(signers)
        ],
    }
    envelope = post(f"/campaigns/{campaign['id']}/envelopes", {"name": SUBJECT, "address": address})
    document = letter_pdf("Avtalsbolaget AB", SUBJECT, ("Partene avtaler følgende.",))
    base = f"/campaigns/{campaign['id']}/envelopes/{envelope['id']}"
    post(
        base + "/content",
        {"type": "document", "mime": "application/pdf", "data": base64.b64encode(document).decode()},
    )
    post(base + "/close", {})
    post(f"/campaigns/{campaign['id']}/close", {})
    return http, base, SUBJECT


def _sign(page: Page, server: LiveServer, owner: InboxOwner) -> None:
    sign_in(page, server, owner)
    expect(page.get_by_role("status")).to_contain_text("1 dokument venter på signaturen din.")
    page.get_by_role("link", name="Til signering").click()
    expect(page.get_by_role("heading", level=1, name="Dokumenter å signere")).to_be_visible()
    _check_page(page)  # WCAG AA contrast, every field labelled
    page.get_by_role("link", name=re.compile(SUBJECT)).click()
    expect(page.get_by_role("heading", level=1, name=SUBJECT)).to_be_visible()
    _check_page(page)
    page.get_by_role("link", name="Logg inn med e-ID").click()
    page.get_by_role("button", name="Bekreft med test-BankID").click()
    expect(page.get_by_role("heading", level=1, name=SUBJECT)).to_be_visible()
    page.get_by_role("button", name="Signer").click()
    expect(page.get_by_text("Du har signert dokumentet.")).to_be_visible()
    expect(page.locator(".signers li", has_text=owner.name)).to_contain_text("signerte")
    expect(page.get_by_role("button", name="Signer")).to_have_count(0)


def _wait_for_state(http: httpx.Client, path: str, state: str) -> None:
    deadline = time.monotonic() + 30
    while (current := http.get(path).json()["state"]) != state:
        assert time.monotonic() < deadline, f"the envelope stayed {current}"
        time.sleep(0.1)


def test_each_signer_signs_in_the_inbox_and_the_signed_pdf_can_be_downloaded(
    live_server: LiveServer, page: Page, context: BrowserContext
) -> None:
    first, second = person(live_server, -1), person(live_server, -2)
    http, envelope_path, _ = _envelope_to_sign(live_server, [national_id(first), national_id(second)])
    _wait_for_state(http, envelope_path, "closed")

    _sign(page, live_server, first)
    assert http.get(envelope_path).json()["state"] == "closed"  # one of two has signed
    context.clear_cookies()
    _sign(page, live_server, second)
    _wait_for_state(http, envelope_path, "posted")

    page.reload()
    link = page.get_by_role("link", name="Last ned det signerte dokumentet (PDF)")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    assert path is not None
    signed = path.read_bytes()
    assert signed.startswith(b"%PDF")
    assert b"/ETSI.CAdES.detached" in signed


def test_a_signer_without_an_inbox_signs_by_e_id_on_the_page_the_invitation_links_to(
    live_server: LiveServer, page: Page
) -> None:
    unregistered_swede = "198112189876"
    http, envelope_path, _ = _envelope_to_sign(live_server, [unregistered_swede], OTHER_CUSTOMER)
    _wait_for_state(http, envelope_path, "closed")
    envelope_id = uuid.UUID(envelope_path.rsplit("/", 1)[-1])

    async def released_request() -> uuid.UUID:
        """The signing request, once the release has opened it and the invitations are out."""
        deadline = time.monotonic() + 30
        while True:
            async with live_server.runtime.reader() as uow:
                found = await uow.signing.for_shipment(envelope_id)
            if found is not None and found.opened_at is not None:
                return found.id
            assert time.monotonic() < deadline, "the signing request was never released"
            await asyncio.sleep(0.1)

    page.goto(f"{live_server.url}/inbox/e-signing/{live_server.run(released_request())}")
    expect(page.get_by_role("heading", level=1, name="Logg inn med e-ID")).to_be_visible()
    _check_page(page)  # WCAG AA contrast, every field labelled
    page.get_by_label("Fødselsnummer eller personnummer").fill("19811218-9876")
    page.get_by_label("Navn").fill("Sven Svensson")
    page.get_by_role("button", name="Logg inn med test-BankID").click()
    expect(page.get_by_role("heading", level=1, name=SUBJECT)).to_be_visible()
    expect(page.get_by_text("Logget inn med e-ID som Sven Svensson")).to_be_visible()
    _check_page(page)
    page.get_by_role("button", name="Signer").click()
    expect(page.get_by_text("Du har signert dokumentet.")).to_be_visible()
    expect(page.locator(".signers li", has_text="Sven Svensson")).to_contain_text("signerte")
    _wait_for_state(http, envelope_path, "posted")

    page.reload()
    link = page.get_by_role("link", name="Last ned det signerte dokumentet (PDF)")
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    assert path is not None
    assert b"/ETSI.CAdES.detached" in path.read_bytes()
