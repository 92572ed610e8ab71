"""Use case: the print queue — letters routed to print, their print state and print-ready PDF.

The print house stores the print-ready PDF (cover sheet with the address, then the documents) as
a blob and names it in the SENT_TO_PRINT event; the queue shows it as page images. In the
sandbox an operator can run a letter's waiting work now instead of at its time; a letter whose
print failed can be printed again (``services/letters/reprint.py``).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Final

from postbud.channels.print.batch_file import pages_of
from postbud.domain.channels import Channel
from postbud.domain.documents import Document
from postbud.domain.errors import Conflict, ConflictCode, NotFound
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.inbox.page_images import DEFAULT_WIDTH, PageNotRenderable, page_image
from postbud.services.letters.query import ShipmentFilter, list_shipments
from postbud.services.letters.reprint import print_failed, reprint_keys
from postbud.services.runtime import Runtime
from postbud.services.sandbox.mode import require_sandbox
from postbud.storage.repos.jobs import DEAD, READY, RUNNING
from postbud.storage.repos.shipment_jobs import LetterJob

PAGE_SIZE: Final = 25
_OUTCOMES: Final = (EventType.SENT_TO_PRINT, EventType.PRINT_FAILED, EventType.DELIVERY_FAILED)
_PRINT_EVENTS: Final = (*_OUTCOMES, EventType.ROUTED)  # routed: a request to print again
_STATE_OF_STATUS: Final = {
    ShipmentStatus.SCHEDULED: "held",
    ShipmentStatus.IN_PRINT: "in_print",
    ShipmentStatus.PRINTED: "printed",
    ShipmentStatus.POSTED: "posted",
    ShipmentStatus.FAILED: "failed",
    ShipmentStatus.CANCELLED: "cancelled",
    ShipmentStatus.EXPIRED: "cancelled",
}


@dataclass(frozen=True, slots=True)
class PrintFile:
    sha256: str
    pages: int
    sheets: int | None
    first_page: int = 1
    """Where the letter's pages start in the file: a print batch's file holds many letters."""
    print_batch: str | None = None


@dataclass(frozen=True, slots=True)
class PrintLetter:
    shipment: Shipment
    sender_name: str | None
    state: str
    """held, queued, retrying, printing, stuck, in_print, printed, posted, failed or cancelled."""
    jobs: list[LetterJob]
    print_file: PrintFile | None
    failure: str | None
    """Why the last print attempt failed, if it did."""
    can_print_again: bool = False

    @property
    def waiting_job(self) -> LetterJob | None:
        return next((j for j in self.jobs if j.status == READY), None)

    @property
    def can_run_now(self) -> bool:
        return any(j.status in (READY, DEAD) for j in self.jobs)


@dataclass(frozen=True, slots=True)
class PrintQueuePage:
    letters: list[PrintLetter]
    next_cursor: str | None


def _print_file(events: list[ShipmentEvent]) -> PrintFile | None:
    sent = next((e for e in reversed(events) if e.type is EventType.SENT_TO_PRINT), None)
    if sent is None or not isinstance(sent.data.get("print_pdf"), str):
        return None
    sheets = sent.data.get("sheets")
    in_batch = sent.data.get("batch_pages")
    first = int(in_batch[0]) if isinstance(in_batch, list) and in_batch else 1
    batch = sent.data.get("print_batch")
    return PrintFile(
        sent.data["print_pdf"],
        int(sent.data.get("pages") or 0),
        sheets,
        first,
        batch if isinstance(batch, str) else None,
    )


def _failure(events: list[ShipmentEvent]) -> str | None:
    last = next((e for e in reversed(events) if e.type in _OUTCOMES), None)
    if last is None or last.type is EventType.SENT_TO_PRINT:
        return None
    return str(last.data.get("reason") or "") or None


def _state(shipment: Shipment, jobs: list[LetterJob]) -> str:
    # A failed letter being printed again shows its new print's state.
    again = shipment.status is ShipmentStatus.FAILED and any(j.status in (READY, RUNNING) for j in jobs)
    if shipment.status in _STATE_OF_STATUS and not again:
        return _STATE_OF_STATUS[shipment.status]
    if any(j.status == RUNNING for j in jobs):
        return "printing"
    waiting = next((j for j in jobs if j.status == READY), None)
    if waiting is not None:
        return "retrying" if waiting.last_error else "queued"
    if any(j.status == DEAD for j in jobs):
        return "stuck"
    return "queued"


async def _with_state(runtime: Runtime, shipments: list[Shipment]) -> list[PrintLetter]:
    ids = [s.id for s in shipments]
    async with runtime.reader() as uow:
        activity = uow.activity
        events = await activity.events_of(ids, _PRINT_EVENTS)
        names = await activity.sender_names([s.sender_id for s in shipments])
        again = {key: sid for sid in ids for key in reprint_keys(sid, events[sid])}
        jobs = await uow.shipment_jobs.for_letters(ids, again)
    return [
        PrintLetter(
            shipment=s,
            sender_name=names.get(s.sender_id),
            state=_state(s, jobs[s.id]),
            jobs=jobs[s.id],
            print_file=_print_file(events[s.id]),
            failure=_failure(events[s.id]),
            can_print_again=print_failed(s, events[s.id]) and _state(s, jobs[s.id]) == "failed",
        )
        for s in shipments
    ]


async def print_queue(runtime: Runtime, cursor: str | None = None, limit: int = PAGE_SIZE) -> PrintQueuePage:
    """Letters routed to print, newest first."""
    page = await list_shipments(
        ShipmentFilter(channel=Channel.PRINT.value, cursor=cursor, limit=limit), runtime
    )
    return PrintQueuePage(await _with_state(runtime, page.shipments), page.next_cursor)


async def print_letter(runtime: Runtime, shipment_id: uuid.UUID) -> PrintLetter:
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
    if shipment is None:
        raise NotFound("shipment", shipment_id)
    return (await _with_state(runtime, [shipment]))[0]


def _as_document(print_file: PrintFile, shipment_id: uuid.UUID) -> Document:
    return Document(
        id=shipment_id,
        position=0,
        external_id=None,
        title="print",
        file_type="pdf",
        mime="application/pdf",
        sha256=print_file.sha256,
        size=0,
        pages=print_file.pages or None,
    )


async def _print_file_of(runtime: Runtime, shipment_id: uuid.UUID) -> PrintFile:
    letter = await print_letter(runtime, shipment_id)
    if letter.print_file is None:
        raise NotFound("print file", shipment_id)
    return letter.print_file


async def print_pdf(runtime: Runtime, shipment_id: uuid.UUID) -> bytes:
    """The letter's print-ready pages: its own file, or its pages out of its print batch's file."""
    print_file = await _print_file_of(runtime, shipment_id)
    content = await runtime.blobs.get(print_file.sha256)
    if print_file.print_batch is None:
        return content
    last = print_file.first_page + print_file.pages - 1
    return await asyncio.to_thread(pages_of, content, print_file.first_page, last)


async def print_page_image(
    runtime: Runtime, shipment_id: uuid.UUID, page: int, width: int = DEFAULT_WIDTH
) -> bytes:
    """A PNG of one page of the print-ready PDF (cached like a letter's page images)."""
    print_file = await _print_file_of(runtime, shipment_id)
    if not 1 <= page <= max(print_file.pages, 1):
        raise PageNotRenderable(f"the letter has {print_file.pages} print pages")
    in_file = print_file.first_page + page - 1
    return await page_image(runtime, _as_document(print_file, shipment_id), in_file, width)


async def run_now(runtime: Runtime, shipment_id: uuid.UUID) -> int:
    """Sandbox: the letter's waiting jobs run at once (a stuck one from its first attempt)."""
    require_sandbox(runtime)
    now = runtime.clock.now()
    started = 0
    async with runtime.unit_of_work() as uow:
        if await uow.shipments.get(shipment_id) is None:
            raise NotFound("shipment", shipment_id)
        again = reprint_keys(shipment_id, await uow.events.for_shipment(shipment_id))
        repo = uow.shipment_jobs
        for job in (await repo.for_letters([shipment_id], again))[shipment_id]:
            if job.status == READY and await repo.make_due(job.id, now=now):
                started += 1
            elif job.status == DEAD:
                await uow.jobs.requeue(job.id, now=now)
                started += 1
    if not started:
        raise Conflict("letter", "no work of this letter is waiting", ConflictCode.WRONG_STATE)
    runtime.jobs_available()
    return started
