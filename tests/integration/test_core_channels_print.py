"""Per-letter print settings through the print channel, checked in the print PDF itself: the envelope
window, the address from a cover page or from the letter, a protected identity that never shows an
address, registered post with a tracking number; and the settings kept with the letter in storage."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from postbud.channels.print import EKOPOST_WINDOW, NORWEGIAN_C5_WINDOW, SandboxPrintHouse, texts_in
from postbud.domain.channel_options import ChannelOptions
from postbud.domain.channels import Channel
from postbud.domain.clock import Clock
from postbud.domain.documents import Document
from postbud.domain.errors import Conflict, ConflictCode, NotFound
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.identifiers.tracking import s10
from postbud.domain.parties import PostalAddress
from postbud.domain.print_layout import RIGHT_WINDOW, AddressPlacement, PrintLayout, TrackingState
from postbud.domain.regional import NORWAY
from postbud.domain.shipments import Postage, PrintInstructions, Shipment
from postbud.domain.status import ShipmentStatus
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.letters.tracking import record_tracking
from postbud.storage.blobs import BlobStore, LocalBlobStore
from tests.integration.core_helpers import add_sender, runtime_for
from tests.unit.test_print_pdf import make_pdf

pytestmark = pytest.mark.anyio

SWEDE = "se-person:198112289874"
PERSONNUMMER = "198112289874"
SECRET_ADDRESS = PostalAddress("Hemlig Person", ("Skyddade vägen 7",), "111 51", "Stockholm", country="SE")
SECRET_WORDS = ("Hemlig", "Skyddade", "111 51", "Stockholm")
KARI = PostalAddress("Kari Nordmann", ("Storgata 1",), "0155", "Oslo")


@pytest.fixture
async def blobs(tmp_path: Path) -> AsyncIterator[BlobStore]:
    store = LocalBlobStore(tmp_path / "blobs")
    yield store
    await store.close()


async def letter(blobs: BlobStore, content: bytes, **changes: Any) -> Shipment:
    ref = await blobs.put(content)
    doc = Document(uuid.uuid4(), 0, None, "Beslut", "pdf", "application/pdf", ref.sha256, ref.size)
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "sender_id": uuid.uuid4(),
        "dialect": "platform",
        "external_id": None,
        "recipient_id": None,
        "recipient_party": SWEDE,
        "recipient_name": None,
        "channels": (),
        "documents": (doc,),
        "created_at": Clock().now(),
        "channel": Channel.PRINT,
    }
    fields.update(changes)
    return Shipment(**fields)


def page_text(pdf: bytes, index: int = 0) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[index]
        text = page.get_textpage().get_text_range()
        return str(text)
    finally:
        document.close()


async def print_pdf(blobs: BlobStore, drafts: list[EventDraft]) -> bytes:
    assert [d.type for d in drafts] == [EventType.SENT_TO_PRINT, EventType.PRINTED, EventType.POSTED], drafts
    return await blobs.get(drafts[0].data["print_pdf"])


async def test_a_protected_identity_shows_only_the_identifier_never_the_address(blobs: BlobStore) -> None:
    house = SandboxPrintHouse(blobs, Clock(), home_country="SE", timezone="Europe/Stockholm")
    how = PrintInstructions(recipient=SECRET_ADDRESS, postage=Postage.PROTECTED)
    shipment = await letter(blobs, make_pdf(1, label="Beslut"), print_instructions=how)
    drafts = await house.deliver(shipment, None)
    pdf = await print_pdf(blobs, drafts)

    cover = page_text(pdf, 0)
    assert PERSONNUMMER in cover
    for word in SECRET_WORDS:
        assert word not in cover, f"the cover page shows {word!r}"
    assert all(
        word not in page_text(pdf, i) for i in range(len(pdfium.PdfDocument(pdf))) for word in SECRET_WORDS
    )
    assert texts_in(pdf, NORWEGIAN_C5_WINDOW, pages=1) == [PERSONNUMMER]
    assert drafts[0].data["protected_identity"] is True

    tracking = drafts[2].data["tracking"]
    assert tracking["state"] == "registered"
    assert s10(tracking["number"]) == tracking["number"]
    assert tracking["number"].startswith("RR")
    assert tracking["number"].endswith("SE")
    again = await house.deliver(shipment, None)
    assert again[2].data["tracking"] == tracking, "a retried print job gives the same tracking number"


async def test_a_protected_identity_needs_no_address_and_may_name_its_own_identifier(
    blobs: BlobStore,
) -> None:
    house = SandboxPrintHouse(blobs, Clock())
    layout = PrintLayout(protected_identity=True, protected_identifier="19811228-9874")
    shipment = await letter(blobs, make_pdf(1), channel_options=ChannelOptions(print_layout=layout))
    drafts = await house.deliver(shipment, None)
    pdf = await print_pdf(blobs, drafts)
    assert texts_in(pdf, NORWEGIAN_C5_WINDOW, pages=1) == ["19811228-9874"]
    assert "tracking" not in drafts[2].data, "economy post has no tracking"

    organisation = await letter(
        blobs,
        make_pdf(1),
        recipient_party="no-org:974761076",
        channel_options=ChannelOptions(print_layout=PrintLayout(protected_identity=True)),
    )
    [failed] = await house.deliver(organisation, None)
    assert failed.type is EventType.PRINT_FAILED
    assert "identifier" in failed.data["reason"]


async def test_a_protected_letter_without_cover_page_must_show_only_the_identifier_in_its_window(
    blobs: BlobStore,
) -> None:
    house = SandboxPrintHouse(blobs, Clock())
    layout = PrintLayout(protected_identity=True, address_placement=AddressPlacement.DOCUMENT)
    options = ChannelOptions(print_layout=layout)
    own = await letter(blobs, make_pdf(1, label="198112-289874", at=(25, 50)), channel_options=options)
    # make_pdf writes "<label> page 1": the label alone must be what the window shows.
    [refused] = await house.deliver(own, None)
    assert refused.type is EventType.PRINT_FAILED
    assert "only the recipient's identifier" in refused.data["reason"]

    clean = await letter(
        blobs, _pdf_with_window_text("19811228-9874", left_mm=25, top_mm=50), channel_options=options
    )
    drafts = await house.deliver(clean, None)
    pdf = await print_pdf(blobs, drafts)
    assert drafts[0].data["address_placement"] == "document"
    assert drafts[0].data["sheets"] == 1, "no cover sheet"
    assert texts_in(pdf, NORWEGIAN_C5_WINDOW, pages=1) == ["19811228-9874"]


async def test_the_letter_chooses_the_right_hand_window_for_its_cover_page(blobs: BlobStore) -> None:
    house = SandboxPrintHouse(blobs, Clock())
    options = ChannelOptions(print_layout=PrintLayout(window=RIGHT_WINDOW))
    shipment = await letter(
        blobs,
        make_pdf(1),
        recipient_party=None,
        print_instructions=PrintInstructions(KARI),
        channel_options=options,
    )
    drafts = await house.deliver(shipment, None)
    pdf = await print_pdf(blobs, drafts)
    right = texts_in(pdf, EKOPOST_WINDOW, pages=1)[0]
    assert "Kari Nordmann" in right
    assert "0155 Oslo" in right
    assert texts_in(pdf, NORWEGIAN_C5_WINDOW, pages=1) == [""]
    assert drafts[0].data["window_mm"] == [112.0, 35.0, 95.0, 36.0]


async def test_the_address_may_come_from_the_letter_itself_in_the_chosen_window(blobs: BlobStore) -> None:
    house = SandboxPrintHouse(blobs, Clock())
    layout = PrintLayout(window=RIGHT_WINDOW, address_placement=AddressPlacement.DOCUMENT)
    options = ChannelOptions(print_layout=layout)
    how = PrintInstructions(KARI, cover_page=True)  # the letter's layout overrides the instructions
    in_window = await letter(
        blobs,
        _pdf_with_window_text("Kari Nordmann", left_mm=116, top_mm=45),
        print_instructions=how,
        channel_options=options,
    )
    drafts = await house.deliver(in_window, None)
    pdf = await print_pdf(blobs, drafts)
    assert drafts[0].data["sheets"] == 1, "no cover sheet"
    assert drafts[0].data["address_placement"] == "document"
    assert texts_in(pdf, EKOPOST_WINDOW, pages=1) == ["Kari Nordmann"]

    on_the_left = await letter(
        blobs,
        _pdf_with_window_text("Kari Nordmann", left_mm=25, top_mm=50),
        print_instructions=how,
        channel_options=options,
    )
    [refused] = await house.deliver(on_the_left, None)
    assert refused.type is EventType.PRINT_FAILED
    assert "no address in the envelope window" in refused.data["reason"]


async def test_registered_post_is_tracked_in_the_print_houses_country(blobs: BlobStore) -> None:
    house = SandboxPrintHouse(blobs, Clock())
    how = PrintInstructions(KARI, postage=Postage.REGISTERED, duplex=False, color=True)
    drafts = await house.deliver(
        await letter(blobs, make_pdf(3), recipient_party=None, print_instructions=how), None
    )
    await print_pdf(blobs, drafts)
    assert (drafts[0].data["duplex"], drafts[0].data["color"], drafts[0].data["sheets"]) == (False, True, 4)
    number = drafts[2].data["tracking"]["number"]
    posted_on = date.fromisoformat(drafts[2].data["postmarked"])
    assert drafts[2].data["expected_arrival"] == NORWAY.add_working_days(posted_on, 1).isoformat()
    assert number.endswith("NO")
    assert s10(number) == number


async def test_print_settings_are_kept_with_the_letter_and_reach_the_print_house(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    options = ChannelOptions(print_layout=PrintLayout(window=RIGHT_WINDOW, protected_identity=True))
    accepted = await send_letter(
        SendLetter(
            sender_id=sender,
            dialect="platform",
            recipient=parse_party_id(SWEDE),
            documents=(
                DocumentInput(content=make_pdf(1), file_type="pdf", mime="application/pdf", title="Beslut"),
            ),
            print_instructions=PrintInstructions(SECRET_ADDRESS, postage=Postage.PROTECTED),
            channel_options=options,
        ),
        runtime,
    )
    assert accepted.decision.channel is Channel.PRINT
    async with runtime.reader() as uow:
        stored = await uow.shipments.get(accepted.shipment.id)
    assert stored is not None
    assert stored.channel_options == options

    assert await Worker(runtime, core_handlers()).run_once() == 1
    async with runtime.reader() as uow:
        events = {e.type: e for e in await uow.events.for_shipment(accepted.shipment.id)}
    sent, posted = events[EventType.SENT_TO_PRINT], events[EventType.POSTED]
    assert sent.data["protected_identity"] is True
    assert sent.data["window_mm"][0] == 112.0
    assert posted.data["tracking"]["state"] == "registered"
    pdf = await runtime.blobs.get(sent.data["print_pdf"])
    assert texts_in(pdf, EKOPOST_WINDOW, pages=1) == [PERSONNUMMER]
    assert not any(word in page_text(pdf, 0) for word in SECRET_WORDS)
    await runtime.close()


def _pdf_with_window_text(text: str, *, left_mm: float, top_mm: float) -> bytes:
    """A one-page A4 PDF with exactly ``text`` at (left, top) mm and a line of body text far below."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from postbud.channels.print.geometry import MM

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(left_mm * MM, A4[1] - top_mm * MM, text)
    pdf.drawString(30 * MM, A4[1] - 200 * MM, "Beslut om bostadsbidrag")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


