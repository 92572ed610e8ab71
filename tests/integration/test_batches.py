"""Batches hold their letters until completed; cancelling cancels them."""

from __future__ import annotations

from pathlib import Path

import pytest

from postbud.domain.batches import BatchStatus
from postbud.domain.errors import Conflict, NotFound
from postbud.domain.status import ShipmentStatus
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.letters.batches import cancel_batch, complete_batch, open_batch
from postbud.services.letters.send_letter import send_letter
from tests.integration.core_helpers import add_recipients, add_sender, letter, runtime_for

pytestmark = pytest.mark.anyio


async def statuses(runtime, ids) -> list[ShipmentStatus]:  # type: ignore[no-untyped-def]
    async with runtime.reader() as uow:
        return [(await uow.shipments.get(i)).status for i in ids]


async def test_completing_a_batch_releases_its_letters(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    batch = await open_batch(runtime, sender_id=sender, dialect="digipost", external_id="b-1")
    ids = [(await send_letter(letter(sender, batch_id=batch.id), runtime)).shipment.id for _ in range(3)]
    assert await statuses(runtime, ids) == [ShipmentStatus.SCHEDULED] * 3

    completed = await complete_batch(runtime, batch.id)
    assert completed.status is BatchStatus.COMPLETED
    worker = Worker(runtime, core_handlers())
    while await worker.run_once():
        pass
    assert await statuses(runtime, ids) == [ShipmentStatus.DELIVERED] * 3
    with pytest.raises(Conflict):
        await send_letter(letter(sender, batch_id=batch.id), runtime)
    with pytest.raises(Conflict):
        await complete_batch(runtime, batch.id)
    await runtime.close()


async def test_cancelling_a_batch_cancels_its_letters(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    other = await add_sender(runtime, orgnr="988077917")
    await add_recipients(runtime)
    batch = await open_batch(runtime, sender_id=sender, dialect="digipost", external_id="b-2")
    shipment = (await send_letter(letter(sender, batch_id=batch.id), runtime)).shipment
    with pytest.raises(NotFound):
        await send_letter(letter(other, batch_id=batch.id), runtime)
    with pytest.raises(Conflict):
        await open_batch(runtime, sender_id=sender, dialect="digipost", external_id="b-2")
    cancelled = await cancel_batch(runtime, batch.id)
    assert cancelled.status is BatchStatus.CANCELLED
    assert await statuses(runtime, [shipment.id]) == [ShipmentStatus.CANCELLED]
    await runtime.close()
