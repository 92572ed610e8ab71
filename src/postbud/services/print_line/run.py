"""A print run: a slice of a released batch's print letters made into print batch files.

Each letter is prepared as the print house prepares one (address, cover sheet or window, return
address, protected identity, reply-mail form; the console's injected faults), then the letters of one
colour mode and plex are streamed into one print-ready PDF, which is stored durably before anything
is recorded. Then, in one transaction: the print batch with its job ticket, each letter's
SENT_TO_PRINT naming its print batch and its pages there (or PRINT_FAILED with the reason), and the
press job that prints and posts the batch. A letter cancelled meanwhile is left out of the ticket.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from postbud.channels.print import SandboxPrintHouse
from postbud.channels.print.assemble import Refused
from postbud.channels.print.batch_file import BatchFile, Placed, assemble_batch
from postbud.channels.print.print_house import Prepared, print_failed
from postbud.domain.channels import Channel
from postbud.domain.event_drafts import EventDraft
from postbud.domain.ids import new_id
from postbud.domain.print_batches import REPLY_ENVELOPE_INSERT, EnvelopeInBatch, PrintBatch
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.print_line.house import batch_print_house
from postbud.services.print_line.press import press_letters
from postbud.services.print_line.record_many import record_for_many
from postbud.services.runtime import Runtime
from postbud.storage import job_kinds
from postbud.storage.blobs import BlobTooLarge


@dataclass(frozen=True, slots=True)
class _Ready:
    shipment: Shipment
    prepared: Prepared


async def print_run(batch_id: uuid.UUID, letter_ids: Sequence[uuid.UUID], runtime: Runtime) -> None:
    """The ``print_line.run`` job. Idempotent: a letter no longer held is not printed again."""
    house = batch_print_house(runtime)
    if house is None:
        raise RuntimeError("the print house takes no print batches")
    async with runtime.reader() as uow:
        letters = [
            s
            for s in await uow.print_line.letters(letter_ids)
            if s.status is ShipmentStatus.SCHEDULED and s.channel is Channel.PRINT
        ]
        recipients = {
            s.recipient_id: await uow.recipients.get(s.recipient_id)
            for s in letters
            if s.recipient_id is not None and s.print_instructions is None
        }
    failed: list[tuple[Shipment, list[EventDraft]]] = []
    groups: dict[tuple[bool, bool], list[_Ready]] = {}
    for shipment in letters:
        recipient = recipients.get(shipment.recipient_id) if shipment.recipient_id else None
        prepared = await house.prepare(shipment, recipient)
        if isinstance(prepared, EventDraft):
            failed.append((shipment, [prepared]))
            continue
        how = prepared.instructions
        groups.setdefault((how.color, how.duplex), []).append(_Ready(shipment, prepared))
    for (color, duplex), ready in groups.items():
        await _print_batch(runtime, house, batch_id, ready, color=color, duplex=duplex)
    if failed:
        async with runtime.unit_of_work() as uow:
            await record_for_many(uow, failed, now=runtime.clock.now(), only_if=ShipmentStatus.SCHEDULED)
    runtime.jobs_available()


async def _print_batch(
    runtime: Runtime,
    house: SandboxPrintHouse,
    batch_id: uuid.UUID,
    ready: list[_Ready],
    *,
    color: bool,
    duplex: bool,
) -> None:
    file = await asyncio.to_thread(assemble_batch, [r.prepared.order for r in ready], duplex=duplex)
    sha256 = None
    if file.placed:
        try:
            sha256 = (await runtime.blobs.put(file.pdf)).sha256
        except BlobTooLarge as exc:
            file = _all_refused(file, f"the print batch file is too large to store ({exc})")
    print_batch_id = new_id()
    drafts: list[tuple[Shipment, list[EventDraft]]] = []
    entries: dict[uuid.UUID, EnvelopeInBatch] = {}
    for item, outcome in zip(ready, file.outcomes, strict=True):
        if isinstance(outcome, Refused) or sha256 is None:
            reason = outcome.reason if isinstance(outcome, Refused) else "nothing of the batch was printed"
            problems = list(outcome.problems) if isinstance(outcome, Refused) else []
            drafts.append((item.shipment, [print_failed(reason, problems=problems)]))
            continue
        entries[item.shipment.id] = _entry(item, outcome)
        sent = house.sent_to_print(
            item.prepared,
            sha256,
            outcome.last_page - outcome.first_page + 1,
            outcome.document_pages,
            outcome.sheets,
            print_batch=str(print_batch_id),
            batch_pages=[outcome.first_page, outcome.last_page],
        )
        drafts.append((item.shipment, [sent]))
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        recorded = await record_for_many(uow, drafts, now=now, only_if=ShipmentStatus.SCHEDULED)
        envelopes = tuple(entry for sid, entry in entries.items() if sid in recorded)
        if sha256 is None or not envelopes:
            return
        sender_id = ready[0].shipment.sender_id
        printed = PrintBatch(
            id=print_batch_id,
            sender_id=sender_id,
            batch_id=batch_id,
            sha256=sha256,
            pages=file.pages,
            sheets=file.sheets,
            color=color,
            duplex=duplex,
            envelopes=envelopes,
            created_at=now,
        )
        await uow.print_line.add(printed)
        await uow.waiting_jobs.enqueue_once(
            job_kinds.PRINT_PRESS,
            {"print_batch_id": str(print_batch_id)},
            key=f"print-press:{print_batch_id}",
            now=now,
        )
    async with runtime.unit_of_work() as uow:
        stored = await uow.print_line.get(print_batch_id, for_update=True)
        if stored is not None and stored.printed_at is None:
            pressed = [r.shipment for r in ready if r.shipment.id in recorded]
            await press_letters(uow, house, stored, pressed, now=runtime.clock.now())


def _entry(item: _Ready, placed: Placed) -> EnvelopeInBatch:
    order = item.prepared.order
    return EnvelopeInBatch(
        shipment_id=item.shipment.id,
        first_page=placed.first_page,
        last_page=placed.last_page,
        sheets=placed.sheets,
        postage=order.postage,
        cover_page=order.cover_page,
        inserts=(REPLY_ENVELOPE_INSERT,) if order.reply_form is not None else (),
        reply_form_pages=placed.reply_form_pages,
    )


def _all_refused(file: BatchFile, reason: str) -> BatchFile:
    return BatchFile(b"", 0, 0, tuple(Refused((reason,)) for _ in file.outcomes))


async def give_up_print_run(letter_ids: Sequence[uuid.UUID], runtime: Runtime, error: str) -> None:
    """The run failed for good (storage kept failing): its letters still held fail with the reason."""
    async with runtime.unit_of_work() as uow:
        letters = await uow.print_line.letters(letter_ids)
        drafts = [(s, [print_failed(f"the print run failed: {error}")]) for s in letters]
        await record_for_many(uow, drafts, now=runtime.clock.now(), only_if=ShipmentStatus.SCHEDULED)
