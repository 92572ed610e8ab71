"""A payer in a real browser pays a Swedish bank e-invoice: an Ekopost ``ebank`` envelope sent with the
SDK lands in the inbox of the person who takes bank e-invoices (no mailbox of their own), shows as an
invoice in SEK with its OCR number and Bankgiro, is paid from a Swedish account, and the sender's
letter records the payment once. The page meets WCAG AA contrast and labels every field."""

from __future__ import annotations

import re
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.sdk.ekopost import EbankAddress, EkopostClient, EnvelopeState, ReferenceType
from postbud.services.inbox.query import inbox_owners
from postbud.services.letters.query import get_shipment
from postbud.services.parties.senders import RegisterSender, register_sender
from postbud.services.sandbox.sample_letters import letter_pdf
from tests.browser.helpers import sign_in
from tests.browser.live_server import LiveServer
from tests.browser.test_accessibility_browser import _check_page as meets_contrast_and_labels

pytestmark = pytest.mark.browser
CUSTOMER_ORGNR = "5224433598"
PAYER = "196410231077"
NBSP = "\u00a0"


async def _add_payer(server: LiveServer) -> None:
    payer = Recipient(uuid.uuid4(), parse_party_id(PAYER), "Britt Betalare", Capabilities(ebank=True))
    async with server.runtime.unit_of_work() as uow:
        await uow.recipients.add(payer, now=server.runtime.clock.now())


def _send_invoice(server: LiveServer) -> str:
    customer = server.run(register_sender(RegisterSender("Elbolaget AB", CUSTOMER_ORGNR), server.runtime))
    address = EbankAddress(
        recipient=PAYER,
        customer_number="K-7",
        customer_name="Britt Betalare",
        invoice_number="F-2026-12",
        reference_type=ReferenceType.OCR,
        reference_value="1234567897",
        giro_number="56781230",
        autogiro=False,
        amount=Decimal("1250.50"),
        invoice_date="2026-12-01",
        due_date="2026-12-31",
    )
    pdf = letter_pdf("Elbolaget AB", "Elräkning december", ("Hej!", "Här är din elräkning."))
    with EkopostClient(f"{server.url}/ekopost/", customer.api_key, timeout=30) as client:
        sent = client.send_letter(pdf, address=address, name="Elräkning december")
        deadline = time.monotonic() + 30
        while client.get_envelope(sent.campaign_id, sent.envelope_id).state != EnvelopeState.POSTED:
            assert time.monotonic() < deadline, "the ebank envelope was not delivered"
            time.sleep(0.2)
    return sent.envelope_id


def _payments(server: LiveServer, envelope_id: str) -> list[dict[str, object]]:
    details = server.run(get_shipment(uuid.UUID(envelope_id), server.runtime))
    return [e.data for e in details.events if e.type is EventType.PAYMENT_REGISTERED]


def test_a_payer_pays_an_sek_ebank_invoice_in_the_inbox(
    live_server: LiveServer, inbox_page: Page, screenshots: Path
) -> None:
    live_server.run(_add_payer(live_server))
    envelope_id = _send_invoice(live_server)
    (owner,) = live_server.run(inbox_owners(live_server.runtime, PAYER))
    page = inbox_page
    sign_in(page, live_server, owner)
    page.get_by_role("link", name=re.compile("Elräkning december")).click()
    card = page.locator(".card--bank-invoice")
    expect(card.get_by_role("heading", name="eFaktura")).to_be_visible()
    expect(card).to_contain_text(f"1{NBSP}250,50{NBSP}SEK")
    expect(card.locator(".fact", has_text="OCR-nummer")).to_contain_text("1234567897")
    expect(card.locator(".fact", has_text="Bankgiro")).to_contain_text("5678-1230")
    expect(card.get_by_label(re.compile("clearingnummer"))).to_have_value(re.compile(r"^6\d{12}$"))
    page.screenshot(path=str(screenshots / "letter-bank-invoice.png"), full_page=True)
    meets_contrast_and_labels(page)

    card.get_by_role("button", name=re.compile(r"Betal 1\s250,50\sSEK")).click()
    expect(page.get_by_role("status").filter(has_text="Betalingen er registrert")).to_be_visible()
    paid = page.locator(".card--bank-invoice .paid")
    expect(paid).to_contain_text(f"Betalt 1{NBSP}250,50{NBSP}SEK")
    expect(paid).to_contain_text(re.compile(r"Fra konto 6\d{3}-\d{3} \d{3} \d{3}"))
    expect(page.locator(".card--bank-invoice").get_by_role("button", name=re.compile("Betal"))).to_have_count(
        0
    )

    (payment,) = _payments(live_server, envelope_id)
    assert payment["currency"] == "SEK"
    assert payment["amount"] == "1250.50"
    assert payment["reference"] == ["ocr", "1234567897"]
