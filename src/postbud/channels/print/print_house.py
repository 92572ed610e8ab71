"""The sandbox print house: the PRINT channel, working the way Digipost and Ekopost print does.

It preflights the documents, makes one print-ready PDF (cover sheet + documents) and stores it
in the blob store, then "prints and posts" at once: SENT_TO_PRINT, PRINTED and POSTED. A letter
that cannot be printed gets PRINT_FAILED with the reason; it is not retried, since the same PDF
would fail again. Storage errors propagate, so the delivery job retries.
"""

from __future__ import annotations

import asyncio
from typing import Any
from zoneinfo import ZoneInfo

from postbud.channels.faults import FaultInjector
from postbud.channels.print.assemble import PrintFile, PrintOrder, Refused, assemble
from postbud.channels.print.geometry import NORWEGIAN_C5_WINDOW, Area
from postbud.domain.channels import Channel
from postbud.domain.clock import Clock
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.parties import Recipient
from postbud.domain.shipments import PrintInstructions, Shipment
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
        home_country: str = "NO",
        timezone: str = "Europe/Oslo",
    ) -> None:
        self.blobs = blobs
        self.clock = clock
        self.faults = faults if faults is not None else FaultInjector()
        self.window = window
        self.home_country = home_country
        self.timezone = ZoneInfo(timezone)

    async def deliver(self, shipment: Shipment, recipient: Recipient | None) -> list[EventDraft]:
        instructions = shipment.print_instructions
        address = instructions.recipient if instructions else None
        if address is None and recipient is not None:
            address = recipient.capabilities.postal_address
        if address is None:
            return [print_failed("no postal address to print on the envelope")]
        if error := self.faults.should_fail(Channel.PRINT):
            return [print_failed(error, injected=True)]
        instructions = instructions or PrintInstructions(recipient=address)
        documents = sorted(shipment.documents, key=lambda d: d.position)
        try:
            contents = tuple([await self.blobs.get(d.sha256) for d in documents])
        except BlobNotFound as exc:
            return [print_failed(f"a document is missing from storage ({exc.sha256})")]
        order = PrintOrder(
            letter_id=str(shipment.id),
            recipient=address,
            documents=contents,
            return_address=instructions.return_address,
            duplex=instructions.duplex,
            cover_page=instructions.cover_page,
            postage=instructions.postage.value,
            window=self.window,
            home_country=self.home_country,
        )
        result = await asyncio.to_thread(assemble, order)
        if isinstance(result, Refused):
            return [print_failed(result.reason, problems=list(result.problems))]
        try:
            ref = await self.blobs.put(result.pdf)
        except BlobTooLarge as exc:
            return [print_failed(f"the print file is too large to store ({exc})")]
        return self._printed_and_posted(instructions, result, ref.sha256)

    def _printed_and_posted(self, how: PrintInstructions, result: PrintFile, sha256: str) -> list[EventDraft]:
        postmarked = self.clock.now().astimezone(self.timezone).date().isoformat()
        postage = how.postage.value
        sent = {
            "print_pdf": sha256,
            "pages": result.pages,
            "document_pages": result.document_pages,
            "sheets": result.sheets,
            "duplex": how.duplex,
            "color": how.color,
            "postage": postage,
            "cover_page": how.cover_page,
            "nondeliverable": how.nondeliverable.value,
            "print_house": "sandbox",
        }
        printed = {"print_pdf": sha256, "sheets": result.sheets}
        return [
            EventDraft(EventType.SENT_TO_PRINT, Channel.PRINT, sent, "sent_to_print"),
            EventDraft(EventType.PRINTED, Channel.PRINT, printed, "printed"),
            EventDraft(
                EventType.POSTED, Channel.PRINT, {"postmarked": postmarked, "postage": postage}, "posted"
            ),
        ]
