"""Revising a draft before it is closed: what a letter built in steps learns from its own content.

An Ekopost envelope names its postal address only inside its PDF (the envelope window of page 1),
which arrives after the envelope was created; its print instructions are completed then. This
module reads that window and rewrites a draft's stored request, under the draft's lock, keeping
what closing it needs.
"""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pikepdf

from postbud.channels.print.geometry import area_of
from postbud.channels.print.preflight import texts_in
from postbud.domain.print_layout import EnvelopeWindow
from postbud.domain.shipments import Shipment
from postbud.services.letters.drafts import sender_draft
from postbud.services.runtime import Runtime
from postbud.storage.repos.shipments import request_json


@dataclass(frozen=True, slots=True)
class PdfFacts:
    """What a print line sees of a PDF before anything else: can it be opened, how many pages."""

    opens: bool
    pages: int
    problems: tuple[str, ...]


def _facts(content: bytes) -> PdfFacts:
    """Opened and its pages counted only: the print house preflights the rest when it prints."""
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            pages = len(pdf.pages)
    except pikepdf.PasswordError:
        return PdfFacts(False, 0, ("the PDF is password protected",))
    except pikepdf.PdfError as exc:
        return PdfFacts(False, 0, (f"not a readable PDF ({type(exc).__name__})",))
    return PdfFacts(True, pages, () if pages else ("the PDF has no pages",))


async def pdf_facts(content: bytes) -> PdfFacts:
    return await asyncio.to_thread(_facts, content)


async def window_text(content: bytes, window: EnvelopeWindow) -> str:
    """The text inside ``window`` on page 1 of a PDF (empty when there is none or it does not open)."""

    def read() -> str:
        try:
            texts = texts_in(content, area_of(window), pages=1)
        except Exception:  # PDFium refuses what it cannot parse; the caller reports "no address"
            return ""
        return texts[0] if texts else ""

    return await asyncio.to_thread(read)


async def revise_draft(
    sender_id: uuid.UUID, shipment_id: uuid.UUID, change: Callable[[Shipment], Shipment], runtime: Runtime
) -> Shipment:
    """Apply ``change`` to the sender's draft (print instructions, properties, channel options) and
    store it; the draft's routing data stays as it was."""
    async with runtime.unit_of_work() as uow:
        shipment = await sender_draft(uow, sender_id, shipment_id)
        stored = await uow.shipments.draft_request(shipment_id) or {}
        revised = change(shipment)
        request = {**request_json(revised), "draft": stored.get("draft") or {}}
        await uow.shipments.revise_draft(
            shipment_id, request, recipient_name=revised.recipient_name, now=runtime.clock.now()
        )
    return revised
