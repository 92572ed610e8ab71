"""Every address type Postbud routes, and its fallback, through the whole app on SQLite and
PostgreSQL: einbox into the same inbox as a Digipost letter, einbox_kivra into the Kivra-style box,
email by the e-mail channel, postal (window or cover page) and einbox without a mailbox to print."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import pypdfium2 as pdfium

from postbud.domain.channels import Channel
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.letter_presentation import letter_summary
from postbud.domain.print_layout import AddressPlacement, TrackingState
from postbud.domain.status import ShipmentStatus
from postbud.services.inbox.query import list_letters
from postbud.services.letters.query import ShipmentDetails, get_shipment
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.letters.tracking import record_tracking
from postbud.services.parties.recipients import get_recipient
from postbud.services.parties.sender_settings import allow_protected_mailing
from postbud.services.parties.senders import find_sender
from tests.integration.test_ekopost_fixtures import (
    CUSTOMER_ORGNR,
    NO_PERSON_WITH_MAILBOX,
    NO_PERSON_WITHOUT_MAILBOX,
    SE_PERSON_WITH_KIVRA,
    SE_PERSON_WITH_MAILBOX,
    Ekopost,
    content_body,
    ekopost,
    letter_pdf,
)

__all__ = ["ekopost"]
DELIVERED_OR_LATER = (ShipmentStatus.DELIVERED, ShipmentStatus.OPENED)
IN_PRINT_OR_LATER = (ShipmentStatus.IN_PRINT, ShipmentStatus.PRINTED, ShipmentStatus.POSTED)


def _send(ekopost: Ekopost, address: dict[str, Any] | None, pdf: bytes | None = None, **fields: Any) -> str:
    """One envelope with ``address`` and a document, both closed, in a campaign due now."""
    campaign = ekopost.campaign(output_date="2026-01-01 00:00:00")
    envelope = ekopost.envelope(campaign["id"], address=address, **fields)
    added = ekopost.add(campaign["id"], envelope["id"], content_body(pdf or letter_pdf()))
    assert added.status_code == 200, added.text
    closed = ekopost.post(f"/campaigns/{campaign['id']}/envelopes/{envelope['id']}/close", [])
    assert closed.status_code == 200, closed.text
    assert ekopost.post(f"/campaigns/{campaign['id']}/close", []).status_code == 200
    return str(envelope["id"])


def _details(ekopost: Ekopost, envelope_id: str) -> ShipmentDetails:
    return ekopost.run(lambda: get_shipment(uuid.UUID(envelope_id), ekopost.runtime))


def test_an_einbox_envelope_lands_in_the_same_inbox_as_a_digipost_letter(ekopost: Ekopost) -> None:
    address = {"$type": "einbox", "recipient": NO_PERSON_WITH_MAILBOX, "subject": "Beslut"}
    envelope_id = _send(ekopost, address)
    ekopost.wait_for(envelope_id, *DELIVERED_OR_LATER)

    sender = _details(ekopost, envelope_id).shipment.sender_id
    pdf = DocumentInput(letter_pdf(), "pdf", "application/pdf", title="Fra Digipost")
    command = SendLetter(sender, "digipost", (pdf,), recipient=parse_party_id(NO_PERSON_WITH_MAILBOX))
    digipost_letter = ekopost.run(lambda: send_letter(command, ekopost.runtime)).shipment.id
    ekopost.wait_for(str(digipost_letter), *DELIVERED_OR_LATER)

    async def inbox() -> list[uuid.UUID]:
        recipient = await get_recipient(NO_PERSON_WITH_MAILBOX, ekopost.runtime)
        page = await list_letters(ekopost.runtime, recipient.id)
        return [letter.shipment_id for letter in page.letters]

    assert set(ekopost.run(inbox)) == {uuid.UUID(envelope_id), digipost_letter}
    details = _details(ekopost, envelope_id)
    assert details.shipment.channel is Channel.DIGITAL_MAILBOX
    assert details.shipment.subject == "Beslut"
    state = ekopost.get(f"/campaigns/{details.shipment.batch_id}/envelopes/{envelope_id}")
    assert state.status_code == 404  # the batch's own id is not the campaign's id


def test_the_einbox_text_is_shown_in_the_inbox_as_the_letters_own_words(ekopost: Ekopost) -> None:
    text = "Hej! Beslutet gäller från 1 januari."
    address = {"$type": "einbox", "recipient": NO_PERSON_WITH_MAILBOX, "subject": "Beslut", "content": text}
    envelope_id = _send(ekopost, address)
    ekopost.wait_for(envelope_id, *DELIVERED_OR_LATER)
    assert letter_summary(_details(ekopost, envelope_id).shipment.properties) == text


def test_a_swedish_einbox_recipient_with_or_without_century(ekopost: Ekopost) -> None:
    for recipient in (SE_PERSON_WITH_MAILBOX, "610305-4166", "19610305-4166"):
        envelope_id = _send(ekopost, {"$type": "einbox", "recipient": recipient})
        ekopost.wait_for(envelope_id, *DELIVERED_OR_LATER)
        assert _details(ekopost, envelope_id).shipment.channel is Channel.DIGITAL_MAILBOX


def test_einbox_kivra_goes_to_the_kivra_style_mailbox(ekopost: Ekopost) -> None:
    envelope_id = _send(
        ekopost, {"kivra_type": "1", "recipient": SE_PERSON_WITH_KIVRA, "$type": "einbox_kivra"}
    )
    ekopost.wait_for(envelope_id, *DELIVERED_OR_LATER)
    details = _details(ekopost, envelope_id)
    assert details.shipment.channel is Channel.DIGITAL_MAILBOX
    delivered = [e for e in details.events if e.type is EventType.DELIVERED]
    assert delivered[-1].data.get("provider") == "kivra"


def test_an_einbox_envelope_without_a_mailbox_is_printed_by_the_address_in_its_window(
    ekopost: Ekopost,
) -> None:
    window = ("Kari Nordmann", "Storgata 1", "0155 Oslo", "Norge")
    address = {"$type": "einbox", "recipient": NO_PERSON_WITHOUT_MAILBOX}
    envelope_id = _send(ekopost, address, letter_pdf(window))
    ekopost.wait_for(envelope_id, *IN_PRINT_OR_LATER)
    details = _details(ekopost, envelope_id)
    assert details.shipment.channel is Channel.PRINT
    instructions = details.shipment.print_instructions
    assert instructions is not None
    assert instructions.recipient.city == "Oslo"
    assert instructions.recipient.country == "NO"


def test_an_einbox_envelope_with_neither_mailbox_nor_address_fails_with_a_reason(ekopost: Ekopost) -> None:
    address = {"$type": "einbox", "recipient": NO_PERSON_WITHOUT_MAILBOX}
    envelope_id = _send(ekopost, address, letter_pdf(()))
    ekopost.wait_for(envelope_id, ShipmentStatus.NOT_DELIVERED, ShipmentStatus.FAILED)
    campaign_id = _campaign_of(ekopost, envelope_id)
    envelope = ekopost.get(f"/campaigns/{campaign_id}/envelopes/{envelope_id}").json()
    assert envelope["state"] == "failed"
    assert envelope["failed_reason"]
    failed = ekopost.get(f"/campaigns/{campaign_id}/envelopes/failed", params={"address_type": "einbox"})
    assert [e["id"] for e in failed.json()] == [envelope_id]
    assert (
        ekopost.get(f"/campaigns/{campaign_id}/envelopes/failed", params={"address_type": "email"}).json()
        == []
    )
    deadline = time.monotonic() + 30
    while ekopost.get(f"/campaigns/{campaign_id}").json()["state"] != "failed":
        assert time.monotonic() < deadline, "the campaign did not fail with its only envelope"
        ekopost.run(lambda: asyncio.sleep(0.1))


def _campaign_of(ekopost: Ekopost, envelope_id: str) -> str:
    for campaign in ekopost.get("/campaigns", params={"start": "2000-01-01", "stop": "2100-01-01"}).json():
        listed = ekopost.get(f"/campaigns/{campaign['id']}/envelopes").json()
        if any(e["id"] == envelope_id for e in listed):
            return str(campaign["id"])
    raise AssertionError("no campaign holds the envelope")


def test_an_email_envelope_goes_by_email(ekopost: Ekopost) -> None:
    envelope_id = _send(ekopost, {"$type": "email", "subject": "Kvitto", "email": "kund@example.se"})
    ekopost.wait_for(envelope_id, *DELIVERED_OR_LATER)
    details = _details(ekopost, envelope_id)
    assert details.shipment.channel is Channel.EMAIL
    assert details.shipment.email_address == "kund@example.se"


def test_a_postal_envelope_with_a_cover_page_needs_no_address_in_the_pdf(ekopost: Ekopost) -> None:
    address = {
        "$type": "postal",
        "name": ["Tolvan Tolvansson", "c/o Kalle"],
        "street": ["Storgatan 1"],
        "postal_code": "123 45",
        "city": "Stockholm",
        "country": "Sverige",
        "use_coverpage": "true",
    }
    envelope_id = _send(ekopost, address, letter_pdf(()), postage="rek", plex="duplex", color=True)
    ekopost.wait_for(envelope_id, *IN_PRINT_OR_LATER)
    shipment = _details(ekopost, envelope_id).shipment
    assert shipment.channel is Channel.PRINT
    instructions = shipment.print_instructions
    assert instructions is not None
    assert instructions.cover_page
    assert instructions.duplex
    assert instructions.color
    assert instructions.postage.value == "registered"
    assert instructions.recipient.lines == ("c/o Kalle", "Storgatan 1")
    assert instructions.recipient.country == "SE"
    layout = shipment.channel_options.print_layout
    assert layout is not None
    assert layout.address_placement is AddressPlacement.COVER_PAGE
    ekopost.wait_for(envelope_id, ShipmentStatus.POSTED)
    envelope = ekopost.get(f"/campaigns/{_campaign_of(ekopost, envelope_id)}/envelopes/{envelope_id}").json()
    assert envelope["state"] == "posted"
    assert envelope["tracking"]["parcelNo"]
    assert envelope["tracking"]["trackingState"] == "registered"
    assert envelope["tracking"]["parcelNo"] in envelope["tracking"]["trackingUrl"]
    ekopost.run(
        lambda: record_tracking(ekopost.runtime, uuid.UUID(envelope_id), TrackingState.AWAITING_PICKUP)
    )
    moved = ekopost.get(f"/campaigns/{_campaign_of(ekopost, envelope_id)}/envelopes").json()
    assert moved[0]["tracking"]["trackingState"] == "awaiting_pickup"


def _window_text(pdf: bytes) -> str:
    """The text of page 1 inside Ekopost's window (x 112–207 mm, y 35–71 mm from the top-left)."""
    mm = 72 / 25.4
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        text = page.get_textpage().get_text_bounded(
            left=112 * mm, bottom=(297 - 71) * mm, right=207 * mm, top=(297 - 35) * mm
        )
    finally:
        document.close()
    return str(text)


