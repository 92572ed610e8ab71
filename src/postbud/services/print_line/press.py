"""The press: a print batch is printed and its letters posted (priority arrives the next working
day, economy in four; registered and protected post get their tracking number)."""

from __future__ import annotations

import uuid

from postbud.domain.event_drafts import EventDraft
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.print_line.record_many import record_for_many
from postbud.services.print_line.run import batch_print_house
from postbud.services.runtime import Runtime


async def press(print_batch_id: uuid.UUID, runtime: Runtime) -> None:
    """The ``print_line.press`` job; once per print batch."""
    house = batch_print_house(runtime)
    if house is None:
        raise RuntimeError("the print house takes no print batches")
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        batch = await uow.print_line.get(print_batch_id, for_update=True)
        if batch is None or batch.printed_at is not None:
            return
        sheets = {e.shipment_id: e.sheets for e in batch.envelopes}
        letters = await uow.print_line.letters(list(sheets))
        drafts: list[tuple[Shipment, list[EventDraft]]] = [
            (s, house.printed_and_posted(s, house.instructions_of(s), batch.sha256, sheets[s.id]))
            for s in letters
        ]
        await record_for_many(uow, drafts, now=now, only_if=ShipmentStatus.IN_PRINT)
        await uow.print_line.mark_printed(print_batch_id, now=now)
    runtime.jobs_available()
