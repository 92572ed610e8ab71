"""Batches with a life of their own: an output date that holds their letters (moved by the sandbox
clock), a state derived from the letters, and batch events that reach webhook deliveries."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from postbud.domain.batches import BatchState, BatchStatus
from postbud.domain.channels import Channel
from postbud.domain.errors import Conflict, ConflictCode, ValidationFailed
from postbud.domain.identifiers import parse_party_id
from postbud.domain.ids import new_id
from postbud.domain.letter_actions import AsSender
from postbud.domain.shipments import PrintInstructions
from postbud.domain.status import ShipmentStatus
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.letters.batch_state import batch_event_view, batch_overview, letters_in_batch
from postbud.services.letters.batches import (
    batches_of,
    cancel_batch,
    complete_batch,
    open_batch,
    release_batch,
)
from postbud.services.letters.cancel import cancel_letter
from postbud.services.letters.drafts import AddDraftDocument, add_draft_document, close_draft, start_draft
from postbud.services.letters.send_letter import send_letter
from postbud.services.runtime import Runtime
from postbud.services.sandbox.clock import advance_clock
from postbud.services.sandbox.faults import set_channel_fault
from postbud.storage import schema
from postbud.storage.repos.webhooks import Webhook
from tests.integration.core_helpers import (
    ADDRESS,
    PERSON_WITHOUT_MAILBOX,
    add_recipients,
    add_sender,
    letter,
    pdf_document,
    runtime_for,
)
from tests.integration.test_channels import pdf_input

pytestmark = pytest.mark.anyio


@dataclass
class World:
    runtime: Runtime
    sender: uuid.UUID

    async def to_mailbox(self, batch_id: uuid.UUID) -> uuid.UUID:
        return (await send_letter(letter(self.sender, batch_id=batch_id), self.runtime)).shipment.id

    async def on_paper(self, batch_id: uuid.UUID) -> uuid.UUID:
        command = letter(
            self.sender,
            batch_id=batch_id,
            recipient=parse_party_id(PERSON_WITHOUT_MAILBOX),
            documents=(pdf_input("Brev på papir"),),
            print_instructions=PrintInstructions(recipient=ADDRESS),
        )
        return (await send_letter(command, self.runtime)).shipment.id

    async def state(self, batch_id: uuid.UUID) -> BatchState:
        async with self.runtime.reader() as uow:
            batch = await uow.batches.get(batch_id)
        assert batch is not None
        return batch.state

    async def log(self, batch_id: uuid.UUID) -> list[BatchState]:
        async with self.runtime.reader() as uow:
            return [e.type for e in await uow.batches.events(batch_id)]

    async def statuses(self, batch_id: uuid.UUID) -> list[ShipmentStatus]:
        overview = await batch_overview(self.runtime, batch_id)
        assert overview is not None
        return [letter.status for letter in overview.letters]

    async def work(self) -> int:
        worker = Worker(self.runtime, core_handlers())
        total = 0
        while claimed := await worker.run_once():
            total += claimed
        return total


@pytest.fixture
async def world(tmp_path: Path, database_url: str) -> AsyncIterator[World]:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    yield World(runtime, sender)
    await runtime.close()


async def test_a_closed_batch_waits_for_its_output_date_and_then_completes(world: World) -> None:
    output_at = world.runtime.clock.now() + timedelta(days=1)
    batch = await open_batch(
        world.runtime, sender_id=world.sender, dialect="ekopost", external_id="c-1", output_at=output_at
    )
    assert (batch.state, batch.output_at) == (BatchState.OPENED, output_at)
    ids = [await world.to_mailbox(batch.id), await world.to_mailbox(batch.id), await world.on_paper(batch.id)]

    closed = await complete_batch(world.runtime, batch.id)
    assert (closed.status, closed.state) == (BatchStatus.COMPLETED, BatchState.CLOSED)
    await world.work()
    assert await world.statuses(batch.id) == [ShipmentStatus.SCHEDULED] * 3, "held until the output date"
    assert await world.state(batch.id) is BatchState.CLOSED

    await advance_clock(world.runtime, timedelta(days=1, minutes=1))
    await world.work()
    assert await world.statuses(batch.id) == [
        ShipmentStatus.DELIVERED,
        ShipmentStatus.DELIVERED,
        ShipmentStatus.POSTED,
    ]
    overview = await batch_overview(world.runtime, batch.id)
    assert overview is not None
    assert [letter.id for letter in overview.letters] == ids
    assert overview.letter_count == 3
    assert overview.batch.state is BatchState.COMPLETED
    assert overview.batch.state_changed_at is not None
    assert overview.batch.state_changed_at >= output_at
    assert await world.log(batch.id) == [
        BatchState.OPENED,
        BatchState.CLOSED,
        BatchState.TRANSFERRED,
        BatchState.COMPLETED,
    ]
    async with world.runtime.reader() as uow:
        events = {e.type: e for e in await uow.batches.events(batch.id)}
    assert events[BatchState.CLOSED].data == {"output_at": output_at.isoformat()}
    assert events[BatchState.COMPLETED].data == {
        "letters": 3,
        "statuses": {"delivered": 2, "posted": 1},
    }


async def test_a_failed_print_fails_the_batch(world: World) -> None:
    await set_channel_fault(world.runtime, Channel.PRINT, 1.0, "Papirstopp")
    batch = await open_batch(world.runtime, sender_id=world.sender, dialect="ekopost", external_id="c-2")
    await world.to_mailbox(batch.id)
    await world.on_paper(batch.id)
    await complete_batch(world.runtime, batch.id)
    await world.work()
    assert sorted(await world.statuses(batch.id)) == sorted([ShipmentStatus.DELIVERED, ShipmentStatus.FAILED])
    assert await world.state(batch.id) is BatchState.FAILED
    assert await world.log(batch.id) == [
        BatchState.OPENED,
        BatchState.CLOSED,
        BatchState.TRANSFERRED,
        BatchState.FAILED,
    ]


async def test_batch_events_reach_the_webhooks_that_name_them(world: World) -> None:
    now = world.runtime.clock.now()
    named = Webhook(
        new_id(), world.sender, "http://127.0.0.1:9/batches", "s1", ("batch.completed",), True, now
    )
    everything = Webhook(new_id(), world.sender, "http://127.0.0.1:9/all", "s2", ("*",), True, now)
    async with world.runtime.unit_of_work() as uow:
        await uow.webhooks.add(named)
        await uow.webhooks.add(everything)
    batch = await open_batch(world.runtime, sender_id=world.sender, dialect="ekopost", external_id="c-3")
    letter_ids = [await world.to_mailbox(batch.id), await world.to_mailbox(batch.id)]
    await complete_batch(world.runtime, batch.id)
    await world.work()
    assert await world.state(batch.id) is BatchState.COMPLETED

    async with world.runtime.reader() as uow:
        completed = next(e for e in await uow.batches.events(batch.id) if e.type is BatchState.COMPLETED)
        batch_event_ids = [e.id for e in await uow.batches.events(batch.id)]
        d = schema.webhook_deliveries.c
        rows = list(await uow.conn.execute(select(d.webhook_id, d.event_id)))
    assert [(w, e) for w, e in rows if w == named.id] == [(named.id, completed.id)]
    assert not [e for w, e in rows if w == everything.id and e in batch_event_ids]
    assert len([e for w, e in rows if w == everything.id]) >= 2 * 3, "letter events as before"

    view = await batch_event_view(world.runtime, completed.id)
    assert view is not None
    assert view.event.type is BatchState.COMPLETED
    assert view.overview.batch.external_id == "c-3"
    assert [(letter.id, letter.status) for letter in view.overview.letters] == [
        (letter_id, ShipmentStatus.DELIVERED) for letter_id in letter_ids
    ]
    assert await batch_event_view(world.runtime, uuid.uuid4()) is None


async def test_cancelling_an_open_batch_is_its_last_event(world: World) -> None:
    batch = await open_batch(world.runtime, sender_id=world.sender, dialect="ekopost", external_id="c-4")
    letter_ids = [await world.to_mailbox(batch.id) for _ in range(3)]
    cancelled = await cancel_batch(world.runtime, batch.id)
    j = schema.jobs.c
    async with world.runtime.reader() as uow:
        refreshes = list(await uow.conn.execute(select(j.id).where(j.kind == "batch.refresh")))
    assert len(refreshes) == 1, "three letters moved in one transaction: one refresh"
    assert (cancelled.status, cancelled.state) == (BatchStatus.CANCELLED, BatchState.CANCELLED)
    await world.work()
    assert await world.statuses(batch.id) == [ShipmentStatus.CANCELLED] * len(letter_ids)
    assert await world.log(batch.id) == [BatchState.OPENED, BatchState.CANCELLED]


async def test_releasing_twice_queues_each_letter_once(world: World) -> None:
    output_at = world.runtime.clock.now() + timedelta(hours=2)
    batch = await open_batch(
        world.runtime, sender_id=world.sender, dialect="ekopost", external_id="c-5", output_at=output_at
    )
    letter_id = await world.to_mailbox(batch.id)
    await complete_batch(world.runtime, batch.id)
    await advance_clock(world.runtime, timedelta(hours=3))
    await release_batch(batch.id, world.runtime)
    await release_batch(batch.id, world.runtime)
    j = schema.jobs.c
    async with world.runtime.reader() as uow:
        keys = [
            r[0]
            for r in await uow.conn.execute(select(j.idempotency_key).where(j.kind == "shipment.publish"))
        ]
    assert keys == [f"publish:{letter_id}"]
    await world.work()
    assert await world.statuses(batch.id) == [ShipmentStatus.DELIVERED]
    assert await world.state(batch.id) is BatchState.COMPLETED


async def test_a_batch_whose_every_letter_was_cancelled_is_cancelled(world: World) -> None:
    output_at = world.runtime.clock.now() + timedelta(hours=2)
    batch = await open_batch(
        world.runtime, sender_id=world.sender, dialect="ekopost", external_id="c-6", output_at=output_at
    )
    letter_id = await world.to_mailbox(batch.id)
    await complete_batch(world.runtime, batch.id)
    await cancel_letter(world.runtime, AsSender(world.sender), letter_id)
    await world.work()
    assert await world.state(batch.id) is BatchState.CANCELLED
    await advance_clock(world.runtime, timedelta(hours=3))
    await world.work()
    assert await world.statuses(batch.id) == [ShipmentStatus.CANCELLED]
    assert await world.log(batch.id) == [BatchState.OPENED, BatchState.CLOSED, BatchState.CANCELLED]


async def test_a_batch_without_an_output_date_releases_when_closed(world: World) -> None:
    batch = await open_batch(world.runtime, sender_id=world.sender, dialect="digipost", external_id="b-7")
    await world.to_mailbox(batch.id)
    await complete_batch(world.runtime, batch.id)
    await world.work()
    assert await world.statuses(batch.id) == [ShipmentStatus.DELIVERED]
    assert await world.state(batch.id) is BatchState.COMPLETED


async def test_a_senders_batches_in_a_time_span_newest_first(world: World) -> None:
    start = world.runtime.clock.now()
    first = await open_batch(
        world.runtime, sender_id=world.sender, dialect="ekopost", external_id="a", name="Mars"
    )
    world.runtime.clock.advance(timedelta(hours=1))
    second = await open_batch(
        world.runtime, sender_id=world.sender, dialect="ekopost", external_id="b", name="April"
    )
    await open_batch(world.runtime, sender_id=world.sender, dialect="digipost", external_id="c")
    other = await add_sender(world.runtime, orgnr="988077917")
    await open_batch(world.runtime, sender_id=other, dialect="ekopost", external_id="d")
    until = world.runtime.clock.now() + timedelta(seconds=1)

    found = await batches_of(world.runtime, world.sender, "ekopost", since=start, until=until)
    assert [b.id for b in found] == [second.id, first.id]
    named = await batches_of(world.runtime, world.sender, "ekopost", since=start, until=until, name="Mars")
    assert [b.id for b in named] == [first.id]
    later = await batches_of(
        world.runtime, world.sender, "ekopost", since=start + timedelta(minutes=30), until=until
    )
    assert [b.id for b in later] == [second.id]
    with pytest.raises(ValidationFailed):
        await batches_of(world.runtime, world.sender, "ekopost", since=until, until=start)


async def test_a_batch_with_a_draft_letter_is_not_released_until_the_draft_is_closed(world: World) -> None:
    batch = await open_batch(world.runtime, sender_id=world.sender, dialect="ekopost", external_id="c-8")
    draft = await start_draft(letter(world.sender, batch_id=batch.id, documents=()), world.runtime)
    await add_draft_document(
        AddDraftDocument(world.sender, draft.id, pdf_document("konvolutt"), primary=True), world.runtime
    )
    with pytest.raises(Conflict) as excinfo:
        await complete_batch(world.runtime, batch.id)
    assert excinfo.value.code is ConflictCode.NOT_YET
    assert await world.state(batch.id) is BatchState.OPENED

    await close_draft(world.sender, draft.id, world.runtime)
    await complete_batch(world.runtime, batch.id)
    await world.work()
    assert await world.statuses(batch.id) == [ShipmentStatus.DELIVERED]
    assert await world.state(batch.id) is BatchState.COMPLETED


async def test_a_closed_batch_may_be_cancelled_until_its_output_date_when_asked(world: World) -> None:
    output_at = world.runtime.clock.now() + timedelta(days=1)
    batch = await open_batch(
        world.runtime, sender_id=world.sender, dialect="ekopost", external_id="c-9", output_at=output_at
    )
    await world.to_mailbox(batch.id)
    await complete_batch(world.runtime, batch.id)
    with pytest.raises(Conflict) as excinfo:
        await cancel_batch(world.runtime, batch.id)  # as Digipost: a completed batch stays
    assert excinfo.value.code is ConflictCode.WRONG_STATE
    cancelled = await cancel_batch(world.runtime, batch.id, even_if_closed=True)
    assert (cancelled.status, cancelled.state) == (BatchStatus.CANCELLED, BatchState.CANCELLED)
    await advance_clock(world.runtime, timedelta(days=2))
    await world.work()
    assert await world.statuses(batch.id) == [ShipmentStatus.CANCELLED]
    assert await world.log(batch.id) == [BatchState.OPENED, BatchState.CLOSED, BatchState.CANCELLED]


async def test_a_released_batch_is_not_cancelled(world: World) -> None:
    batch = await open_batch(world.runtime, sender_id=world.sender, dialect="ekopost", external_id="c-10")
    await world.on_paper(batch.id)
    await complete_batch(world.runtime, batch.id)  # no output date: its release job is due at once
    await release_batch(batch.id, world.runtime)  # what that job does
    with pytest.raises(Conflict) as excinfo:
        await cancel_batch(world.runtime, batch.id, even_if_closed=True)
    assert excinfo.value.code is ConflictCode.WRONG_STATE
    await world.work()
    assert await world.statuses(batch.id) == [ShipmentStatus.POSTED]


async def test_a_batchs_letters_page_by_page_and_by_status(world: World) -> None:
    batch = await open_batch(world.runtime, sender_id=world.sender, dialect="ekopost", external_id="c-11")
    ids = []
    for _ in range(5):
        ids.append(await world.to_mailbox(batch.id))
        world.runtime.clock.advance(timedelta(milliseconds=5))
    await cancel_letter(world.runtime, AsSender(world.sender), ids[1])
    await cancel_letter(world.runtime, AsSender(world.sender), ids[3])

    pages: list[list[uuid.UUID]] = []
    after = None
    while page := await letters_in_batch(world.runtime, batch.id, after=after, limit=2):
        pages.append([letter.id for letter in page])
        after = page[-1].cursor
    assert pages == [ids[0:2], ids[2:4], ids[4:5]]
    cancelled = await letters_in_batch(world.runtime, batch.id, statuses=[ShipmentStatus.CANCELLED])
    assert [letter.id for letter in cancelled] == [ids[1], ids[3]]
