"""The sandbox print house: the PRINT channel, working the way Digipost and Ekopost print does.

It preflights the documents, makes one print-ready PDF (cover sheet + documents) and stores it
in the blob store, then "prints and posts" at once: SENT_TO_PRINT, PRINTED and POSTED. A letter
that cannot be printed gets PRINT_FAILED with the reason; it is not retried, since the same PDF
would fail again. Storage errors propagate, so the delivery job retries.

Per letter (``ChannelOptions.print_layout``): the envelope window, the address on a cover page or in
the letter's own window, and a protected identity (the window shows only the recipient's identifier;
no postal address is needed, the print house holds it). Registered and protected post get a UPU S10
tracking number, derived from the letter's id so a retry gives the same one, in state "registered".
The home country and the postmark's time zone are the deployment's (``Settings.regional``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from postbud.channels.faults import FaultInjector
from postbud.channels.letter_options import options_of
from postbud.channels.print.assemble import PrintOrder, Refused, assemble
from postbud.channels.print.geometry import NORWEGIAN_C5_WINDOW, Area, area_of
from postbud.domain.channels import Channel
from postbud.domain.clock import Clock
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.identifiers.errors import InvalidIdentifier
from postbud.domain.identifiers.tracking import s10_tracking_number
from postbud.domain.parties import PERSON_KINDS, PostalAddress, Recipient
from postbud.domain.postal_delivery import expected_arrival
from postbud.domain.print_batches import reply_form_of
from postbud.domain.print_layout import AddressPlacement, PrintLayout, TrackingState
from postbud.domain.regional import NORWAY, Regional
from postbud.domain.shipments import Postage, PrintInstructions, Shipment
from postbud.storage.blobs import BlobNotFound, BlobStore, BlobTooLarge


def print_failed(reason: str, **data: Any) -> EventDraft:
    return EventDraft(EventType.PRINT_FAILED, Channel.PRINT, {"reason": reason, **data}, "print_failed")


class SandboxPrintHouse:
    channel = Channel.PRINT
    inline = False

    def __init__(
        self,
        blobs: BlobStore,
        clock: Clock,
        faults: FaultInjector | None = None,
        *,
        window: Area = NORWEGIAN_C5_WINDOW,
        home_country: str = NORWAY.country,
        timezone: str = NORWAY.time_zone,
        working_days: frozenset[int] = NORWAY.working_days,
    ) -> None:
        self.blobs = blobs
        self.clock = clock
        self.faults = faults if faults is not None else FaultInjector()
        self.window = window
        self.home_country = home_country
        self.timezone = ZoneInfo(timezone)
        self.region = Regional(time_zone=timezone, country=home_country, working_days=working_days)

    async def deliver(self, shipment: Shipment, recipient: Recipient | None) -> list[EventDraft]:
        """One letter on its own: its own print file (a batch's letters go by ``services/print_line``)."""
        prepared = await self.prepare(shipment, recipient)
        if isinstance(prepared, EventDraft):
            return [prepared]
        result = await asyncio.to_thread(assemble, prepared.order)
        if isinstance(result, Refused):
            return [print_failed(result.reason, problems=list(result.problems))]
        try:
            ref = await self.blobs.put(result.pdf)
        except BlobTooLarge as exc:
            return [print_failed(f"the print file is too large to store ({exc})")]
        sent = self.sent_to_print(prepared, ref.sha256, result.pages, result.document_pages, result.sheets)
        return [sent, *self.printed_and_posted(shipment, prepared.instructions, ref.sha256, result.sheets)]

    async def prepare(self, shipment: Shipment, recipient: Recipient | None) -> Prepared | EventDraft:
        """The letter's print order with its documents loaded, or the PRINT_FAILED it gets instead."""
        instructions = shipment.print_instructions
        layout = options_of(shipment).print_layout or PrintLayout()
        protected = layout.protected_identity or (
            instructions is not None and instructions.postage is Postage.PROTECTED
        )
        identifier = _protected_identifier(shipment, layout) if protected else None
        if protected and identifier is None:
            return print_failed("a protected identity needs the recipient's identifier for the envelope")
        address = instructions.recipient if instructions else None
        if address is None and recipient is not None:
            address = recipient.capabilities.postal_address
        if address is None and not protected:
            return print_failed("no postal address to print on the envelope")
        if error := self.faults.should_fail(Channel.PRINT):
            return print_failed(error, injected=True)
        instructions = instructions or PrintInstructions(recipient=address or _NO_ADDRESS)
        cover_page = (
            instructions.cover_page
            if layout.address_placement is None
            else layout.address_placement is AddressPlacement.COVER_PAGE
        )
        reply_form_id = reply_form_of(instructions.instructions)
        documents = sorted(shipment.documents, key=lambda d: d.position)
        try:
            contents = tuple([await self.blobs.get(d.sha256) for d in documents if d.id != reply_form_id])
            reply = next((d for d in documents if d.id == reply_form_id), None)
            reply_form = await self.blobs.get(reply.sha256) if reply is not None else None
        except BlobNotFound as exc:
            return print_failed(f"a document is missing from storage ({exc.sha256})")
        order = PrintOrder(
            letter_id=str(shipment.id),
            recipient=None if protected else address,
            documents=contents,
            return_address=instructions.return_address,
            duplex=instructions.duplex,
            cover_page=cover_page,
            postage=instructions.postage.value,
            window=area_of(layout.window) if layout.window else self.window,
            home_country=self.home_country,
            protected_identifier=identifier,
            reply_form=reply_form,
        )
        return Prepared(order, instructions)

    def sent_to_print(
        self,
        prepared: Prepared,
        print_pdf: str,
        pages: int,
        document_pages: int,
        sheets: int,
        **batch: Any,
    ) -> EventDraft:
        """The SENT_TO_PRINT of a letter whose print-ready pages are in ``print_pdf`` (``batch``: its
        print batch, and its pages in that batch's file)."""
        how, order = prepared.instructions, prepared.order
        sent: dict[str, Any] = {
            "print_pdf": print_pdf,
            "pages": pages,
            "document_pages": document_pages,
            "sheets": sheets,
            "duplex": how.duplex,
            "color": how.color,
            "postage": how.postage.value,
            "cover_page": order.cover_page,
            "nondeliverable": how.nondeliverable.value,
            "print_house": "sandbox",
            **batch,
        }
        if order.window != self.window:
            sent["window_mm"] = [order.window.left, order.window.top, order.window.width, order.window.height]
        if not order.cover_page:
            sent["address_placement"] = AddressPlacement.DOCUMENT.value
        if order.protected_identifier is not None:
            sent["protected_identity"] = True
        if order.reply_form is not None:
            sent["reply_envelope"] = True
        return EventDraft(EventType.SENT_TO_PRINT, Channel.PRINT, sent, "sent_to_print")

    @staticmethod
    def instructions_of(shipment: Shipment) -> PrintInstructions:
        """The letter's print instructions as its print order was made with them."""
        return shipment.print_instructions or PrintInstructions(recipient=_NO_ADDRESS)

    def printed_and_posted(
        self, shipment: Shipment, how: PrintInstructions, print_pdf: str, sheets: int
    ) -> list[EventDraft]:
        """PRINTED, then POSTED today with the arrival its postage promises (and a tracking number
        for registered and protected post)."""
        posted_on = self.clock.now().astimezone(self.timezone).date()
        postage = how.postage.value
        printed = {"print_pdf": print_pdf, "sheets": sheets}
        posted: dict[str, Any] = {
            "postmarked": posted_on.isoformat(),
            "postage": postage,
            "expected_arrival": expected_arrival(how.postage, posted_on, self.region).isoformat(),
        }
        if how.postage in (Postage.REGISTERED, Postage.PROTECTED):
            number = s10_tracking_number(shipment.id.int % 10**8, self.home_country)
            posted["tracking"] = {"number": number, "state": TrackingState.REGISTERED.value}
        return [
            EventDraft(EventType.PRINTED, Channel.PRINT, printed, "printed"),
            EventDraft(EventType.POSTED, Channel.PRINT, posted, "posted"),
        ]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A letter ready for the press: its print order (documents loaded) and its print instructions."""

    order: PrintOrder
    instructions: PrintInstructions


_NO_ADDRESS = PostalAddress(name="", lines=(), postal_code="", city="")
"""Stands in for the address of a protected identity, which the letter never carries."""


def _protected_identifier(shipment: Shipment, layout: PrintLayout) -> str | None:
    """What the window shows for a protected identity: the one given, else the recipient's number."""
    if layout.protected_identifier is not None:
        return layout.protected_identifier.strip()
    if not shipment.recipient_party:
        return None
    try:
        party = parse_party_id(shipment.recipient_party, allow_synthetic=True)
    except InvalidIdentifier:
        return None
    return party.value if party.kind in PERSON_KINDS else None
