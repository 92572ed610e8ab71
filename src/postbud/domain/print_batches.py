"""A print batch: one print-ready PDF holding many letters, with the job ticket the print line reads.

The sandbox print house prints a released batch (an Ekopost campaign, a Digipost batch) in print
batches of bounded size. Each print batch is one PDF in the blob store; its ticket says, for every
envelope in it, which pages are its (cover sheet, documents and blank backs), how many sheets, its
postage, and which inserts the line adds (a reply envelope). Colour and plex are the batch's own: a
print batch holds letters of one colour mode and one plex only, as a press run does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from postbud.domain.shipments import Shipment

REPLY_ENVELOPE_INSERT = "reply_envelope"
"""The insert a reply-mail envelope gets: a pre-addressed envelope for the recipient's answer."""
REPLY_FORM_INSTRUCTION = "postbud.reply_form"
"""A print instruction (``PrintInstructions.instructions``) whose value is the id of the letter's
document that is its reply-mail form: printed as the reply form, with a reply envelope inserted,
instead of as an attachment (Ekopost's reply mail)."""


def reply_form_of(instructions: tuple[tuple[str, str], ...]) -> uuid.UUID | None:
    for key, value in instructions:
        if key == REPLY_FORM_INSTRUCTION:
            try:
                return uuid.UUID(value)
            except ValueError:
                return None
    return None


def with_reply_form(shipment: Shipment, document_id: uuid.UUID) -> Shipment:
    """The letter with this document as its reply-mail form (a letter not for print: unchanged)."""
    how = shipment.print_instructions
    if how is None:
        return shipment
    kept = tuple(kv for kv in how.instructions if kv[0] != REPLY_FORM_INSTRUCTION)
    instructions = (*kept, (REPLY_FORM_INSTRUCTION, str(document_id)))
    return replace(shipment, print_instructions=replace(how, instructions=instructions))


@dataclass(frozen=True, slots=True)
class EnvelopeInBatch:
    """One letter's place in a print batch PDF (pages counted from 1, inclusive)."""

    shipment_id: uuid.UUID
    first_page: int
    last_page: int
    sheets: int
    postage: str
    cover_page: bool
    inserts: tuple[str, ...] = ()
    reply_form_pages: tuple[int, int] | None = None
    """The pages of the reply-mail form (printed as the reply form, not as an attachment)."""

    @property
    def pages(self) -> int:
        return self.last_page - self.first_page + 1

    def as_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "shipment_id": str(self.shipment_id),
            "pages": [self.first_page, self.last_page],
            "sheets": self.sheets,
            "postage": self.postage,
            "cover_page": self.cover_page,
        }
        if self.inserts:
            entry["inserts"] = list(self.inserts)
        if self.reply_form_pages is not None:
            entry["reply_form_pages"] = list(self.reply_form_pages)
        return entry

    @classmethod
    def of_json(cls, entry: dict[str, Any]) -> EnvelopeInBatch:
        first, last = entry["pages"]
        reply = entry.get("reply_form_pages")
        return cls(
            shipment_id=uuid.UUID(entry["shipment_id"]),
            first_page=int(first),
            last_page=int(last),
            sheets=int(entry["sheets"]),
            postage=str(entry["postage"]),
            cover_page=bool(entry["cover_page"]),
            inserts=tuple(entry.get("inserts", ())),
            reply_form_pages=(int(reply[0]), int(reply[1])) if reply else None,
        )


@dataclass(frozen=True, slots=True)
class PrintBatch:
    id: uuid.UUID
    sender_id: uuid.UUID
    batch_id: uuid.UUID | None
    """The released batch (campaign) it prints letters of."""
    sha256: str
    """The print-ready PDF in the blob store."""
    pages: int
    sheets: int
    color: bool
    duplex: bool
    envelopes: tuple[EnvelopeInBatch, ...]
    created_at: datetime
    printed_at: datetime | None = None

    def ticket(self) -> dict[str, Any]:
        """The job ticket: what the press and the inserter need besides the PDF."""
        return {
            "print_batch": str(self.id),
            "print_pdf": self.sha256,
            "pages": self.pages,
            "sheets": self.sheets,
            "color": self.color,
            "plex": "duplex" if self.duplex else "simplex",
            "envelopes": [e.as_json() for e in self.envelopes],
        }
