"""The press: a print batch is printed and its letters posted (priority arrives the next working
day, economy in four; registered and protected post get their tracking number).

The sandbox's press runs a print batch as soon as its file is stored: the print run presses it in a
transaction of its own right after (``press_letters``), with the letters it has loaded. The press
job queued with the print batch is the backstop for a run that stopped in between; it finds the
batch printed and does nothing otherwise.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from postbud.channels.print import SandboxPrintHouse
from postbud.domain.event_drafts import EventDraft
from postbud.domain.print_batches import PrintBatch
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.print_line.house import batch_print_house
from postbud.services.print_line.record_many import record_for_many
from postbud.services.runtime import Runtime
from postbud.storage.unit_of_work import SqlUnitOfWork


async def press(print_batch_id: uuid.UUID, runtime: Runtime) -> None:
    """The ``print_line.press`` job; once per print batch."""
    house = batch_print_house(runtime)
    if house is None:
        raise RuntimeError("the print house takes no print batches")
    async with runtime.unit_of_work() as uow:
        batch = await uow.print_line.get(print_batch_id, for_update=True)
        if batch is None or batch.printed_at is not None:
            return
        letters = await uow.print_line.letters([e.shipment_id for e in batch.envelopes])
        await press_letters(uow, house, batch, letters, now=runtime.clock.now())
    runtime.jobs_available()


async def press_letters(
    uow: SqlUnitOfWork,
    house: SandboxPrintHouse,
    batch: PrintBatch,
    letters: Sequence[Shipment],
    *,
    now: datetime,
) -> None:
    """In ``uow`` (holding the print batch's lock): PRINTED and POSTED for its ``letters`` still in print."""
    sheets = {e.shipment_id: e.sheets for e in batch.envelopes}
    drafts: list[tuple[Shipment, list[EventDraft]]] = [
        (s, house.printed_and_posted(s, house.instructions_of(s), batch.sha256, sheets[s.id]))
        for s in letters
        if s.id in sheets
    ]
    await record_for_many(uow, drafts, now=now, only_if=ShipmentStatus.IN_PRINT)
    await uow.print_line.mark_printed(batch.id, now=now)