async def test_a_registered_letters_tracking_moves_on_once_each_and_never_back(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)

    async def posted(postage: Postage) -> uuid.UUID:
        accepted = await send_letter(
            SendLetter(
                sender_id=sender,
                dialect="platform",
                recipient_name="Kari Nordmann",
                documents=(
                    DocumentInput(content=make_pdf(1), file_type="pdf", mime="application/pdf", title="Rek"),
                ),
                print_instructions=PrintInstructions(KARI, postage=postage),
            ),
            runtime,
        )
        assert await Worker(runtime, core_handlers()).run_once() == 1
        return accepted.shipment.id

    registered = await posted(Postage.REGISTERED)
    moved = await record_tracking(runtime, registered, TrackingState.IN_TRANSIT)
    assert moved.type is EventType.TRACKING_UPDATED
    number = moved.data["tracking"]["number"]
    assert s10(number) == number
    for again, code in [
        (TrackingState.IN_TRANSIT, ConflictCode.ALREADY_DONE),
        (TrackingState.REGISTERED, ConflictCode.WRONG_STATE),
    ]:
        with pytest.raises(Conflict) as caught:
            await record_tracking(runtime, registered, again)
        assert caught.value.code is code
    await record_tracking(runtime, registered, TrackingState.DELIVERED)  # awaiting pickup was not reported
    with pytest.raises(Conflict):
        await record_tracking(runtime, registered, TrackingState.RETURNED)
    async with runtime.reader() as uow:
        stored = await uow.shipments.get(registered)
        events = await uow.events.for_shipment(registered)
    assert stored is not None
    assert stored.status is ShipmentStatus.POSTED, "tracking does not change the letter's status"
    assert [e.data["tracking"]["state"] for e in events if e.type is EventType.TRACKING_UPDATED] == [
        "in_transit",
        "delivered",
    ]

    economy = await posted(Postage.ECONOMY)
    with pytest.raises(Conflict) as untracked:
        await record_tracking(runtime, economy, TrackingState.IN_TRANSIT)
    assert untracked.value.code is ConflictCode.WRONG_STATE
    with pytest.raises(NotFound):
        await record_tracking(runtime, uuid.uuid4(), TrackingState.IN_TRANSIT)
    await runtime.close()