def _print_pdf(ekopost: Ekopost, envelope_id: str) -> bytes:
    events = _details(ekopost, envelope_id).events
    sha256 = next(e.data["print_pdf"] for e in events if e.type is EventType.SENT_TO_PRINT)
    return ekopost.run(lambda: ekopost.runtime.blobs.get(sha256))


def test_the_print_ready_pdf_shows_the_address_in_the_window(ekopost: Ekopost) -> None:
    in_document = _send(ekopost, None, letter_pdf(("Tolvan Tolvansson", "Storgatan 1", "123 45 Stockholm")))
    cover = {
        "$type": "postal",
        "name": ["Kalle Anka"],
        "street": ["Ankgatan 13"],
        "postal_code": "11122",
        "city": "Ankeborg",
        "country": "SE",
        "use_coverpage": True,
    }
    on_cover = _send(ekopost, cover, letter_pdf(()))
    for envelope_id in (in_document, on_cover):
        ekopost.wait_for(envelope_id, *IN_PRINT_OR_LATER)
    assert "Tolvan Tolvansson" in _window_text(_print_pdf(ekopost, in_document))
    window = _window_text(_print_pdf(ekopost, on_cover))
    assert "Kalle Anka" in window
    assert "Ankeborg" in window


PROTECTED_PERSON = "19610305-4166"


