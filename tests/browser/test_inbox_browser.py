"""A recipient in a real browser: sign in, read, pay, add to calendar, share — and the sender sees it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from postbud.domain.events import EventType
from postbud.sdk.digipost import Appointment, DocumentEventType, Invoice, ShareDocumentsRequest
from postbud.sdk.digipost.datatypes import Address, Info
from postbud.services.inbox.query import get_letter
from postbud.storage.repos.inbox import InboxOwner
from tests.browser.helpers import a_pdf, event_window, person, sandbox_sender, send, sign_in, wait_for_images
from tests.browser.live_server import LiveServer

pytestmark = pytest.mark.browser
OSLO = ZoneInfo("Europe/Oslo")


def _letter_link(page: Page, subject: str) -> None:
    page.get_by_role("link", name=re.compile(re.escape(subject))).click()
    expect(page.get_by_role("heading", level=1, name=subject)).to_be_visible()


def _events(server: LiveServer, owner: InboxOwner, subject: str) -> list[EventType]:
    async def types() -> list[EventType]:
        from postbud.services.inbox.query import list_letters

        page = await list_letters(server.runtime, owner.id, search=subject)
        letter = await get_letter(server.runtime, owner.id, page.letters[0].shipment_id)
        return [e.type for e in letter.events]

    return server.run(types())


def test_a_recipient_opens_a_letter_and_the_sender_sees_it_opened(
    live_server: LiveServer, inbox_page: Page
) -> None:
    owner = person(live_server, 0)
    with sandbox_sender(live_server) as sender:
        document = send(sender, owner, "Vedtak om skatt")
        sign_in(inbox_page, live_server, owner)
        row = inbox_page.locator(".letter", has_text="Vedtak om skatt")
        expect(row.get_by_text("Ulest")).to_be_visible()

        _letter_link(inbox_page, "Vedtak om skatt")
        page_image = inbox_page.get_by_role("img", name="Side 1 av 1")
        expect(page_image).to_be_visible()
        wait_for_images(inbox_page)  # the server rendered the PDF page as a picture
        inbox_page.reload()  # reading again is not a second opening
        inbox_page.get_by_role("link", name=re.compile("Til innboksen")).click()
        expect(inbox_page.locator(".letter", has_text="Vedtak om skatt").get_by_text("Ulest")).to_have_count(
            0
        )

        start, end = event_window()
        opened = [
            e
            for e in sender.document_events(start, end)
            if e.uuid == document and e.type is DocumentEventType.OPENED
        ]
    assert len(opened) == 1
    assert _events(live_server, owner, "Vedtak om skatt").count(EventType.OPENED) == 1


def test_a_recipient_pays_an_invoice_once(live_server: LiveServer, inbox_page: Page) -> None:
    owner = person(live_server, 1)
    invoice = Invoice(
        due_date=datetime.now(UTC) + timedelta(days=14),
        sum=Decimal("1249.50"),
        creditor_account="12345678903",
        kid="1234567890003",
    )
    with sandbox_sender(live_server) as sender:
        send(sender, owner, "Faktura for strøm", datatype=invoice)
    sign_in(inbox_page, live_server, owner)
    _letter_link(inbox_page, "Faktura for strøm")
    card = inbox_page.locator(".card--invoice")
    expect(card.get_by_text("1234.56.78903")).to_be_visible()
    expect(card.get_by_text("1234567890003")).to_be_visible()

    card.get_by_role("button", name=re.compile(r"Betal 1\s249,50")).click()
    expect(inbox_page.get_by_role("status").filter(has_text="Betalingen er registrert")).to_be_visible()
    expect(inbox_page.locator(".card--invoice .paid")).to_contain_text("1\u00a0249,50")
    expect(
        inbox_page.locator(".card--invoice").get_by_role("button", name=re.compile("Betal"))
    ).to_have_count(0)
    assert _events(live_server, owner, "Faktura for strøm").count(EventType.PAYMENT_REGISTERED) == 1


def test_add_to_calendar_downloads_a_valid_ics(
    live_server: LiveServer, inbox_page: Page, tmp_path: Path, screenshots: Path
) -> None:
    owner = person(live_server, 2)
    start = (datetime.now(OSLO) + timedelta(days=9)).replace(hour=9, minute=30, second=0, microsecond=0)
    appointment = Appointment(
        start_time=start,
        end_time=start + timedelta(minutes=45),
        place="Fjord Tannklinikk",
        address=Address(street_address="Kirkegata 12", postal_code="0153", city="Oslo"),
        arrival_time="Kom ti minutter før",
        sub_title="Årlig kontroll",
        info=(
            Info(title="Forberedelser", text="Puss tennene før timen."),
            Info(title="Avbestilling", text="Avbestill senest 24 timer før."),
        ),
    )
    with sandbox_sender(live_server) as sender:
        lines = (
            "Hei!",
            "",
            "Du har fått time til årlig kontroll hos Fjord Tannklinikk.",
            "Tid og sted står i kortet over brevet; du kan legge timen i kalenderen din.",
            "Gi beskjed i god tid hvis timen ikke passer.",
        )
        send(sender, owner, "Innkalling til tannlegetime", datatype=appointment, lines=lines)
    sign_in(inbox_page, live_server, owner)
    _letter_link(inbox_page, "Innkalling til tannlegetime")
    card = inbox_page.locator(".card--appointment")
    expect(card.get_by_role("link", name=re.compile("Vis i kart"))).to_have_attribute(
        "href", re.compile(r"^https://www\.openstreetmap\.org/search\?query=.*Kirkegata")
    )
    expect(inbox_page.get_by_role("img", name="Side 1 av 1")).to_be_visible()
    wait_for_images(inbox_page)
    inbox_page.screenshot(path=str(screenshots / "letter-appointment.png"), full_page=True)

    with inbox_page.expect_download() as download_info:
        card.get_by_role("link", name="Legg til i kalender").click()
    path = tmp_path / "appointment.ics"
    download_info.value.save_as(path)
    calendar = Calendar.from_ical(path.read_bytes())
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + timedelta(minutes=45)
    assert "Fjord Tannklinikk" in str(event["LOCATION"])
    assert "Avbestill senest" in str(event["DESCRIPTION"])


def test_a_recipient_answers_a_share_documents_request(
    live_server: LiveServer, inbox_page: Page, tmp_path: Path
) -> None:
    owner = person(live_server, 3)
    request = ShareDocumentsRequest(
        max_share_duration_seconds=14 * 24 * 3600, purpose="Vi trenger lønnsslippen din for lånesøknaden."
    )
    with sandbox_sender(live_server) as sender:
        send(sender, owner, "Lønnsslipp for november")
        request_uuid = send(sender, owner, "Forespørsel om dokumentasjon", datatype=request)
        sign_in(inbox_page, live_server, owner)
        _letter_link(inbox_page, "Forespørsel om dokumentasjon")
        card = inbox_page.locator(".card--share-documents-request")
        expect(card.get_by_text("Vi trenger lønnsslippen din")).to_be_visible()

        card.get_by_label(re.compile("Lønnsslipp for november")).check()
        card.get_by_label(re.compile("last opp en PDF")).set_input_files(
            a_pdf(tmp_path, "skattemelding.pdf", "Skattemelding 2025")
        )
        card.get_by_role("button", name="Del dokumentene").click()
        expect(inbox_page.get_by_role("status").filter(has_text="Dokumentene er delt")).to_be_visible()
        expect(inbox_page.locator(".share-state--active")).to_contain_text("Du deler 2 dokumenter")

        state = sender.share_documents_request_state(request_uuid)
        assert sorted(d.subject for d in state.shared_documents) == [
            "Lønnsslipp for november",
            "skattemelding",
        ]
        uploaded = next(d for d in state.shared_documents if d.subject == "skattemelding")
        assert sender.fetch_shared_document(uploaded) == (tmp_path / "skattemelding.pdf").read_bytes()
        start, end = event_window()
        types = {e.type for e in sender.document_events(start, end) if e.uuid == request_uuid}
        assert DocumentEventType.SHARE_DOCUMENTS_REQUEST_DOCUMENTS_SHARED in types

        inbox_page.locator(".card--share-documents-request").get_by_role(
            "button", name="Trekk tilbake delingen"
        ).click()
        expect(
            inbox_page.get_by_role("status").filter(has_text="Delingen er trukket tilbake")
        ).to_be_visible()
        assert sender.share_documents_request_state(request_uuid).withdrawn_time is not None


def test_the_inbox_list_with_every_kind_of_letter(
    live_server: LiveServer, inbox_page: Page, screenshots: Path
) -> None:
    owner = person(live_server, 4)
    sign_in(inbox_page, live_server, owner)
    inbox_page.get_by_role("button", name="Send meg eksempelbrev").click()
    expect(inbox_page.get_by_role("status").filter(has_text="Eksempelbrevene er levert")).to_be_visible()
    letters = inbox_page.get_by_role("list", name="Brev").get_by_role("listitem")
    expect(letters).to_have_count(16)
    sensitive = inbox_page.locator(".letter", has_text="Sensitivt innhold")
    expect(sensitive).to_have_count(1)
    expect(inbox_page.get_by_text("Prøvesvar fra legekontoret")).to_have_count(0)
    for read in ("Lønnsslipp for november", "Kvittering fra Fjord Bakeri"):
        _letter_link(inbox_page, read)
        inbox_page.get_by_role("link", name=re.compile("Til innboksen")).click()
    expect(inbox_page.locator(".letter--unread")).to_have_count(14)
    inbox_page.screenshot(path=str(screenshots / "inbox.png"), full_page=True)

    sensitive.get_by_role("link").click()  # a level-4 letter asks for a step-up first
    expect(
        inbox_page.get_by_role("heading", level=1, name="Bekreft med høyere sikkerhetsnivå")
    ).to_be_visible()
    inbox_page.get_by_role("button", name="Bekreft med test-BankID").click()
    expect(inbox_page.get_by_role("heading", level=1, name="Prøvesvar fra legekontoret")).to_be_visible()