def _allow_protected_mailing(ekopost: Ekopost) -> None:
    async def allow() -> None:
        sender = await find_sender(CUSTOMER_ORGNR, ekopost.runtime)
        await allow_protected_mailing(ekopost.runtime, sender.id)

    ekopost.run(allow)


def test_protected_mailing_prints_only_the_recipients_number(ekopost: Ekopost) -> None:
    address = {"$type": "protected", "recipient": PROTECTED_PERSON, "use_coverpage": True}
    campaign = ekopost.campaign()
    refused = ekopost.post(
        f"/campaigns/{campaign['id']}/envelopes", {"address": address, "postage": "protected"}
    )
    assert refused.json()["error_code"] == "140"  # not set up yet
    _allow_protected_mailing(ekopost)
    on_cover = _send(ekopost, address, letter_pdf(()), postage="protected")
    in_window = _send(ekopost, {**address, "use_coverpage": False}, letter_pdf((PROTECTED_PERSON,)))
    for envelope_id in (on_cover, in_window):
        ekopost.wait_for(envelope_id, *IN_PRINT_OR_LATER)
        shipment = _details(ekopost, envelope_id).shipment
        assert shipment.channel is Channel.PRINT
        assert shipment.print_instructions is not None
        assert shipment.print_instructions.postage.value == "protected"
        window = _window_text(_print_pdf(ekopost, envelope_id))
        assert "".join(ch for ch in window if ch.isdigit()) == "196103054166"
    campaign_id = _campaign_of(ekopost, on_cover)
    echoed = ekopost.get(f"/campaigns/{campaign_id}/envelopes/{on_cover}").json()
    assert echoed["address"] == {"$type": "protected", "recipient": PROTECTED_PERSON, "use_coverpage": True}
    assert echoed["postage"] == "protected"


def test_protected_mailing_without_a_cover_page_shows_nothing_but_the_number(ekopost: Ekopost) -> None:
    _allow_protected_mailing(ekopost)
    campaign = ekopost.campaign()
    address = {"$type": "protected", "recipient": PROTECTED_PERSON, "use_coverpage": False}
    envelope = ekopost.envelope(campaign["id"], address=address)
    with_address = ekopost.add(campaign["id"], envelope["id"], content_body(letter_pdf()))
    assert with_address.status_code == 400
    assert with_address.json()["error_code"] == "105"
